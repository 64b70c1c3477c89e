namespace EtatMajor.Modules.Governance.Features.ListInstances;

internal sealed record ListInstances(int? Limit, string? Cursor) : IQuery<Page<InstanceDto>>, INotADisclosure;

internal sealed class ListInstancesValidator : IValidator<ListInstances>
{
    public void Validate(ListInstances request, ValidationErrors errors)
    {
        PageRequest.From(request.Limit, request.Cursor, errors, Keyset.IsInstant);
    }
}

internal sealed class ListInstancesHandler(InstanceAccess access, IDbSession db, ICallerAccessor callers) : IRequestHandler<ListInstances, Page<InstanceDto>>
{
    internal static class Sql
    {
        // The caller's instances: those of which its organisation is a current member (all of them for an administrator).
        public const string Page =
            $"SELECT {InstanceRow.Columns} FROM gov_instances i " +
            "WHERE (@All = 1 OR EXISTS (SELECT 1 FROM gov_instance_members m WHERE m.instance_id = i.id " +
            "AND m.organisation_id = @OrganisationId AND " + MemberSql.Current + ")) " +
            "AND (@AfterAt IS NULL OR i.created_at > @AfterAt OR (i.created_at = @AfterAt AND i.id > @AfterId)) " +
            "ORDER BY i.created_at, i.id LIMIT @Take";
    }

    public async Task<Page<InstanceDto>> Handle(ListInstances request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        var page = PageRequest.Of(request.Limit, request.Cursor);
        var (afterAt, afterId) = Keyset.Instant(page.After);
        var rows = await db.QueryAsync<InstanceRow>(Sql.Page,
            new { All = caller.IsAdministrator, caller.OrganisationId, access.Now, AfterAt = afterAt, AfterId = afterId, page.Take }, cancellationToken);
        var items = new List<InstanceDto>(rows.Count);
        foreach (var row in rows)
        {
            items.Add(await access.ToDtoAsync(row, cancellationToken));
        }
        return page.ToPage(items, i => Keyset.Of(i.CreatedAt, i.Id));
    }
}

internal static class ListInstancesEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/instances", (int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListInstances(limit, cursor), ct))
            .WithName("ListInstances")
            .Audit("instance.list", AuditOperation.Consultation, "instance", null)
            .WithSummary("The instances the caller's organisation belongs to (all of them for an administrator)")
            .Produces<Page<InstanceDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .AllowMembersAndAdministrators();
}
