using System.Globalization;
using EtatMajor.Modules.Audit.Domain;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Http;
using EtatMajor.SharedKernel.Mediation;
using EtatMajor.SharedKernel.Validation;
using MediatR;

namespace EtatMajor.Modules.Audit.Features;

internal sealed class QueryEventsValidator : IValidator<QueryEvents>
{
    public void Validate(QueryEvents request, ValidationErrors errors) => request.Filter.Validate(errors);
}

internal static class CheckpointSql
{
    public const string Columns = CheckpointService.Sql.CheckpointColumns;
    public const string Page = $"SELECT {Columns} FROM aud_checkpoints WHERE number > @After ORDER BY number LIMIT @Take";
    public const string Covering = $"SELECT {Columns} FROM aud_checkpoints WHERE to_seq >= @FromSeq - 1 AND to_seq <= @ToSeq ORDER BY number";
    private const string KeyColumns =
        $"SELECT key_id AS {nameof(KeyDto.KeyId)}, algorithm AS {nameof(KeyDto.Algorithm)}, public_key_pem AS {nameof(KeyDto.PublicKeyPem)}, " +
        $"first_used_at AS {nameof(KeyDto.FirstUsedAt)} FROM aud_keys";
    public const string AllKeys = KeyColumns;
    public const string KeysPage = KeyColumns +
        " WHERE @AfterAt IS NULL OR first_used_at > @AfterAt OR (first_used_at = @AfterAt AND key_id > @AfterId) ORDER BY first_used_at, key_id LIMIT @Take";
    public const string Bounds = $"SELECT MIN(seq) AS {nameof(SeqBounds.First)}, MAX(seq) AS {nameof(SeqBounds.Last)} FROM aud_events";
    public const string HashAt = "SELECT hash FROM aud_events WHERE seq = @Seq";
    public const string PurgeAnchor =
        "SELECT c.head_hash FROM aud_purges p JOIN aud_checkpoints c ON c.number = p.checkpoint_number WHERE p.up_to_seq = @Seq";
}

internal sealed class KeyDto
{
    public string KeyId { get; init; } = "";
    public string Algorithm { get; init; } = "";
    public string PublicKeyPem { get; init; } = "";
    public DateTimeOffset FirstUsedAt { get; init; }
}

internal sealed class SeqBounds
{
    public long? First { get; init; }
    public long? Last { get; init; }
}

/// <summary>The hash the record at <paramref name="seq"/> must chain to: genesis, the stored previous record, or the head of the purge.</summary>
internal static class Anchors
{
    public static async Task<string?> BeforeAsync(IDbSession db, long seq, CancellationToken cancellationToken) =>
        seq <= 1 ? Chain.Genesis
        : await db.QuerySingleOrDefaultAsync<string>(CheckpointSql.HashAt, new { Seq = seq - 1 }, cancellationToken)
          ?? await db.QuerySingleOrDefaultAsync<string>(CheckpointSql.PurgeAnchor, new { Seq = seq - 1 }, cancellationToken);
}

internal sealed record CheckIntegrity(long? FromSeq, long? ToSeq) : IQuery<VerificationResult>;

internal sealed class CheckIntegrityValidator : IValidator<CheckIntegrity>
{
    public void Validate(CheckIntegrity request, ValidationErrors errors)
    {
        if (request.FromSeq is < 1)
        {
            errors.Add("fromSeq", "must be at least 1");
        }
        if (request.FromSeq is not null && request.ToSeq is not null && request.ToSeq < request.FromSeq)
        {
            errors.Add("toSeq", "must not be before fromSeq");
        }
    }
}

internal sealed class CheckIntegrityHandler(IDbSession db, ConnectionFactory connections, ISqlDialect dialect) : IRequestHandler<CheckIntegrity, VerificationResult>
{
    public async Task<VerificationResult> Handle(CheckIntegrity request, CancellationToken cancellationToken)
    {
        var bounds = await db.QuerySingleOrDefaultAsync<SeqBounds>(CheckpointSql.Bounds, null, cancellationToken);
        var from = request.FromSeq ?? bounds?.First ?? 1;
        var to = request.ToSeq ?? bounds?.Last ?? 0;
        var anchor = await Anchors.BeforeAsync(db, from, cancellationToken);
        var checkpoints = await db.QueryAsync<Checkpoint>(CheckpointSql.Covering, new { FromSeq = from, ToSeq = to }, cancellationToken);
        var keys = (await db.QueryAsync<KeyDto>(CheckpointSql.AllKeys, null, cancellationToken)).ToDictionary(k => k.KeyId, k => k.PublicKeyPem);
        // A second connection streams the records, so the request's own session stays free.
        await using var stream = new DbSession(connections, dialect);
        return await ChainVerifier.VerifyAsync(
            stream.StreamAsync<AuditRecord>(EventSql.Range, new { FromSeq = from, ToSeq = to }, cancellationToken),
            anchor, contiguous: true, checkpoints, keys.GetValueOrDefault, cancellationToken, requireAnchor: true);
    }
}

internal sealed record ListCheckpoints(PageRequest Page) : IQuery<Page<Checkpoint>>;

internal sealed class ListCheckpointsHandler(IDbSession db) : IRequestHandler<ListCheckpoints, Page<Checkpoint>>
{
    public async Task<Page<Checkpoint>> Handle(ListCheckpoints request, CancellationToken cancellationToken)
    {
        var rows = await db.QueryAsync<Checkpoint>(CheckpointSql.Page, new { After = Keyset.Number(request.Page.After), request.Page.Take }, cancellationToken);
        return request.Page.ToPage(rows, c => c.Number.ToString(CultureInfo.InvariantCulture));
    }
}

internal sealed record ListKeys(int? Limit, string? Cursor) : IQuery<Page<KeyDto>>;

internal sealed class ListKeysValidator : IValidator<ListKeys>
{
    public void Validate(ListKeys request, ValidationErrors errors) => PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsInstantText);
}

internal sealed class ListKeysHandler(IDbSession db) : IRequestHandler<ListKeys, Page<KeyDto>>
{
    public async Task<Page<KeyDto>> Handle(ListKeys request, CancellationToken cancellationToken)
    {
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterAt, afterId) = Keyset.InstantText(page.After);
        var rows = await db.QueryAsync<KeyDto>(CheckpointSql.KeysPage, new { AfterAt = afterAt, AfterId = afterId, page.Take }, cancellationToken);
        return page.ToPage(rows, k => Keyset.Of(k.FirstUsedAt, k.KeyId));
    }
}

/// <summary>An export, ready to stream: the records of the filter, then the checkpoints that cover them.</summary>
internal sealed record ExportEvents(EventFilter Filter) : IQuery<ExportStream>;

internal sealed class ExportEventsValidator : IValidator<ExportEvents>
{
    public void Validate(ExportEvents request, ValidationErrors errors) => request.Filter.Validate(errors);
}

/// <summary>
/// An export filtered at most by time is contiguous: it covers every record from the first to the last seq
/// of the period (a request that started just before the period but committed inside it is included), so
/// the chain can be verified end to end. Any other filter gives a selection whose records are checked one by one.
/// </summary>
internal sealed class ExportStream(IDbSession db, EventFilter filter)
{
    internal static class Sql
    {
        public const string Period =
            $"SELECT MIN(seq) AS {nameof(SeqBounds.First)}, MAX(seq) AS {nameof(SeqBounds.Last)} FROM aud_events " +
            "WHERE (@From IS NULL OR occurred_at >= @From) AND (@To IS NULL OR occurred_at < @To)";
    }

    public bool Contiguous => filter with { From = null, To = null } == EventFilter.None;

    public async IAsyncEnumerable<AuditRecord> Records([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!Contiguous)
        {
            await foreach (var record in db.StreamAsync<AuditRecord>(EventSql.All, filter.Parameters(0, 0), cancellationToken))
            {
                yield return record;
            }
            yield break;
        }
        var period = await db.QuerySingleOrDefaultAsync<SeqBounds>(Sql.Period, filter.Parameters(0, 0), cancellationToken);
        if (period?.First is not { } first || period.Last is not { } last)
        {
            yield break;
        }
        await foreach (var record in db.StreamAsync<AuditRecord>(EventSql.Range, new { FromSeq = first, ToSeq = last }, cancellationToken))
        {
            yield return record;
        }
    }

    public async Task<(string? Anchor, IReadOnlyList<Checkpoint> Checkpoints)> CoverAsync(long first, long last, CancellationToken cancellationToken) =>
        (await Anchors.BeforeAsync(db, first, cancellationToken),
         await db.QueryAsync<Checkpoint>(CheckpointSql.Covering, new { FromSeq = first, ToSeq = last }, cancellationToken));
}

internal sealed class ExportEventsHandler(IDbSession db) : IRequestHandler<ExportEvents, ExportStream>
{
    public Task<ExportStream> Handle(ExportEvents request, CancellationToken cancellationToken) => Task.FromResult(new ExportStream(db, request.Filter));
}
