namespace EtatMajor.Modules.Governance.Features.RecordInternalRules;

internal sealed record AdoptBody(string? Version, DateOnly? AdoptedByCdpdOn, string? CdpdDeliberationReference, DateOnly? InForceFrom, string? Text);

internal sealed record RecordInternalRules(
    Guid InstanceId, string? Version, DateOnly? AdoptedByCdpdOn, string? CdpdDeliberationReference, DateOnly? InForceFrom, string? Text)
    : ICommand<InternalRulesDto>, INotADisclosure;

internal sealed class RecordInternalRulesValidator : IValidator<RecordInternalRules>
{
    public const int MaxText = 200_000;

    public void Validate(RecordInternalRules request, ValidationErrors errors)
    {
        errors.Required("version", request.Version, 50);
        errors.Required("cdpdDeliberationReference", request.CdpdDeliberationReference, 200);
        errors.Required("text", request.Text, MaxText);
        if (request.AdoptedByCdpdOn is null)
        {
            errors.Add("adoptedByCdpdOn", "is required: the date the CDPD adopted it");
        }
        if (request.InForceFrom is null)
        {
            errors.Add("inForceFrom", "is required");
        }
        else if (request.AdoptedByCdpdOn is not null && request.InForceFrom < request.AdoptedByCdpdOn)
        {
            errors.Add("inForceFrom", "cannot precede the CDPD's adoption");
        }
    }
}

internal sealed class RecordInternalRulesHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<RecordInternalRules, InternalRulesDto>
{
    public async Task<InternalRulesDto> Handle(RecordInternalRules request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        await InstanceAccess.AsCoChairAsync(db, caller, request.InstanceId, cancellationToken);
        var version = request.Version!.Trim();
        if (await db.QuerySingleOrDefaultAsync<int>(InternalRulesSql.VersionExists, new { request.InstanceId, Version = version }, cancellationToken) > 0)
        {
            throw new ConflictException($"Version '{version}' of the règlement intérieur is already recorded.");
        }
        var id = Guid.CreateVersion7();
        await db.ExecuteAsync(InternalRulesSql.Insert, new
        {
            Id = id, request.InstanceId, Version = version, AdoptedByCdpdOn = request.AdoptedByCdpdOn!.Value,
            CdpdDeliberationReference = request.CdpdDeliberationReference!.Trim(), InForceFrom = request.InForceFrom!.Value,
            request.Text, RecordedBy = caller.OrganisationId, RecordedAt = clock.Instant(),
        }, cancellationToken);
        return (await db.QuerySingleOrDefaultAsync<InternalRulesRow>(InternalRulesSql.One, new { request.InstanceId, Id = id }, cancellationToken))!.ToDto();
    }
}

internal static class RecordInternalRulesEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(InternalRulesRoutes.Base, async (Guid id, AdoptBody body, IMediator mediator, CancellationToken ct) =>
            {
                var rules = await mediator.Send(new RecordInternalRules(id, body.Version, body.AdoptedByCdpdOn, body.CdpdDeliberationReference, body.InForceFrom, body.Text), ct);
                return Results.Created($"/api/v1/instances/{id}/internal-rules/{rules.Id}", rules);
            })
            .WithName("RecordInternalRules")
            .Audit("internal-rules.create", AuditOperation.Collection, "internal-rules", null, related: "id")
            .WithSummary("A co-chair records a version of the règlement intérieur adopted by the CDPD (CONF-3)")
            .Produces<InternalRulesDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .AllowCoChairs();
}
