namespace EtatMajor.Modules.Governance.Domain;

internal enum MemberRole
{
    CoChair,
    Member,
}

/// <summary>How an organisation may take part in an instance, or why it may not (the rule and what to do instead).</summary>
internal sealed record Admission(bool Allowed, LegalRule? Rule = null, string? Detail = null)
{
    public static Admission Yes { get; } = new(true);

    public static Admission No(LegalRule rule, string detail) => new(false, rule, detail);

    public RuleViolationException Refusal(IReadOnlyDictionary<string, object?>? extensions = null) => new(Rule!, Detail!, extensions);
}

/// <summary>
/// Who takes part in an instance, and by which route (docs/domain.md version 2):
/// - an EMS: members are the préfet and the procureur(s) of the département only (COMP-1); police, gendarmerie,
///   DASEN, DDFiP and douanes take part in its steering meetings as participants, not members (COMP-4);
/// - a CCOFSI: co-chaired by the préfet and the procureur; the forces that intervene in its ZSP are members by
///   right (COMP-2); mayors of its communes, SPIP, PJJ and other State administrations join only on a joint
///   proposal of both co-chairs (COMP-3);
/// - thematic guests attend one meeting and are never members (COMP-5).
/// Departmental services join the instances of their own département only.
/// </summary>
internal static class Membership
{
    /// <summary>COMP-2: the forces a CCOFSI may declare as intervening in its ZSP (all three by default).</summary>
    public static readonly OrganisationKind[] Forces =
        [OrganisationKind.PoliceNationale, OrganisationKind.GendarmerieNationale, OrganisationKind.Douanes];

    /// <summary>COMP-4: the participants the circulaire names for an EMS's steering meetings.</summary>
    public static readonly OrganisationKind[] EmsParticipants =
        [OrganisationKind.PoliceNationale, OrganisationKind.GendarmerieNationale, OrganisationKind.EducationNationale, OrganisationKind.FinancesPubliques,
         OrganisationKind.Douanes];

    /// <summary>
    /// COMP-3: associated to a CCOFSI only on a proposal of both co-chairs: mayors, SPIP, PJJ and other State
    /// administrations — the DASEN and the DDFiP are among those.
    /// </summary>
    public static readonly OrganisationKind[] ByJointProposal =
        [OrganisationKind.Maire, OrganisationKind.Spip, OrganisationKind.Pjj, OrganisationKind.AdministrationEtat, OrganisationKind.EducationNationale,
         OrganisationKind.FinancesPubliques];

    /// <summary>COMP-5: thematic guests, never members.</summary>
    public static readonly OrganisationKind[] GuestsOnly = [OrganisationKind.BailleurSocial, OrganisationKind.TransporteurPublic];

    /// <summary>
    /// Services organised by département: they join an instance of their own département only. Douanes and other
    /// State administrations are often regional and may sit in an instance elsewhere.
    /// </summary>
    public static readonly OrganisationKind[] Departmental =
        [OrganisationKind.PoliceNationale, OrganisationKind.GendarmerieNationale, OrganisationKind.EducationNationale, OrganisationKind.FinancesPubliques,
         OrganisationKind.Prefet, OrganisationKind.Procureur];

    private const string EmsRoutes =
        "The members of an état-major de sécurité are the préfet and the procureur(s) de la République of the département only. " +
        "Police, gendarmerie, DASEN, DDFiP and douanes take part in its steering meetings as participants " +
        "(POST /api/v1/instances/{id}/participants); any service, member or not, can be assigned to the follow-up of a designated person.";

    /// <summary>Who may be added with POST …/members.</summary>
    public static Admission AsMember(InstanceRow instance, OrganisationKind kind)
    {
        if (GuestsOnly.Contains(kind))
        {
            return Admission.No(LegalRules.Comp5,
                "Bailleurs sociaux and transporteurs publics attend a meeting as thematic guests; they are never members of the instance.");
        }
        if (instance.KindValue == InstanceKind.Ems)
        {
            // COMP-1: a département with several tribunaux judiciaires has several procureurs, all co-chairs of its one EMS.
            return kind == OrganisationKind.Procureur ? Admission.Yes : Admission.No(LegalRules.Comp1, EmsRoutes);
        }
        if (kind is OrganisationKind.Prefet or OrganisationKind.Procureur)
        {
            return Admission.No(LegalRules.Comp2, "A CCOFSI is co-chaired by the préfet and the procureur given when it was created.");
        }
        if (Forces.Contains(kind))
        {
            return instance.Forces.Contains(kind)
                ? Admission.Yes
                : Admission.No(LegalRules.Comp2,
                    $"The CCOFSI declared the forces that intervene in its ZSP ({string.Join(", ", instance.Forces.Select(f => f.ToKebab()))}); {kind.ToKebab()} is not one of them.");
        }
        return ByJointProposal.Contains(kind)
            ? Admission.No(LegalRules.Comp3,
                "This organisation joins a CCOFSI only on a proposal of both co-chairs: use POST /api/v1/instances/{id}/association-proposals.")
            : Admission.No(LegalRules.Comp3,
                "R132-6-1 does not associate this kind of organisation to a CCOFSI (only the forces that intervene in the ZSP, and mayors, SPIP, PJJ or other State administrations on a joint proposal).");
    }

    /// <summary>Who may be added with POST …/participants (COMP-4).</summary>
    public static Admission AsParticipant(InstanceRow instance, OrganisationKind kind) =>
        instance.KindValue != InstanceKind.Ems
            ? Admission.No(LegalRules.Comp4, "Participants belong to an état-major de sécurité; a CCOFSI associates its forces as members (POST …/members).")
            : EmsParticipants.Contains(kind)
                ? Admission.Yes
                : Admission.No(LegalRules.Comp4,
                    "The participants of an EMS's steering meetings are police-nationale, gendarmerie-nationale, education-nationale, finances-publiques and douanes" +
                    (GuestsOnly.Contains(kind) ? "; bailleurs sociaux and transporteurs publics attend a meeting as guests." : "."));

    /// <summary>Who may be proposed with POST …/association-proposals (COMP-3).</summary>
    public static Admission ByProposal(InstanceRow instance, OrganisationKind kind)
    {
        if (instance.KindValue == InstanceKind.Ems)
        {
            return Admission.No(LegalRules.Comp3, "Joint proposals associate organisations to a CCOFSI only; there is no such route into an EMS. " + EmsRoutes);
        }
        if (ByJointProposal.Contains(kind))
        {
            return Admission.Yes;
        }
        if (Forces.Contains(kind) && instance.Forces.Contains(kind))
        {
            return Admission.No(LegalRules.Comp2, "This force intervenes in the ZSP and is a member by right: a co-chair adds it with POST /api/v1/instances/{id}/members.");
        }
        return AsMember(instance, kind);
    }

    /// <summary>A departmental service joins the instances of its own département only.</summary>
    public static Admission Territory(InstanceRow instance, OrganisationRow organisation, LegalRule rule) =>
        Departmental.Contains(organisation.KindValue) && organisation.Departement != instance.Departement
            ? Admission.No(rule,
                $"A departmental service ({organisation.Kind}) takes part in the instances of its own département only: this organisation is of the département {organisation.Departement ?? "(none)"}, the instance of {instance.Departement}.")
            : Admission.Yes;
}

/// <summary>The composition status of an instance (COMP-2, COMP-4).</summary>
internal sealed record CompositionWarning(string RuleId, string LegalBasis, OrganisationKind Kind, string Message);

/// <summary>
/// `Missing`: the declared forces a CCOFSI still lacks (it is incomplete until none is missing). `MissingParticipants`:
/// the participants an EMS's steering meetings still lack, also given as COMP-4 warnings (a warning, not a denial).
/// </summary>
internal sealed record CompositionDto(
    bool Complete, IReadOnlyList<OrganisationKind> Missing, IReadOnlyList<OrganisationKind>? MissingParticipants, IReadOnlyList<CompositionWarning> Warnings);

internal static class Composition
{
    public static CompositionDto Of(InstanceRow instance, IReadOnlyCollection<OrganisationKind> memberKinds, IReadOnlyCollection<OrganisationKind> participantKinds)
    {
        if (instance.KindValue == InstanceKind.Ccofsi)
        {
            var missing = instance.Forces.Where(k => !memberKinds.Contains(k)).ToList();
            return new CompositionDto(missing.Count == 0, missing, null, []);
        }
        var absent = Membership.EmsParticipants.Where(k => !participantKinds.Contains(k)).ToList();
        var warnings = absent
            .Select(k => new CompositionWarning(LegalRules.Comp4.Id, LegalRules.Comp4.LegalBasis, k,
                $"The circulaire of 21 April 2011 names {k.ToKebab()} among the participants of the EMS's steering meetings; none takes part yet."))
            .ToList();
        return new CompositionDto(true, [], absent, warnings);
    }
}
