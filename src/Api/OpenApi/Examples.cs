using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace EtatMajor.Api.OpenApi;

/// <summary>
/// Issue 15: an example for every request body, by its schema: what Swagger UI puts in Try it out and what a generator
/// shows. Each passes its validator (a test sends every one to its operation and gets no 400: ContractExamplesTests);
/// the ids are placeholders for the caller's own. The people and places are fictitious.
/// </summary>
internal sealed class Examples : IDocumentFilter
{
    private const string Prefet = "0193a1b2-0000-7000-8000-000000000001";
    private const string Procureur = "0193a1b2-0000-7000-8000-000000000002";
    private const string Police = "0193a1b2-0000-7000-8000-000000000003";
    private const string Gendarmerie = "0193a1b2-0000-7000-8000-000000000004";
    private const string Spip = "0193a1b2-0000-7000-8000-000000000005";
    private const string Instance = "0193a1b2-0000-7000-8000-000000000010";
    private const string Meeting = "0193a1b2-0000-7000-8000-000000000011";
    private const string Designation = "0193a1b2-0000-7000-8000-000000000020";
    private const string Obligation = "0193a1b2-0000-7000-8000-000000000021";

    private static readonly Dictionary<string, string> Bodies = new(StringComparer.Ordinal)
    {
        ["ExchangeBody"] = $$"""{"subject":"Point de situation","body":"Trois rassemblements signalés rue des Lilas cette semaine.","recipientOrganisationIds":["{{Police}}","{{Gendarmerie}}"],"attachments":[{"fileName":"situation.txt","mediaType":"text/plain","documentKind":"note","contentBase64":"UmFzc2VtYmxlbWVudHMgcnVlIGRlcyBMaWxhcy4="}]}""",
        ["ForwardBody"] = $$"""{"recipientOrganisationIds":["{{Gendarmerie}}"]}""",
        ["RejectBody"] = """{"reason":"La pièce jointe reproduit un procès-verbal : à transmettre par la voie judiciaire."}""",
        ["DesignateBody"] = $$"""{"person":{"lastName":"MARTIN","firstNames":"Paul Louis","birthDate":"1990-04-12"},"releasedOn":"2026-11-02","japOpinion":{"favourable":true,"givenOn":"2026-10-20","judgeCapacity":"jap","reference":"JAP-2026-0415"},"obligations":[{"kind":"prohibition","description":"Ne pas paraître dans le quartier des Lilas","imposedBy":"jap","decisionDate":"2026-10-20","from":"2026-11-02","until":"2027-11-01"}]}""",
        ["ObligationInput"] = """{"kind":"obligation","description":"Se présenter au commissariat chaque lundi","imposedBy":"trial-court","decisionDate":"2026-10-20","from":"2026-11-02"}""",
        ["AssignBody"] = $$"""{"organisationId":"{{Police}}","obligationIds":["{{Obligation}}"],"modality":"Contrôle hebdomadaire du pointage"}""",
        ["ObservationBody"] = $$"""{"obligationId":"{{Obligation}}","observedOn":"2026-11-16","outcome":"respected","note":"Présent au pointage."}""",
        ["EventBody"] = """{"type":"obligation-modified","occurredOn":"2026-12-01","source":"jap","reference":"JAP-2026-0502"}""",
        ["ReviewBody"] = """{"reviewedOn":"2026-12-01","decision":"continue"}""",
        ["CloseBody"] = """{"closedOn":"2027-11-01","reason":"obligations-ended"}""",
        ["AcknowledgeBody"] = """{"acknowledgedOn":"2026-11-18"}""",
        ["ReportBody"] = $$"""{"periodFrom":"2026-11-01","periodTo":"2026-11-30","text":"Suivi du mois : obligations respectées, aucun incident.","designationIds":["{{Designation}}"]}""",
        ["CreateInstance"] = $$"""{"kind":"ccofsi","departement":"33","name":"CCOFSI Bordeaux Nord","prefetOrganisationId":"{{Prefet}}","procureurOrganisationId":"{{Procureur}}","zsp":{"name":"ZSP Bordeaux Nord","communes":["33063"],"forces":["police-nationale"]} }""",
        ["AddMemberBody"] = $$"""{"organisationId":"{{Police}}"}""",
        ["AddParticipantBody"] = $$"""{"organisationId":"{{Gendarmerie}}"}""",
        ["ProposeBody"] = $$"""{"organisationId":"{{Spip}}","rationale":"Le SPIP suit plusieurs personnes du quartier.","scope":"Réunions de suivi","until":"2027-12-31"}""",
        ["RecordMeetingBody"] = $$"""{"heldOn":"2026-11-20","themes":["Cambriolages","Rodéos urbains"],"attendeeOrganisationIds":["{{Prefet}}","{{Procureur}}","{{Police}}"],"guests":[{"name":"Domofrance","category":"bailleur-social"}]}""",
        ["MinutesBody"] = """{"text":"Les forces renforcent les patrouilles rue des Lilas ; point d'étape en décembre."}""",
        ["RecordInternalRules"] = """{"departement":"33","version":"2","adoptedByCdpdOn":"2026-01-15","cdpdDeliberationReference":"CDPD 33 2026-01","proposedBy":"Préfet et procureur","inForceFrom":"2026-02-01","text":"Les informations échangées ne sont communiquées à aucun tiers."}""",
        ["RepealBody"] = """{"repealedOn":"2027-01-31"}""",
        ["CreateOrganisation"] = """{"code":"police-33","name":"DDSP de la Gironde","kind":"police-nationale","departement":"33"}""",
        ["CreateClient"] = $$"""{"organisationId":"{{Police}}","displayName":"Logiciel de la DDSP 33","scopes":["governance","exchange"]}""",
        ["BriefingBody"] = $$"""{"year":2026,"heldOn":"2026-03-12","meetingId":"{{Meeting}}","summary":"Priorités : violences intrafamiliales, stupéfiants."}""",
        ["AnnualReportBody"] = """{"year":2025,"communicatedToProcureurGeneralOn":"2026-01-31"}""",
        ["SynthesisBody"] = $$"""{"instanceIds":["{{Instance}}"],"text":"Synthèse du rapport annuel 2025 pour le département."}""",
        ["OpinionBody"] = $$"""{"measure":"rappel-a-la-loi","periodFrom":"2026-01-01","periodTo":"2026-12-31","opinion":"Favorable, en priorité pour les primo-délinquants.","meetingId":"{{Meeting}}"}""",
    };

    /// <summary>The schemas that have an example (the test sends each).</summary>
    public static IReadOnlyCollection<string> Schemas => Bodies.Keys;

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        foreach (var operation in document.Paths.Values.SelectMany(path => path.Operations?.Values.AsEnumerable() ?? []))
        {
            foreach (var content in operation.RequestBody?.Content?.Values.AsEnumerable() ?? [])
            {
                if ((content.Schema as OpenApiSchemaReference)?.Reference.Id is { } id && Bodies.TryGetValue(id, out var example))
                {
                    content.Example = JsonNode.Parse(example);
                }
            }
        }
    }
}
