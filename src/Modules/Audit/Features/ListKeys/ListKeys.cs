namespace EtatMajor.Modules.Audit.Features.ListKeys;

internal sealed record ListKeys(int? Limit, string? Cursor) : IQuery<Page<KeyDto>>, INotADisclosure;

internal sealed class ListKeysValidator : IValidator<ListKeys>
{
    public void Validate(ListKeys request, ValidationErrors errors) => PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsInstantText);
}

internal sealed class ListKeysHandler(IDbSession db) : IRequestHandler<ListKeys, Page<KeyDto>>
{
    internal static class Sql
    {
        public const string Page = CheckpointSql.KeyColumns +
            " WHERE @AfterAt IS NULL OR first_used_at > @AfterAt OR (first_used_at = @AfterAt AND key_id > @AfterId) ORDER BY first_used_at, key_id LIMIT @Take";
    }

    public async Task<Page<KeyDto>> Handle(ListKeys request, CancellationToken cancellationToken)
    {
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterAt, afterId) = Keyset.InstantText(page.After);
        var rows = await db.QueryAsync<KeyDto>(Sql.Page, new { AfterAt = afterAt, AfterId = afterId, page.Take }, cancellationToken);
        return page.ToPage(rows, k => Keyset.Of(k.FirstUsedAt, k.KeyId));
    }
}

internal static class ListKeysEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/audit/keys", (int? limit, string? cursor, IMediator mediator, CancellationToken ct) => mediator.Send(new ListKeys(limit, cursor), ct))
            .WithName("ListAuditKeys")
            .WithSummary("The public keys (PEM) that verify the checkpoints")
            .Produces<Page<KeyDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Audit("audit.keys", AuditOperation.Consultation, "audit-log", null)
            .AllowAuditors();
}
