using EtatMajor.SharedKernel.Data;
using MediatR;

namespace EtatMajor.SharedKernel.Mediation;

/// <summary>Pipeline step: one database transaction per command, committed after the handler succeeds.</summary>
public sealed class TransactionBehavior<TRequest, TResponse>(IDbSession session) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not ICommand<TResponse>)
        {
            return await next();
        }
        await session.BeginAsync(cancellationToken);
        var response = await next();
        await session.CommitAsync(cancellationToken);
        return response;
    }
}
