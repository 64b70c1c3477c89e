namespace EtatMajor.Modules.Governance.Domain;

internal enum MemberRole
{
    CoChair,
    Member,
}

/// <summary>Who may be associated to an instance, and by which route (R132-6-1 I; circulaire 2011).</summary>
internal static class Membership
{
    /// <summary>COMP-2: the forces associated by right to a CCOFSI (and to an EMS, COMP-4).</summary>
    public static readonly OrganisationKind[] CcofsiByRight =
        [OrganisationKind.PoliceNationale, OrganisationKind.GendarmerieNationale, OrganisationKind.Douanes];

    /// <summary>COMP-4: the participants the circulaire names for an EMS.</summary>
    public static readonly OrganisationKind[] EmsByRight =
        [.. CcofsiByRight, OrganisationKind.EducationNationale, OrganisationKind.FinancesPubliques];

    /// <summary>COMP-3: associated only on a proposal signed by both co-chairs.</summary>
    public static readonly OrganisationKind[] JointProposalOnly =
        [OrganisationKind.Maire, OrganisationKind.Spip, OrganisationKind.Pjj, OrganisationKind.AdministrationEtat];

    /// <summary>COMP-5: thematic guests, never members.</summary>
    public static readonly OrganisationKind[] GuestsOnly =
        [OrganisationKind.BailleurSocial, OrganisationKind.TransporteurPublic];

    /// <summary>
    /// COMP-3: mayors, SPIP, PJJ and other State administrations — which, for a CCOFSI, include the DASEN and
    /// the DDFiP that the circulaire associates directly to an EMS only.
    /// </summary>
    public static bool ByJointProposal(InstanceKind instance, OrganisationKind kind) =>
        JointProposalOnly.Contains(kind)
        || (instance == InstanceKind.Ccofsi && kind is OrganisationKind.EducationNationale or OrganisationKind.FinancesPubliques);

    public static bool IsDirect(InstanceKind instance, OrganisationKind kind) =>
        (instance == InstanceKind.Ems ? EmsByRight : CcofsiByRight).Contains(kind);

    /// <summary>
    /// Why a kind cannot be added directly. Reading chosen to protect the persons concerned: anything the
    /// texts do not associate by right (including a DASEN or DDFiP to a CCOFSI, which are "other State
    /// administrations" there) takes the joint-proposal route or is refused.
    /// </summary>
    public static (LegalRule Rule, string Detail) WhyNotDirect(InstanceKind instance, OrganisationKind kind)
    {
        if (GuestsOnly.Contains(kind))
        {
            return (LegalRules.Comp5,
                "Bailleurs sociaux and transporteurs publics attend a meeting as thematic guests; they are never members of the instance.");
        }
        if (kind is OrganisationKind.Prefet or OrganisationKind.Procureur)
        {
            return (LegalRules.Comp1, "The préfet and the procureur are the co-chairs, fixed when the instance is created.");
        }
        if (ByJointProposal(instance, kind))
        {
            return (LegalRules.Comp3,
                "This organisation joins only on a proposal of both co-chairs: use POST /api/v1/instances/{id}/association-proposals.");
        }
        return (LegalRules.Comp3,
            "R132-6-1 does not associate this kind of organisation to an instance (only the forces by right, and mayors, SPIP, PJJ or other State administrations on a joint proposal).");
    }
}

/// <summary>The composition status of an instance (COMP-2, COMP-4).</summary>
internal sealed record CompositionWarning(string RuleId, string LegalBasis, OrganisationKind Kind, string Message);

internal sealed record CompositionDto(bool Complete, IReadOnlyList<OrganisationKind> Missing, IReadOnlyList<CompositionWarning> Warnings);

internal static class Composition
{
    /// <summary>
    /// COMP-2: a CCOFSI without the police nationale, the gendarmerie nationale and the douanes is incomplete.
    /// COMP-4: an EMS without one of the participants the circulaire names carries a warning, not a denial.
    /// </summary>
    public static CompositionDto Of(InstanceKind instance, IReadOnlyCollection<OrganisationKind> memberKinds)
    {
        if (instance == InstanceKind.Ccofsi)
        {
            var missing = Membership.CcofsiByRight.Where(k => !memberKinds.Contains(k)).ToList();
            return new CompositionDto(missing.Count == 0, missing, []);
        }
        var warnings = Membership.EmsByRight.Where(k => !memberKinds.Contains(k))
            .Select(k => new CompositionWarning(LegalRules.Comp4.Id, LegalRules.Comp4.LegalBasis, k,
                $"The circulaire of 21 April 2011 associates {k.ToKebab()} to the état-major de sécurité; it is not a member yet."))
            .ToList();
        return new CompositionDto(true, [], warnings);
    }
}
