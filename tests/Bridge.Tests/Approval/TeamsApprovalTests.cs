using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bridge.Forwarding;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Teams;
using Microsoft.Extensions.Time.Testing;

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

        var cardId = teams.BotFramework.Posts.Single(p => p.Body["attachments"] is not null).Id;
        var first = await InvokeAsync(teams, "approval.send", id, cardId);
        var second = await InvokeAsync(teams, "approval.send", id, cardId);

        Assert.Equal((200, CardType), ((int)first["statusCode"]!, (string?)first["type"]));
        Assert.Contains("Sent by Maria Lopez at", Texts(first["value"]!.AsObject())[5]);
        Assert.Null(first["value"]!["actions"]);
        Assert.Equal(CardType, (string?)second["type"]);
        // The invoke answer redraws the card for the presser; everyone else sees it replaced in place.
        var cardPost = teams.BotFramework.Posts.Single(p => p.Body["attachments"] is not null);
        await teams.BotFramework.WaitForUpdatesAsync(updates => updates.Count >= 1);
        var update = teams.BotFramework.Updates[0];
        Assert.Equal((cardPost.ConversationId, cardPost.Id, cardPost.Id), (update.ConversationId, update.ActivityId, (string?)update.Body["id"]));
        var redrawn = update.Body["attachments"]![0]!["content"]!.AsObject();
        Assert.Contains("Sent by Maria Lopez at", Texts(redrawn)[5]);
        Assert.Null(redrawn["actions"]);
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

        var cardId = teams.BotFramework.Posts.Single(p => p.Body["attachments"] is not null).Id;

        var stranger = await InvokeAsync(teams, "approval.send", id, cardId, aadObjectId: "0f0f0f0f-1111-2222-3333-444455556666");
        var cancelled = await InvokeAsync(teams, "approval.cancel", id, cardId);

        // The refusal left the card as it was; the cancel replaced it for everyone.
        await teams.BotFramework.WaitForUpdatesAsync(updates => updates.Count >= 1);
        Assert.Contains("Cancelled by Maria Lopez", Texts(Assert.Single(teams.BotFramework.Updates).Body["attachments"]![0]!["content"]!.AsObject())[^1]);

        Assert.Equal(("application/vnd.microsoft.activity.message", "Only the person who asked to send this can send or cancel it."),
            ((string?)stranger["type"], (string?)stranger["value"]));
        Assert.Contains("Cancelled by Maria Lopez", Texts(cancelled["value"]!.AsObject())[^1]);
        Assert.Equal(ApprovalState.Cancelled, (await teams.App.ApprovalStore.GetApprovalAsync(id, default))!.State);
        Assert.Empty(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Empty(teams.App.WhatsApp.Sends);
    }

    [Fact]
    public async Task A_client_without_Universal_Actions_presses_the_Action_Submit_fallback_and_is_answered_in_the_conversation()
    {
        await using var teams = await StartAsync();
        await teams.PostAsync(teams.Mention("send From an old client"));
        var card = await CardAsync(teams);
        var cardPost = teams.BotFramework.Posts.Single(p => p.Body["attachments"] is not null);
        var send = card["actions"]![0]!;
        var fallback = send["fallback"]!;
        Assert.Equal(("Action.Submit", "Send", "approval.send"), ((string?)fallback["type"], (string?)fallback["title"], (string?)fallback["data"]!["verb"]));
        var id = (string)fallback["data"]!["approvalId"]!;

        Assert.Equal(HttpStatusCode.OK, (await teams.PostAsync(Submitted(teams, fallback["data"]!, cardPost.Id, aadObjectId: "0f0f0f0f-1111-2222-3333-444455556666"))).StatusCode);
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Text == "Only the person who asked to send this can send or cancel it."));
        Assert.Empty(teams.App.WhatsApp.Sends);

        Assert.Equal(HttpStatusCode.OK, (await teams.PostAsync(Submitted(teams, fallback["data"]!, cardPost.Id))).StatusCode);

        await teams.App.WhatsApp.WaitForSendsAsync(1);
        Assert.Equal("From an old client", Assert.Single(teams.App.WhatsApp.Sends).Message);
        await teams.BotFramework.WaitForUpdatesAsync(updates => updates.Count >= 1);
        var update = Assert.Single(teams.BotFramework.Updates);
        Assert.Equal(cardPost.Id, update.ActivityId);
        Assert.Contains("Sent by Maria Lopez at", Texts(update.Body["attachments"]![0]!["content"]!.AsObject())[5]);
        Assert.Equal(ApprovalState.Accepted, (await teams.App.ApprovalStore.GetApprovalAsync(id, default))!.State);
    }

    [Fact]
    public async Task A_card_nobody_pressed_is_redrawn_as_expired_in_place_when_its_time_runs_out()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await using var teams = await StartAsync(a =>
        {
            a.Time = clock;
            a.Settings["Approval:Lifetime"] = "01:00:00";
        });
        await teams.PostAsync(teams.Mention("send Nobody looked"));
        var id = (string)(await CardAsync(teams))["actions"]![0]!["data"]!["approvalId"]!;
        var cardPost = teams.BotFramework.Posts.Single(p => p.Body["attachments"] is not null);
        // The card's id is kept once the Connector answers the post, after the activity itself was answered.
        await teams.App.WaitForLogAsync(line => line.Contains($"approval {id} was posted as activity {cardPost.Id}"));

        // The hour reaches ExpiresAt and the minute's sweep runs; the clock then stays put, so the Connector call's own
        // timeout (on the same clock) can't cut it off.
        teams.App.AdvanceTime(TimeSpan.FromMinutes(60));
        await teams.BotFramework.WaitForUpdatesAsync(updates => updates.Count >= 1);

        var update = Assert.Single(teams.BotFramework.Updates);
        Assert.Equal((cardPost.ConversationId, cardPost.Id), (update.ConversationId, update.ActivityId));
        var expired = update.Body["attachments"]![0]!["content"]!.AsObject();
        Assert.Equal("⌛ Expired at 2026-12-01 09:00 UTC: nothing was sent.", Texts(expired)[^1]);
        Assert.Null(expired["actions"]);
        Assert.Equal(ApprovalState.Expired, (await teams.App.ApprovalStore.GetApprovalAsync(id, default))!.State);
        Assert.Empty(teams.App.WhatsApp.Sends);
    }

    [Fact]
    public async Task A_card_the_Connector_refuses_closes_its_approval_and_tells_the_sender_in_the_thread()
    {
        await using var teams = await StartAsync();
        teams.BotFramework.PostBehavior = post => post.Body["attachments"] is not null ? (400, null) : null;

        await teams.PostAsync(teams.Mention("send Never shown"));

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Text.Contains("could not show its preview")));
        var told = teams.BotFramework.Posts.Single(p => p.Text.Contains("could not show its preview"));
        Assert.Equal(
            "This send needs approval, but Bridge could not show its preview (The Teams Bot Connector answered HTTP 400); nothing was sent. Try again, or tell a Bridge admin.",
            told.Text);
        var failure = Assert.Single(teams.App.Logs, line => line.Contains("[4501]"));
        var id = Regex.Match(failure, "approval (\\S+) could not be posted").Groups[1].Value;
        var approval = (await teams.App.ApprovalStore.GetApprovalAsync(id, default))!;
        Assert.Equal((ApprovalState.Cancelled, "Bridge"), (approval.State, approval.DecidedByName));
        Assert.Empty(teams.App.WhatsApp.Sends);
    }

    private static async Task<TeamsBridge> StartAsync(Action<BridgeApp>? configure = null)
    {
        var teams = await TeamsBridge.StartAsync(a =>
        {
            a.Settings["Approval:MinParticipants"] = "100";
            configure?.Invoke(a);
        });
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
    /// <param name="cardId">The pressed card's activity id, which Teams sends as the invoke's replyToId (none: a card Bridge can't replace).</param>
    private static async Task<JsonObject> InvokeAsync(TeamsBridge teams, string verb, string approvalId, string? cardId = null, string? aadObjectId = null)
    {
        var activity = teams.Mention("x");
        activity["type"] = "invoke";
        activity.Remove("replyToId");
        if (cardId is not null)
        {
            activity["replyToId"] = cardId;
        }

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

    /// <summary>The message an Action.Submit press sends: no text, the button's data as its value, in reply to the card.</summary>
    private static JsonObject Submitted(TeamsBridge teams, JsonNode data, string cardId, string? aadObjectId = null)
    {
        var activity = teams.Mention("x");
        activity.Remove("text");
        activity.Remove("attachments");
        activity.Remove("entities");
        activity["replyToId"] = cardId;
        activity["value"] = data.DeepClone();
        if (aadObjectId is not null)
        {
            activity["from"] = new JsonObject { ["id"] = "29:someone-else", ["name"] = "Sam Other", ["aadObjectId"] = aadObjectId };
        }

        return activity;
    }

    private static List<string> Texts(JsonObject card) =>
        [.. card["body"]!.AsArray().Select(block => (string)block!["inlines"]![0]!["text"]!)];
}
