namespace EtatMajor.Modules.PenalPolicy.Domain;

/// <summary>
/// A measure of art. 41-1 CPP (alternatives to prosecution) and when it is in force. A null bound means: in force
/// before the catalogue's horizon (art. 41-1 dates from loi n° 99-515 du 23 juin 1999), or still in force.
/// </summary>
internal sealed record Measure(string Code, string Label, string LegalBasis, DateOnly? InForceFrom, DateOnly? InForceUntil, string Note)
{
    public bool InForceOn(DateOnly day) => (InForceFrom is null || day >= InForceFrom) && (InForceUntil is null || day <= InForceUntil);

    /// <summary>OPN-1: in force on at least one day of the period.</summary>
    public bool InForceDuring(DateOnly from, DateOnly to) => (InForceFrom is null || to >= InForceFrom) && (InForceUntil is null || from <= InForceUntil);
}

/// <summary>
/// The versioned catalogue of the art. 41-1 CPP measures (OPN-1). A change of the law is a new version here: each
/// opinion keeps the version it was checked against. Dates this catalogue does not state are documented in
/// docs/penal-policy.md with their source.
/// </summary>
internal static class MeasureCatalogue
{
    public const string Version = "2026-11";

    public static IReadOnlyList<Measure> All { get; } =
    [
        new("rappel-a-la-loi", "Rappel à la loi", "CPP art. 41-1, 1° (rédaction antérieure à la loi n° 2021-1729)", null, new DateOnly(2022, 12, 31),
            "Replaced by the avertissement pénal probatoire on 2023-01-01 (loi n° 2021-1729 du 22 décembre 2021)."),
        new("avertissement-penal-probatoire", "Avertissement pénal probatoire", "CPP art. 41-1, 1°", new DateOnly(2023, 1, 1), null,
            "Loi n° 2021-1729 du 22 décembre 2021, in force on 2023-01-01."),
        new("orientation-structure-sanitaire-sociale-professionnelle", "Orientation vers une structure sanitaire, sociale ou professionnelle", "CPP art. 41-1, 2°",
            null, null, "Includes the stages and training courses the procureur may require."),
        new("contribution-citoyenne", "Contribution citoyenne auprès d'une association d'aide aux victimes", "CPP art. 41-1, 2° bis",
            new DateOnly(2021, 12, 24), null, "Loi n° 2021-1729 du 22 décembre 2021 (JO du 23 décembre 2021), in force the next day."),
        new("regularisation", "Régularisation de la situation au regard de la loi ou des règlements", "CPP art. 41-1, 3°", null, null, ""),
        new("reparation", "Réparation du dommage résultant des faits", "CPP art. 41-1, 4°", null, null, ""),
        new("mediation", "Médiation entre l'auteur des faits et la victime", "CPP art. 41-1, 5°", null, null, ""),
        new("eloignement-du-domicile", "Éloignement du domicile ou de la résidence du couple (violences intrafamiliales)", "CPP art. 41-1, 6°", null, null, ""),
        new("interdiction-de-paraitre", "Interdiction de paraître dans un ou plusieurs lieux", "CPP art. 41-1, 7°", null, null, ""),
        new("interdiction-contact-victime", "Interdiction de rencontrer ou de contacter la victime", "CPP art. 41-1, 8°", null, null, ""),
        new("interdiction-contact-coauteurs", "Interdiction de rencontrer ou de contacter les coauteurs ou complices", "CPP art. 41-1, 9°", null, null, ""),
    ];

    public static Measure? Find(string? code) => All.FirstOrDefault(m => m.Code == code);
}
