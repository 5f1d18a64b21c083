using System.Net;
using System.Text.Json.Nodes;
using Bridge.Fakes;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Slack;

/// <summary>The Send again button under a failed or possibly delivered outcome in the Slack thread.</summary>
public sealed class SendAgainTests
{
    private const string Sender = "U07ZXCVB456";
    private const string SomeoneElse = "U09OTHER0001";

    /// <summary>Sends a slash command whose send ends as <paramref name="answer"/> says; returns the outcome posted in the thread.</summary>
    private static async Task<SlackPost> OutcomeAsync(BridgeApp app, FakeAnswer answer, string mark)
    {
        await app.LinkAsync(groupId: "120363410923125769@g.us", groupName: "Drivers");
        app.WhatsApp.SendBehavior = _ => answer;
        await app.SlashCommandAsync("Truck 12 is in");
        await app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs is not null && p.Text.StartsWith(mark, StringComparison.Ordinal)));
        app.WhatsApp.SendBehavior = null;
        return app.Slack.Posts.Single(p => p.ThreadTs is not null && p.Text.StartsWith(mark, StringComparison.Ordinal));
    }

    private static JsonObject Button(JsonArray? blocks)
    {
        Assert.NotNull(blocks);
        var actions = blocks.Single(b => (string?)b!["type"] == "actions")!;
        return actions["elements"]!.AsArray().Single()!.AsObject();
    }

    private static Task<HttpResponseMessage> PressAsync(BridgeApp app, SlackPost outcome, string userId, string responseId = "press") =>
        app.PostShortcutAsync(SlackPayloads.BlockActions((string)Button(outcome.Blocks)["action_id"]!, (string)Button(outcome.Blocks)["value"]!, userId,
            outcome.Ts, app.Slack.ResponseUrl(responseId), outcome.ThreadTs));

    private static Task WaitForSecondOutcomeAsync(BridgeApp app, SlackPost first, string mark) =>
        app.Slack.WaitForPostsAsync(posts => posts.Any(p => p.ThreadTs == first.ThreadTs && p.Ts != first.Ts && p.Text.StartsWith(mark, StringComparison.Ordinal)));

    [Fact]
    public async Task The_sender_sends_a_failed_outcome_again_and_the_new_outcome_follows_in_the_same_thread()
    {
        await using var app = await BridgeApp.StartAsync();
        var failed = await OutcomeAsync(app, new FakeAnswer(400, "The group does not accept messages."), "❌");
        var sendsBefore = app.WhatsApp.Sends.Count;
        var button = Button(failed.Blocks);
        Assert.Equal(("Send again", "send-again.press"), ((string?)button["text"]!["text"], (string?)button["action_id"]));

        var response = await PressAsync(app, failed, Sender);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await WaitForSecondOutcomeAsync(app, failed, "✅");
        var resent = Assert.Single(app.WhatsApp.Sends.Skip(sendsBefore));
        Assert.Equal("120363410923125769@g.us", resent.To);
        var again = app.Slack.Posts.Single(p => p.ThreadTs == failed.ThreadTs && p.Text.StartsWith('✅'));
        Assert.Contains(resent.MessageId!, again.Text);
        Assert.Contains("(sent again from the thread)", again.Text);
        Assert.Null(again.Blocks);
        // The pressed outcome no longer invites a press: it says who sent it again, and has no button.
        await app.Slack.WaitForUpdatesAsync(1);
        var update = Assert.Single(app.Slack.Updates);
        Assert.Equal((failed.Channel, failed.Ts), (update.Channel, update.Ts));
        Assert.StartsWith(failed.Text + "\n↩️ Sent again by <@U07ZXCVB456> at ", update.Text);
        Assert.DoesNotContain(update.Blocks!, b => (string?)b!["type"] == "actions");
        Assert.Empty(app.Slack.Responses);
        var history = await app.ForwardStore.QueryJobsAsync(new Bridge.Forwarding.DeliveryQuery(), default);
        Assert.Contains(history, job => job.RetriedBy == "Slack user U07ZXCVB456 (Send again)");
    }

    [Fact]
    public async Task An_admin_may_send_someone_elses_outcome_again()
    {
        await using var app = await BridgeApp.StartAsync();
        var failed = await OutcomeAsync(app, new FakeAnswer(400, "The group does not accept messages."), "❌");
        var sendsBefore = app.WhatsApp.Sends.Count;

        await PressAsync(app, failed, BridgeApp.AdminUserId);

        await WaitForSecondOutcomeAsync(app, failed, "✅");
        Assert.Single(app.WhatsApp.Sends.Skip(sendsBefore));
        await app.Slack.WaitForUpdatesAsync(1);
        Assert.Contains($"Sent again by <@{BridgeApp.AdminUserId}>", Assert.Single(app.Slack.Updates).Text);
    }

    [Fact]
    public async Task Someone_else_is_told_privately_that_only_the_sender_or_an_admin_can_send_again_and_nothing_is_sent()
    {
        await using var app = await BridgeApp.StartAsync();
        var failed = await OutcomeAsync(app, new FakeAnswer(400, "The group does not accept messages."), "❌");
        var sendsBefore = app.WhatsApp.Sends.Count;
        var jobsBefore = (await app.ForwardStore.QueryJobsAsync(new Bridge.Forwarding.DeliveryQuery(), default)).Count;

        var response = await PressAsync(app, failed, SomeoneElse, "refused");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.Slack.WaitForResponsesAsync(1);
        var answer = Assert.Single(app.Slack.Responses);
        Assert.Equal(("refused", "Only the sender or an admin can send again.", false), (answer.Id, answer.Text, answer.ReplaceOriginal));
        Assert.Equal(sendsBefore, app.WhatsApp.Sends.Count);
        Assert.Equal(jobsBefore, (await app.ForwardStore.QueryJobsAsync(new Bridge.Forwarding.DeliveryQuery(), default)).Count);
        Assert.Empty(app.Slack.Updates);
    }

    [Fact]
    public async Task A_possibly_delivered_outcome_asks_to_confirm_and_the_confirmation_sends_once()
    {
        await using var app = await BridgeApp.StartAsync();
        var unknown = await OutcomeAsync(app, new FakeAnswer(DropConnection: true), "⚠️");
        var sendsBefore = app.WhatsApp.Sends.Count;

        await PressAsync(app, unknown, Sender, "ask");

        await app.Slack.WaitForResponsesAsync(1);
        var question = Assert.Single(app.Slack.Responses);
        Assert.Contains("may send the message twice", question.Text);
        Assert.False(question.ReplaceOriginal);
        Assert.Equal(sendsBefore, app.WhatsApp.Sends.Count);
        Assert.Empty(app.Slack.Updates);
        var sendAnyway = Button(question.Blocks);
        Assert.Equal(("Send anyway", "send-again.confirm"), ((string?)sendAnyway["text"]!["text"], (string?)sendAnyway["action_id"]));

        var confirm = SlackPayloads.BlockActions("send-again.confirm", (string)sendAnyway["value"]!, Sender, "1767225799.000200", app.Slack.ResponseUrl("confirm"),
            unknown.ThreadTs, ephemeral: true);
        await app.PostShortcutAsync(confirm);
        await app.PostShortcutAsync(confirm);

        await WaitForSecondOutcomeAsync(app, unknown, "✅");
        await app.Slack.WaitForResponsesAsync(3);
        Assert.Single(app.WhatsApp.Sends.Skip(sendsBefore));
        var answers = app.Slack.Responses.Where(r => r.Id == "confirm").ToList();
        Assert.Contains(answers, r => r.ReplaceOriginal == true && r.Text.StartsWith("Sent again", StringComparison.Ordinal));
        Assert.Contains(answers, r => r.ReplaceOriginal == false && r.Text.Contains("already sent again", StringComparison.Ordinal));
        // The confirmation's own message is the ephemeral one: the outcome itself is updated by its ts.
        await app.Slack.WaitForUpdatesAsync(1);
        Assert.Equal(unknown.Ts, Assert.Single(app.Slack.Updates).Ts);
    }

    [Fact]
    public async Task A_possibly_delivered_retry_is_refused_without_the_confirmation_even_when_pressed_twice()
    {
        await using var app = await BridgeApp.StartAsync();
        var unknown = await OutcomeAsync(app, new FakeAnswer(DropConnection: true), "⚠️");
        var sendsBefore = app.WhatsApp.Sends.Count;

        await PressAsync(app, unknown, Sender, "first");
        await PressAsync(app, unknown, Sender, "second");

        await app.Slack.WaitForResponsesAsync(2);
        Assert.All(app.Slack.Responses, r => Assert.Contains("may send the message twice", r.Text));
        Assert.Equal(sendsBefore, app.WhatsApp.Sends.Count);
        Assert.Single(await app.ForwardStore.QueryJobsAsync(new Bridge.Forwarding.DeliveryQuery(), default));
    }

    [Fact]
    public async Task A_double_press_sends_once_and_the_second_press_is_told_it_was_already_sent_again()
    {
        await using var app = await BridgeApp.StartAsync();
        var failed = await OutcomeAsync(app, new FakeAnswer(400, "The group does not accept messages."), "❌");
        var sendsBefore = app.WhatsApp.Sends.Count;

        await Task.WhenAll(PressAsync(app, failed, Sender, "one"), PressAsync(app, failed, Sender, "two"));

        await WaitForSecondOutcomeAsync(app, failed, "✅");
        await app.Slack.WaitForResponsesAsync(1);
        Assert.Single(app.WhatsApp.Sends.Skip(sendsBefore));
        Assert.Equal("This was already sent again; its new outcome follows in the thread.", Assert.Single(app.Slack.Responses).Text);
        Assert.Single(app.Slack.Posts, p => p.ThreadTs == failed.ThreadTs && p.Text.StartsWith('✅'));
    }

    [Fact]
    public async Task A_retry_that_fails_again_gets_a_new_button_of_its_own()
    {
        await using var app = await BridgeApp.StartAsync();
        var failed = await OutcomeAsync(app, new FakeAnswer(400, "The group does not accept messages."), "❌");
        app.WhatsApp.SendBehavior = _ => new FakeAnswer(400, "Still no.");

        await PressAsync(app, failed, Sender);

        await WaitForSecondOutcomeAsync(app, failed, "❌");
        var again = app.Slack.Posts.Single(p => p.ThreadTs == failed.ThreadTs && p.Ts != failed.Ts && p.Text.StartsWith('❌'));
        Assert.NotEqual((string?)Button(failed.Blocks)["value"], (string?)Button(again.Blocks)["value"]);
        app.WhatsApp.SendBehavior = null;
        var sendsBefore = app.WhatsApp.Sends.Count;

        await PressAsync(app, again, Sender, "again");

        await WaitForSecondOutcomeAsync(app, again, "✅");
        Assert.Single(app.WhatsApp.Sends.Skip(sendsBefore));
    }

    [Fact]
    public async Task A_delivered_outcome_has_no_button()
    {
        await using var app = await BridgeApp.StartAsync();

        var delivered = await OutcomeAsync(app, new FakeAnswer(), "✅");

        Assert.Null(delivered.Blocks);
    }

    [Fact]
    public async Task A_button_whose_value_names_no_forward_of_this_channel_sends_nothing()
    {
        await using var app = await BridgeApp.StartAsync();
        var failed = await OutcomeAsync(app, new FakeAnswer(400, "The group does not accept messages."), "❌");
        var value = (string)Button(failed.Blocks)["value"]!;
        var sendsBefore = app.WhatsApp.Sends.Count;

        await app.PostShortcutAsync(SlackPayloads.BlockActions("send-again.press", value, Sender, failed.Ts, app.Slack.ResponseUrl("other"), channelId: "C09ELSEWHERE"));
        await app.PostShortcutAsync(SlackPayloads.BlockActions("send-again.press", "not a value", Sender, failed.Ts, app.Slack.ResponseUrl("garbage")));
        await app.PostShortcutAsync(SlackPayloads.BlockActions("send-again.press", value.Split(':')[0] + ":999999", Sender, failed.Ts, app.Slack.ResponseUrl("job")));

        await app.Slack.WaitForResponsesAsync(3);
        Assert.Equal(sendsBefore, app.WhatsApp.Sends.Count);
        Assert.Contains(app.Slack.Responses, r => r.Id == "other" && r.Text.Contains("no longer knows this message", StringComparison.Ordinal));
        Assert.Contains(app.Slack.Responses, r => r.Id == "garbage" && r.Text.Contains("does not know this button", StringComparison.Ordinal));
        Assert.Contains(app.Slack.Responses, r => r.Id == "job" && r.Text.Contains("no longer knows this message", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_press_without_its_user_or_response_url_is_refused_and_sends_nothing()
    {
        await using var app = await BridgeApp.StartAsync();
        var failed = await OutcomeAsync(app, new FakeAnswer(400, "The group does not accept messages."), "❌");
        var sendsBefore = app.WhatsApp.Sends.Count;
        var noUser = SlackPayloads.BlockActions("send-again.press", (string)Button(failed.Blocks)["value"]!, Sender, failed.Ts, app.Slack.ResponseUrl());
        noUser.Remove("user");
        var noResponseUrl = SlackPayloads.BlockActions("send-again.press", (string)Button(failed.Blocks)["value"]!, Sender, failed.Ts, app.Slack.ResponseUrl());
        noResponseUrl.Remove("response_url");

        var responses = new[] { await app.PostShortcutAsync(noUser), await app.PostShortcutAsync(noResponseUrl) };

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal(sendsBefore, app.WhatsApp.Sends.Count);
        Assert.Single(await app.ForwardStore.QueryJobsAsync(new Bridge.Forwarding.DeliveryQuery(), default));
    }
}
