using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace EtatMajor.Api.OpenApi;

/// <summary>
/// Issue 15: an example for every request body, by its schema: what Swagger UI puts in Try it out and what a generator
/// shows; and for the main answers (an instance, an exchange, an organisation, a new client, a page of the access log)
/// and the problems by status (a send's 403 is the policy's, with its rule and violations). Spectral checks each against
/// its schema (oas3-valid-media-example). Each passes its validator (a test sends every one to its operation and gets no 400: ContractExamplesTests);
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

    private const string Trace = "00-0193a1b2c3d4e5f60718293a4b5c6d7e-1a2b3c4d5e6f7081-01";
    private const string Sha = "9f2b5c1e7d3a4b6c8e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d";

    /// <summary>The main answers, by their schema (each operation that answers one shows it for its success).</summary>
    private static readonly Dictionary<string, string> Answers = new(StringComparer.Ordinal)
    {
        ["InstanceDto"] = $$"""{"id":"{{Instance}}","kind":"ccofsi","departement":"33","name":"CCOFSI Bordeaux Nord","prefetOrganisationId":"{{Prefet}}","procureurOrganisationId":"{{Procureur}}","procureurOrganisationIds":["{{Procureur}}"],"zsp":{"name":"ZSP Bordeaux Nord","communes":["33063"],"forces":["police-nationale"]},"createdAt":"2026-01-20T10:15:00.000+00:00","composition":{"complete":true,"missing":[],"warnings":[]} }""",
        ["ExchangeDto"] = $$"""{"id":"0193a1b2-0000-7000-8000-000000000030","instanceId":"{{Instance}}","senderOrganisationId":"{{Prefet}}","subject":"Point de situation","body":"Trois rassemblements signalés rue des Lilas cette semaine.","recipientOrganisationIds":["{{Police}}","{{Gendarmerie}}"],"attachments":[{"id":"0193a1b2-0000-7000-8000-000000000031","fileName":"situation.txt","mediaType":"text/plain","documentKind":"note","sizeBytes":29,"sha256":"{{Sha}}"}],"sentAt":"2026-12-08T09:30:00.000+00:00","status":"delivered"}""",
        // A send held for a procureur's review (202): its sender sees why.
        ["ExchangeDto-held"] = $$"""{"id":"0193a1b2-0000-7000-8000-000000000032","instanceId":"{{Instance}}","senderOrganisationId":"{{Police}}","subject":"Suite de l'enquête","body":"Suite au PV d'audition du 3 mars, les faits se confirment.","recipientOrganisationIds":["{{Gendarmerie}}"],"attachments":[],"sentAt":"2026-12-08T09:45:00.000+00:00","status":"held-for-review","holds":[{"ruleId":"CONF-2","legalBasis":"CSI art. R132-6-1, III, dernier alinéa","message":"The body mentions a piece of criminal procedure: held for a procureur's review.","markers":[{"marker":"pv-acte","label":"Procès-verbal","location":"body","excerpt":"PV d'audition","form":"mention"}]}]}""",
        ["OrganisationDto"] = """{"id":"0193a1b2-0000-7000-8000-000000000003","code":"police-33","name":"DDSP de la Gironde","kind":"police-nationale","departement":"33","createdAt":"2026-01-05T08:00:00.000+00:00"}""",
        ["ClientCreated"] = $$"""{"clientId":"c-police-33-7f3a","clientSecret":"shown-once-store-it-now-4b8e2f","organisationId":"{{Police}}","displayName":"Logiciel de la DDSP 33","scopes":["governance","exchange"]}""",
        ["PageOfAuditEventDto"] = $$"""{"items":[{"seq":1042,"id":"0193a1b2-0000-7000-8000-000000000040","occurredAt":"2026-12-08T09:30:00.125+00:00","clientId":"c-prefet-33-1a2b","organisationId":"{{Prefet}}","organisationKind":"prefet","action":"exchange.send","operation":"communication","resourceType":"exchange","resourceId":"0193a1b2-0000-7000-8000-000000000030","relatedResourceId":"{{Instance}}","recipients":"{{Police}} {{Gendarmerie}}","justification":"Suivi hebdomadaire du quartier","outcome":"allowed","status":201,"route":"/api/v1/instances/{id}/exchanges","traceId":"{{Trace}}","durationMs":12,"prevHash":"{{Sha}}","hash":"{{Sha}}"}],"nextCursor":"eyJzZXEiOjEwNDJ9"}""",
    };

    /// <summary>The problems, by status: what a refusal looks like (a send's 403 is the policy's).</summary>
    private static readonly Dictionary<string, string> Problems = new(StringComparer.Ordinal)
    {
        ["400"] = $$"""{"type":"/problems/validation","title":"Invalid request","status":400,"detail":"One or more fields are invalid.","traceId":"{{Trace}}","errors":{"subject":["is required"]} }""",
        ["401"] = $$"""{"type":"/problems/unauthorized","title":"Authentication required","status":401,"detail":"A valid bearer token is required.","traceId":"{{Trace}}"}""",
        ["403"] = $$"""{"type":"/problems/missing-scope","title":"Not allowed for this client","status":403,"detail":"This operation requires scope governance.","traceId":"{{Trace}}"}""",
        ["403-policy"] = $$"""{"type":"/problems/third-party-recipient","title":"Refused by the confidentiality policy","status":403,"detail":"A recipient is not a member of the instance.","traceId":"{{Trace}}","ruleId":"CONF-1","legalBasis":"CSI art. L132-10-1, II","violations":[{"ruleId":"CONF-1","legalBasis":"CSI art. L132-10-1, II","message":"A recipient is not a member of the instance.","recipients":["0193a1b2-0000-7000-8000-000000000099"]}]}""",
        ["404"] = $$"""{"type":"/problems/not-found","title":"Not found","status":404,"detail":"No such instance.","traceId":"{{Trace}}"}""",
        ["429"] = $$"""{"type":"/problems/too-many-requests","title":"Too many requests","status":429,"detail":"This client sent too many requests: retry after the delay in Retry-After.","traceId":"{{Trace}}"}""",
        ["503"] = $$"""{"type":"/problems/unavailable","title":"Service unavailable","status":503,"detail":"The access log cannot record this request, so it is refused and nothing was changed. Retry later.","traceId":"{{Trace}}"}""",
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
            var disclosure = operation.Responses?.ContainsKey("202") == true;
            foreach (var (status, response) in operation.Responses ?? new OpenApiResponses())
            {
                foreach (var content in response.Content?.Values.AsEnumerable() ?? [])
                {
                    var id = (content.Schema as OpenApiSchemaReference)?.Reference.Id;
                    var example = status.StartsWith('2') && id is not null ? Answers.GetValueOrDefault(status == "202" ? id + "-held" : id)
                        : id == "Problem" ? Problems.GetValueOrDefault(status == "403" && disclosure ? "403-policy" : status)
                        : null;
                    if (example is not null)
                    {
                        content.Example = JsonNode.Parse(example);
                    }
                }
            }
        }
    }
}
