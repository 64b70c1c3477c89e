using EtatMajor.Modules.Confidentiality.Contracts;
using EtatMajor.Modules.Exchange.Domain;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Http;
using EtatMajor.SharedKernel.Identity;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EtatMajor.Modules.Exchange.Features;

internal static class ExchangeEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ExchangeOptions options)
    {
        var group = app.MapGroup("").WithTags("Exchanges");
        var bodyLimit = new RequestBodyLimit(options.RequestBodyLimit);

        group.MapPost("/api/v1/instances/{id:guid}/exchanges", async (Guid id, ExchangeBody body, IMediator mediator, CancellationToken ct) =>
            {
                var exchange = await mediator.Send(new SendExchange(id, body), ct);
                return Results.Created($"/api/v1/exchanges/{exchange.Id}", exchange);
            })
            .WithName("SendExchange")
            .Audit("exchange.send", AuditOperation.Communication, "exchange", null)
            .WithMetadata(bodyLimit)
            .WithSummary("Send confidential information to members of the instance, decided first by the confidentiality policy (CONF-1..4)")
            .Produces<ExchangeDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .Allow(Scopes.Exchange);

        group.MapPost("/api/v1/instances/{id:guid}/exchanges/check", (Guid id, ExchangeBody body, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new CheckExchange(id, body), ct))
            .WithName("CheckExchange")
            .Audit("exchange.check", AuditOperation.Consultation, "instance")
            .WithMetadata(bodyLimit)
            .WithSummary("Would this exchange be allowed? The policy's decision, without storing or delivering anything")
            .Produces<PolicyDecision>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .Allow(Scopes.Exchange);

        group.MapGet("/api/v1/instances/{id:guid}/exchanges", (Guid id, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListExchanges(id, limit, cursor), ct))
            .WithName("ListExchanges")
            .Audit("exchange.list", AuditOperation.Consultation, "instance")
            .WithSummary("The caller's exchanges in an instance, sent or received, newest first (cursor pagination)")
            .Produces<Page<ExchangeSummaryDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .Allow(Scopes.Exchange);

        group.MapGet("/api/v1/exchanges/{eid:guid}", (Guid eid, IMediator mediator, CancellationToken ct) => mediator.Send(new GetExchange(eid), ct))
            .WithName("GetExchange")
            .Audit("exchange.read", AuditOperation.Consultation, "exchange", "eid")
            .WithSummary("One exchange, for its sender and its recipients while they are current members (404 for anyone else)")
            .Produces<ExchangeDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Allow(Scopes.Exchange);

        group.MapGet("/api/v1/exchanges/{eid:guid}/attachments/{aid:guid}", async (Guid eid, Guid aid, IMediator mediator, CancellationToken ct) =>
            {
                var attachment = await mediator.Send(new DownloadAttachment(eid, aid), ct);
                return Results.File(attachment.Content, attachment.MediaType, attachment.FileName);
            })
            .WithName("DownloadAttachment")
            .Audit("exchange.attachment", AuditOperation.Consultation, "attachment", "aid")
            .WithSummary("Download an attachment (same access as the exchange)")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Allow(Scopes.Exchange);

        group.MapPost("/api/v1/exchanges/{eid:guid}/forward", async (Guid eid, ForwardBody body, IMediator mediator, CancellationToken ct) =>
            {
                var original = await mediator.Send(new GetForwardable(eid), ct);
                var forwarded = await mediator.Send(new ForwardExchange(original, body.RecipientOrganisationIds), ct);
                return Results.Created($"/api/v1/exchanges/{forwarded.Id}", forwarded);
            })
            .WithName("ForwardExchange")
            .Audit("exchange.forward", AuditOperation.Communication, "exchange", "eid")
            .WithSummary("A recipient forwards an exchange to other members: the same rules apply to every new recipient (CONF-5)")
            .Produces<ExchangeDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .Allow(Scopes.Exchange);
    }
}
