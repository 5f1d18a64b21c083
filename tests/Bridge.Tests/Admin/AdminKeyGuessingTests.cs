using System.Net;
using System.Text.Json.Nodes;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Admin;

public sealed class AdminKeyGuessingTests
{
    private const string Guesser = "203.0.113.7";
    private const string Neighbour = "203.0.113.8";

    private static Task<BridgeApp> StartAsync(FakeTimeProvider clock) =>
        AdminApp.StartAsync(app =>
        {
            app.Time = clock;
            app.TrustTestProxy();
        });

    [Fact]
    public async Task The_21st_wrong_key_within_a_minute_from_one_address_gets_429_while_other_addresses_and_later_the_right_key_work()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero));
        await using var app = await StartAsync(clock);
        var wrong = app.Api("adm_wrong_0123456789abcdefghijklmnop").From(Guesser);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/admin/api/links")).StatusCode);
        }

        clock.Advance(TimeSpan.FromSeconds(15));
        var refused = await wrong.GetAsync("/admin/api/links");
        var rightFromGuesser = await app.Api().From(Guesser).GetAsync("/admin/api/links");
        var rightFromNeighbour = await app.Api().From(Neighbour).GetAsync("/admin/api/links");
        var wrongFromNeighbour = await app.Api("adm_wrong_0123456789abcdefghijklmnop").From(Neighbour).GetAsync("/admin/api/links");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(45), refused.Headers.RetryAfter!.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal(429, (int)problem["status"]!);
        Assert.Contains("45 seconds", (string)problem["detail"]!);
        // Throttled, the right key is refused too: the answer must not tell a guesser that a key was right.
        Assert.Equal(HttpStatusCode.TooManyRequests, rightFromGuesser.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rightFromNeighbour.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongFromNeighbour.StatusCode);
        var logged = Assert.Single(app.Logs, l => l.Contains("[5010]"));
        Assert.Contains(Guesser, logged);

        clock.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(HttpStatusCode.OK, (await app.Api().From(Guesser).GetAsync("/admin/api/links")).StatusCode);
    }

    [Fact]
    public async Task An_IPv6_guesser_is_counted_by_its_64_network_not_by_each_address()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero));
        await using var app = await StartAsync(clock);

        for (var i = 1; i <= 20; i++)
        {
            var response = await app.Api("adm_wrong_0123456789abcdefghijklmnop").From($"2001:db8:0:7::{i:x}").GetAsync("/admin/api/links");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.Api().From("2001:db8:0:7::ffff").GetAsync("/admin/api/links")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Api().From("2001:db8:0:8::1").GetAsync("/admin/api/links")).StatusCode);
    }

    [Fact]
    public async Task Right_keys_are_not_counted()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero));
        await using var app = await StartAsync(clock);
        var right = app.Api().From(Guesser);

        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await right.GetAsync("/admin/api/links")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Api("adm_wrong_0123456789abcdefghijklmnop").From(Guesser).GetAsync("/admin/api/links")).StatusCode);
    }
}
