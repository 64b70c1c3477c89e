namespace EtatMajor.Modules.Audit.Features.ListCheckpoints;

internal sealed record ListCheckpoints(int? Limit, string? Cursor) : IQuery<Page<Checkpoint>>, INotADisclosure;

internal sealed class ListCheckpointsValidator : IValidator<ListCheckpoints>
{
    public void Validate(ListCheckpoints request, ValidationErrors errors) => PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsNumber);
}

internal sealed class ListCheckpointsHandler(IDbSession db) : IRequestHandler<ListCheckpoints, Page<Checkpoint>>
{
    internal static class Sql
    {
        public const string Page = $"SELECT {CheckpointSql.Columns} FROM aud_checkpoints WHERE number > @After ORDER BY number LIMIT @Take";
    }

    public async Task<Page<Checkpoint>> Handle(ListCheckpoints request, CancellationToken cancellationToken)
    {
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var rows = await db.QueryAsync<Checkpoint>(Sql.Page, new { After = Keyset.Number(page.After), page.Take }, cancellationToken);
        return page.ToPage(rows, c => c.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

internal static class ListCheckpointsEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/audit/checkpoints", (int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListCheckpoints(limit, cursor), ct))
            .WithName("ListAuditCheckpoints")
            .WithSummary("The signed checkpoints, oldest first")
            .Produces<Page<Checkpoint>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Audit("audit.checkpoints", AuditOperation.Consultation, "audit-log", null)
            .AllowAuditors();
}
