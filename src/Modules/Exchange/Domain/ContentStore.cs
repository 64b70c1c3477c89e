using System.Security.Cryptography;
using EtatMajor.SharedKernel.Content;
using EtatMajor.SharedKernel.Jobs;

namespace EtatMajor.Modules.Exchange.Domain;

/// <summary>
/// The contents of attachments, in chunks of <see cref="ChunkBytes"/>: staged before the exchange's transaction,
/// each chunk committed on its own connection in a short transaction; claimed inside the transaction that delivers
/// the exchange; read back chunk by chunk, each chunk streamed in place.
/// </summary>
internal sealed class ContentStore(ConnectionFactory connections, ISqlDialect dialect, TimeProvider clock) : IContentStore
{
    /// <summary>Small enough that one chunk's commit holds SQLite's write lock for a few milliseconds only.</summary>
    public const int ChunkBytes = 256 * 1024;

    internal static class Sql
    {
        public const string InsertContent =
            "INSERT INTO ex_contents (id, sha256, size_bytes, staged_at, claimed_at) VALUES (@Id, @Sha256, @SizeBytes, @StagedAt, NULL)";
        public const string InsertChunk = "INSERT INTO ex_content_chunks (content_id, n, data) VALUES (@ContentId, @N, @Data)";
        public const string DeleteUnclaimedChunks =
            "DELETE FROM ex_content_chunks WHERE content_id IN (SELECT id FROM ex_contents WHERE id IN @Ids AND claimed_at IS NULL)";
        public const string DeleteUnclaimed = "DELETE FROM ex_contents WHERE id IN @Ids AND claimed_at IS NULL";
        public const string Claim = "UPDATE ex_contents SET claimed_at = @At WHERE id IN @Ids AND claimed_at IS NULL";
        public const string Chunks = "SELECT seq FROM ex_content_chunks WHERE content_id = @ContentId ORDER BY n";

        /// <summary>`seq` first, a rowid alias: SQLite streams the chunk in place; SQL Server reads it sequentially.</summary>
        public const string Chunk = "SELECT seq, data FROM ex_content_chunks WHERE seq = @Seq";
        public const string Abandoned =
            "SELECT id FROM ex_contents WHERE claimed_at IS NULL AND staged_at < @Before ORDER BY staged_at LIMIT @Take";
    }

    public async Task<StagedContent> StageAsync(byte[] content, CancellationToken cancellationToken)
    {
        var staged = new StagedContent(Guid.CreateVersion7(), Convert.ToHexStringLower(SHA256.HashData(content)), content.Length);
        // One short transaction per chunk: the write lock is taken and released per chunk, and the other writers
        // (the access log's group commit first) queue in between.
        await using var session = new DbSession(connections, dialect);
        await session.BeginAsync(cancellationToken);
        await session.ExecuteAsync(Sql.InsertContent, new { staged.Id, staged.Sha256, staged.SizeBytes, StagedAt = clock.Instant() }, cancellationToken);
        await session.CommitAsync(cancellationToken);
        for (var n = 0; n * ChunkBytes < content.Length || n == 0; n++)
        {
            var length = Math.Min(ChunkBytes, content.Length - n * ChunkBytes);
            await session.BeginAsync(cancellationToken);
            await session.ExecuteAsync(Sql.InsertChunk, new { ContentId = staged.Id, N = n, Data = content.AsMemory(n * ChunkBytes, length).ToArray() }, cancellationToken);
            await session.CommitAsync(cancellationToken);
        }
        return staged;
    }

    public async Task DiscardAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }
        await using var session = new DbSession(connections, dialect);
        await session.BeginAsync(cancellationToken);
        await DeleteUnclaimedAsync(session, ids, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>Removes contents nobody claimed, chunks first; a claimed content is never touched here.</summary>
    public static async Task DeleteUnclaimedAsync(IDbSession db, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        await db.ExecuteAsync(Sql.DeleteUnclaimedChunks, new { Ids = SqlLists.Ids(ids) }, cancellationToken);
        await db.ExecuteAsync(Sql.DeleteUnclaimed, new { Ids = SqlLists.Ids(ids) }, cancellationToken);
    }

    /// <summary>Inside the exchange's transaction: the staged contents become its attachments' (all of them, or the transaction fails).</summary>
    public static async Task ClaimAsync(IDbSession db, IReadOnlyList<StagedContent> staged, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (staged.Count > 0 && await db.ExecuteAsync(Sql.Claim, new { Ids = SqlLists.Ids(staged.Select(s => s.Id)), At = at }, cancellationToken) != staged.Count)
        {
            throw new InvalidOperationException("A staged attachment content is missing: it was discarded before its exchange could claim it.");
        }
    }

    /// <summary>The content, chunk by chunk, as the client reads it (memory: one copy buffer, whatever the size).</summary>
    public static async Task<Stream> OpenAsync(IDbSession db, Guid contentId, CancellationToken cancellationToken) =>
        new ChunkedStream(db, await db.QueryAsync<long>(Sql.Chunks, new { ContentId = contentId }, cancellationToken));

    /// <summary>The whole content in memory (bounded by the attachment limit), for the policy to read a forward again.</summary>
    public static async Task<byte[]> ReadAsync(IDbSession db, Guid contentId, CancellationToken cancellationToken)
    {
        await using var stream = await OpenAsync(db, contentId, cancellationToken);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory, cancellationToken);
        return memory.ToArray();
    }

    /// <summary>Reads the chunks one after the other, each from its own in-place BLOB stream.</summary>
    private sealed class ChunkedStream(IDbSession db, IReadOnlyList<long> chunks) : Stream
    {
        private int next;
        private Stream? current;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (true)
            {
                if (current is null)
                {
                    if (next == chunks.Count)
                    {
                        return 0;
                    }
                    current = await db.OpenBlobAsync(Sql.Chunk, new { Seq = chunks[next++] }, cancellationToken)
                        ?? throw new InvalidOperationException("A chunk of the content is missing.");
                }
                var read = await current.ReadAsync(buffer, cancellationToken);
                if (read > 0)
                {
                    return read;
                }
                await current.DisposeAsync();
                current = null;
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            if (current is not null)
            {
                await current.DisposeAsync();
            }
            await base.DisposeAsync();
        }
    }
}

/// <summary>
/// `exchange.abandoned-contents`: contents staged for an exchange that never committed (a crash between the two)
/// are removed after ten minutes; the refused ones are discarded at once by the staging step.
/// </summary>
internal sealed class AbandonedContentsJob(IDbSession db) : IJob
{
    public const string Name = "exchange.abandoned-contents";

    public async Task RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        var abandoned = await db.QueryAsync<Guid>(ContentStore.Sql.Abandoned, new { Before = run.Now.AddMinutes(-10), Take = 100 }, cancellationToken);
        if (abandoned.Count > 0)
        {
            await ContentStore.DeleteUnclaimedAsync(db, abandoned, cancellationToken);
        }
    }
}
