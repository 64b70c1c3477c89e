namespace EtatMajor.Modules.FollowUp.Features.AddObligation;

/// <summary>DES-1, DES-3: the procureur enters an obligation or prohibition imposed later (by the JAP, say).</summary>
internal sealed record AddObligation(Guid DesignationId, ObligationInput Body) : ICommand<ObligationDto>, INotADisclosure;

internal sealed class AddObligationValidator : IValidator<AddObligation>
{
    public void Validate(AddObligation request, ValidationErrors errors) => request.Body.Validate("obligation", errors);
}

internal sealed class AddObligationHandler(DesignationAccess access, IDbSession db) : IRequestHandler<AddObligation, ObligationDto>
{
    public async Task<ObligationDto> Handle(AddObligation request, CancellationToken cancellationToken)
    {
        var seen = await access.AsProcureurAsync(request.DesignationId, cancellationToken);
        DesignationAccess.EnsureOpen(seen);
        request.Body.CheckDecided("obligation", access.Today);
        var position = await db.QuerySingleOrDefaultAsync<long>(ObligationSql.Count, new { DesignationId = seen.Designation.Id }, cancellationToken);
        var id = Guid.CreateVersion7();
        await ObligationSql.InsertAsync(db, id, seen.Designation.Id, (int)position, request.Body, cancellationToken);
        var o = request.Body;
        return new ObligationDto(id, o.Kind!.Value, o.Description!.Trim(), o.ImposedBy!.Value, o.DecisionDate!.Value, o.From!.Value, o.Until, 1, []);
    }
}

internal static class AddObligationEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(FollowUpRoutes.Designation + "/obligations", async (Guid did, ObligationInput body, IMediator mediator, CancellationToken ct) =>
            {
                var obligation = await mediator.Send(new AddObligation(did, body), ct);
                return Results.Created($"/api/v1/designations/{did}", obligation);
            })
            .WithName("AddObligation")
            .Audit("obligation.create", AuditOperation.Collection, "designation", "did")
            .StoresPersonalData().RequireJustification()
            .WithSummary("Enter another obligation or prohibition of a designated person (procureur co-chair; DES-1, DES-3)")
            .Produces<ObligationDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .AllowFollowUpWrite();
}
