using System.Diagnostics;
using System.Globalization;
using System.Net;
using EtatMajor.Api.Hosting;
using EtatMajor.SharedKernel.Data;
using Microsoft.Extensions.Time.Testing;

namespace EtatMajor.Api.Tests.Foundation;

/// <summary>
/// Issue 13: trace ids begin with the time, so that the access log's trace index grows at its end; a caller's own
/// trace (traceparent) is continued as it is.
/// </summary>
public sealed class TraceIdTests(DatabaseProvider provider) : ApiTest(provider)
{
    [Test]
    public void A_trace_id_is_six_bytes_of_milliseconds_then_ten_random_bytes()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        var first = TraceIds.Next(clock).ToHexString();
        var same = TraceIds.Next(clock).ToHexString();
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var later = TraceIds.Next(clock).ToHexString();
        Assert.Multiple(() =>
        {
            Assert.That(long.Parse(first[..12], NumberStyles.HexNumber, CultureInfo.InvariantCulture), Is.EqualTo(clock.GetUtcNow().ToUnixTimeMilliseconds() - 1));
            Assert.That(first[..12], Is.EqualTo(same[..12]));
            Assert.That(first[12..], Is.Not.EqualTo(same[12..]), "the rest is random");
            Assert.That(string.CompareOrdinal(later, first), Is.GreaterThan(0), "a later millisecond sorts after");
            Assert.That(string.CompareOrdinal(later, same), Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task Requests_get_time_ordered_trace_ids_and_a_callers_traceparent_is_continued()
    {
        var http = Api.Anonymous();
        using var first = await http.GetAsync("/api/v1/instances");
        await Task.Delay(5);
        using var second = await http.GetAsync("/api/v1/instances");
        var firstId = (await Json.ProblemAsync(first, HttpStatusCode.Unauthorized)).GetProperty("traceId").GetString()!;
        var secondId = (await Json.ProblemAsync(second, HttpStatusCode.Unauthorized)).GetProperty("traceId").GetString()!;

        var caller = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/instances");
        request.Headers.Add("traceparent", $"00-{caller}-0102030405060708-01");
        using var continued = await http.SendAsync(request);
        var continuedId = (await Json.ProblemAsync(continued, HttpStatusCode.Unauthorized)).GetProperty("traceId").GetString()!;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Multiple(() =>
        {
            Assert.That(string.CompareOrdinal(secondId, firstId), Is.GreaterThan(0), $"{firstId} then {secondId}");
            Assert.That(long.Parse(firstId[3..15], NumberStyles.HexNumber, CultureInfo.InvariantCulture), Is.InRange(now - 60_000, now));
            Assert.That(continuedId, Does.Contain(caller));
        });
    }
}
