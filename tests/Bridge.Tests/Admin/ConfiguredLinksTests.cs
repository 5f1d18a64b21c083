using Bridge.Forwarding;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.Admin;

public sealed class ConfiguredLinksTests
{
    private static void Declare(BridgeApp app)
    {
        app.Settings["Links:0:Platform"] = "Slack";
        app.Settings["Links:0:WorkspaceId"] = "T08ABCD1234";
        app.Settings["Links:0:ChannelId"] = "C08QWERTY12";
        app.Settings["Links:0:GroupId"] = "120363410923125768@g.us";
        app.Settings["Links:0:GroupName"] = "Field Team";
        app.Settings["Links:1:Platform"] = "teams";
        app.Settings["Links:1:WorkspaceId"] = "tenant-1";
        app.Settings["Links:1:ChannelId"] = "19:abc@thread.tacv2";
        app.Settings["Links:1:GroupId"] = "120363410923125769@g.us";
        app.Settings["Links:1:SessionId"] = "second-session";
    }

    [Fact]
    public async Task Links_declared_in_configuration_are_applied_at_start_once()
    {
        var directory = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"));
        var database = Path.Combine(directory, "bridge.db");
        try
        {
            await using (var first = await AdminApp.StartAsync(a =>
                         {
                             Declare(a);
                             a.Settings["Storage:LiteDbPath"] = database;
                         }))
            {
                var links = await first.LinkStore.ListLinksAsync(null, null, null, default);
                Assert.Equal(2, links.Count);
                var slack = links.Single(l => l.Platform == Platform.Slack);
                Assert.Equal(("T08ABCD1234", "C08QWERTY12", FakeTalkNTalk.DefaultSessionId, "Field Team", "configuration"),
                    (slack.WorkspaceId, slack.ChannelId, slack.SessionId, slack.GroupName, slack.CreatedBy));
                var teams = links.Single(l => l.Platform == Platform.Teams);
                Assert.Equal(("second-session", "120363410923125769@g.us"), (teams.SessionId, teams.GroupName));
                Assert.Contains(first.Logs, l => l.Contains("2 links declared in configuration, 2 of them new"));
            }

            await using var second = await AdminApp.StartAsync(a =>
            {
                Declare(a);
                a.Settings["Storage:LiteDbPath"] = database;
            });
            Assert.Equal(2, (await second.LinkStore.ListLinksAsync(null, null, null, default)).Count);
            Assert.Contains(second.Logs, l => l.Contains("2 links declared in configuration, 0 of them new"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_malformed_declared_link_stops_start_up_naming_its_key()
    {
        await using var app = await AdminApp.StartAsync(a =>
        {
            Declare(a);
            a.Settings["Links:1:GroupId"] = "27831234567@s.whatsapp.net";
        });

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("Links:1:GroupId", error.Message);
        Assert.Contains("@g.us", error.Message);
    }
}
