namespace EtatMajor.Modules.Confidentiality.Contracts;

/// <summary>
/// One reason a disclosure may not happen: the rule, its article, and what is at fault — the recipients
/// (CONF-1, CONF-4), the documents and the markers found in them (CONF-2).
/// </summary>
public sealed record Violation(
    string RuleId, string LegalBasis, string Message, IReadOnlyList<Guid>? Recipients = null, IReadOnlyList<string>? Attachments = null,
    IReadOnlyList<MarkerFound>? Markers = null);

/// <summary>A sign of a criminal-procedure document: which marker, the text that matched, and where.</summary>
public sealed record MarkerFound(string Marker, string Label, string Location, string Excerpt);

public sealed record PolicyDecision(bool Allowed, IReadOnlyList<Violation> Violations);

/// <summary>Where the policy step leaves its decision for a dry run (<c>IDisclosure.DryRun</c>).</summary>
public interface IPolicyOutcome
{
    PolicyDecision? Decision { get; }
}
