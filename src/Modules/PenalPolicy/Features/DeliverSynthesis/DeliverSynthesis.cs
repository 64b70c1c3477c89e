using System.Security.Cryptography;
using System.Text.Json.Serialization;
using EtatMajor.Modules.PenalPolicy.Features.GetAnnualReport;
using EtatMajor.SharedKernel.Content;

namespace EtatMajor.Modules.PenalPolicy.Features.DeliverSynthesis;

/// <summary>The synthesis of the annual report, for some of the instances it is due to, with a few attachments (statistics, a note).</summary>
internal sealed record SynthesisBody(Guid[]? InstanceIds, string? Text, AttachmentInput[]? Attachments)
{
    public const int MaxInstances = 50;
    public const int MaxText = 20_000;
    public const int MaxAttachments = 3;
    public const long MaxAttachmentBytes = 2 * 1024 * 1024;

    /// <summary>The body limit of the endpoint: the attachments in base64, the text, and room for the rest.</summary>
    public static readonly RequestBodyLimit BodyLimit = new(MaxAttachments * MaxAttachmentBytes * 4 / 3 + 1024 * 1024);

    private IReadOnlyList<byte[]?>? decoded;
    private DisclosedContent? content;

    [JsonIgnore]
    public IReadOnlyList<byte[]?> Decoded => decoded ??= AttachmentChecks.Decode(Attachments);

    /// <summary>
    /// What the policy reads (CONF-2): the attachments, their names and declared kinds — not the text, which speaks of
    /// réquisitions, casier judiciaire and ordonnances pénales by nature (POL-2). One object for every instance, so that
    /// the policy reads the attachments once, before any lock.
    /// </summary>
    [JsonIgnore]
    public DisclosedContent Content => content ??= new DisclosedContent([], AttachmentChecks.Disclosed(Attachments, Decoded));
}

/// <summary>
/// POL-2, first step: the procureur's own report, instances it is due to and not yet delivered, and who receives it in
/// each — the current members that acknowledged the règlement intérieur in force (CONF-4), the author excepted.
/// </summary>
internal sealed record PlanSynthesis(Guid ReportId, SynthesisBody Body) : IQuery<SynthesisPlan>, INotADisclosure;

internal sealed record SynthesisPlan(ReportRow Report, IReadOnlyList<PlannedDelivery> Deliveries);

internal sealed record PlannedDelivery(Guid InstanceId, IReadOnlyList<Guid> Recipients);

internal sealed class PlanSynthesisValidator : IValidator<PlanSynthesis>
{
    public void Validate(PlanSynthesis request, ValidationErrors errors)
    {
        var body = request.Body;
        if (body.InstanceIds is not { Length: > 0 } ids || ids.Length > SynthesisBody.MaxInstances)
        {
            errors.Add("instanceIds", $"between 1 and {SynthesisBody.MaxInstances} instance ids, among the instances the synthesis is due to");
        }
        else if (ids.Contains(Guid.Empty) || ids.Distinct().Count() != ids.Length)
        {
            errors.Add("instanceIds", "distinct instance ids");
        }
        errors.Required("text", body.Text, SynthesisBody.MaxText);
        AttachmentChecks.Validate(body.Attachments, body.Decoded, SynthesisBody.MaxAttachments, SynthesisBody.MaxAttachmentBytes, errors);
    }
}

internal sealed class PlanSynthesisHandler(PenalPolicyAccess access, IDbSession db, IMediator mediator) : IRequestHandler<PlanSynthesis, SynthesisPlan>
{
    public async Task<SynthesisPlan> Handle(PlanSynthesis request, CancellationToken cancellationToken)
    {
        var report = await AnnualReports.OwnAsync(db, access, request.ReportId, cancellationToken);
        var due = (await db.QueryAsync<ReportInstanceRow>(ReportSql.InstancesOf, new { report.Id }, cancellationToken)).ToDictionary(i => i.InstanceId);
        var asked = request.Body.InstanceIds!;
        var unknown = asked.Where(i => !due.ContainsKey(i)).ToList();
        if (unknown.Count > 0)
        {
            throw new RuleViolationException(LegalRules.Pol2,
                $"The synthesis is due to the instances you co-chaired when you recorded the report; not these: {string.Join(", ", unknown)}.",
                new Dictionary<string, object?> { ["instanceIds"] = unknown });
        }
        var delivered = asked.Where(i => due[i].DeliveredOn is not null).ToList();
        if (delivered.Count > 0)
        {
            throw new ConflictException($"The synthesis of this report is already delivered to: {string.Join(", ", delivered)}.");
        }
        var deliveries = new List<PlannedDelivery>();
        foreach (var instanceId in asked)
        {
            var circle = await mediator.Send(new GetInstanceCircle(instanceId, [], access.Now), cancellationToken);
            var others = circle?.Members.Where(m => m != access.Caller.OrganisationId).ToList() ?? [];
            var memberships = others.Count == 0 ? null : await mediator.Send(new GetMemberships(instanceId, others, access.Now), cancellationToken);
            deliveries.Add(new PlannedDelivery(instanceId,
                others.Where(o => memberships?.Organisations.GetValueOrDefault(o) is { IsMember: true, AcknowledgedRulesInForce: true }).ToList()));
        }
        return new SynthesisPlan(report, deliveries);
    }
}

/// <summary>
/// POL-2, second step, once per instance: a disclosure of kind `synthesis`, decided by the policy in that instance
/// (CONF-1, CONF-3, CONF-4; CONF-2 on the attachments: a procedure document, declared or by its form, and what cannot be
/// fully read are refused — a synthesis cannot be held; a mere mention is its nature and passes).
/// All the instances of one request commit together or not at all.
/// </summary>
internal sealed record DeliverSynthesis(Guid SynthesisId, ReportRow Report, Guid InstanceId, IReadOnlyCollection<Guid> RecipientOrganisationIds,
    SynthesisBody Body, bool First) : ICommand<SynthesisDto>, IDisclosure
{
    public string Kind => PenalPolicyDisclosures.Synthesis;

    public DisclosedContent Content => Body.Content;

    /// <summary>POL-2: a synthesis names réquisitions and ordonnances pénales by nature; its attachments are not held for a mention.</summary>
    public bool SpeaksOfProcedure => true;
}

internal sealed class DeliverSynthesisHandler(PenalPolicyAccess access, IDbSession db) : IRequestHandler<DeliverSynthesis, SynthesisDto>
{
    public async Task<SynthesisDto> Handle(DeliverSynthesis request, CancellationToken cancellationToken)
    {
        var report = request.Report;
        // Read again inside the transaction: two deliveries racing to the same instance, one wins.
        if (await db.QuerySingleOrDefaultAsync<long>(SynthesisSql.Delivered, new { ReportId = report.Id, request.InstanceId }, cancellationToken) > 0)
        {
            throw new ConflictException($"The synthesis of this report is already delivered to: {request.InstanceId}.");
        }
        if (request.First)
        {
            await db.ExecuteAsync(SynthesisSql.Insert, new { Id = request.SynthesisId, ReportId = report.Id, Text = request.Body.Text!.Trim(), DeliveredAt = access.Now },
                cancellationToken);
            var attachments = request.Body.Attachments ?? [];
            for (var i = 0; i < attachments.Length; i++)
            {
                var content = request.Body.Decoded[i]!;
                await db.ExecuteAsync(SynthesisSql.InsertAttachment, new
                {
                    request.SynthesisId, Position = i, attachments[i].FileName, attachments[i].MediaType, attachments[i].DocumentKind, SizeBytes = (long)content.Length,
                    Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)), Content = content,
                }, cancellationToken);
            }
        }
        await db.ExecuteAsync(SynthesisSql.InsertDelivery, new
        {
            ReportId = report.Id, request.InstanceId, request.SynthesisId, DeliveredAt = access.Now, DeliveredOn = access.Today,
        }, cancellationToken);
        await ReminderSql.ResolveAsync(db, ReminderKind.SynthesisOverdue, request.InstanceId, report.ProcureurId, (int)report.Year, access.Today, cancellationToken);
        var row = (await db.QuerySingleOrDefaultAsync<SynthesisRow>(SynthesisSql.One, new { Id = request.SynthesisId }, cancellationToken))!;
        return (await SynthesisSql.ToDtosAsync(db, [row], null, access.Today, cancellationToken))[0];
    }
}

internal static class DeliverSynthesisEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/penal-policy-reports/{rid:guid}/syntheses", async (Guid rid, SynthesisBody body, IMediator mediator, CancellationToken ct) =>
            {
                var plan = await mediator.Send(new PlanSynthesis(rid, body), ct);
                var id = Guid.CreateVersion7();
                SynthesisDto? synthesis = null;
                for (var i = 0; i < plan.Deliveries.Count; i++)
                {
                    synthesis = await mediator.Send(new DeliverSynthesis(id, plan.Report, plan.Deliveries[i].InstanceId, plan.Deliveries[i].Recipients, body, i == 0), ct);
                }
                return Results.Created($"/api/v1/penal-policy-reports/{rid}", synthesis);
            })
            .WithName("DeliverPenalPolicySynthesis")
            .Audit("penal-policy-synthesis.deliver", AuditOperation.Communication, "penal-policy-synthesis", null, related: "rid")
            .StoresPersonalData().RequireJustification()
            .WithMetadata(SynthesisBody.BodyLimit)
            .WithSummary("Deliver the synthesis of the annual report to instances it is due to (POL-2), through the confidentiality policy (CONF-1..4; CONF-2 on the attachments, not on the text)")
            .Produces<SynthesisDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AllowPenalPolicy();
}
