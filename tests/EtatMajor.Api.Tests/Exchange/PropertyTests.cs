using System.Net;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Api.Tests.Exchange;

/// <summary>
/// CONF-1 and CONF-4 as a property: over random recipient sets drawn from members, a member who has not
/// acknowledged, guests, removed members and outsiders, a message is delivered if and only if every recipient
/// is an acknowledged current member.
/// </summary>
public sealed class PropertyTests(DatabaseProvider provider) : ApiTest(provider)
{
    [Test]
    public async Task CONF_1_CONF_4_delivered_if_and_only_if_every_recipient_is_an_acknowledged_current_member([Values(20260314)] int seed)
    {
        var world = await ExchangeWorld.CreateAsync(Api);
        var second = await Api.ActorAsync("pjj", TestApi.FreshDepartement(), "exchange");
        var pool = new (Actor Actor, bool Allowed)[]
        {
            (world.Gendarmerie, true), (world.Prefet, true), (world.Procureur, true),
            (world.Douanes, false), (world.Guest, false), (world.Removed, false), (world.Stranger, false), (second, false),
        };
        var random = new Random(seed);
        var delivered = 0;
        var refused = 0;
        for (var round = 0; round < 40; round++)
        {
            var recipients = pool.Where(_ => random.NextDouble() < 0.35).ToList();
            if (recipients.Count == 0)
            {
                recipients.Add(pool[random.Next(pool.Length)]);
            }
            var expected = recipients.All(r => r.Allowed);
            using var response = await world.SendAsync(world.Police, recipients.Select(r => r.Actor));
            var names = string.Join(", ", recipients.Select(r => r.Actor.Code));
            if (expected)
            {
                var id = (await Json.ReadAsync(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
                foreach (var (actor, _) in recipients)
                {
                    using var read = await actor.Http.GetAsync($"/api/v1/exchanges/{id}");
                    Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"round {round}: {actor.Code} receives ({names})");
                }
                delivered++;
            }
            else
            {
                var problem = await Json.ProblemAsync(response, HttpStatusCode.Forbidden);
                Assert.That(problem.GetProperty("ruleId").GetString(), Is.AnyOf("CONF-1", "CONF-4"), $"round {round} ({names})");
                refused++;
            }
        }
        Assert.Multiple(() =>
        {
            Assert.That(delivered, Is.GreaterThan(0), "some sets were delivered");
            Assert.That(refused, Is.GreaterThan(0), "some sets were refused");
        });
    }
}
