namespace EtatMajor.Modules.FollowUp.Features.SendFollowUpReport;

internal sealed record ReportBody(DateOnly? PeriodFrom, DateOnly? PeriodTo, string? Text, Guid[]? DesignationIds);

/// <summary>
/// FLOW-2: a co-chair reports on the follow-up to the procureur(s), who pass it on to the JAP and the SPIP. A
/// disclosure to the procureur co-chairs (other than the author): CONF-1, CONF-2 (a report that would need a review
/// is refused: rewrite it), CONF-3 and CONF-4 apply.
/// </summary>
internal sealed record SendFollowUpReport(Guid InstanceId, IReadOnlyCollection<Guid> RecipientOrganisationIds, ReportBody Body)
    : ICommand<FollowUpReportDto>, IDisclosure
{
    public string Kind => FollowUpDisclosures.Report;

    public DisclosedContent Content => new([new DisclosedText("text", Body.Text ?? "")], []);
}

internal sealed class SendFollowUpReportValidator : IValidator<SendFollowUpReport>
{
    public const int MaxText = 4000;

    public void Validate(SendFollowUpReport request, ValidationErrors errors)
    {
        var body = request.Body;
        if (body.PeriodFrom is null)
        {
            errors.Add("periodFrom", "is required (a date)");
        }
        if (body.PeriodTo is null)
        {
            errors.Add("periodTo", "is required (a date)");
        }
        if (body.PeriodFrom > body.PeriodTo)
        {
            errors.Add("periodTo", "must not be before periodFrom");
        }
        errors.Required("text", body.Text, MaxText);
        var designations = body.DesignationIds ?? [];
        if (designations.Length > 100 || designations.Distinct().Count() != designations.Length)
        {
            errors.Add("designationIds", "at most 100 designations of the instance, each once");
        }
    }
}

internal sealed class SendFollowUpReportHandler(DesignationAccess access, IDbSession db) : IRequestHandler<SendFollowUpReport, FollowUpReportDto>
{
    internal static class Sql
    {
        public const string DesignationsOf = "SELECT id FROM fu_designations WHERE instance_id = @InstanceId AND id IN @Ids AND erased_at IS NULL";

        public const string Insert =
            "INSERT INTO fu_reports (id, instance_id, author_id, period_from, period_to, text, sent_at) VALUES (@Id, @InstanceId, @AuthorId, @PeriodFrom, @PeriodTo, @Text, @SentAt)";

        public const string InsertDesignation = "INSERT INTO fu_report_designations (report_id, designation_id) VALUES (@ReportId, @DesignationId)";
    }

    public async Task<FollowUpReportDto> Handle(SendFollowUpReport request, CancellationToken cancellationToken)
    {
        var circle = await access.InstanceAsync(request.InstanceId, cancellationToken);
        if (!circle.IsCoChair(access.Caller.OrganisationId))
        {
            throw new ForbiddenException("Follow-up reports are written by the co-chairs of the instance to the procureur.") { Rule = LegalRules.Flow2 };
        }
        var designations = request.Body.DesignationIds ?? [];
        if (designations.Length > 0)
        {
            var known = (await db.QueryAsync<Guid>(Sql.DesignationsOf, new { request.InstanceId, Ids = SqlLists.Ids(designations) }, cancellationToken)).ToHashSet();
            var unknown = designations.Where(d => !known.Contains(d)).ToList();
            if (unknown.Count > 0)
            {
                throw new UnprocessableException("designationIds", $"Not designations of this instance: {string.Join(", ", unknown)}.");
            }
        }
        var id = Guid.CreateVersion7();
        var text = request.Body.Text!.Trim();
        await db.ExecuteAsync(Sql.Insert, new
        {
            Id = id, request.InstanceId, AuthorId = access.Caller.OrganisationId, request.Body.PeriodFrom, request.Body.PeriodTo, Text = text, SentAt = access.Now,
        }, cancellationToken);
        foreach (var designation in designations)
        {
            await db.ExecuteAsync(Sql.InsertDesignation, new { ReportId = id, DesignationId = designation }, cancellationToken);
        }
        return new FollowUpReportDto(id, request.InstanceId, access.Caller.OrganisationId, request.Body.PeriodFrom!.Value, request.Body.PeriodTo!.Value, text,
            designations, request.RecipientOrganisationIds.ToList(), access.Now, null);
    }
}

internal static class SendFollowUpReportEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/instances/{id:guid}/follow-up-reports", async (Guid id, ReportBody body, IMediator mediator, ICallerAccessor callers, TimeProvider clock,
                CancellationToken ct) =>
            {
                // Addressed to the procureur co-chairs (FLOW-2), the author excepted; the policy step decides on them.
                var circle = await mediator.Send(new GetInstanceCircle(id, [], clock.GetUtcNow()), ct);
                var recipients = circle?.Procureurs.Where(p => p != callers.Required.OrganisationId).ToList() ?? [];
                var report = await mediator.Send(new SendFollowUpReport(id, recipients, body), ct);
                return Results.Created($"/api/v1/instances/{id}/follow-up-reports", report);
            })
            .WithName("SendFollowUpReport")
            .Audit("follow-up-report.send", AuditOperation.Communication, "follow-up-report", null, related: "id")
            .StoresPersonalData().RequireJustification()
            .WithSummary("Report on the follow-up to the procureur(s), who pass it on to the JAP and the SPIP (co-chair; FLOW-2), through the confidentiality policy")
            .Produces<FollowUpReportDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AllowFollowUpWrite();
}
