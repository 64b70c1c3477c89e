using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Http;
using EtatMajor.SharedKernel.Mediation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.SharedKernel.Auditing;

/// <summary>
/// What the modules' operator operations (the command line, issue 15) share: a use case run through the pipeline with its
/// access-log record in the same commit, a consultation's record alone, and every page of a list. The scope's caller must
/// already be the operator.
/// </summary>
public static class OperatorActions
{
    /// <summary>The command, then its record, then the one commit: both or neither.</summary>
    public static async Task<object> CommandAsync<TResult>(IServiceProvider scope, ICommand<TResult> command, Func<TResult, SystemRecord> record,
        CancellationToken cancellationToken) where TResult : notnull
    {
        var work = scope.GetRequiredService<UnitOfWork>();
        try
        {
            var result = await scope.GetRequiredService<IMediator>().Send(command, cancellationToken);
            work.Enlist(scope.GetRequiredService<ISystemAccessLog>().Record(record(result)));
            await work.CommitAsync(cancellationToken);
            return result;
        }
        catch
        {
            await work.RollbackAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Every item of a paged list (pages of the largest size), then the consultation's record; the items are returned only
    /// once the record is durable, as the API answers only then.
    /// </summary>
    public static async Task<IReadOnlyList<object>> ConsultAllAsync<T>(IServiceProvider scope, Func<int, string?, IRequest<Page<T>>> page, SystemRecord record,
        CancellationToken cancellationToken) where T : notnull
    {
        var mediator = scope.GetRequiredService<IMediator>();
        var all = new List<object>();
        string? cursor = null;
        do
        {
            var items = await mediator.Send(page(PageRequest.MaxLimit, cursor), cancellationToken);
            all.AddRange(items.Items.Cast<object>());
            cursor = items.NextCursor;
        }
        while (cursor is not null);
        await RecordAsync(scope, record, cancellationToken);
        return all;
    }

    /// <summary>A consultation's record, alone in its unit of work.</summary>
    public static async Task RecordAsync(IServiceProvider scope, SystemRecord record, CancellationToken cancellationToken)
    {
        var work = scope.GetRequiredService<UnitOfWork>();
        work.Enlist(scope.GetRequiredService<ISystemAccessLog>().Record(record));
        await work.CommitAsync(cancellationToken);
    }
}
