using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace EtatMajor.Api.OpenApi;

/// <summary>
/// Issue 15: a description on every member and every parameter of the contract. A member is described by its name, the
/// same meaning wherever it appears (an `instanceId` is always an instance's id); where one name means two things, the
/// schema's own entry (`AuditEventDto.status`) comes first. A path id is described by the collection before it
/// (`/designations/{did}`: the designation's id). A test fails when a member or a parameter has none (HostingTests).
/// </summary>
internal sealed class Descriptions : IDocumentFilter
{
    private static readonly Dictionary<string, string> Members = new(StringComparer.Ordinal)
    {
        // Ids, times and versions, wherever they appear.
        ["id"] = "This record's id (a UUID chosen by the API).",
        ["instanceId"] = "The instance (EMS or CCOFSI) this belongs to.",
        ["instanceIds"] = "Instances of the département (each once).",
        ["organisationId"] = "An organisation of the house (GET /api/v1/organisations).",
        ["designationId"] = "The designated person this is about (DES-1); only the designation's circle reads it (CONF-1).",
        ["designationIds"] = "Designations of the instance this report covers (each once).",
        ["meetingId"] = "The meeting of the instance where this was given or adopted.",
        ["obligationId"] = "One of the designation's obligations.",
        ["obligationIds"] = "Obligations of the designation this service follows (each once).",
        ["observationId"] = "The observation this came from.",
        ["incidentReportId"] = "The incident report this observation gave rise to (FLOW-2).",
        ["assignmentId"] = "The assignment of the caller's service to this designation.",
        ["internalRulesId"] = "The version of the règlement intérieur acknowledged.",
        ["reportId"] = "The annual report this synthesis is of (POL-2).",
        ["synthesisId"] = "The synthesis delivered to this instance (POL-2).",
        ["forwardedFromId"] = "The exchange this one forwards, if any.",
        ["version"] = "The version, as the API numbers it (a new one on every change).",
        ["eTag"] = "The entity tag to send in If-Match to change this record (optimistic concurrency).",
        ["createdAt"] = "When it was created (RFC 3339, UTC).",
        ["recordedAt"] = "When the API recorded it (RFC 3339, UTC).",
        ["nextCursor"] = "Send it back as `cursor` for the next page; absent on the last page.",
        ["items"] = "The items of this page, in the list's stable order.",
        // Organisations, clients and instances.
        ["code"] = "A short stable code (letters, digits, '.', '-', '_').",
        ["name"] = "The name as it is displayed.",
        ["kind"] = "The kind, from its closed set.",
        ["departement"] = "A département code: 01 to 95, 2A, 2B, or 971 to 976.",
        ["communeInsee"] = "The INSEE code of a maire's commune (5 characters).",
        ["communes"] = "The INSEE codes of the ZSP's communes, in the instance's département (COMP-2).",
        ["forces"] = "The forces that intervene in the ZSP (COMP-2); all three when omitted.",
        ["zsp"] = "The zone de sécurité prioritaire of a CCOFSI (COMP-2); an EMS has none.",
        ["prefetOrganisationId"] = "The préfet who presides (EMS) or co-chairs (CCOFSI) the instance (COMP-1, COMP-2).",
        ["procureurOrganisationId"] = "A procureur de la République.",
        ["procureurOrganisationIds"] = "The procureur(s) de la République of the département (COMP-1).",
        ["composition"] = "Whether the instance's composition meets the law (COMP-1..3), and what is missing.",
        ["complete"] = "True when nothing the law requires is missing.",
        ["missing"] = "Kinds of member the law requires that the instance lacks.",
        ["missingParticipants"] = "Kinds of EMS participant (CSI art. R132-6-1) that the instance lacks.",
        ["warnings"] = "What the composition lacks or should check, each with its rule.",
        ["role"] = "The member's role: co-chair or member.",
        ["joinedAt"] = "When it joined the instance.",
        ["endsAt"] = "When its membership ends (a joint proposal's term), if it does.",
        ["attendees"] = "The organisations that attended.",
        ["attendeeOrganisationIds"] = "Members (and an EMS's participants) who attended, each once.",
        ["guests"] = "Guests of this meeting only, never members (a bailleur social, a transporteur public).",
        ["category"] = "The guest's category.",
        ["themes"] = "The themes on the agenda.",
        ["heldOn"] = "The date it was held.",
        ["minutes"] = "The minutes' text, once recorded (under the confidentiality policy: CONF-2).",
        ["minutesStatus"] = "Whether the minutes are recorded, held for a procureur's review, or absent.",
        ["minutesHolds"] = "Why the minutes were held for a procureur's review (CONF-2).",
        ["clientId"] = "The API client's id (the OAuth2 client_id).",
        ["clientSecret"] = "The client's secret, shown once: store it now, it cannot be read again.",
        ["displayName"] = "A human name for the client, for administrators.",
        ["scopes"] = "The OAuth2 scopes the client may ask for.",
        ["enabled"] = "False once an administrator disabled the client: its tokens are refused at their next request.",
        ["disabledAt"] = "When it was disabled, if it is.",
        // Joint proposals and the règlement intérieur.
        ["rationale"] = "Why the association is proposed.",
        ["scope"] = "What the associated organisation takes part in.",
        ["until"] = "The last day it applies, if it ends.",
        ["proposedAt"] = "When it was proposed.",
        ["proposedByOrganisationId"] = "The co-chair who proposed it; the other decides (joint proposal).",
        ["decidedAt"] = "When the other co-chair decided.",
        ["decidedByOrganisationId"] = "The co-chair who decided.",
        ["adoptedByCdpdOn"] = "The date the CDPD adopted this règlement intérieur.",
        ["cdpdDeliberationReference"] = "The reference of the CDPD's deliberation.",
        ["proposedBy"] = "Who proposed the règlement to the CDPD.",
        ["inForceFrom"] = "The first day it is in force.",
        ["inForceUntil"] = "The last day it is in force, if it ends.",
        ["repealedOn"] = "The first day it is no longer in force.",
        ["coversAllInstances"] = "True when it governs every instance of the département, present and future.",
        ["text"] = "The text.",
        ["acknowledgedAt"] = "When the organisation acknowledged the règlement in force (CONF-4).",
        // Exchanges.
        ["subject"] = "The exchange's subject (read by the policy like its body).",
        ["body"] = "The exchange's text, read by the confidentiality policy (CONF-1..4).",
        ["recipientOrganisationIds"] = "The organisations it is sent to, each once: members of the instance, or the designation's circle (CONF-1).",
        ["senderOrganisationId"] = "The organisation that sent it.",
        ["sentAt"] = "When it was sent.",
        ["attachments"] = "The attached files, in order.",
        ["attachmentCount"] = "How many files are attached.",
        ["direction"] = "Sent or received, for the caller.",
        ["fileName"] = "The file's name, without a path.",
        ["mediaType"] = "The file's type, checked against its content (not only declared).",
        ["documentKind"] = "What the sender declares the file to be; a criminal-procedure document is refused (CONF-2).",
        ["contentBase64"] = "The file's content in base64.",
        ["sizeBytes"] = "The file's size in bytes.",
        ["sha256"] = "The SHA-256 of the file's content, in hexadecimal.",
        ["position"] = "The file's position among the attachments, from 0.",
        ["holds"] = "Why it was held for a procureur's review (CONF-2); shown to its sender and reviewers only.",
        ["review"] = "The procureur's review of a held exchange, once made.",
        ["reviewedAt"] = "When it was reviewed.",
        ["reviewedByOrganisationId"] = "The procureur who reviewed it.",
        ["rejectionReason"] = "Why the procureur rejected it.",
        // The policy's decisions.
        ["allowed"] = "True when the policy lets it go.",
        ["held"] = "True when it would be held for a procureur's review (CONF-2).",
        ["outcome"] = "The outcome, from its closed set.",
        ["violations"] = "Every rule at fault, with what it found.",
        ["ruleId"] = "The rule's id in docs/domain.md (CONF-1, DES-3…).",
        ["legalBasis"] = "The article of law the rule applies.",
        ["message"] = "What the rule found, in a sentence.",
        ["recipients"] = "The recipients concerned.",
        ["markers"] = "The markers of a criminal-procedure document found, each with where.",
        ["marker"] = "The marker's id.",
        ["label"] = "A human label.",
        ["form"] = "How it was found: a document's form, or a mention in a text.",
        ["location"] = "Where it was found: the body, or an attachment and its page.",
        ["excerpt"] = "The words around it, so that the sender sees what was read.",
        ["rules"] = "The policy's rules, in the order they are applied.",
        ["problemType"] = "The problem type a refusal under this rule carries.",
        ["forbiddenDocumentKinds"] = "Document kinds of the criminal procedure, refused as attachments (CONF-2).",
        ["authorisingAct"] = "The act authorising the processing of personal data (loi 78-17), as configured.",
        ["personalDataEnabled"] = "True when the authorising act is configured: designations can be recorded.",
        ["cnilDeliberation"] = "The CNIL's deliberation on the authorising act.",
        ["missingSettings"] = "The settings that are still missing, if any.",
        // Follow-up.
        ["person"] = "The designated person (personal data: read with a motif, recorded in the access log).",
        ["lastName"] = "The person's last name.",
        ["firstNames"] = "The person's first names.",
        ["birthDate"] = "The person's date of birth.",
        ["releasedOn"] = "The date the person leaves (or left) detention (DES-3).",
        ["japOpinion"] = "The juge de l'application des peines' opinion, favourable before a designation (DES-2).",
        ["favourable"] = "True when the opinion is favourable.",
        ["givenOn"] = "The date the opinion was given.",
        ["judgeCapacity"] = "In which capacity the judge gave it.",
        ["reference"] = "The reference of the decision or opinion, as its author numbers it.",
        ["designatedAt"] = "When the procureur designated the person.",
        ["obligations"] = "The obligations and prohibitions imposed on the person.",
        ["description"] = "What it says, in words.",
        ["imposedBy"] = "Who imposed it: the trial court or the JAP.",
        ["decisionDate"] = "The date of the decision that imposed it.",
        ["from"] = "The first day it applies.",
        ["previousVersions"] = "Its earlier versions, newest first.",
        ["replacedAt"] = "When this version was replaced.",
        ["assignments"] = "The services assigned to the follow-up, with what each follows.",
        ["modality"] = "How the service follows the obligations.",
        ["assignedAt"] = "When the service was assigned.",
        ["removedAt"] = "When the assignment ended, if it did.",
        ["observations"] = "Observations recorded by the assigned services.",
        ["note"] = "The note, in words.",
        ["observedOn"] = "The date of the observation.",
        ["openIncidentReports"] = "Incident reports not yet acknowledged.",
        ["reportedAt"] = "When the incident was reported.",
        ["reportedBy"] = "The service that reported it.",
        ["acknowledgedOn"] = "The date it was passed on to the JAP or the SPIP.",
        ["events"] = "Events of the closed list recorded by the procureur (FLOW-1, decision 2016-569 QPC).",
        ["occurredOn"] = "The date the event occurred.",
        ["source"] = "Where the procureur learnt of it.",
        ["reviews"] = "The procureur's periodic reviews of the designation (DES-5).",
        ["reviewDueOn"] = "The date the next review is due (DES-5).",
        ["reviewOverdue"] = "True when the review is past due.",
        ["reviewedOn"] = "The date of the review.",
        ["decision"] = "What the review decided.",
        ["closedOn"] = "The date the follow-up was closed.",
        ["closureReason"] = "Why it was closed.",
        ["erased"] = "True once its personal data were erased (DATA-2).",
        ["erasedAt"] = "When its personal data were erased.",
        ["authorOrganisationId"] = "The service that wrote it.",
        ["periodFrom"] = "The first day of the period it covers.",
        ["periodTo"] = "The last day of the period it covers.",
        // Penal policy.
        ["year"] = "The calendar year.",
        ["summary"] = "A summary of what was said.",
        ["briefings"] = "The procureur's briefings.",
        ["procureurs"] = "Each procureur of the instance and where his briefing stands (POL-1).",
        ["asOf"] = "The date this status is computed for.",
        ["communicatedToProcureurGeneralOn"] = "The date the annual report reached the procureur général.",
        ["synthesisDueOn"] = "The date the synthesis is due: a month after that communication (POL-2).",
        ["instances"] = "The instances the synthesis is due to, and where each stands.",
        ["deliveredAt"] = "When it was delivered.",
        ["deliveredOn"] = "The date it was delivered, if it was.",
        ["deliveries"] = "The instances it was delivered to.",
        ["measure"] = "The art. 41-1 CPP measure, by its code in the catalogue.",
        ["measureLabel"] = "The measure's name in the catalogue.",
        ["opinion"] = "The opinion given on it.",
        ["adoptedOn"] = "The date the instance adopted it.",
        ["recordedBy"] = "The organisation that recorded it.",
        ["catalogueVersion"] = "The version of the measures' catalogue.",
        ["on"] = "The date the catalogue is read for.",
        ["months"] = "Each month of the year and its meetings (the cadence the law asks).",
        ["month"] = "The month (YYYY-MM).",
        ["meetingsHeld"] = "Meetings held that month.",
        ["meetsTarget"] = "True when the month meets the cadence.",
        ["inProgress"] = "True for the month in progress.",
        ["monthsBelowTarget"] = "The months that did not meet it.",
        // The access log.
        ["seq"] = "The record's position in the chain, from 1.",
        ["occurredAt"] = "When the request was answered (RFC 3339, UTC).",
        ["organisationKind"] = "The kind of the caller's organisation.",
        ["onBehalfOf"] = "The person the caller acted for, as it said (X-On-Behalf-Of).",
        ["action"] = "What was done (exchange.send, instance.read…).",
        ["operation"] = "The loi 78-17 art. 101 category of the operation.",
        ["resourceType"] = "The kind of record touched.",
        ["resourceId"] = "The id of the record touched.",
        ["relatedResourceId"] = "The id of a record it relates to (the instance of an exchange).",
        ["justification"] = "The motif the caller gave (X-Justification, LOG-1).",
        ["route"] = "The route template that answered.",
        ["traceId"] = "The request's W3C trace context (traceparent: version, trace id, span id, flags): quote it to the operators.",
        ["durationMs"] = "How long the API took to answer, in milliseconds.",
        ["prevHash"] = "The previous record's hash (the chain).",
        ["hash"] = "This record's SHA-256, over its members and the previous hash.",
        ["number"] = "The checkpoint's number, from 1.",
        ["fromSeq"] = "The first record it covers.",
        ["toSeq"] = "The last record it covers.",
        ["count"] = "How many records it covers.",
        ["headHash"] = "The hash of its last record.",
        ["previousSignature"] = "The previous checkpoint's signature (the checkpoints chain too).",
        ["keyId"] = "The id of the key that signed it.",
        ["signature"] = "The ES256 (ECDSA P-256, SHA-256) signature, in base64.",
        ["algorithm"] = "The signature algorithm.",
        ["publicKeyPem"] = "The public key, in PEM, to verify offline.",
        ["firstUsedAt"] = "When the key first signed.",
        ["checked"] = "How many records were checked.",
        ["checkpointsChecked"] = "How many checkpoints were checked.",
        ["firstInvalidSeq"] = "The first record that does not verify, if any.",
        ["lastCheckpoint"] = "The last checkpoint checked.",
        ["reason"] = "The reason, in words or from its closed set.",
        ["status"] = "Where it stands, from its closed set.",
        // The problem document (RFC 9457).
        ["type"] = "The type, from its closed set.",
        ["title"] = "A short summary of the problem type.",
        ["detail"] = "What happened, for this request.",
        ["instance"] = "The request's path.",
        ["errors"] = "Each field at fault (body member or parameter), with what is wrong with it.",
    };

    /// <summary>Where one name means another thing in one schema.</summary>
    private static readonly Dictionary<string, string> Overrides = new(StringComparer.Ordinal)
    {
        ["AuditEventDto.status"] = "The HTTP status answered.",
        ["AuditEventDto.recipients"] = "The organisations a disclosure went to, space-separated.",
        ["AuditEventDto.id"] = "The record's id.",
        ["AuditEventDto.organisationId"] = "The caller's organisation.",
        ["AuditEventDto.outcome"] = "allowed, denied (a rule refused it) or failed.",
        ["Problem.type"] = "A URI reference naming the problem type (/problems/…).",
        ["Problem.ruleId"] = "The rule that refused the request, when a rule did.",
        ["Problem.legalBasis"] = "The article of law of that rule.",
        ["VerificationResult.status"] = "valid, or invalid with the first record that does not verify.",
        ["EventBody.type"] = "The event, from the closed list (FLOW-1).",
        ["EventDto.type"] = "The event, from the closed list (FLOW-1).",
        ["Violation.attachments"] = "The attachments concerned (their position and file name).",
        ["AnnualReportDto.instances"] = "The instances the synthesis is due to, and where each stands.",
    };

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        foreach (var (schemaName, candidate) in document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (candidate is OpenApiSchema schema)
            {
                Describe(schemaName, schema);
            }
        }
        foreach (var (path, item) in document.Paths)
        {
            foreach (var parameter in (item.Operations?.Values.AsEnumerable() ?? []).SelectMany(o => o.Parameters?.OfType<OpenApiParameter>() ?? []))
            {
                if (string.IsNullOrEmpty(parameter.Description))
                {
                    parameter.Description = Parameter(path, parameter);
                }
            }
        }
    }

    private static void Describe(string schemaName, OpenApiSchema schema)
    {
        foreach (var (name, candidate) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
        {
            var description = Overrides.GetValueOrDefault($"{schemaName}.{name}") ?? Members.GetValueOrDefault(name);
            switch (candidate)
            {
                case OpenApiSchema property:
                    property.Description ??= description;
                    if (property.Items is OpenApiSchema { Properties.Count: > 0 } inline)
                    {
                        Describe(schemaName, inline);
                    }
                    break;
                case OpenApiSchemaReference reference when description is not null:
                    // A member whose type is a schema of its own: described here, where it is used (OpenAPI 3.1's $ref siblings).
                    reference.Description ??= description;
                    break;
            }
        }
    }

    private static string? Parameter(string path, OpenApiParameter parameter)
    {
        if (parameter.In == ParameterLocation.Path)
        {
            var segments = path.Split('/');
            var at = Array.IndexOf(segments, "{" + parameter.Name + "}");
            var collection = at > 0 ? segments[at - 1] : "";
            var thing = collection.EndsWith("ies", StringComparison.Ordinal) ? collection[..^3] + "y" : collection.TrimEnd('s');
            return parameter.Name == "position"
                ? "The attachment's position, from 0."
                : $"The id of the {thing.Replace('-', ' ')}; one the caller may not see answers 404, as if it did not exist.";
        }
        return parameter.Name switch
        {
            "limit" => "How many items per page, 1 to 500 (50 when omitted).",
            "cursor" => "The `nextCursor` of the previous page; omit it for the first page.",
            "from" => "The first instant included (ISO-8601, such as 2026-03-14T00:00:00Z).",
            "to" => "The first instant excluded (ISO-8601).",
            "format" => "ndjson (one record per line, the default) or csv.",
            "fromSeq" => "The first record to check (1 when omitted).",
            "toSeq" => "The last record to check (the head when omitted).",
            "status" => "Only those with this status.",
            "open" => "True: only the designations still followed; false: only the closed ones.",
            "semester" => "The semester, YYYY-S1 (January to June) or YYYY-S2 (July to December).",
            "kind" => "Only organisations of this kind.",
            "enabled" => "True: only enabled clients; false: only disabled ones.",
            "reviewOverdue" => "True: only the designations whose review is past due (DES-5).",
            "year" => "The calendar year (2000 to 2100).",
            "on" => "The date the catalogue is read for (the whole catalogue when omitted).",
            "departement" => "A département code: 01 to 95, 2A, 2B, or 971 to 976.",
            _ => Members.TryGetValue(parameter.Name!, out var member) ? "Only records whose " + parameter.Name + " is this: " + char.ToLowerInvariant(member[0]) + member[1..] : null,
        };
    }
}
