namespace EtatMajor.Modules.FollowUp.Features.ReviewDesignation;

internal sealed record ReviewBody(DateOnly? ReviewedOn, ReviewDecision? Decision);

/// <summary>
/// DES-6: the procureur reviews an open follow-up: `continue` sets the next review `FollowUp:ReviewIntervalMonths`
/// after this one; `close` closes it as `withdrawn` (the follow-up is no longer needed).
/// </summary>
internal sealed record ReviewDesignation(Guid DesignationId, ReviewBody Body) : ICommand<DesignationReviewDto>, INotADisclosure;

internal sealed class ReviewDesignationValidator : IValidator<ReviewDesignation>
{
    public void Validate(ReviewDesignation request, ValidationErrors errors)
    {
        if (request.Body.ReviewedOn is null)
        {
            errors.Add("reviewedOn", "is required (a date)");
        }
        if (request.Body.Decision is null)
        {
            errors.Add("decision", "is required: continue or close");
        }
    }
}

internal sealed class ReviewDesignationHandler(DesignationAccess access, IDbSession db, FollowUpOptions options) : IRequestHandler<ReviewDesignation, DesignationReviewDto>
{
    internal static class Sql
    {
        public const string Insert =
            "INSERT INTO fu_reviews (id, designation_id, reviewed_on, decision, reviewed_by, recorded_at) VALUES (@Id, @DesignationId, @ReviewedOn, @Decision, @ReviewedBy, @RecordedAt)";

        public const string NextReview = "UPDATE fu_designations SET review_due_on = @ReviewDueOn WHERE id = @Id";
    }

    public async Task<DesignationReviewDto> Handle(ReviewDesignation request, CancellationToken cancellationToken)
    {
        var seen = await access.AsProcureurAsync(request.DesignationId, cancellationToken);
        DesignationAccess.EnsureOpen(seen);
        var reviewedOn = request.Body.ReviewedOn!.Value;
        if (reviewedOn > access.Today)
        {
            throw new UnprocessableException("reviewedOn", "A review is recorded once it has taken place: this date is in the future.") { Rule = LegalRules.Des6 };
        }
        var decision = request.Body.Decision!.Value;
        if (decision == ReviewDecision.Continue)
        {
            await db.ExecuteAsync(Sql.NextReview,
                new { seen.Designation.Id, ReviewDueOn = LegalCalendar.AddCalendarMonths(reviewedOn, options.ReviewIntervalMonths) }, cancellationToken);
        }
        else
        {
            await DesignationSql.CloseAsync(db, seen.Designation.Id, reviewedOn, ClosureReason.Withdrawn, access.Now, cancellationToken);
        }
        var id = Guid.CreateVersion7();
        await db.ExecuteAsync(Sql.Insert, new
        {
            Id = id, DesignationId = seen.Designation.Id, ReviewedOn = reviewedOn, Decision = decision.ToKebab(), ReviewedBy = access.Caller.OrganisationId,
            RecordedAt = access.Now,
        }, cancellationToken);
        return new DesignationReviewDto(id, reviewedOn, decision, access.Now);
    }
}

internal static class ReviewDesignationEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(FollowUpRoutes.Designation + "/reviews", async (Guid did, ReviewBody body, IMediator mediator, CancellationToken ct) =>
            {
                var review = await mediator.Send(new ReviewDesignation(did, body), ct);
                return Results.Created($"/api/v1/designations/{did}", review);
            })
            .WithName("ReviewDesignation")
            .Audit("designation.review", AuditOperation.Modification, "designation", "did")
            .StoresPersonalData().RequireJustification()
            .WithSummary("Review an open follow-up: continue (next review set) or close (procureur co-chair; DES-6)")
            .Produces<DesignationReviewDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AllowFollowUpWrite();
}
