using EtatMajor.SharedKernel.Data;
using MediatR;

namespace EtatMajor.SharedKernel.Mediation;

/// <summary>
/// Pipeline step: a command begins the unit of work's transaction (on SQLite, BEGIN IMMEDIATE: the write lock
/// from here on). It does not commit: the owner of the unit of work does, once, with the participants'
/// rows (the access log for an HTTP request, the job runner for a job). See <see cref="UnitOfWork"/>.
/// </summary>
public sealed class TransactionBehavior<TRequest, TResponse>(UnitOfWork work) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is ICommand<TResponse>)
        {
            await work.BeginAsync(cancellationToken);
        }
        return await next();
    }
}
