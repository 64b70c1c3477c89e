using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

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

/// <summary>
/// Organisations of these kinds are refused by this endpoint whatever their scopes, with the rule that forbids
/// them (FLOW-1: the JAP and the SPIP never send information to an instance): decided before the scopes, so that
/// the answer names the rule, and recorded in the access log with it.
/// </summary>
public sealed record RefusedSenders(Law.LegalRule Rule, string ProblemType, IReadOnlyList<Identity.OrganisationKind> Kinds, string Detail)
{
    public bool Refuses(Identity.Caller caller) => Kinds.Contains(caller.Kind);
}

/// <summary>
/// The answer carries a secret shown once (a client's secret): an Idempotency-Key's row keeps no copy of it, and a retry
/// under the key is told what was created, never given the secret again.
/// </summary>
public sealed record SecretInAnswer;

/// <summary>The resource has a version: an update must carry `If-Match` with its ETag (428 without; <see cref="EntityTags"/>).</summary>
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

    public static TBuilder Refuse<TBuilder>(this TBuilder builder, RefusedSenders refused) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(refused);

    public static TBuilder SecretInAnswer<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new SecretInAnswer());

    /// <summary>An update of a versioned resource: `If-Match` required (428), and the ETag of the result in the answer.</summary>
    public static TBuilder Versioned<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Versioned()).ETagged();

    /// <summary>The endpoint answers a versioned resource: its ETag header is set from it (<see cref="IVersionedResource"/>).</summary>
    public static TBuilder ETagged<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(EntityTags.SetHeader);
}
