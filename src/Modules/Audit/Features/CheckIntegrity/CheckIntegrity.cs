namespace EtatMajor.Modules.Audit.Features.CheckIntegrity;

internal sealed record CheckIntegrity(long? FromSeq, long? ToSeq) : IQuery<VerificationResult>, INotADisclosure;

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
    internal static class Sql
    {
        public const string Bounds = $"SELECT MIN(seq) AS {nameof(SeqBounds.First)}, MAX(seq) AS {nameof(SeqBounds.Last)} FROM aud_events";
    }

    public async Task<VerificationResult> Handle(CheckIntegrity request, CancellationToken cancellationToken)
    {
        var bounds = await db.QuerySingleOrDefaultAsync<SeqBounds>(Sql.Bounds, null, cancellationToken);
        var from = request.FromSeq ?? bounds?.First ?? 1;
        var to = request.ToSeq ?? bounds?.Last ?? 0;
        var anchor = await Anchors.BeforeAsync(db, from, cancellationToken);
        var checkpoints = await db.QueryAsync<Checkpoint>(CheckpointSql.Covering, new { FromSeq = from, ToSeq = to }, cancellationToken);
        var keys = (await db.QueryAsync<KeyDto>(CheckpointSql.KeyColumns, null, cancellationToken)).ToDictionary(k => k.KeyId, k => k.PublicKeyPem);
        // A second connection streams the records, so the request's own session stays free.
        await using var stream = new DbSession(connections, dialect);
        return await ChainVerifier.VerifyAsync(
            stream.StreamAsync<AuditRecord>(EventSql.Range, new { FromSeq = from, ToSeq = to }, cancellationToken),
            anchor, contiguous: true, checkpoints, keys.GetValueOrDefault, cancellationToken, requireAnchor: true);
    }
}

internal static class CheckIntegrityEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/audit/integrity", (long? fromSeq, long? toSeq, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new CheckIntegrity(fromSeq, toSeq), ct))
            .WithName("CheckAuditIntegrity")
            .WithSummary("Recompute the hash chain and check the signed checkpoints over a range of seq")
            .Produces<VerificationResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Audit("audit.integrity", AuditOperation.Consultation, "audit-log", null)
            .AllowAuditors();
}
