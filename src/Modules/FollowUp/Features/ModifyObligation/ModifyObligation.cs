namespace EtatMajor.Modules.FollowUp.Features.ModifyObligation;

/// <summary>
/// DES-1, FLOW-1: the procureur records a modified obligation (a new decision of the JAP or the court). The previous
/// version is kept with its decision date, and the modification is itself an `obligation-modified` event, with the
/// provenance of the new decision. `IfMatch` names the version the procureur read (the obligation's `eTag`): a
/// modification recorded meanwhile is not overwritten (412).
/// </summary>
internal sealed record ModifyObligation(Guid DesignationId, Guid ObligationId, ObligationInput Body, string? IfMatch) : ICommand<ObligationDto>, INotADisclosure;

internal sealed class ModifyObligationValidator : IValidator<ModifyObligation>
{
    public void Validate(ModifyObligation request, ValidationErrors errors) => request.Body.Validate("obligation", errors);
}

internal sealed class ModifyObligationHandler(DesignationAccess access, IDbSession db) : IRequestHandler<ModifyObligation, ObligationDto>
{
    internal static class Sql
    {
        public const string One = $"SELECT {ObligationRow.Columns} FROM fu_obligations o WHERE o.id = @Id AND o.designation_id = @DesignationId";

        public const string KeepVersion =
            "INSERT INTO fu_obligation_versions (obligation_id, version, kind, description, imposed_by, decision_date, from_on, until_on, replaced_at) " +
            "SELECT id, version, kind, description, imposed_by, decision_date, from_on, until_on, @Now FROM fu_obligations WHERE id = @Id";

        public const string Update =
            "UPDATE fu_obligations SET kind = @Kind, description = @Description, imposed_by = @ImposedBy, decision_date = @DecisionDate, from_on = @From, " +
            "until_on = @Until, version = version + 1 WHERE id = @Id AND version = @Version";
    }

    public async Task<ObligationDto> Handle(ModifyObligation request, CancellationToken cancellationToken)
    {
        var seen = await access.AsProcureurAsync(request.DesignationId, cancellationToken);
        var current = await db.QuerySingleOrDefaultAsync<ObligationRow>(Sql.One, new { Id = request.ObligationId, request.DesignationId }, cancellationToken)
            ?? throw new NotFoundException("No such obligation in this designation.");
        DesignationAccess.EnsureOpen(seen);
        EntityTags.Require(request.IfMatch, current.Version, "obligation");
        var o = request.Body;
        o.CheckDecided("obligation", access.Today);
        await db.ExecuteAsync(Sql.KeepVersion, new { Id = current.Id, access.Now }, cancellationToken);
        if (await db.ExecuteAsync(Sql.Update, new
            {
                current.Id, Kind = o.Kind!.Value.ToKebab(), Description = o.Description!.Trim(), ImposedBy = o.ImposedBy!.Value.ToKebab(), o.DecisionDate, o.From, o.Until,
                current.Version,
            }, cancellationToken) != 1)
        {
            throw new PreconditionException(412, "The obligation changed meanwhile: read it again.");
        }
        await db.ExecuteAsync(DesignationSql.InsertEvent, new
        {
            Id = Guid.CreateVersion7(), DesignationId = seen.Designation.Id, Type = FollowUpEventType.ObligationModified.ToKebab(), OccurredOn = o.DecisionDate,
            Source = (o.ImposedBy == ImposedBy.Jap ? EventSource.Jap : EventSource.TrialCourt).ToKebab(), Reference = (string?)null,
            RecordedBy = access.Caller.OrganisationId, RecordedAt = access.Now,
        }, cancellationToken);
        var updated = (await db.QuerySingleOrDefaultAsync<ObligationRow>(Sql.One, new { Id = current.Id, request.DesignationId }, cancellationToken))!;
        return DesignationReader.ToDto(updated, null);
    }
}

internal static class ModifyObligationEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPut(FollowUpRoutes.Designation + "/obligations/{oid:guid}", (Guid did, Guid oid, ObligationInput body, IMediator mediator, HttpContext http, CancellationToken ct) =>
                mediator.Send(new ModifyObligation(did, oid, body, http.Request.Headers.IfMatch.ToString()), ct))
            .WithName("ModifyObligation")
            .Audit("obligation.modify", AuditOperation.Modification, "designation", "did")
            .StoresPersonalData().RequireJustification()
            .WithSummary("Record a modified obligation (procureur co-chair; DES-1), with If-Match: the obligation's eTag (428 without, 412 when stale): the previous version is kept, and an obligation-modified event recorded (FLOW-1)")
            .Produces<ObligationDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .Versioned()
            .AllowFollowUpWrite();
}
