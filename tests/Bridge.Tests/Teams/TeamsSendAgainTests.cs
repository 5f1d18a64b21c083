using System.Net;
using System.Text.Json.Nodes;
using Bridge.Fakes;

namespace Bridge.Tests.Teams;

/// <summary>The Send again action of a failed outcome's Adaptive Card, pressed as an <c>adaptiveCard/action</c> invoke.</summary>
public sealed class TeamsSendAgainTests
{
    /// <summary>Maria, who sends in the mention fixture.</summary>
    private const string SenderAadId = "5b1e9c7a-2d4f-4a8b-9e3c-7f6a5d4c3b21";

    private static async Task<ConnectorPost> FailedOutcomeAsync(TeamsBridge teams, FakeAnswer? answer = null, char mark = '❌')
    {
        await teams.LinkAsync();
        teams.App.WhatsApp.SendBehavior = _ => answer ?? new FakeAnswer(400, "The group does not accept messages.");
        await teams.PostAsync(teams.Mention("send Truck 12 is in"));
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Text.StartsWith(mark)));
        teams.App.WhatsApp.SendBehavior = null;
        return teams.BotFramework.Posts.Single(p => p.Text.StartsWith(mark));
    }

    private static async Task<JsonNode> AnswerOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static JsonObject Action(ConnectorPost outcome)
    {
        var attachment = outcome.Body["attachments"]!.AsArray().Single()!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)attachment["contentType"]);
        return attachment["content"]!["actions"]!.AsArray().Single()!.AsObject();
    }

    /// <summary>The invoke Teams sends when <paramref name="aadObjectId"/> presses the card's action.</summary>
    private static JsonObject Press(TeamsBridge teams, JsonObject action, string aadObjectId, string name)
    {
        var invoke = teams.Activity("teams-message-mention.json");
        invoke["type"] = "invoke";
        invoke["name"] = "adaptiveCard/action";
        invoke["id"] = "f:" + Guid.NewGuid().ToString("N");
        invoke.Remove("text");
        invoke.Remove("attachments");
        invoke.Remove("entities");
        invoke["from"] = new JsonObject { ["id"] = "29:" + aadObjectId, ["name"] = name, ["aadObjectId"] = aadObjectId };
        invoke["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = action["verb"]!.DeepClone(), ["data"] = action["data"]!.DeepClone() },
            ["trigger"] = "manual",
        };
        return invoke;
    }

    [Fact]
    public async Task The_failed_outcome_card_has_the_action_and_the_sender_sends_again_through_its_invoke()
    {
        await using var teams = await TeamsBridge.StartAsync();
        var failed = await FailedOutcomeAsync(teams);
        var action = Action(failed);
        Assert.Equal(("Action.Execute", "Send again"), ((string?)action["type"], (string?)action["title"]));
        Assert.StartsWith("send-again.", (string?)action["verb"]);
        Assert.StartsWith("❌ Not sent to WhatsApp group Field Team", failed.Text);
        var sendsBefore = teams.App.WhatsApp.Sends.Count;

        var press = Press(teams, action, SenderAadId, "Maria Lopez");
        press["replyToId"] = failed.Id;
        var response = await teams.PostAsync(press);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal((200, "application/vnd.microsoft.card.adaptive"), ((int?)answer["statusCode"], (string?)answer["type"]));
        var card = answer["value"]!;
        Assert.Null(card["actions"]);
        Assert.Contains("Sent again by Maria Lopez at ", card["body"]!.ToJsonString());
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Text.StartsWith('✅')));
        var resent = Assert.Single(teams.App.WhatsApp.Sends.Skip(sendsBefore));
        var again = teams.BotFramework.Posts.Single(p => p.Text.StartsWith('✅'));
        Assert.Contains(resent.MessageId!, again.Text);
        Assert.Equal(failed.ConversationId, again.ConversationId);
        Assert.Null(again.Body["attachments"]);
        // The invoke answer redrew the card for Maria; everyone else sees the outcome card replaced, without its button.
        await teams.BotFramework.WaitForUpdatesAsync(updates => updates.Count >= 1);
        var update = Assert.Single(teams.BotFramework.Updates);
        Assert.Equal(failed.Id, update.ActivityId);
        Assert.Contains("Sent again by Maria Lopez at ", update.Body["attachments"]![0]!["content"]!["body"]!.ToJsonString());
        Assert.Null(update.Body["attachments"]![0]!["content"]!["actions"]);
    }

    [Fact]
    public async Task Someone_else_pressing_the_card_is_told_only_the_sender_or_an_admin_can_and_nothing_is_sent()
    {
        await using var teams = await TeamsBridge.StartAsync();
        var failed = await FailedOutcomeAsync(teams);
        var sendsBefore = teams.App.WhatsApp.Sends.Count;

        var response = await teams.PostAsync(Press(teams, Action(failed), "0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f", "Sam Other"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal((200, "application/vnd.microsoft.activity.message", "Only the sender or an admin can send again."),
            ((int?)answer["statusCode"], (string?)answer["type"], (string?)answer["value"]));
        Assert.Equal(sendsBefore, teams.App.WhatsApp.Sends.Count);
        Assert.Single(await teams.App.ForwardStore.QueryJobsAsync(new Bridge.Forwarding.DeliveryQuery(), default));
        // Told in the invoke answer, which only the presser sees, never in the conversation. (A count of posts here
        // raced the command's own answer, which may land after the outcome.)
        Assert.DoesNotContain(teams.BotFramework.Posts, p => p.Text.Contains("Only the sender or an admin"));
        Assert.Empty(teams.BotFramework.Updates);
    }

    [Fact]
    public async Task A_possibly_delivered_card_asks_to_confirm_and_the_confirmation_sends_once()
    {
        await using var teams = await TeamsBridge.StartAsync();
        var unknown = await FailedOutcomeAsync(teams, new FakeAnswer(DropConnection: true), '⚠');
        var sendsBefore = teams.App.WhatsApp.Sends.Count;

        var question = await AnswerOf(await teams.PostAsync(Press(teams, Action(unknown), SenderAadId, "Maria Lopez")));

        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)question["type"]);
        Assert.Contains("may send the message twice", question["value"]!["body"]!.ToJsonString());
        var sendAnyway = question["value"]!["actions"]!.AsArray().Single()!.AsObject();
        Assert.Equal(("Send anyway", "send-again.confirm"), ((string?)sendAnyway["title"], (string?)sendAnyway["verb"]));
        Assert.Equal(sendsBefore, teams.App.WhatsApp.Sends.Count);

        var sent = await AnswerOf(await teams.PostAsync(Press(teams, sendAnyway, SenderAadId, "Maria Lopez")));
        var again = await AnswerOf(await teams.PostAsync(Press(teams, sendAnyway, SenderAadId, "Maria Lopez")));

        Assert.Contains("Sent again by Maria Lopez", sent["value"]!["body"]!.ToJsonString());
        Assert.Equal(("application/vnd.microsoft.activity.message", "This was already sent again; its new outcome follows in the thread."),
            ((string?)again["type"], (string?)again["value"]));
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Text.StartsWith('✅')));
        Assert.Single(teams.App.WhatsApp.Sends.Skip(sendsBefore));
    }

    [Fact]
    public async Task Through_the_Action_Submit_fallback_the_question_is_a_new_reply_and_the_outcome_card_is_replaced_once_sent()
    {
        await using var teams = await TeamsBridge.StartAsync();
        var unknown = await FailedOutcomeAsync(teams, new FakeAnswer(DropConnection: true), '⚠');
        var sendsBefore = teams.App.WhatsApp.Sends.Count;
        var fallback = Action(unknown)["fallback"]!.AsObject();
        Assert.Equal("Action.Submit", (string?)fallback["type"]);

        await teams.PostAsync(Submitted(teams, fallback, unknown.Id));

        // Asked in a reply of its own: the outcome card stays as everyone saw it.
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Text.Contains("may send the message twice")));
        var question = teams.BotFramework.Posts.Single(p => p.Text.Contains("may send the message twice"));
        Assert.Empty(teams.BotFramework.Updates);
        Assert.Equal(sendsBefore, teams.App.WhatsApp.Sends.Count);
        var confirm = question.Body["attachments"]![0]!["content"]!["actions"]!.AsArray().Single()!["fallback"]!.AsObject();

        await teams.PostAsync(Submitted(teams, confirm, question.Id));

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Text.StartsWith('✅')));
        Assert.Single(teams.App.WhatsApp.Sends.Skip(sendsBefore));
        await teams.BotFramework.WaitForUpdatesAsync(updates => updates.Count >= 1);
        var update = Assert.Single(teams.BotFramework.Updates);
        Assert.Equal(question.Id, update.ActivityId);
        Assert.Contains("Sent again by Maria Lopez", update.Body["attachments"]![0]!["content"]!["body"]!.ToJsonString());
    }

    [Fact]
    public async Task A_mention_that_carries_a_value_is_a_command_not_a_press()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var mention = teams.Mention("send Typed, not pressed");
        mention["value"] = new JsonObject { ["verb"] = "send-again.press", ["sendAgain"] = "nothing" };

        await teams.PostAsync(mention);

        await teams.App.WhatsApp.WaitForSendsAsync(1);
        Assert.Equal("Typed, not pressed", Assert.Single(teams.App.WhatsApp.Sends).Message);
    }

    /// <summary>The message an older client sends for an Action.Submit press: no text, the button's data as its value, in reply to its card.</summary>
    private static JsonObject Submitted(TeamsBridge teams, JsonObject submit, string cardId)
    {
        var message = teams.Activity("teams-message-mention.json");
        message["id"] = "s:" + Guid.NewGuid().ToString("N");
        message.Remove("text");
        message.Remove("attachments");
        message.Remove("entities");
        message["replyToId"] = cardId;
        message["from"] = new JsonObject { ["id"] = "29:" + SenderAadId, ["name"] = "Maria Lopez", ["aadObjectId"] = SenderAadId };
        message["value"] = submit["data"]!.DeepClone();
        return message;
    }
}
