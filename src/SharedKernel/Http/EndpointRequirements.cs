using Microsoft.AspNetCore.Builder;

namespace EtatMajor.SharedKernel.Http;

/// <summary>The endpoint reads or sends personal data: LOG-1 asks the log to keep the motif of such a consultation.</summary>
public sealed record PersonalData;

/// <summary>
/// The endpoint stores personal data (an exchange, minutes, a designation): refused with 403 DATA-1 while the
/// deployment names no authorising act (<see cref="Law.AuthorisingAct"/>). It reads or sends personal data too.
/// </summary>
public sealed record StoresPersonalData;

/// <summary>The request must say why (`X-Justification`, LOG-1): 400 without it; the motif goes into the access log.</summary>
public sealed record JustificationRequired;

/// <summary>The endpoint accepts an `Idempotency-Key` (conventions.md): a retried POST has one effect.</summary>
public sealed record Idempotent;

/// <summary>The resource has a version: an update must carry `If-Match` with its ETag (428 without).</summary>
public sealed record Versioned;

/// <summary>
/// What an endpoint declares beside `.Allow()` and `.Audit()`; the Api checks each declaration once for every
/// request (EndpointRequirementsMiddleware) and refuses to start when an endpoint lacks one its kind needs
/// (EndpointGuard: a consultation or communication of personal data without a required motif; a
/// collection, modification or communication of personal data that does not declare it stores some).
/// </summary>
public static class EndpointRequirements
{
    public static TBuilder PersonalData<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new PersonalData());

    public static TBuilder StoresPersonalData<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new PersonalData(), new StoresPersonalData());

    public static TBuilder RequireJustification<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new JustificationRequired());

    public static TBuilder Idempotent<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Idempotent());

    public static TBuilder Versioned<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Versioned());
}
