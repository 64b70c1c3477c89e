namespace EtatMajor.SharedKernel.Disclosures;

/// <summary>
/// A request that discloses information to organisations: an exchange, a forward, and the modules'
/// own kinds (an observation, a follow-up report, a synthesis…). Every such request goes through the policy
/// step (the Confidentiality module) before its handler runs, whoever sends it; the access log records its
/// recipients. Every other request says so with <see cref="INotADisclosure"/>: an architecture test checks that
/// each request of the house is exactly one of the two.
/// </summary>
public interface IDisclosure
{
    /// <summary>What is disclosed (<see cref="DisclosureKinds"/>, or a module's own kind).</summary>
    string Kind { get; }

    Guid InstanceId { get; }

    /// <summary>Who or what the information is about, when it is about someone (a designation), else null.</summary>
    DisclosureSubject? Subject => null;

    IReadOnlyCollection<Guid> RecipientOrganisationIds { get; }

    /// <summary>What would travel: texts (subject, body…) and documents (attachments).</summary>
    DisclosedContent Content { get; }

    /// <summary>
    /// The organisation that discloses, when it is not the caller: a held exchange that a procureur releases is
    /// disclosed by its sender, whose membership and acknowledgement are decided again. Null: the caller.
    /// </summary>
    Guid? DisclosedBy => null;

    /// <summary>
    /// A dry run (`…/check`): the policy step leaves its decision for the handler instead of refusing, and
    /// nothing is stored or delivered.
    /// </summary>
    bool DryRun => false;

    /// <summary>
    /// Whether the handler can keep this disclosure undelivered for a review (a "hold"). When it cannot, a
    /// decision to hold is a refusal: what may need a review never goes out unreviewed.
    /// </summary>
    bool MayBeHeld => false;

    /// <summary>
    /// A disclosure whose nature is to speak of criminal procedure (a synthesis of the penal policy names réquisitions
    /// and ordonnances pénales): CONF-2 does not hold it for a mere mention; a procedure document, declared or by its
    /// form, and content that cannot be fully read are still refused.
    /// </summary>
    bool SpeaksOfProcedure => false;
}

/// <summary>A request that discloses nothing to anyone (a read, or a write that sends nothing).</summary>
public interface INotADisclosure;

/// <summary>The disclosure kinds of the house; a module may name its own.</summary>
public static class DisclosureKinds
{
    public const string Exchange = "exchange";

    /// <summary>CONF-5: a forward is an exchange to new recipients; the same rules apply to each.</summary>
    public const string Forward = "forward";

    /// <summary>CONF-2: a held exchange released by a procureur reaches its recipients now; CONF-1, 3 and 4 are decided again.</summary>
    public const string Release = "release";

    /// <summary>Minutes of a meeting, written for the members of the instance.</summary>
    public const string Minutes = "minutes";
}

/// <summary>Who a disclosure is about: a kind of subject (`designation`) and its id.</summary>
public sealed record DisclosureSubject(string Kind, Guid Id)
{
    /// <summary>A designated person (the FollowUp module answers for its audience: the co-chairs and the assigned services).</summary>
    public const string Designation = "designation";
}

/// <summary>The content a disclosure carries. `Location` says where, for the denial ("body", "attachments[1]").</summary>
public sealed record DisclosedContent(IReadOnlyList<DisclosedText> Texts, IReadOnlyList<DisclosedDocument> Documents);

public sealed record DisclosedText(string Location, string Text);

public sealed record DisclosedDocument(string Location, string FileName, string DocumentKind, string MediaType, byte[] Content);

/// <summary>The kinds of document that are pieces of a criminal procedure (CONF-2): the one list, used by validation and the policy.</summary>
public static class CriminalProcedureDocuments
{
    public static IReadOnlyList<string> Kinds { get; } =
    [
        "proces-verbal", "requisition", "ordonnance", "commission-rogatoire", "expertise", "jugement", "copie-dossier-procedure",
        "extrait-casier-judiciaire",
    ];
}
