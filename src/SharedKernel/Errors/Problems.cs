using EtatMajor.SharedKernel.Law;

namespace EtatMajor.SharedKernel.Errors;

/// <summary>
/// An expected failure that the API turns into RFC 9457 problem details. The type URIs are stable and
/// documented in docs/problems.md: integrators switch on them.
/// </summary>
public abstract class ProblemException(int status, string type, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Type { get; } = type;
    public string Title { get; } = title;
    public LegalRule? Rule { get; init; }
    public IReadOnlyDictionary<string, object?> Extensions { get; init; } = new Dictionary<string, object?>();
}

public sealed class NotFoundException(string detail)
    : ProblemException(404, ProblemTypes.NotFound, "Resource not found", detail);

public sealed class ConflictException(string detail)
    : ProblemException(409, ProblemTypes.Conflict, "Conflict with the current state", detail);

/// <summary>Authenticated, but this organisation may not do this (403), optionally naming the rule.</summary>
public sealed class ForbiddenException(string detail, string type = ProblemTypes.Forbidden)
    : ProblemException(403, type, "Forbidden", detail);

/// <summary>Well-formed, but against a business or legal rule (422), always naming the rule.</summary>
public sealed class RuleViolationException : ProblemException
{
    public RuleViolationException(LegalRule rule, string detail, IReadOnlyDictionary<string, object?>? extensions = null)
        : base(422, ProblemTypes.RuleViolation, "Against a legal rule", detail)
    {
        Rule = rule;
        Extensions = extensions ?? new Dictionary<string, object?>();
    }
}

/// <summary>Well-formed, but refers to something that does not fit (422), with the field at fault.</summary>
public sealed class UnprocessableException(string field, string detail)
    : ProblemException(422, ProblemTypes.Unprocessable, "Request cannot be processed", detail)
{
    public string Field { get; } = field;
}

public sealed class RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
    : ProblemException(400, ProblemTypes.Validation, "Invalid request", "One or more fields are invalid.")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

public static class ProblemTypes
{
    public const string Validation = "/problems/validation";
    public const string Unauthorized = "/problems/unauthorized";
    public const string Forbidden = "/problems/forbidden";
    public const string MissingScope = "/problems/missing-scope";
    public const string NotFound = "/problems/not-found";
    public const string Conflict = "/problems/conflict";
    public const string PreconditionFailed = "/problems/precondition-failed";
    public const string PreconditionRequired = "/problems/precondition-required";
    public const string RuleViolation = "/problems/rule-violation";
    public const string Unprocessable = "/problems/unprocessable";
    public const string PayloadTooLarge = "/problems/payload-too-large";
    public const string Unavailable = "/problems/unavailable";
    public const string Internal = "/problems/internal";
    public const string NoAuthorisingAct = "/problems/no-authorising-act";
    public const string IdempotencyKeyInFlight = "/problems/idempotency-key-in-flight";
    public const string IdempotencyKeyReused = "/problems/idempotency-key-reused";
    public const string TooManyRequests = "/problems/too-many-requests";
    public const string HeadersTooLarge = "/problems/headers-too-large";
    public const string UriTooLong = "/problems/uri-too-long";
}

/// <summary>412 (stale If-Match) or 428 (If-Match missing on an update that requires it).</summary>
public sealed class PreconditionException(int status, string detail)
    : ProblemException(status, status == 428 ? ProblemTypes.PreconditionRequired : ProblemTypes.PreconditionFailed,
        status == 428 ? "Precondition required" : "Precondition failed", detail);
