using System.Text.Json;
using EtatMajor.SharedKernel.Law;

namespace EtatMajor.SharedKernel.Disclosures;

/// <summary>
/// One reason a disclosure may not go out as it is: the rule, its article, and what is at fault — the
/// recipients (CONF-1, CONF-4), the documents and the markers found in them (CONF-2).
/// </summary>
public sealed record Violation(
    string RuleId, string LegalBasis, string Message, IReadOnlyList<Guid>? Recipients = null, IReadOnlyList<string>? Attachments = null,
    IReadOnlyList<MarkerFound>? Markers = null)
{
    /// <summary>The longest message: a scan of many pages lists each one; what is past this is cut (the markers stay whole).</summary>
    public const int MaxMessage = 2000;

    /// <summary>The longest name of a document at fault (its position, its file name, a page, an embedded file).</summary>
    public const int MaxAttachment = 400;

    public string Message { get; init; } = Bounded.Cap(Message, MaxMessage);

    public IReadOnlyList<string>? Attachments { get; init; } = Attachments?.Select(a => Bounded.Cap(a, MaxAttachment)).ToList();

    public Violation(LegalRule rule, string message, IReadOnlyList<Guid>? recipients = null, IReadOnlyList<string>? attachments = null,
        IReadOnlyList<MarkerFound>? markers = null)
        : this(rule.Id, rule.LegalBasis, message, recipients, attachments, markers)
    {
    }
}

/// <summary>
/// A sign of a criminal-procedure document: which marker, the text that matched, where, and its form: `document`
/// (the content is or reproduces a piece of procedure: refused) or `mention` (named in passing: held for review).
/// </summary>
public sealed record MarkerFound(string Marker, string Label, string Location, string Excerpt, string Form)
{
    /// <summary>Where: the body, or an attachment, its page and the files embedded in it (a name taken from the file itself).</summary>
    public const int MaxLocation = 400;

    /// <summary>The words that matched, no more (a marker with a number may run on through a column of figures).</summary>
    public const int MaxExcerpt = 200;

    public string Location { get; init; } = Bounded.Cap(Location, MaxLocation);

    public string Excerpt { get; init; } = Bounded.Cap(Excerpt, MaxExcerpt);
}

/// <summary>What the policy writes of its findings stays within the lengths the contract states (docs/openapi.json).</summary>
public static class Bounded
{
    /// <summary>The text, or its beginning and "…" (never half of a surrogate pair).</summary>
    public static string Cap(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }
        var cut = max - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }
        return text[..cut] + "…";
    }
}

/// <summary>
/// The policy's decision: refused when there is any violation; otherwise held for a human review when there is
/// any reason to hold (a later step releases or rejects it); otherwise allowed.
/// </summary>
public sealed record PolicyDecision(IReadOnlyList<Violation> Violations, IReadOnlyList<Violation> Holds)
{
    public bool Allowed => Violations.Count == 0 && Holds.Count == 0;

    public bool Held => Violations.Count == 0 && Holds.Count > 0;

    /// <summary>`allowed`, `held` (kept for a procureur's review) or `denied`.</summary>
    public string Outcome => Allowed ? "allowed" : Held ? "held" : "denied";
}

/// <summary>Where the policy step leaves its decision for the handler (a dry run; a held disclosure).</summary>
public interface IPolicyOutcome
{
    PolicyDecision? Decision { get; }
}

/// <summary>
/// The reasons a disclosure was held, kept with it (as JSON) for its reviewers and its author: rules, markers and
/// where they are — never more of the content than the words that matched.
/// </summary>
public static class HoldReasons
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string? Write(IReadOnlyList<Violation>? holds) => holds is { Count: > 0 } ? JsonSerializer.Serialize(holds, Json) : null;

    public static IReadOnlyList<Violation>? Read(string? json) =>
        json is null
            ? null
            : JsonSerializer.Deserialize<List<Stored>>(json, Json)!
                .Select(v => new Violation(v.RuleId, v.LegalBasis, v.Message, v.Recipients, v.Attachments, v.Markers)).ToList();

    /// <summary>A violation as stored (the contract's type has two constructors, which the serializer cannot choose between).</summary>
    private sealed record Stored(
        string RuleId, string LegalBasis, string Message, IReadOnlyList<Guid>? Recipients, IReadOnlyList<string>? Attachments, IReadOnlyList<MarkerFound>? Markers);
}
