using System.Collections;
using System.Net;
using System.Net.Http.Json;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.Api.Tests.Foundation;

/// <summary>Issue 8, point 6: every list is `{items, nextCursor}` with cursor pagination (conventions.md).</summary>
public sealed class ListTests(DatabaseProvider provider) : ApiTest(provider)
{
    [Test]
    public void No_endpoint_answers_a_bare_array()
    {
        var endpoints = Api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var bare = endpoints
            .SelectMany(e => e.Metadata.OfType<IProducesResponseTypeMetadata>().Select(p => (Endpoint: e.RoutePattern.RawText, p.Type)))
            .Where(p => p.Type is not null && p.Type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(p.Type))
            .Select(p => $"{p.Endpoint} → {p.Type!.Name}")
            .ToList();
        var pages = endpoints.Count(e => e.Metadata.OfType<IProducesResponseTypeMetadata>()
            .Any(p => p.Type is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(Page<>)));
        Assert.Multiple(() =>
        {
            Assert.That(bare, Is.Empty);
            Assert.That(pages, Is.GreaterThanOrEqualTo(11), "the lists of organisations, instances, members, proposals, meetings, internal rules, acknowledgements, exchanges, audit events, checkpoints and keys");
        });
    }

    private static async Task<List<string>> WalkAsync(HttpClient http, string path, string key)
    {
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            using var response = await http.GetAsync($"{path}{separator}limit=1" + (cursor is null ? "" : $"&cursor={cursor}"));
            var page = await Json.ReadAsync(response, HttpStatusCode.OK);
            var items = page.GetProperty("items");
            Assert.That(items.GetArrayLength(), Is.LessThanOrEqualTo(1));
            seen.AddRange(items.EnumerateArray().Select(i => i.GetProperty(key).ToString()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null && seen.Count < 20);
        return seen;
    }

    [Test]
    public async Task Members_and_meetings_page_one_by_one_in_order_and_a_cursor_of_another_list_is_refused()
    {
        var d = await Departement.CreateAsync(Api);
        var ems = await d.EmsAsync();
        var police = await Api.ActorAsync("procureur", d.Code, "governance");
        await d.AddAsync(ems, police);
        foreach (var day in new[] { "2026-02-10", "2026-01-12" })
        {
            using var meeting = await d.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{ems}/meetings", new { heldOn = day, themes = new[] { $"Thème du {day}", "Sécurité routière" } });
            await Json.ReadAsync(meeting, HttpStatusCode.Created);
        }

        var members = await WalkAsync(d.Prefet.Http, $"/api/v1/instances/{ems}/members", "organisationId");
        var meetings = await WalkAsync(d.Prefet.Http, $"/api/v1/instances/{ems}/meetings?year=2026", "heldOn");
        using var page = await d.Prefet.Http.GetAsync($"/api/v1/instances/{ems}/meetings?year=2026");
        var themes = (await Json.ReadAsync(page, HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .Select(m => string.Join(", ", m.GetProperty("themes").EnumerateArray().Select(t => t.GetString()))).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(members, Has.Count.EqualTo(3).And.Unique);
            Assert.That(members[^1], Is.EqualTo(police.OrganisationId.ToString()), "in the order they joined");
            Assert.That(meetings, Is.EqualTo(new[] { "2026-01-12", "2026-02-10" }), "in date order");
            Assert.That(themes, Is.EqualTo(new[] { "Thème du 2026-01-12, Sécurité routière", "Thème du 2026-02-10, Sécurité routière" }), "each with its themes, in order");
        });

        // A cursor of the organisations' list (a code) is not a cursor of the members' list.
        using var organisations = await (await Api.AdminAsync()).GetAsync("/api/v1/organisations?limit=1");
        var foreign = (await Json.ReadAsync(organisations, HttpStatusCode.OK)).GetProperty("nextCursor").GetString();
        using var refused = await d.Prefet.Http.GetAsync($"/api/v1/instances/{ems}/members?cursor={foreign}");
        var problem = await Json.ProblemAsync(refused, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty("cursor", out _), Is.True);
    }

    [Test]
    public async Task LOG_2_an_audit_cursor_that_is_not_one_is_refused_with_400()
    {
        var auditor = await Api.ActorAsync("auditeur", null, "audit");
        foreach (var path in new[] { "/api/v1/audit/events?cursor=AAAA", "/api/v1/audit/checkpoints?cursor=AAAA", "/api/v1/audit/keys?cursor=AAAA" })
        {
            using var response = await auditor.Http.GetAsync(path);
            var problem = await Json.ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.That(problem.GetProperty("errors").TryGetProperty("cursor", out _), Is.True, path);
        }
    }
}
