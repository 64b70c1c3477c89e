using EtatMajor.SharedKernel.Jobs;

namespace EtatMajor.Modules.FollowUp.Features.CloseEndedFollowUps;

/// <summary>
/// `follow-up.closure`, once a day: an open follow-up whose every obligation has an end date, all of them past,
/// closes by itself as `obligations-ended` (its assignments end with it), with a system record of the access log.
/// </summary>
internal sealed class EndedFollowUpsJob(IDbSession db, ISystemAccessLog accessLog) : IJob
{
    public const string Name = "follow-up.closure";
    public const int MaxPerRun = 5000;

    internal static class Sql
    {
        public const string Ended =
            $"SELECT d.id AS {nameof(EndedRow.Id)}, d.instance_id AS {nameof(EndedRow.InstanceId)} FROM fu_designations d " +
            "WHERE d.status IN ('designated', 'suspended') " +
            "AND EXISTS (SELECT 1 FROM fu_obligations o WHERE o.designation_id = d.id) " +
            "AND NOT EXISTS (SELECT 1 FROM fu_obligations o WHERE o.designation_id = d.id AND (o.until_on IS NULL OR o.until_on >= @Today)) " +
            "ORDER BY d.designated_at, d.id LIMIT @Take";
    }

    internal sealed class EndedRow
    {
        public Guid Id { get; init; }
        public Guid InstanceId { get; init; }
    }

    public async Task RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        var today = LegalCalendar.DateOf(run.Now);
        foreach (var ended in await db.QueryAsync<EndedRow>(Sql.Ended, new { Today = today, Take = MaxPerRun }, cancellationToken))
        {
            await DesignationSql.CloseAsync(db, ended.Id, today, ClosureReason.ObligationsEnded, run.Now, cancellationToken);
            run.Enlist(accessLog.Record(new SystemRecord("designation.close", AuditOperation.Modification, "designation", ended.Id.ToString(), ended.InstanceId.ToString())));
        }
    }
}
