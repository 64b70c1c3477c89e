namespace EtatMajor.Modules.Exchange.Features.CheckExchange;

/// <summary>The same body as a send, decided but neither stored nor delivered.</summary>
internal sealed record CheckExchange(Guid InstanceId, ExchangeBody Draft) : IQuery<PolicyDecision>, IDisclosure
{
    public string Kind => DisclosureKinds.Exchange;

    public DisclosureSubject? Subject => Draft.About;

    public IReadOnlyCollection<Guid> RecipientOrganisationIds => Draft.RecipientOrganisationIds ?? [];

    public DisclosedContent Content => Draft.Content();

    public bool DryRun => true;
}

internal sealed class CheckExchangeValidator(ExchangeOptions options) : IValidator<CheckExchange>
{
    public void Validate(CheckExchange request, ValidationErrors errors) => request.Draft.Validate(options, errors);
}

internal sealed class CheckExchangeHandler(IPolicyOutcome outcome) : IRequestHandler<CheckExchange, PolicyDecision>
{
    public Task<PolicyDecision> Handle(CheckExchange request, CancellationToken cancellationToken) =>
        Task.FromResult(outcome.Decision ?? throw new InvalidOperationException("The policy step did not decide this check."));
}

internal static class CheckExchangeEndpoint
{
    public static void Map(IEndpointRouteBuilder app, RequestBodyLimit bodyLimit) =>
        app.MapPost("/api/v1/instances/{id:guid}/exchanges/check", (Guid id, ExchangeBody body, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new CheckExchange(id, body), ct))
            .WithName("CheckExchange")
            .Audit("exchange.check", AuditOperation.Consultation, "instance")
            .WithMetadata(bodyLimit)
            .WithSummary("Would this exchange be allowed? The policy's decision, without storing or delivering anything")
            .Produces<PolicyDecision>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .Allow(Scopes.Exchange);
}
