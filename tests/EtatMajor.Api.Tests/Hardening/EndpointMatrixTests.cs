using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Tests.Hardening;

/// <summary>
/// Issue 14, must-have 2: every endpoint the running app exposes (its endpoint data source), called by every kind of
/// caller — no token, an expired token, a tampered token, a disabled client, each organisation kind as a co-chair, a
/// member, an assigned and a non-assigned service, a non-member, the judicial side, an auditor, the administrator, and
/// members whose client lacks the scope — with the ids of one follow-up CCOFSI. The expected status of every cell is in
/// <see cref="Expected"/>, one row per endpoint: an endpoint without a row fails. No cell may answer 5xx, and no
/// answer to a caller outside the instance may carry its data.
/// </summary>
public sealed class EndpointMatrixTests(DatabaseProvider provider) : ApiTest(provider)
{
    /// <summary>The callers, in the order of each row's statuses.</summary>
    private static readonly string[] Columns =
    [
        "anonymous", "expired", "tampered", "disabled",
        "procureur (co-chair)", "prefet (co-chair)", "police (member, assigned)", "gendarmerie (member, not assigned)",
        "maire (not a member)", "association (not a member)", "jap", "spip", "bailleur-social (guest)", "police of another département",
        "auditeur", "administrateur",
        "procureur-general", "douanes", "pjj", "education-nationale", "finances-publiques", "administration-etat", "transporteur-public",
        "procureur without the scope (exchange only)", "prefet without the scope (penal-policy only)", "police without the scope (penal-policy only)",
        // Every other kind, with a client that holds only the penal-policy scope.
        "gendarmerie (member) penal-policy only", "maire penal-policy only", "association penal-policy only", "jap penal-policy only",
        "spip penal-policy only", "bailleur-social penal-policy only", "procureur-general penal-policy only", "douanes penal-policy only",
        "pjj penal-policy only", "education-nationale penal-policy only", "finances-publiques penal-policy only",
        "administration-etat penal-policy only", "transporteur-public penal-policy only",
    ];

    /// <summary>Callers outside the instance: nothing of it may reach them.</summary>
    private static readonly int[] Outsiders = [8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19, 20, 21, 22, .. Enumerable.Range(27, 12)];

    /// <summary>
    /// The expected status per caller (columns above), one row per endpoint. Reading a row: 401 for the four without a
    /// valid token; 403 where the scope or the kind does not allow the operation (FLOW-1 for the judicial side's writes);
    /// 404 where the caller may not know the object exists; 400/428 where the access passed and the empty body or
    /// missing If-Match is refused; 2xx where it succeeded. Destructive operations target throwaway objects, so that a
    /// first success is followed by 404s.
    /// </summary>
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["GET /api/v1/audit/checkpoints"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["GET /api/v1/audit/events"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["GET /api/v1/audit/events/export"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["GET /api/v1/audit/integrity"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["GET /api/v1/audit/keys"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["GET /api/v1/clients"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["GET /api/v1/clients/{clientId}"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["GET /api/v1/designations/{did:guid}"] = "401 401 401 401 200 200 200 404 404 404 404 404 404 404 403 403 404 404 404 404 404 404 404 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["GET /api/v1/exchanges/{eid:guid}"] = "401 401 401 401 404 404 200 200 404 404 404 404 404 404 403 403 404 404 404 404 404 404 404 404 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["GET /api/v1/exchanges/{eid:guid}/attachments/{aid:guid}"] = "401 401 401 401 404 404 200 200 404 404 404 404 404 404 403 403 404 404 404 404 404 404 404 404 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["GET /api/v1/instances"] = "401 401 401 401 200 200 200 200 200 200 200 200 200 200 403 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
        ["GET /api/v1/instances/{id:guid}"] = "401 401 401 401 200 200 200 200 404 404 404 404 404 404 403 200 404 404 404 404 404 404 404 200 200 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/v1/instances/{id:guid}/alternative-measure-opinions"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 200 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/v1/instances/{id:guid}/association-proposals"] = "401 401 401 401 200 200 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["GET /api/v1/instances/{id:guid}/association-proposals/{proposalId:guid}"] = "401 401 401 401 404 404 403 403 403 403 403 403 403 403 403 404 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["GET /api/v1/instances/{id:guid}/designations"] = "401 401 401 401 200 200 200 200 404 404 404 404 404 404 403 403 404 404 404 404 404 404 404 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["GET /api/v1/instances/{id:guid}/exchanges"] = "401 401 401 401 200 200 200 200 404 404 404 404 404 404 403 403 404 404 404 404 404 404 404 200 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["GET /api/v1/instances/{id:guid}/follow-up-reports"] = "401 401 401 401 200 200 403 403 404 404 404 404 404 404 403 403 404 404 404 404 404 404 404 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["GET /api/v1/instances/{id:guid}/incident-reports"] = "401 401 401 401 200 403 403 403 404 404 404 404 404 404 403 403 404 404 404 404 404 404 404 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["GET /api/v1/instances/{id:guid}/internal-rules"] = "401 401 401 401 200 200 200 200 404 404 404 404 404 404 403 403 404 404 404 404 404 404 404 200 200 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/v1/instances/{id:guid}/internal-rules/acknowledgements"] = "401 401 401 401 200 200 200 200 404 404 404 404 404 404 403 403 404 404 404 404 404 404 404 200 200 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/v1/instances/{id:guid}/internal-rules/current"] = "401 401 401 401 200 200 200 200 404 404 404 404 404 404 403 403 404 404 404 404 404 404 404 200 200 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/v1/instances/{id:guid}/internal-rules/{rulesId:guid}"] = "401 401 401 401 200 200 200 200 404 404 404 404 404 404 403 403 404 404 404 404 404 404 404 200 200 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/v1/instances/{id:guid}/meeting-cadence"] = "401 401 401 401 200 200 200 200 404 404 404 404 404 404 403 200 404 404 404 404 404 404 404 200 200 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/v1/instances/{id:guid}/meetings"] = "401 401 401 401 200 200 200 200 404 404 404 404 404 404 403 403 404 404 404 404 404 404 404 200 200 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/v1/instances/{id:guid}/meetings/{meetingId:guid}"] = "401 401 401 401 200 200 200 200 404 404 404 404 404 404 403 403 404 404 404 404 404 404 404 200 200 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/v1/instances/{id:guid}/members"] = "401 401 401 401 200 200 200 200 404 404 404 404 404 404 403 200 404 404 404 404 404 404 404 200 200 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/v1/instances/{id:guid}/members/{organisationId:guid}"] = "401 401 401 401 200 200 200 200 404 404 404 404 404 404 403 200 404 404 404 404 404 404 404 200 200 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/v1/instances/{id:guid}/participants"] = "401 401 401 401 200 200 200 200 404 404 404 404 404 404 403 200 404 404 404 404 404 404 404 200 200 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/v1/instances/{id:guid}/penal-policy-syntheses"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 200 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/v1/instances/{id:guid}/penal-policy-syntheses/{sid:guid}/attachments/{position}"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/v1/instances/{id:guid}/penal-policy/status"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 200 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/v1/internal-rules/{rulesId:guid}"] = "401 401 401 401 200 200 200 200 404 404 404 404 404 404 403 403 404 404 404 404 404 404 404 200 200 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/v1/organisations"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["GET /api/v1/organisations/{id:guid}"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 404 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["GET /api/v1/penal-policy-reports"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
        ["GET /api/v1/penal-policy-reports/{rid:guid}"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404",
        ["GET /api/v1/penal-policy/measures"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
        ["GET /api/v1/policy/rules"] = "401 401 401 401 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
        ["GET /api/v1/reports/dno"] = "401 401 401 401 403 400 403 403 403 403 403 403 403 403 403 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["GET /api/v1/reports/penal-policy"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403 403 403 403 200 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/clients"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/designations/{did:guid}/assignments"] = "401 401 401 401 400 400 400 400 400 400 403 403 400 400 403 403 400 400 400 400 400 400 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/designations/{did:guid}/close"] = "401 401 401 401 400 400 400 400 400 400 403 403 400 400 403 403 400 400 400 400 400 400 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/designations/{did:guid}/events"] = "401 401 401 401 400 400 400 400 400 400 403 403 400 400 403 403 400 400 400 400 400 400 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/designations/{did:guid}/obligations"] = "401 401 401 401 400 400 400 400 400 400 403 403 400 400 403 403 400 400 400 400 400 400 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/designations/{did:guid}/observations"] = "401 401 401 401 400 400 400 404 404 404 403 403 404 404 403 403 404 404 404 404 404 404 404 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/designations/{did:guid}/reviews"] = "401 401 401 401 400 400 400 400 400 400 403 403 400 400 403 403 400 400 400 400 400 400 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/exchanges/{eid:guid}/forward"] = "401 401 401 401 404 404 403 400 404 404 404 404 404 404 403 403 404 404 404 404 404 404 404 404 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/exchanges/{eid:guid}/reject"] = "401 401 401 401 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/exchanges/{eid:guid}/release"] = "401 401 401 401 404 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 404 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/follow-up-reports/{rid:guid}/acknowledge"] = "401 401 401 401 400 400 400 400 400 400 403 403 400 400 403 403 400 400 400 400 400 400 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/incident-reports/{rid:guid}/acknowledge"] = "401 401 401 401 400 400 400 400 400 400 403 403 400 400 403 403 400 400 400 400 400 400 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/instances"] = "401 401 401 401 403 400 403 403 403 403 403 403 403 403 403 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/instances/{id:guid}/alternative-measure-opinions"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 400 400 400 400 400 400 400 400 400 400 400 400 400 400 400",
        ["POST /api/v1/instances/{id:guid}/association-proposals"] = "401 401 401 401 400 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/instances/{id:guid}/association-proposals/{proposalId:guid}/cosign"] = "401 401 401 401 404 404 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/instances/{id:guid}/association-proposals/{proposalId:guid}/reject"] = "401 401 401 401 404 404 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/instances/{id:guid}/designations"] = "401 401 401 401 400 400 400 400 400 400 403 403 400 400 403 403 400 400 400 400 400 400 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/instances/{id:guid}/exchanges"] = "401 401 401 401 400 400 400 400 400 400 400 400 400 400 403 403 400 400 400 400 400 400 400 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/instances/{id:guid}/exchanges/check"] = "401 401 401 401 400 400 400 400 400 400 400 400 400 400 403 403 400 400 400 400 400 400 400 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/instances/{id:guid}/follow-up-reports"] = "401 401 401 401 400 400 400 400 400 400 403 403 400 400 403 403 400 400 400 400 400 400 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/instances/{id:guid}/internal-rules/current/acknowledgements"] = "401 401 401 401 409 409 409 409 404 404 404 404 404 404 403 403 404 404 404 404 404 404 404 409 409 409 409 404 404 404 404 404 404 404 404 404 404 404 404",
        ["POST /api/v1/instances/{id:guid}/meetings"] = "401 401 401 401 400 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/instances/{id:guid}/meetings/{meetingId:guid}/minutes/release"] = "401 401 401 401 428 428 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/instances/{id:guid}/members"] = "401 401 401 401 400 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/instances/{id:guid}/participants"] = "401 401 401 401 400 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/instances/{id:guid}/penal-policy-briefings"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 400 400 400 400 400 400 400 400 400 400 400 400 400 400 400",
        ["POST /api/v1/internal-rules"] = "401 401 401 401 403 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/internal-rules/{rulesId:guid}/repeal"] = "401 401 401 401 403 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/organisations"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 400 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/penal-policy-reports"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 400 400 400 400 400 400 400 400 400 400 400 400 400 400 400",
        ["POST /api/v1/penal-policy-reports/{rid:guid}/syntheses"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 400 400 400 400 400 400 400 400 400 400 400 400 400 400 400",
        ["PUT /api/v1/designations/{did:guid}/obligations/{oid:guid}"] = "401 401 401 401 428 428 428 428 428 428 403 403 428 428 403 403 428 428 428 428 428 428 428 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["PUT /api/v1/instances/{id:guid}/meetings/{meetingId:guid}/minutes"] = "401 401 401 401 428 428 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["DELETE /api/v1/designations/{did:guid}/assignments/{aid:guid}"] = "401 401 401 401 204 404 403 404 404 404 403 403 404 404 403 403 404 404 404 404 404 404 404 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["DELETE /api/v1/instances/{id:guid}/members/{organisationId:guid}"] = "401 401 401 401 204 404 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["DELETE /api/v1/instances/{id:guid}/participants/{organisationId:guid}"] = "401 401 401 401 404 404 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/clients/{clientId}/enable"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 204 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/clients/{clientId}/rotate-secret"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
        ["POST /api/v1/clients/{clientId}/disable"] = "401 401 401 401 403 403 403 403 403 403 403 403 403 403 403 204 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
    };

    private readonly List<(string Name, Func<HttpRequestMessage, Task<HttpResponseMessage>> Send)> callers = [];
    private readonly Dictionary<string, string> ids = new(StringComparer.Ordinal);
    private FollowUpWorld world = null!;
    private const string PersonName = "Matrixperson";

    [OneTimeSetUp]
    public async Task CreateWorld()
    {
        // A token that expires: taken before the clock moves past its 15 minutes.
        var expiring = await Api.TokenAsync(ApiFactory.AdminClientId, ApiFactory.AdminSecret);
        Api.Clock.Advance(TimeSpan.FromMinutes(16));
        var valid = await Api.TokenAsync(ApiFactory.AdminClientId, ApiFactory.AdminSecret);
        var tampered = valid[..^3] + (valid[^3] == 'A' ? "B" : "A") + valid[^2..];

        world = await FollowUpWorld.CreateAsync(Api);
        var admin = await Api.AdminAsync();
        var disabled = await Api.ActorAsync("police-nationale", world.Departement, "governance", "exchange", "follow-up");
        using (var off = await admin.PostAsync($"/api/v1/clients/{disabled.ClientId}/disable", null))
        {
            Assert.That(off.IsSuccessStatusCode, Is.True);
        }

        var designation = await world.DesignateAsync(FollowUpWorld.Body(lastName: PersonName));
        var did = designation.GetProperty("id").GetGuid();
        var obligation = FollowUpWorld.ObligationId(designation, 0);
        await world.AssignAsync(did, world.Police, obligation);
        ids["did"] = did.ToString();
        ids["oid"] = obligation.ToString();
        // Throwaway objects for the destructive operations: a member assigned to the designation, removed at the end.
        var removable = await Api.ActorAsync("douanes", world.Departement, "exchange");
        using (var added = await world.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{world.Instance}/members", new { organisationId = removable.OrganisationId }))
        {
            await Json.ReadAsync(added, HttpStatusCode.Created);
        }
        ids["aid:assignment"] = (await world.AssignAsync(did, removable, obligation)).ToString();
        ids["organisationId"] = removable.OrganisationId.ToString();
        ids["clientId"] = (await Api.ActorAsync("association", world.Departement, "governance")).ClientId;

        using (var sent = await world.Police.Http.PostAsJsonAsync($"/api/v1/instances/{world.Instance}/exchanges", new
               {
                   subject = "Matrice", body = $"Point sur {PersonName}", recipientOrganisationIds = new[] { world.Gendarmerie.OrganisationId },
                   attachments = new[] { ExchangeWorld.Text("note.txt", $"Note sur {PersonName}") },
               }))
        {
            var exchange = await Json.ReadAsync(sent, HttpStatusCode.Created);
            ids["eid"] = exchange.GetProperty("id").GetString()!;
            ids["aid:attachment"] = exchange.GetProperty("attachments")[0].GetProperty("id").GetString()!;
        }
        using (var meeting = await world.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{world.Instance}/meetings", new { heldOn = "2026-10-06" }))
        {
            ids["meetingId"] = (await Json.ReadAsync(meeting, HttpStatusCode.Created)).GetProperty("id").GetString()!;
        }
        ids["rulesId"] = Database.Query<string>(Api, "SELECT id FROM gov_internal_rules").First();
        ids["id"] = world.Instance.ToString();

        var anonymous = Api.Anonymous();
        Func<HttpRequestMessage, Task<HttpResponseMessage>> WithToken(string? token) => request =>
        {
            request.Headers.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add(Motif.Header, Motif.Default);
            return anonymous.SendAsync(request);
        };
        Func<HttpRequestMessage, Task<HttpResponseMessage>> As(HttpClient http) => http.SendAsync;
        async Task<Func<HttpRequestMessage, Task<HttpResponseMessage>>> Without(Actor member, string scope)
        {
            var (clientId, secret) = await Api.CreateClientAsync(member.OrganisationId, scope);
            return As(await Api.AsAsync(clientId, secret));
        }

        callers.AddRange([
            ("anonymous", WithToken(null)), ("expired", WithToken(expiring)), ("tampered", WithToken(tampered)), ("disabled", As(disabled.Http)),
            ("procureur", As(world.Procureur.Http)), ("prefet", As(world.Prefet.Http)), ("police", As(world.Police.Http)), ("gendarmerie", As(world.Gendarmerie.Http)),
            ("maire", As(world.Mairie.Http)), ("association", As(world.Association.Http)), ("jap", As(world.Jap.Http)), ("spip", As(world.Spip.Http)),
            ("guest", As(world.Guest.Http)), ("stranger", As(world.Stranger.Http)),
            ("auditeur", As((await Api.ActorAsync("auditeur", null, "audit")).Http)), ("administrateur", As(admin)),
        ]);
        string[] otherKinds = ["procureur-general", "douanes", "pjj", "education-nationale", "finances-publiques", "administration-etat", "transporteur-public"];
        var others = new List<Actor>();
        foreach (var kind in otherKinds)
        {
            var actor = await Api.ActorAsync(kind, world.Departement, FollowUpWorld.Scopes);
            others.Add(actor);
            callers.Add((kind, As(actor.Http)));
        }
        callers.Add(("procureur-no-scope", await Without(world.Procureur, "exchange")));
        callers.Add(("prefet-no-scope", await Without(world.Prefet, "penal-policy")));
        callers.Add(("police-no-scope", await Without(world.Police, "penal-policy")));
        foreach (var actor in new[] { world.Gendarmerie, world.Mairie, world.Association, world.Jap, world.Spip, world.Guest }.Concat(others))
        {
            callers.Add(("penal-policy only", await Without(actor, "penal-policy")));
        }
        Assert.That(callers, Has.Count.EqualTo(Columns.Length));
    }

    /// <summary>Every (method, template) of the app under /api, reads first, then writes, then removals and disabling.</summary>
    private IReadOnlyList<string> Endpoints() =>
        ApiEndpoints.Of(Api.Factory.Services).Select(e => $"{e.Method} {e.Template}")
            .OrderBy(e => e.StartsWith("GET ", StringComparison.Ordinal) ? 0 : e.StartsWith("DELETE ", StringComparison.Ordinal) || e.EndsWith("/disable", StringComparison.Ordinal) ? 2 : 1)
            .ThenBy(e => e, StringComparer.Ordinal)
            .ToList();

    private string Fill(string template) => ApiEndpoints.Fill(template, (name, _) =>
    {
        var key = name == "aid" ? (template.Contains("/attachments/", StringComparison.Ordinal) ? "aid:attachment" : "aid:assignment") : name;
        return name == "position" ? "0" : ids.GetValueOrDefault(key) ?? Guid.NewGuid().ToString();
    });

    [Test]
    public async Task Every_endpoint_answers_every_caller_as_the_table_says_never_5xx_never_another_organisations_data()
    {
        var endpoints = Endpoints();
        var observed = new Dictionary<string, string>(StringComparer.Ordinal);
        var defects = new List<string>();
        var cells = 0;
        foreach (var endpoint in endpoints)
        {
            var method = endpoint[..endpoint.IndexOf(' ', StringComparison.Ordinal)];
            var path = Fill(endpoint[(method.Length + 1)..]);
            var statuses = new List<int>();
            for (var column = 0; column < callers.Count; column++)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT")
                {
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                }
                using var response = await callers[column].Send(request);
                var status = (int)response.StatusCode;
                statuses.Add(status);
                cells++;
                var body = await response.Content.ReadAsStringAsync();
                if (status >= 500)
                {
                    defects.Add($"{endpoint} as {Columns[column]}: {status} {body}");
                }
                // The auditor reads the access log, which names every resource; nothing else of the instance.
                var readsTheLog = column == 14 && endpoint.Contains("/audit/", StringComparison.Ordinal);
                if (Outsiders.Contains(column) && !readsTheLog && status < 300 && (body.Contains(PersonName, StringComparison.Ordinal) || body.Contains(world.Instance.ToString(), StringComparison.Ordinal)))
                {
                    defects.Add($"{endpoint} as {Columns[column]}: {status} discloses the instance's data: {body}");
                }
            }
            observed[endpoint] = string.Join(' ', statuses);
        }
        TestContext.Out.WriteLine($"{endpoints.Count} endpoints × {callers.Count} callers = {cells} cells");
        var table = string.Join('\n', observed.Select(o => $"        [\"{o.Key}\"] = \"{o.Value}\","));
        if (observed.Any(o => !Expected.TryGetValue(o.Key, out var row) || row != o.Value))
        {
            TestContext.Out.WriteLine("The observed rows (review each before copying it into Expected):\n" + table);
        }
        var missing = endpoints.Where(e => !Expected.ContainsKey(e)).ToList();
        var differing = observed.Where(o => Expected.TryGetValue(o.Key, out var expected) && expected != o.Value)
            .Select(o => $"{o.Key}\n  expected {Expected[o.Key]}\n  observed {o.Value}").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(defects, Is.Empty);
            Assert.That(missing, Is.Empty, "endpoints without a row in the table (the observed rows are in the test's output)");
            Assert.That(differing, Is.Empty);
            Assert.That(Expected.Keys.Except(endpoints), Is.Empty, "rows of endpoints that no longer exist");
        });
    }
}
