using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bridge.Storage;
using Bridge.Tests.Admin;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Storage;

public sealed class HistorySearchTests
{
    [Fact]
    public async Task A_slash_command_is_acknowledged_while_an_admin_search_reads_a_long_history()
    {
        await using var app = await AdminApp.StartAsync();
        using (var seed = new LiteDbStore(app.DatabasePath))
        {
            // 600 finished jobs: two slices of the history search.
            for (var i = 0; i < 120; i++)
            {
                await RetentionTests.AcceptFinishedAsync(seed, DateTimeOffset.UtcNow.AddDays(-1), dedupeKey: null, groups: 5);
            }
        }

        await app.LinkAsync();
        HttpResponseMessage? ack = null;
        app.Services.GetRequiredService<LiteDbStore>().GateReleased = async () =>
        {
            // Sent from another thread while the search is under way; it would wait for ever if the search held the store.
            ack ??= await Task.Run(() => app.SlashCommandAsync("Hello team")).WaitAsync(TimeSpan.FromSeconds(30));
        };

        var page = await app.Api().GetFromJsonAsync<JsonObject>("/admin/api/deliveries?group=120363000000000000@g.us");

        Assert.Empty(page!["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, ack!.StatusCode);
        Assert.Contains("Sending to WhatsApp group Field Team", await SlashCommandTests.EphemeralText(ack));
        await app.WhatsApp.WaitForSendsAsync(1);
    }
}
