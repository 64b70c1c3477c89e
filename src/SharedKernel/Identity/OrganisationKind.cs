namespace EtatMajor.SharedKernel.Identity;

/// <summary>Kinds of organisation; serialised as kebab-case (police-nationale, procureur-general…).</summary>
public enum OrganisationKind
{
    Prefet,
    Procureur,
    ProcureurGeneral,
    PoliceNationale,
    GendarmerieNationale,
    Douanes,
    Maire,
    Spip,
    Pjj,
    Jap,
    EducationNationale,
    FinancesPubliques,
    AdministrationEtat,
    BailleurSocial,
    TransporteurPublic,
    Auditeur,
    Administrateur,

    /// <summary>A private person of L132-10-1 I (an association) that an instance may assign to a follow-up (DES-5).</summary>
    Association,
}

/// <summary>OAuth2 scopes a client may hold.</summary>
public static class Scopes
{
    public const string Admin = "admin";
    public const string Governance = "governance";
    public const string PenalPolicy = "penal-policy";
    public const string FollowUp = "follow-up";
    public const string Exchange = "exchange";
    public const string Audit = "audit";

    public static IReadOnlyList<string> All { get; } = [Admin, Governance, PenalPolicy, FollowUp, Exchange, Audit];
}

/// <summary>Claim types carried by our access tokens (besides sub and scope).</summary>
public static class EtatMajorClaims
{
    public const string ClientId = "client_id";
    public const string OrganisationId = "org_id";
    public const string OrganisationKind = "org_kind";

    /// <summary>The version of the client's credentials the token was issued under (a token of an older version is refused).</summary>
    public const string CredentialsVersion = "cred_v";
}
