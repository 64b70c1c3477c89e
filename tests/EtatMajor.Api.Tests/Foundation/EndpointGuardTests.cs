using EtatMajor.Api.Hosting;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Http;
using Microsoft.AspNetCore.Builder;

namespace EtatMajor.Api.Tests.Foundation;

/// <summary>The start-up check that no /api endpoint is reachable without a declared access rule.</summary>
public sealed class EndpointGuardTests
{
    [Test]
    public async Task An_api_endpoint_without_an_access_rule_stops_the_start()
    {
        await using var app = WebApplication.CreateBuilder().Build();
        app.MapGet("/api/v1/forgotten", () => "data");
        app.MapGet("/health/other", () => "ok");
        var error = Assert.Throws<InvalidOperationException>(() => EndpointGuard.EnsureEveryApiEndpointIsProtected(app));
        Assert.That(error!.Message, Does.Contain("/api/v1/forgotten").And.Not.Contain("/health/other"));
    }

    [Test]
    public async Task An_api_endpoint_with_an_access_rule_passes()
    {
        await using var app = WebApplication.CreateBuilder().Build();
        app.MapGet("/api/v1/declared", () => "data").Allow("governance").Audit("thing.read", AuditOperation.Consultation, "thing");
        Assert.DoesNotThrow(() => EndpointGuard.EnsureEveryApiEndpointIsProtected(app));
    }

    [Test]
    public async Task LOG_1_an_api_endpoint_without_an_audit_action_stops_the_start()
    {
        await using var app = WebApplication.CreateBuilder().Build();
        app.MapGet("/api/v1/unlogged", () => "data").Allow("governance");
        var error = Assert.Throws<InvalidOperationException>(() => EndpointGuard.EnsureEveryApiEndpointIsProtected(app));
        Assert.That(error!.Message, Does.Contain("/api/v1/unlogged"));
    }

    [Test]
    public async Task LOG_1_a_consultation_of_personal_data_without_a_required_motif_stops_the_start()
    {
        await using var app = WebApplication.CreateBuilder().Build();
        app.MapGet("/api/v1/persons/{id}", (string id) => id).Allow("follow-up").Audit("person.read", AuditOperation.Consultation, "person").PersonalData();
        app.MapGet("/api/v1/justified/{id}", (string id) => id).Allow("follow-up").Audit("person.read", AuditOperation.Consultation, "person")
            .PersonalData().RequireJustification();
        var error = Assert.Throws<InvalidOperationException>(() => EndpointGuard.EnsureEveryApiEndpointIsProtected(app));
        Assert.That(error!.Message, Does.Contain("/api/v1/persons/{id}").And.Contain("RequireJustification").And.Not.Contain("/api/v1/justified"));
    }
}
