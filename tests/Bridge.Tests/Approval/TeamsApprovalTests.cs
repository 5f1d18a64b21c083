using System.Net;
using System.Text.Json.Nodes;
using Bridge.Forwarding;
using Bridge.Tests.Teams;

namespace Bridge.Tests.Approval;

public sealed class TeamsApprovalTests
{
    private const string FieldTeam = "120363410923125768@g.us";
    private const string CardType = "application/vnd.microsoft.card.adaptive";

    [Fact]
    public async Task A_big_group_gets_a_preview_card_in_the_thread_and_its_Send_invoke_sends_once()
    {
        await using var teams = await StartAsync();

        var response = await teams.PostAsync(teams.Mention("send Hello *team*"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var card = await CardAsync(teams);
        Assert.Equal(("AdaptiveCard", "1.4"), ((string?)card["type"], (string?)card["version"]));
        Assert.Equal(
            ["Preview of a send to WhatsApp from Maria Lopez", "Hello *team*", "Groups", "• Field Team: 250 members", "Total: 250 people"],
            Texts(card).Take(5));
        Assert.Equal("Monospace", (string?)card["body"]![1]!["inlines"]![0]!["fontType"]);
        Assert.Contains("Nothing is sent until you press Send", Texts(card)[5]);
        var actions = card["actions"]!.AsArray();
        Assert.Equal([("Action.Execute", "approval.send", "Send"), ("Action.Execute", "approval.cancel", "Cancel")],
            actions.Select(a => ((string)a!["type"]!, (string)a["verb"]!, (string)a["title"]!)));
        var id = (string)actions[0]!["data"]!["approvalId"]!;
        Assert.Empty(teams.App.WhatsApp.Sends);

        var first = await InvokeAsync(teams, "approval.send", id);
        var second = await InvokeAsync(teams, "approval.send", id);

        Assert.Equal((200, CardType), ((int)first["statusCode"]!, (string?)first["type"]));
        Assert.Contains("Sent by Maria Lopez at", Texts(first["value"]!.AsObject())[5]);
        Assert.Null(first["value"]!["actions"]);
        Assert.Equal(CardType, (string?)second["type"]);
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Text.Contains("✅ Sent to WhatsApp group Field Team")));
        var send = Assert.Single(teams.App.WhatsApp.Sends);
        Assert.Equal((FieldTeam, "Hello *team*"), (send.To, send.Message));
    }

    [Fact]
    public async Task Cancel_redraws_the_card_and_sends_nothing_and_only_the_sender_may_press()
    {
        await using var teams = await StartAsync();
        await teams.PostAsync(teams.Mention("send Not yet"));
        var id = (string)(await CardAsync(teams))["actions"]![0]!["data"]!["approvalId"]!;

        var stranger = await InvokeAsync(teams, "approval.send", id, aadObjectId: "0f0f0f0f-1111-2222-3333-444455556666");
        var cancelled = await InvokeAsync(teams, "approval.cancel", id);

        Assert.Equal(("application/vnd.microsoft.activity.message", "Only the person who asked to send this can send or cancel it."),
            ((string?)stranger["type"], (string?)stranger["value"]));
        Assert.Contains("Cancelled by Maria Lopez", Texts(cancelled["value"]!.AsObject())[^1]);
        Assert.Equal(ApprovalState.Cancelled, (await teams.App.ApprovalStore.GetApprovalAsync(id, default))!.State);
        Assert.Empty(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Empty(teams.App.WhatsApp.Sends);
    }

    private static async Task<TeamsBridge> StartAsync()
    {
        var teams = await TeamsBridge.StartAsync(a => a.Settings["Approval:MinParticipants"] = "100");
        teams.App.WhatsApp.Groups[FakeTalkNTalk.DefaultSessionId][0] = new FakeGroup(FieldTeam, "Field Team", 250);
        await teams.LinkAsync();
        return teams;
    }

    private static async Task<JsonObject> CardAsync(TeamsBridge teams)
    {
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Body["attachments"] is not null));
        var attachment = teams.BotFramework.Posts.Single(p => p.Body["attachments"] is not null).Body["attachments"]![0]!;
        Assert.Equal(CardType, (string?)attachment["contentType"]);
        return attachment["content"]!.AsObject();
    }

    /// <summary>An <c>adaptiveCard/action</c> invoke as Teams sends it for an Action.Execute press, signed like every activity.</summary>
    private static async Task<JsonObject> InvokeAsync(TeamsBridge teams, string verb, string approvalId, string? aadObjectId = null)
    {
        var activity = teams.Mention("x");
        activity["type"] = "invoke";
        activity["name"] = "adaptiveCard/action";
        activity.Remove("text");
        activity.Remove("attachments");
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = new JsonObject { ["approvalId"] = approvalId } },
            ["trigger"] = "manual",
        };
        if (aadObjectId is not null)
        {
            activity["from"] = new JsonObject { ["id"] = "29:someone-else", ["name"] = "Sam Other", ["aadObjectId"] = aadObjectId };
        }

        var response = await teams.PostAsync(activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static List<string> Texts(JsonObject card) =>
        [.. card["body"]!.AsArray().Select(block => (string)block!["inlines"]![0]!["text"]!)];
}
