using EtatMajor.SharedKernel.Jobs;

namespace EtatMajor.Modules.PenalPolicy.Features.MarkReminders;

/// <summary>
/// `penal-policy.reminders`, once a day: marks each synthesis overdue (POL-2: its due date past, not delivered) and,
/// from 1 October, each procureur co-chair without a briefing that year in an instance (POL-1, due by 31 December).
/// Each is marked once, with a system record of the access log; a delivery or a briefing resolves it. No e-mail: the
/// overview shows them.
/// </summary>
internal sealed class RemindersJob(IDbSession db, IMediator mediator, ISystemAccessLog accessLog) : IJob
{
    public const string Name = "penal-policy.reminders";
    public const int MaxPerRun = 5000;

    internal static class Sql
    {
        public const string OverdueSyntheses =
            $"SELECT ri.report_id AS {nameof(OverdueRow.ReportId)}, r.procureur_id AS {nameof(OverdueRow.ProcureurId)}, " +
            $"r.synthesis_due_on AS {nameof(OverdueRow.SynthesisDueOn)}, ri.instance_id AS {nameof(OverdueRow.InstanceId)}, r.year AS {nameof(OverdueRow.Year)} " +
            "FROM pp_report_instances ri JOIN pp_reports r ON r.id = ri.report_id " +
            "WHERE r.synthesis_due_on < @Today " +
            "AND NOT EXISTS (SELECT 1 FROM pp_synthesis_deliveries d WHERE d.report_id = ri.report_id AND d.instance_id = ri.instance_id) " +
            "AND NOT EXISTS (SELECT 1 FROM pp_reminders m WHERE m.kind = 'synthesis-overdue' AND m.instance_id = ri.instance_id AND m.procureur_id = r.procureur_id AND m.year = r.year) " +
            "ORDER BY r.synthesis_due_on, ri.report_id, ri.instance_id LIMIT @Take";

        public const string BriefingReminders =
            $"SELECT instance_id AS {nameof(Marked.InstanceId)}, procureur_id AS {nameof(Marked.ProcureurId)} FROM pp_reminders WHERE kind = 'briefing-missing' AND year = @Year";
    }

    internal sealed class OverdueRow
    {
        public Guid ReportId { get; init; }
        public Guid ProcureurId { get; init; }
        public DateOnly SynthesisDueOn { get; init; }
        public Guid InstanceId { get; init; }
        public long Year { get; init; }
    }

    internal sealed class Marked
    {
        public Guid InstanceId { get; init; }
        public Guid ProcureurId { get; init; }
    }

    public async Task RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        var today = LegalCalendar.DateOf(run.Now);
        foreach (var overdue in await db.QueryAsync<OverdueRow>(Sql.OverdueSyntheses, new { Today = today, Take = MaxPerRun }, cancellationToken))
        {
            await MarkAsync(run, ReminderKind.SynthesisOverdue, overdue.InstanceId, overdue.ProcureurId, (int)overdue.Year, overdue.ReportId, overdue.SynthesisDueOn, today,
                cancellationToken);
        }
        if (today.Month < 10)
        {
            return;
        }
        var held = (await db.QueryAsync<BriefingCount>(BriefingSql.CountsOfYear, new { today.Year }, cancellationToken)).Select(b => (b.InstanceId, b.ProcureurId)).ToHashSet();
        var marked = (await db.QueryAsync<Marked>(Sql.BriefingReminders, new { today.Year }, cancellationToken)).Select(m => (m.InstanceId, m.ProcureurId)).ToHashSet();
        foreach (var instance in await mediator.Send(new ListInstanceCircles(null, null, run.Now), cancellationToken))
        {
            foreach (var procureur in instance.Procureurs.Where(p => !held.Contains((instance.InstanceId, p)) && !marked.Contains((instance.InstanceId, p))))
            {
                await MarkAsync(run, ReminderKind.BriefingMissing, instance.InstanceId, procureur, today.Year, null, new DateOnly(today.Year, 12, 31), today, cancellationToken);
            }
        }
    }

    private async Task MarkAsync(JobRun run, ReminderKind kind, Guid instanceId, Guid procureurId, int year, Guid? reportId, DateOnly dueOn, DateOnly today,
        CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        await db.ExecuteAsync(ReminderSql.Insert, new
        {
            Id = id, Kind = kind.ToKebab(), InstanceId = instanceId, ProcureurId = procureurId, Year = year, ReportId = reportId, DueOn = dueOn, MarkedOn = today,
        }, cancellationToken);
        run.Enlist(accessLog.Record(new SystemRecord("penal-policy-reminder.create", AuditOperation.Collection, "penal-policy-reminder", id.ToString(),
            instanceId.ToString())));
    }
}
