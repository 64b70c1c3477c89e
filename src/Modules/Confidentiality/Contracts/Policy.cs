using EtatMajor.Modules.Governance.Contracts;
using EtatMajor.SharedKernel.Disclosures;
using EtatMajor.SharedKernel.Identity;
using EtatMajor.SharedKernel.Law;

namespace EtatMajor.Modules.Confidentiality.Contracts;

/// <summary>What a rule's finding asks for: a refusal, or a hold for a procureur's review.</summary>
public enum Disposition
{
    Deny,
    Hold,
}

public sealed record Finding(Violation Violation, Disposition Disposition = Disposition.Deny);

/// <summary>
/// When a rule runs. Sender rules look only at who sends (before the instance is even looked up, so that a
/// stranger learns nothing); content rules at what travels, before any database lock is taken; audience
/// rules at the facts read inside the transaction that writes (members, the règlement in force, the subject's
/// audience).
/// </summary>
public enum RuleStage
{
    Sender,
    Content,
    Audience,
}

/// <summary>
/// A rule of the policy layer: a pure function of the context, with its legal rule and the problem type of its
/// refusal. Modules contribute their own (services.AddSingleton&lt;IPolicyRule, …&gt;()); the policy step and the
/// rules catalogue (GET /api/v1/policy/rules) take every registered one.
/// </summary>
public interface IPolicyRule
{
    LegalRule Rule { get; }

    /// <summary>The stable type URI of a refusal by this rule (`/problems/third-party-recipient`).</summary>
    string ProblemType { get; }

    string Description { get; }

    RuleStage Stage { get; }

    IEnumerable<Finding> Evaluate(PolicyContext context);
}

/// <summary>
/// Everything a rule looks at. <see cref="Sender"/> is the caller; <see cref="DisclosingOrganisationId"/> the
/// organisation that discloses (the caller, or the original sender of a released exchange). <see cref="Facts"/> is
/// null for sender and content rules.
/// </summary>
public sealed record PolicyContext(IDisclosure Disclosure, Caller Sender, InspectedContent Content, DisclosureFacts? Facts)
{
    public Guid DisclosingOrganisationId => Disclosure.DisclosedBy ?? Sender.OrganisationId;
}

/// <summary>
/// What the content step read of a disclosure: every text, each document's texts by location (pages, annotations,
/// metadata, embedded files…), and what could not be read, with why (CONF-2 holds it: what cannot be fully read is
/// never passed).
/// </summary>
public sealed record InspectedContent(IReadOnlyList<InspectedText> Texts, IReadOnlyList<InspectedDocument> Documents, IReadOnlyList<Unreadable> Unreadable)
{
    public static InspectedContent None { get; } = new([], [], []);
}

public sealed record InspectedText(string Location, string Text);

public sealed record InspectedDocument(DisclosedDocument Document, IReadOnlyList<InspectedText> Texts);

/// <summary>A part of the content that could not be read, and why ("a page without any text", "an image").</summary>
public sealed record Unreadable(string Location, string Reason);

/// <summary>
/// The facts of the disclosure as they stand inside the transaction that writes: the instance's memberships for
/// the sender and the recipients, and, for a disclosure about a subject, the organisations entitled to it.
/// </summary>
public sealed record DisclosureFacts(InstanceMemberships Memberships, IReadOnlySet<Guid>? SubjectAudience)
{
    /// <summary>CONF-1: who may receive: the subject's audience when there is a subject, else the current members.</summary>
    public bool Entitled(Guid organisationId) => SubjectAudience?.Contains(organisationId)
        ?? Memberships.Organisations.GetValueOrDefault(organisationId)?.IsMember == true;
}

/// <summary>
/// For disclosures about a subject of a given kind (a designation): the organisations entitled to information
/// about it, as of an instant; null when the subject does not exist in that instance. Contributed by the module
/// that owns the subject.
/// </summary>
public interface ISubjectAudience
{
    string SubjectKind { get; }

    Task<IReadOnlySet<Guid>?> AudienceAsync(Guid instanceId, Guid subjectId, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>
/// For the modules that keep what was disclosed about a subject (an exchange about a designation): who is entitled to
/// it now — read again at every reading, so that a service removed from a follow-up no longer reads what it received
/// (CONF-1). Null when the subject does not exist in that instance.
/// </summary>
public sealed record GetSubjectAudience(Guid InstanceId, DisclosureSubject Subject, DateTimeOffset At) : SharedKernel.Mediation.IQuery<IReadOnlySet<Guid>?>, INotADisclosure;
