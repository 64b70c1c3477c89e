using EtatMajor.SharedKernel.Jobs;

namespace EtatMajor.Modules.FollowUp.Features.EraseClosedDesignations;

/// <summary>
/// DES-6 (dir. 2016/680 art. 4(1)(e) and 5): `follow-up.retention`, once a day. A designation closed more than
/// `FollowUp:RetentionDaysAfterClosure` days ago is erased: its identity, JAP reference and keyed hash are blanked, and
/// its obligations (with their versions), assignments, observations, incident reports, events, reviews and report
/// links are deleted. What stays is a content-free tombstone — id, instance, dates, status `erased`, and how many
/// obligations, assignments, observations and events it had — and an `designation.erase` record of the access log,
/// in the same commit. Follow-up reports are blanked the same number of days after they were sent.
/// </summary>
internal sealed class ClosedDesignationsJob(IDbSession db, FollowUpOptions options, ISystemAccessLog accessLog) : IJob
{
    public const string Name = "follow-up.retention";
    public const int MaxPerRun = 2000;
    private const int Batch = 200;

    internal static class Sql
    {
        public const string Expired =
            $"SELECT id AS {nameof(ExpiredRow.Id)}, instance_id AS {nameof(ExpiredRow.InstanceId)} FROM fu_designations " +
            "WHERE status = 'closed' AND erased_at IS NULL AND closed_on < @Before ORDER BY closed_on, id LIMIT @Take";

        public const string ObligationCounts = $"SELECT designation_id AS {nameof(CountRow.Id)}, COUNT(*) AS {nameof(CountRow.N)} FROM fu_obligations WHERE designation_id IN @Ids GROUP BY designation_id";
        public const string AssignmentCounts = $"SELECT designation_id AS {nameof(CountRow.Id)}, COUNT(*) AS {nameof(CountRow.N)} FROM fu_assignments WHERE designation_id IN @Ids GROUP BY designation_id";
        public const string ObservationCounts = $"SELECT designation_id AS {nameof(CountRow.Id)}, COUNT(*) AS {nameof(CountRow.N)} FROM fu_observations WHERE designation_id IN @Ids GROUP BY designation_id";
        public const string EventCounts = $"SELECT designation_id AS {nameof(CountRow.Id)}, COUNT(*) AS {nameof(CountRow.N)} FROM fu_events WHERE designation_id IN @Ids GROUP BY designation_id";

        public const string DeleteIncidents = "DELETE FROM fu_incident_reports WHERE designation_id IN @Ids";
        public const string DeleteObservations = "DELETE FROM fu_observations WHERE designation_id IN @Ids";
        public const string DeleteAssignedObligations =
            "DELETE FROM fu_assignment_obligations WHERE assignment_id IN (SELECT id FROM fu_assignments WHERE designation_id IN @Ids)";
        public const string DeleteAssignments = "DELETE FROM fu_assignments WHERE designation_id IN @Ids";
        public const string DeleteVersions = "DELETE FROM fu_obligation_versions WHERE obligation_id IN (SELECT id FROM fu_obligations WHERE designation_id IN @Ids)";
        public const string DeleteObligations = "DELETE FROM fu_obligations WHERE designation_id IN @Ids";
        public const string DeleteEvents = "DELETE FROM fu_events WHERE designation_id IN @Ids";
        public const string DeleteReviews = "DELETE FROM fu_reviews WHERE designation_id IN @Ids";
        public const string DeleteReportLinks = "DELETE FROM fu_report_designations WHERE designation_id IN @Ids";

        /// <summary>A report about an erased person is erased with it, whenever it was sent.</summary>
        public const string EraseLinkedReports =
            "UPDATE fu_reports SET text = '', erased_at = @Now WHERE erased_at IS NULL AND id IN (SELECT report_id FROM fu_report_designations WHERE designation_id IN @Ids)";

        public const string Erase =
            "UPDATE fu_designations SET person_key = NULL, last_name = NULL, first_names = NULL, birth_date = NULL, jap_reference = NULL, jap_capacity = '', " +
            "closure_reason = NULL, status = 'erased', " +
            "review_due_on = NULL, erased_at = @Now, obligation_count = @Obligations, assignment_count = @Assignments, observation_count = @Observations, " +
            "event_count = @Events WHERE id = @Id";

        public const string ExpiredReports =
            $"SELECT id AS {nameof(ExpiredRow.Id)}, instance_id AS {nameof(ExpiredRow.InstanceId)} FROM fu_reports " +
            "WHERE erased_at IS NULL AND sent_at < @BeforeInstant ORDER BY sent_at, id LIMIT @Take";

        public const string EraseReports = "UPDATE fu_reports SET text = '', erased_at = @Now WHERE id IN @Ids";
        public const string DeleteLinksOfReports = "DELETE FROM fu_report_designations WHERE report_id IN @Ids";
    }

    internal sealed class ExpiredRow
    {
        public Guid Id { get; init; }
        public Guid InstanceId { get; init; }
    }

    internal sealed class CountRow
    {
        public Guid Id { get; init; }
        public int N { get; init; }
    }

    public async Task RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        var today = LegalCalendar.DateOf(run.Now);
        var expired = await db.QueryAsync<ExpiredRow>(Sql.Expired, new { Before = today.AddDays(-options.RetentionDaysAfterClosure), Take = MaxPerRun }, cancellationToken);
        foreach (var batch in expired.Chunk(Batch))
        {
            var ids = new { Ids = SqlLists.Ids(batch.Select(e => e.Id)) };
            var obligations = await CountsAsync(Sql.ObligationCounts, ids, cancellationToken);
            var assignments = await CountsAsync(Sql.AssignmentCounts, ids, cancellationToken);
            var observations = await CountsAsync(Sql.ObservationCounts, ids, cancellationToken);
            var events = await CountsAsync(Sql.EventCounts, ids, cancellationToken);
            await db.ExecuteAsync(Sql.EraseLinkedReports, new { ids.Ids, run.Now }, cancellationToken);
            foreach (var delete in new[]
                     {
                         Sql.DeleteIncidents, Sql.DeleteObservations, Sql.DeleteAssignedObligations, Sql.DeleteAssignments, Sql.DeleteVersions, Sql.DeleteObligations,
                         Sql.DeleteEvents, Sql.DeleteReviews, Sql.DeleteReportLinks,
                     })
            {
                await db.ExecuteAsync(delete, ids, cancellationToken);
            }
            foreach (var designation in batch)
            {
                await db.ExecuteAsync(Sql.Erase, new
                {
                    designation.Id, run.Now, Obligations = obligations.GetValueOrDefault(designation.Id), Assignments = assignments.GetValueOrDefault(designation.Id),
                    Observations = observations.GetValueOrDefault(designation.Id), Events = events.GetValueOrDefault(designation.Id),
                }, cancellationToken);
                run.Enlist(accessLog.Record(new SystemRecord("designation.erase", AuditOperation.Erasure, "designation", designation.Id.ToString(),
                    designation.InstanceId.ToString())));
            }
        }
        var reports = await db.QueryAsync<ExpiredRow>(Sql.ExpiredReports,
            new { BeforeInstant = run.Now.AddDays(-options.RetentionDaysAfterClosure), Take = MaxPerRun }, cancellationToken);
        foreach (var batch in reports.Chunk(Batch))
        {
            var ids = new { Ids = SqlLists.Ids(batch.Select(r => r.Id)), run.Now };
            await db.ExecuteAsync(Sql.DeleteLinksOfReports, ids, cancellationToken);
            await db.ExecuteAsync(Sql.EraseReports, ids, cancellationToken);
            foreach (var report in batch)
            {
                run.Enlist(accessLog.Record(new SystemRecord("follow-up-report.erase", AuditOperation.Erasure, "follow-up-report", report.Id.ToString(),
                    report.InstanceId.ToString())));
            }
        }
    }

    private async Task<Dictionary<Guid, int>> CountsAsync(string sql, object ids, CancellationToken cancellationToken) =>
        (await db.QueryAsync<CountRow>(sql, ids, cancellationToken)).ToDictionary(c => c.Id, c => c.N);
}
