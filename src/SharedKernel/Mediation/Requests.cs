using MediatR;

namespace EtatMajor.SharedKernel.Mediation;

/// <summary>A request that changes data: the pipeline wraps its handler in one database transaction.</summary>
public interface ICommand<out TResult> : IRequest<TResult>;

/// <summary>A request that only reads.</summary>
public interface IQuery<out TResult> : IRequest<TResult>;
