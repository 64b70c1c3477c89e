using EtatMajor.SharedKernel.Validation;
using MediatR;

namespace EtatMajor.SharedKernel.Mediation;

/// <summary>Pipeline step: input shape and limits, before any policy or database work (400 with field errors).</summary>
public sealed class ValidationBehavior<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators)
    : IPipelineBehavior<TRequest, TResponse>
{
    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var errors = new ValidationErrors();
        foreach (var validator in validators)
        {
            validator.Validate(request, errors);
        }
        errors.ThrowIfAny();
        return next();
    }
}
