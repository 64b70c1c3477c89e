using System.Reflection;
using EtatMajor.SharedKernel.Validation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.SharedKernel.Mediation;

/// <summary>
/// The one place that wires MediatR 5.1.0 (the only version that restores here: no AddMediatR package).
/// A later upgrade of MediatR touches this file only.
/// </summary>
public static class MediatorRegistration
{
    /// <summary>Registers the mediator and the pipeline behaviors, outermost first.</summary>
    public static IServiceCollection AddMediatorPipeline(this IServiceCollection services, params Type[] behaviorsOutermostFirst)
    {
        services.AddScoped<ServiceFactory>(provider => provider.GetService!);
        services.AddScoped<IMediator, Mediator>();
        // MediatR 5 resolves IEnumerable<IPipelineBehavior<,>> and wraps the handler so that the first
        // registered behavior runs outermost (a test in SharedKernel.Tests pins this order).
        foreach (var behavior in behaviorsOutermostFirst)
        {
            services.AddScoped(typeof(IPipelineBehavior<,>), behavior);
        }
        return services;
    }

    /// <summary>Registers every request handler and validator found in a module's assembly.</summary>
    public static IServiceCollection AddHandlersFrom(this IServiceCollection services, Assembly assembly)
    {
        foreach (var type in assembly.GetTypes().Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false }))
        {
            foreach (var contract in type.GetInterfaces().Where(i => i.IsGenericType))
            {
                var definition = contract.GetGenericTypeDefinition();
                if (definition == typeof(IRequestHandler<,>) || definition == typeof(IValidator<>))
                {
                    services.AddScoped(contract, type);
                }
            }
        }
        return services;
    }
}
