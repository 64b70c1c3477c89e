using MediatR;

namespace EtatMajor.SharedKernel.Content;

/// <summary>What the store kept of one content, before any transaction of the request: its id, hash and size.</summary>
public sealed record StagedContent(Guid Id, string Sha256, long SizeBytes);

/// <summary>
/// Where large contents (attachments) are kept, in chunks written each in a short transaction of its own, so
/// that storing 40 MB never holds the database's write lock for long (SQLite has one lock for the whole file).
/// A staged content is invisible until a handler claims it inside its unit of work; what is never claimed (a
/// refused request, a crash) is discarded.
/// </summary>
public interface IContentStore
{
    Task<StagedContent> StageAsync(byte[] content, CancellationToken cancellationToken);

    /// <summary>Discards staged contents that were not claimed (best effort: the store's janitor catches what this misses).</summary>
    Task DiscardAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken);
}

/// <summary>A request carrying large contents to store before its unit of work takes the lock.</summary>
public interface IStagesContent
{
    IReadOnlyList<byte[]> ContentToStage { get; }
}

/// <summary>The contents the staging step stored for the current request, in the order of <see cref="IStagesContent.ContentToStage"/>.</summary>
public sealed class StagedContents
{
    public List<StagedContent> Items { get; } = [];
}

/// <summary>
/// Pipeline step, after the content check and before the transaction: stores the request's large contents in
/// short transactions of their own (content the policy refused, for what it is or for whom it is sent to as the
/// membership stands, is never stored). If the request does not commit — the audience refuses on the facts read
/// in the transaction, the handler fails, its record cannot be written — what it stored is discarded as soon
/// as its unit of work is rolled back.
/// </summary>
public sealed class StagingStep<TRequest, TResponse>(IContentStore store, StagedContents staged, Data.UnitOfWork work) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not IStagesContent { ContentToStage.Count: > 0 } carrying)
        {
            return await next();
        }
        work.OnRollback(() => store.DiscardAsync(staged.Items.Select(s => s.Id).ToList(), CancellationToken.None));
        foreach (var content in carrying.ContentToStage)
        {
            staged.Items.Add(await store.StageAsync(content, cancellationToken));
        }
        return await next();
    }
}
