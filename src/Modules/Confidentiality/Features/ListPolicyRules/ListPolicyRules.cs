using EtatMajor.Modules.Confidentiality.Rules;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Http;
using EtatMajor.SharedKernel.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EtatMajor.Modules.Confidentiality.Features.ListPolicyRules;

internal sealed record PolicyRuleDto(string Id, string LegalBasis, string Description, string ProblemType);

/// <summary>A CONF-2 marker: `document` (the content has the form of a piece of procedure: refused) or `mention` (held for review).</summary>
internal sealed record MarkerDto(string Id, string Label, string Form);

/// <summary>DATA-1: the act this deployment names, so that integrators can show it to the persons concerned.</summary>
internal sealed record AuthorisingActDto(string? Reference, string? CnilDeliberation, bool PersonalDataEnabled, IReadOnlyList<string> MissingSettings);

internal sealed record PolicyCatalogueDto(
    IReadOnlyList<PolicyRuleDto> Rules, IReadOnlyList<string> ForbiddenDocumentKinds, IReadOnlyList<MarkerDto> Markers, AuthorisingActDto AuthorisingAct);

/// <summary>The rules every module contributed, with their legal basis and problem type, to explain a denial to a person.</summary>
internal static class ListPolicyRulesEndpoint
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var endpoint = app.MapGet("/api/v1/policy/rules", (IEnumerable<IPolicyRule> rules, AuthorisingAct act) => new PolicyCatalogueDto(
                rules.Select(r => new PolicyRuleDto(r.Rule.Id, r.Rule.LegalBasis, r.Description, r.ProblemType)).ToList(),
                CriminalProcedureDocuments.Kinds,
                Markers.All.Select(m => new MarkerDto(m.Id, m.Label, m.Form == MarkerForm.Document ? "document" : "mention")).ToList(),
                new AuthorisingActDto(act.Reference, act.CnilDeliberation, act.PermitsPersonalData, act.Missing)))
            .WithTags("Confidentiality")
            .WithName("ListPolicyRules")
            .Audit("policy.rules", AuditOperation.Consultation, "policy", null)
            .WithSummary("The confidentiality rules with their legal basis, the forbidden document kinds, the markers and the authorising act (DATA-1), to explain a decision")
            .Produces<PolicyCatalogueDto>();
        // Any authenticated client, whatever its scope.
        foreach (var scope in Scopes.All)
        {
            endpoint.Allow(scope);
        }
    }
}
