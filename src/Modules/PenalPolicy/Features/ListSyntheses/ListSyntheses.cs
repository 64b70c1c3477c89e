namespace EtatMajor.Modules.PenalPolicy.Features.ListSyntheses;

internal sealed record ListSyntheses(Guid InstanceId, int? Year, int? Limit, string? Cursor) : IQuery<Page<SynthesisDto>>, INotADisclosure;

internal sealed class ListSynthesesValidator : IValidator<ListSyntheses>
{
    public void Validate(ListSyntheses request, ValidationErrors errors)
    {
        if (request.Year is not (null or (>= 2000 and <= 2100)))
        {
            errors.Add("year", "a year (2000 to 2100)");
        }
        PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsInstant);
    }
}

/// <summary>POL-2: the syntheses delivered to an instance, for its members that acknowledged the règlement in force (CONF-4), in the order of delivery.</summary>
internal sealed class ListSynthesesHandler(PenalPolicyAccess access, IDbSession db) : IRequestHandler<ListSyntheses, Page<SynthesisDto>>
{
    public async Task<Page<SynthesisDto>> Handle(ListSyntheses request, CancellationToken cancellationToken)
    {
        await access.ReaderOfDeliveriesAsync(request.InstanceId, cancellationToken);
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterAt, afterId) = Keyset.Instant(page.After);
        var rows = await db.QueryAsync<SynthesisRow>(SynthesisSql.OfInstance,
            new { request.InstanceId, request.Year, AfterAt = afterAt, AfterId = afterId, page.Take }, cancellationToken);
        var dtos = await SynthesisSql.ToDtosAsync(db, rows, request.InstanceId, access.Today, cancellationToken);
        return page.ToPage(dtos, s => Keyset.Of(s.DeliveredAt, s.Id));
    }
}

internal static class ListSynthesesEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/instances/{id:guid}/penal-policy-syntheses", (Guid id, int? year, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListSyntheses(id, year, limit, cursor), ct))
            .WithName("ListPenalPolicySyntheses")
            .Audit("penal-policy-synthesis.list", AuditOperation.Consultation, "instance")
            .PersonalData().RequireJustification()
            .WithSummary("The syntheses of the procureurs' annual reports delivered to the instance (POL-2); members that acknowledged the règlement in force")
            .Produces<Page<SynthesisDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .AllowPenalPolicy();
}
