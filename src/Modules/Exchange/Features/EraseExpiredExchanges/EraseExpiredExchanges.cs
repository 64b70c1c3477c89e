using EtatMajor.SharedKernel.Jobs;

namespace EtatMajor.Modules.Exchange.Features.EraseExpiredExchanges;

/// <summary>
/// DATA-2 (dir. 2016/680 art. 4(1)(e) and 5): `exchange.retention`, once a day, on one instance. Every exchange sent
/// more than `Exchange:RetentionDays` ago — delivered, held or rejected — is erased: its subject, body, recipients,
/// attachments and review notes go; its stored contents go once no other exchange (a forward) shares them. Its row
/// stays as a content-free tombstone (id, instance, sender, dates, status `erased`), so that forwards and the access
/// log keep resolvable references, and nobody reads it any more. Each erasure is a record of the access log, in the
/// same commit. At most <see cref="MaxPerRun"/> per run (the rest the next day), in batches the databases accept.
/// </summary>
internal sealed class ExpiredExchangesJob(IDbSession db, ExchangeOptions options, ISystemAccessLog accessLog) : IJob
{
    public const string Name = "exchange.retention";
    public const int MaxPerRun = 5000;
    private const int Batch = 500;

    internal static class Sql
    {
        public const string Expired =
            $"SELECT id AS {nameof(ExpiredRow.Id)}, instance_id AS {nameof(ExpiredRow.InstanceId)} FROM ex_exchanges " +
            "WHERE erased_at IS NULL AND sent_at < @Before ORDER BY sent_at, id LIMIT @Take";
        public const string Contents = "SELECT DISTINCT content_id FROM ex_attachments WHERE exchange_id IN @Ids";
        public const string DeleteAttachments = "DELETE FROM ex_attachments WHERE exchange_id IN @Ids";
        public const string DeleteRecipients = "DELETE FROM ex_recipients WHERE exchange_id IN @Ids";
        public const string Erase =
            "UPDATE ex_exchanges SET subject = '', body = '', hold_reasons = NULL, rejection_reason = NULL, status = 'erased', erased_at = @Now WHERE id IN @Ids";
        public const string Unreferenced =
            "SELECT c.id FROM ex_contents c WHERE c.id IN @Ids AND NOT EXISTS (SELECT 1 FROM ex_attachments a WHERE a.content_id = c.id)";
        public const string DeleteChunks = "DELETE FROM ex_content_chunks WHERE content_id IN @Ids";
        public const string DeleteContents = "DELETE FROM ex_contents WHERE id IN @Ids";
    }

    internal sealed class ExpiredRow
    {
        public Guid Id { get; init; }
        public Guid InstanceId { get; init; }
    }

    public async Task RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        var expired = await db.QueryAsync<ExpiredRow>(Sql.Expired, new { Before = run.Now.AddDays(-options.RetentionDays), Take = MaxPerRun }, cancellationToken);
        foreach (var batch in expired.Chunk(Batch))
        {
            var ids = SqlLists.Ids(batch.Select(e => e.Id));
            var contents = await db.QueryAsync<Guid>(Sql.Contents, new { Ids = ids }, cancellationToken);
            await db.ExecuteAsync(Sql.DeleteAttachments, new { Ids = ids }, cancellationToken);
            await db.ExecuteAsync(Sql.DeleteRecipients, new { Ids = ids }, cancellationToken);
            await db.ExecuteAsync(Sql.Erase, new { Ids = ids, run.Now }, cancellationToken);
            foreach (var contentBatch in contents.Chunk(Batch))
            {
                var unreferenced = await db.QueryAsync<Guid>(Sql.Unreferenced, new { Ids = SqlLists.Ids(contentBatch) }, cancellationToken);
                if (unreferenced.Count > 0)
                {
                    await db.ExecuteAsync(Sql.DeleteChunks, new { Ids = SqlLists.Ids(unreferenced) }, cancellationToken);
                    await db.ExecuteAsync(Sql.DeleteContents, new { Ids = SqlLists.Ids(unreferenced) }, cancellationToken);
                }
            }
            foreach (var exchange in batch)
            {
                run.Enlist(accessLog.Record(new SystemRecord("exchange.erase", AuditOperation.Erasure, "exchange", exchange.Id.ToString(), exchange.InstanceId.ToString())));
            }
        }
    }
}
