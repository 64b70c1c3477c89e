using System.Net;
using System.Net.Http.Json;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Tests.Hardening;

/// <summary>
/// Issue 14, must-have 3 (OWASP API1, broken object-level authorisation): the ids of one instance in another instance's
/// routes, another organisation's exchange, attachment or designation → 404, as for an id that does not exist, and a
/// `denied` record of the access log naming the caller and the object it tried.
/// </summary>
public sealed class ObjectLevelTests(DatabaseProvider provider) : ApiTest(provider)
{
    private FollowUpWorld a = null!;
    private FollowUpWorld b = null!;
    private Guid meetingOfA;
    private Guid designationOfA;
    private Guid exchangeOfA;
    private Guid attachmentOfA;

    [OneTimeSetUp]
    public async Task CreateWorlds()
    {
        a = await FollowUpWorld.CreateAsync(Api);
        b = await FollowUpWorld.CreateAsync(Api);
        using (var meeting = await a.Prefet.Http.PostAsJsonAsync($"/api/v1/instances/{a.Instance}/meetings", new { heldOn = "2026-10-06" }))
        {
            meetingOfA = (await Json.ReadAsync(meeting, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        }
        designationOfA = (await a.DesignateAsync()).GetProperty("id").GetGuid();
        using var sent = await a.Police.Http.PostAsJsonAsync($"/api/v1/instances/{a.Instance}/exchanges", new
        {
            subject = "Objet", body = "Point de situation", recipientOrganisationIds = new[] { a.Gendarmerie.OrganisationId },
            attachments = new[] { ExchangeWorld.Text("note.txt", "Note de situation") },
        });
        var exchange = await Json.ReadAsync(sent, HttpStatusCode.Created);
        exchangeOfA = exchange.GetProperty("id").GetGuid();
        attachmentOfA = exchange.GetProperty("attachments")[0].GetProperty("id").GetGuid();
    }

    private long DeniedRecords(Actor caller, Guid objectId) => AuditLog.Scalar(Api,
        $"SELECT COUNT(*) FROM aud_events WHERE client_id = '{caller.ClientId}' AND outcome = 'denied' AND status = 404 " +
        $"AND (resource_id = '{objectId}' OR resource_id LIKE '%{objectId}%' OR related_resource_id = '{objectId}')");

    private async Task DeniedAsync(Actor caller, HttpMethod method, string path, Guid objectId, object? body = null)
    {
        var before = DeniedRecords(caller, objectId);
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        // An update names a version: without one it gets 428 for any id; with one, the object's own answer.
        request.Headers.TryAddWithoutValidation("If-Match", "\"v1\"");
        using var response = await caller.Http.SendAsync(request);
        var problem = await Json.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.That(problem.ToString(), Does.Not.Contain("Martin").And.Not.Contain("Point de situation").And.Not.Contain("Note de situation"), path);
        Assert.That(DeniedRecords(caller, objectId), Is.EqualTo(before + 1), $"{method} {path}: a denied record naming {objectId}");
    }

    [Test]
    public async Task A_meeting_of_one_instance_under_another_instances_route_is_404_for_that_instances_co_chair()
    {
        await DeniedAsync(b.Prefet, HttpMethod.Get, $"/api/v1/instances/{b.Instance}/meetings/{meetingOfA}", meetingOfA);
        await DeniedAsync(b.Prefet, HttpMethod.Put, $"/api/v1/instances/{b.Instance}/meetings/{meetingOfA}/minutes", meetingOfA, new { text = "Relevé" });
    }

    [Test]
    public async Task Another_instances_designation_is_404_for_this_instances_procureur_and_services()
    {
        await DeniedAsync(b.Procureur, HttpMethod.Get, $"/api/v1/designations/{designationOfA}", designationOfA);
        await DeniedAsync(b.Police, HttpMethod.Get, $"/api/v1/designations/{designationOfA}", designationOfA);
        await DeniedAsync(b.Procureur, HttpMethod.Post, $"/api/v1/designations/{designationOfA}/close", designationOfA, new { closedOn = "2026-11-16", reason = "withdrawn" });
    }

    [Test]
    public async Task Another_organisations_exchange_and_attachment_are_404_even_for_a_member_of_the_same_instance()
    {
        // The other instance's police, and a co-chair of the same instance who is not a recipient.
        foreach (var caller in new[] { b.Police, a.Prefet })
        {
            await DeniedAsync(caller, HttpMethod.Get, $"/api/v1/exchanges/{exchangeOfA}", exchangeOfA);
            await DeniedAsync(caller, HttpMethod.Get, $"/api/v1/exchanges/{exchangeOfA}/attachments/{attachmentOfA}", exchangeOfA);
        }
        await DeniedAsync(b.Police, HttpMethod.Post, $"/api/v1/exchanges/{exchangeOfA}/forward", exchangeOfA,
            new { recipientOrganisationIds = new[] { b.Gendarmerie.OrganisationId } });
    }

    [Test]
    public async Task An_attachment_of_one_exchange_under_another_exchange_is_404_for_a_recipient_of_both()
    {
        using var other = await a.Police.Http.PostAsJsonAsync($"/api/v1/instances/{a.Instance}/exchanges", new
        {
            subject = "Autre", body = "Autre point", recipientOrganisationIds = new[] { a.Gendarmerie.OrganisationId }, attachments = Array.Empty<object>(),
        });
        var otherId = (await Json.ReadAsync(other, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await DeniedAsync(a.Gendarmerie, HttpMethod.Get, $"/api/v1/exchanges/{otherId}/attachments/{attachmentOfA}", otherId);
    }
}
