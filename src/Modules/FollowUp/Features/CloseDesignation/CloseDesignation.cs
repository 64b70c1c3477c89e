namespace EtatMajor.Modules.FollowUp.Features.CloseDesignation;

internal sealed record CloseBody(DateOnly? ClosedOn, ClosureReason? Reason);

/// <summary>
/// The procureur closes a follow-up (revoked, returned to detention, change of ressort, withdrawn, deceased, or its
/// obligations ended). Every assignment ends with it: the services become third parties for all they saw (CONF-1).
/// The personal data is erased `FollowUp:RetentionDaysAfterClosure` days later (DES-6).
/// </summary>
internal sealed record CloseDesignation(Guid DesignationId, CloseBody Body) : ICommand<DesignationDto>, INotADisclosure;

internal sealed class CloseDesignationValidator : IValidator<CloseDesignation>
{
    public void Validate(CloseDesignation request, ValidationErrors errors)
    {
        if (request.Body.ClosedOn is null)
        {
            errors.Add("closedOn", "is required (a date, such as 2026-11-20)");
        }
        if (request.Body.Reason is null)
        {
            errors.Add("reason", "is required: obligations-ended, revoked, returned-to-detention, change-of-ressort, withdrawn or deceased");
        }
    }
}

internal sealed class CloseDesignationHandler(DesignationAccess access, IDbSession db) : IRequestHandler<CloseDesignation, DesignationDto>
{
    public async Task<DesignationDto> Handle(CloseDesignation request, CancellationToken cancellationToken)
    {
        var seen = await access.AsProcureurAsync(request.DesignationId, cancellationToken);
        DesignationAccess.EnsureOpen(seen);
        if (request.Body.ClosedOn > access.Today)
        {
            throw new UnprocessableException("closedOn", "A follow-up is closed once it has ended: this date is in the future.") { Rule = LegalRules.Des6 };
        }
        if (request.Body.ClosedOn < LegalCalendar.DateOf(seen.Designation.DesignatedAt))
        {
            throw new UnprocessableException("closedOn", "A follow-up is not closed before it was designated.") { Rule = LegalRules.Des6 };
        }
        await DesignationSql.CloseAsync(db, seen.Designation.Id, request.Body.ClosedOn!.Value, request.Body.Reason!.Value, access.Now, cancellationToken);
        var row = (await db.QuerySingleOrDefaultAsync<DesignationRow>(DesignationSql.One, new { Id = seen.Designation.Id }, cancellationToken))!;
        return await DesignationReader.CoChairViewAsync(db, row, access.Today, cancellationToken);
    }
}

internal static class CloseDesignationEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(FollowUpRoutes.Designation + "/close", (Guid did, CloseBody body, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new CloseDesignation(did, body), ct))
            .WithName("CloseDesignation")
            .Audit("designation.close", AuditOperation.Modification, "designation", "did")
            .StoresPersonalData().RequireJustification()
            .WithSummary("Close a follow-up with a reason (procureur co-chair; DES-1); every assignment ends with it")
            .Produces<DesignationDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AllowFollowUpWrite();
}
