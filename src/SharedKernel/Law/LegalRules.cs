namespace EtatMajor.SharedKernel.Law;

/// <summary>A rule the software enforces, with the article it comes from (docs/domain.md).</summary>
public sealed record LegalRule(string Id, string LegalBasis, string Summary);

/// <summary>
/// The one catalogue of legal references. Articles get renumbered (the code de procédure pénale is
/// recodified from 2029): a reference changes here and nowhere else.
/// </summary>
public static class LegalRules
{
    public static readonly LegalRule Comp1 = new("COMP-1", "CSI art. R132-6-1, I",
        "An EMS is composed of the préfet and the procureur(s) de la République of the département; one EMS per département; no other member.");
    public static readonly LegalRule Comp2 = new("COMP-2", "CSI art. R132-6-1, I, al. 2",
        "A CCOFSI belongs to a ZSP and associates the police nationale, gendarmerie nationale and douanes that intervene in it.");
    public static readonly LegalRule Comp3 = new("COMP-3", "CSI art. R132-6-1, I, al. 2",
        "Only a CCOFSI associates mayors, SPIP, PJJ or other State administrations, on a proposal of both co-chairs, optionally for a scope and until a date.");
    public static readonly LegalRule Comp4 = new("COMP-4", "Circulaire du 21 avril 2011",
        "An EMS's steering meetings have police, gendarmerie, DASEN, DDFiP and douanes as participants, who are not members.");
    public static readonly LegalRule Comp5 = new("COMP-5", "Circulaire du 21 avril 2011",
        "Thematic guests attend a meeting; they are never members nor recipients of confidential information.");
    public static readonly LegalRule Meet1 = new("MEET-1", "Circulaire du 21 avril 2011",
        "The circulaire asks the préfet to hold the EMS every month: a month without a meeting is below that target.");
    public static readonly LegalRule Meet2 = new("MEET-2", "Circulaire du 21 avril 2011",
        "The number of EMS meetings is reported per semester for the DNO dashboard.");
    public static readonly LegalRule Pol1 = new("POL-1", "CSI art. L132-10-1, I, 1°",
        "The procureur informs each instance of the penal policy at least once per calendar year.");
    public static readonly LegalRule Pol2 = new("POL-2", "CSI art. R132-6-1, II",
        "A synthesis of the annual penal-policy report is due within one month of its communication to the procureur général.");
    public static readonly LegalRule Opn1 = new("OPN-1", "CSI art. L132-10-1, I, 2°",
        "Opinions on the art. 41-1 CPP measures concern measures, never named persons.");
    public static readonly LegalRule Des1 = new("DES-1", "CSI art. R132-6-1, III",
        "Only the procureur designates convicted persons.");
    public static readonly LegalRule Des2 = new("DES-2", "CSI art. R132-6-1, III",
        "A designation takes effect only after a favourable opinion of the juge de l'application des peines.");
    public static readonly LegalRule Des3 = new("DES-3", "CSI art. L132-10-1, I, 3°",
        "A designated person is a convicted person leaving detention, with obligations or prohibitions.");
    public static readonly LegalRule Des4 = new("DES-4", "Directive (UE) 2016/680 art. 4(1)(c) et 7; Cons. const. 2016-569 QPC",
        "Only minimal personal data is recorded about a designated person.");
    public static readonly LegalRule Des5 = new("DES-5", "CSI art. L132-10-1, I, 3°",
        "A designation is visible only to the co-chairs and to the services assigned to its follow-up.");
    public static readonly LegalRule Des6 = new("DES-6", "Directive (UE) 2016/680 art. 4(1)(e) et 5",
        "A closed follow-up keeps personal data only for the configured retention period.");
    public static readonly LegalRule Flow1 = new("FLOW-1", "Cons. const. 2016-569 QPC; CSI art. R132-6-1, III",
        "The JAP and the SPIP send nothing to an instance: only a closed list of follow-up events, recorded by the procureur.");
    public static readonly LegalRule Flow2 = new("FLOW-2", "CSI art. L132-10-1, I, 4°; CSI art. R132-6-1, III",
        "The instance informs the JAP and SPIP through the procureur.");
    public static readonly LegalRule Conf1 = new("CONF-1", "CSI art. L132-10-1, II",
        "Confidential information is never communicated to a third party: every recipient is a current member (participants and guests are third parties).");
    public static readonly LegalRule Conf2 = new("CONF-2", "CSI art. R132-6-1, III, dernier alinéa",
        "No exchange carries a document of a criminal procedure; a mention, or an attachment without readable text, is held for a procureur's review.");
    public static readonly LegalRule Conf3 = new("CONF-3", "CSI art. L132-10-1, II, al. 2",
        "No confidential exchange without a règlement intérieur established by the CDPD of the département, in force and covering the instance.");
    public static readonly LegalRule Conf4 = new("CONF-4", "Règlement intérieur (pratique de la charte déontologique)",
        "An organisation exchanges only after acknowledging the règlement intérieur in force.");
    public static readonly LegalRule Conf5 = new("CONF-5", "CSI art. L132-10-1, II",
        "Forwarding is an exchange: the same rules apply to every new recipient.");
    public static readonly LegalRule Data1 = new("DATA-1", "Loi n° 78-17 art. 31 et 89",
        "No personal data is stored unless the deployment names the regulatory act that authorises the processing.");
    public static readonly LegalRule Data2 = new("DATA-2", "Directive (UE) 2016/680 art. 4(1)(e) et 5",
        "Exchanges and their attachments are kept for the retention period set by the authorising act, then erased.");
    public static readonly LegalRule Log1 = new("LOG-1", "Loi n° 78-17 art. 101",
        "Every collection, modification, consultation, communication and erasure is logged, with the motif of a consultation or communication of personal data.");
    public static readonly LegalRule Log2 = new("LOG-2", "Loi n° 78-17 art. 101",
        "Only auditors read the access log, and every reading is itself logged.");
    public static readonly LegalRule Log3 = new("LOG-3", "Loi n° 78-17 art. 101",
        "The access log is append-only, tamper-evident and retained for the configured period.");

    public static IReadOnlyList<LegalRule> All { get; } =
    [
        Comp1, Comp2, Comp3, Comp4, Comp5, Meet1, Meet2, Pol1, Pol2, Opn1,
        Des1, Des2, Des3, Des4, Des5, Des6, Flow1, Flow2,
        Conf1, Conf2, Conf3, Conf4, Conf5, Data1, Data2, Log1, Log2, Log3,
    ];
}
