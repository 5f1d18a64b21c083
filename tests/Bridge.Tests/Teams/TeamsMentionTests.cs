using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Forwarding;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Teams;

public sealed class TeamsMentionTests
{
    private const string ThreadPath =
        "/emea/7d3f5a2b-9c1e-4f8a-b6d2-1e0c9a8b7f65/v3/conversations/19%3A4c6e8a0b2d4f46a8b0c2e4f6a8b0c2d4%40thread.tacv2%3Bmessageid%3D1767220000456/activities";

    [Fact]
    public async Task Help_is_posted_in_the_thread_with_a_token_from_the_token_endpoint()
    {
        await using var teams = await TeamsBridge.StartAsync();

        var response = await teams.PostAsync(teams.Mention("help", id: "1767225600001"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        var post = teams.BotFramework.Posts[0];
        Assert.Equal(ThreadPath + "/1767225600001", post.RawTarget);
        Assert.Equal("Bearer " + teams.Entra.IssuedToken(1), post.Authorization);
        Assert.Contains("`@WA Bridge status`", post.Text);
        Assert.Equal("message", (string?)post.Body["type"]);
        Assert.Equal("1767225600001", (string?)post.Body["replyToId"]);
        Assert.Equal("markdown", (string?)post.Body["textFormat"]);
        Assert.Equal("28:" + FakeBotFramework.AppId, (string?)post.Body["from"]?["id"]);
        var tokenRequest = Assert.Single(teams.Entra.TokenRequests);
        Assert.Equal("client_credentials", tokenRequest.Form["grant_type"]);
        Assert.Equal(FakeBotFramework.AppId, tokenRequest.Form["client_id"]);
        Assert.Equal("https://api.botframework.com/.default", tokenRequest.Form["scope"]);
    }

    [Fact]
    public async Task The_token_is_reused_for_later_replies()
    {
        await using var teams = await TeamsBridge.StartAsync();

        await teams.PostAsync(teams.Mention("help"));
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        await teams.PostAsync(teams.Mention("help"));
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 2);

        Assert.Single(teams.Entra.TokenRequests);
        Assert.All(teams.BotFramework.Posts, p => Assert.Equal("Bearer " + teams.Entra.IssuedToken(1), p.Authorization));
    }

    [Fact]
    public async Task Status_lists_the_channels_links()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();

        await teams.PostAsync(teams.Mention("status"));

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        Assert.Contains("Field Team (120363410923125768@g.us): ✅ phone connected", teams.BotFramework.Posts[0].Text);
    }

    [Fact]
    public async Task An_admin_links_the_Teams_channel_in_the_tenant()
    {
        await using var teams = await TeamsBridge.StartAsync(admin: true);

        await teams.PostAsync(teams.Mention("link Field Team"));

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        Assert.Contains("Linked this channel to WhatsApp group Field Team", teams.BotFramework.Posts[0].Text);
        var link = Assert.Single(await teams.App.LinkStore.ListLinksAsync(null, null, null, default));
        Assert.Equal((Bridge.Forwarding.Platform.Teams, TeamsBridge.TenantId, TeamsBridge.ChannelId, TeamsBridge.AdminAadId),
            (link.Platform, link.WorkspaceId, link.ChannelId, link.CreatedBy));
    }

    [Fact]
    public async Task A_non_admin_cannot_link_and_nothing_changes()
    {
        await using var teams = await TeamsBridge.StartAsync();

        await teams.PostAsync(teams.Mention("link Field Team"));

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        Assert.Contains("Only Bridge admins", teams.BotFramework.Posts[0].Text);
        Assert.Empty(await teams.App.LinkStore.ListLinksAsync(null, null, null, default));
    }

    [Fact]
    public async Task A_mention_in_a_linked_channel_sends_the_formatted_text_and_replies_the_outcome_in_the_thread()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();

        var response = await teams.PostAsync(teams.Activity("teams-message-mention.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // "Sending…" is posted when the command is answered and the outcome when WhatsApp answered: either may come first.
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Text.StartsWith('✅')) && posts.Any(p => p.Text.StartsWith("Sending", StringComparison.Ordinal)));
        var send = Assert.Single(teams.App.WhatsApp.Sends);
        Assert.Equal(("120363410923125768@g.us", "text", "field-team *Truck 12* is _delayed_ ~30 min and rerouted"), (send.To, send.Type, send.Message));
        Assert.All(teams.BotFramework.Posts, p => Assert.Equal(ThreadPath + "/1767225605123", p.RawTarget));
        Assert.Contains(teams.BotFramework.Posts, p => p.Text.StartsWith("Sending to WhatsApp group Field Team", StringComparison.Ordinal));
        Assert.Contains(teams.BotFramework.Posts, p => p.Text == $"✅ Sent to WhatsApp group Field Team: message_id {send.MessageId}");
        var forward = (await teams.App.ForwardStore.GetForwardAsync(Assert.Single(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default)).ForwardId, default))!;
        Assert.Equal(("Maria Lopez", "5b1e9c7a-2d4f-4a8b-9e3c-7f6a5d4c3b21", false), (forward.UserName, forward.UserId, forward.Announce));
    }

    [Fact]
    public async Task A_mention_is_stored_before_the_Connector_gets_its_200()
    {
        var store = new LateAcceptStore();
        await using var teams = await TeamsBridge.StartAsync(a => a.TestServices.Add(store.Install));
        await teams.LinkAsync();

        var response = teams.PostAsync(teams.Activity("teams-message-mention.json"));
        await store.Started;

        Assert.False(response.IsCompleted, "Bridge answered the Connector before the forward was stored.");
        Assert.Empty(teams.BotFramework.Posts);
        store.Finish();
        Assert.Equal(HttpStatusCode.OK, (await response).StatusCode);
        Assert.Single(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Text.StartsWith("Sending to WhatsApp group Field Team", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_mention_the_store_could_not_take_is_taken_when_the_Connector_retries()
    {
        var store = new LateAcceptStore { FailFirstAccept = true };
        store.Finish();
        await using var teams = await TeamsBridge.StartAsync(a => a.TestServices.Add(store.Install));
        await teams.LinkAsync();
        var activity = teams.Activity("teams-message-mention.json");

        // The in-process test host hands the failure back where Kestrel would answer the Connector 500.
        await Assert.ThrowsAsync<IOException>(() => teams.PostAsync(activity));
        Assert.Empty(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));

        // The Connector sends the same activity again: it is not dropped as a repeat of one that was handled.
        var retried = await teams.PostAsync(activity);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Single(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [Fact]
    public async Task An_activity_the_Connector_retries_is_sent_once()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var activity = teams.Activity("teams-message-mention.json");

        var first = await teams.PostAsync(activity);
        var retry = await teams.PostAsync(activity);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Text.StartsWith('✅')) && posts.Any(p => p.Text.StartsWith("Sending", StringComparison.Ordinal)));
        Assert.Single(teams.App.WhatsApp.Sends);
        Assert.Single(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
        Assert.Equal(2, teams.BotFramework.Posts.Count);
        Assert.Contains(teams.App.Logs, line => line.Contains("Bridge.Teams.TeamsActivityHandler[4001] Teams activity 1767225605123 was delivered again"));
    }

    [Fact]
    public async Task The_same_message_id_in_another_conversation_is_not_a_retry()
    {
        const string otherChannel = "19:9f8e7d6c5b4a49382716f5e4d3c2b1a0@thread.tacv2";
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        await teams.App.LinkAsync(otherChannel, "120363410923125768@g.us", "Field Team", TeamsBridge.TenantId, Bridge.Forwarding.Platform.Teams);
        var first = teams.Activity("teams-message-mention.json");
        var other = teams.Activity("teams-message-mention.json");
        other["conversation"]!["id"] = otherChannel + ";messageid=1767220000999";
        other["channelData"]!["channel"]!["id"] = otherChannel;

        await teams.PostAsync(first);
        await teams.PostAsync(other);

        await teams.App.WhatsApp.WaitForSendsAsync(2);
        Assert.Equal(2, (await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default)).Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_bots_mention_is_stripped_by_its_entity_even_when_the_user_shortened_it(bool withHtml)
    {
        await using var teams = await TeamsBridge.StartAsync(admin: true);
        var activity = MentionOf(teams, withHtml, ("Bridge", BotId), ("", "link Field Team"));

        await teams.PostAsync(activity);

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        Assert.Contains("Linked this channel to WhatsApp group Field Team", teams.BotFramework.Posts[0].Text);
        Assert.Single(await teams.App.LinkStore.ListLinksAsync(null, null, null, default));
        Assert.Empty(teams.App.WhatsApp.Sends);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Another_persons_mention_that_carries_the_bots_name_is_kept(bool withHtml)
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var activity = MentionOf(teams, withHtml, ("WA Bridge", BotId), ("", "field-team ask"), ("WA Bridge", "29:someone-else"), ("", "to call"));

        await teams.PostAsync(activity);

        await teams.App.WhatsApp.WaitForSendsAsync(1);
        Assert.Equal("field-team ask @WA Bridge to call", Assert.Single(teams.App.WhatsApp.Sends).Message);
    }

    [Fact]
    public async Task A_mention_with_only_a_pasted_image_sends_the_image()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var activity = teams.Activity("teams-message-mention-image.json");
        activity["text"] = "<at>WA Bridge</at>";
        activity["attachments"]![1]!["content"] =
            "<p><span itemtype=\"http://schema.skype.com/Mention\" itemscope=\"\" itemid=\"0\">WA Bridge</span>&nbsp;</p><p><img src=\"https://eu-api.asm.skype.com/v1/objects/0-weu-d4-9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b/views/imgo\" itemtype=\"http://schema.skype.com/AMSImage\" alt=\"image\"></p>";

        await teams.PostAsync(activity);

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Text.StartsWith('✅')));
        var send = Assert.Single(teams.App.WhatsApp.Sends);
        Assert.Equal(("image", "image/png"), (send.Type, send.MimeType));
        Assert.DoesNotContain(teams.BotFramework.Posts, p => p.Text.Contains("`@WA Bridge status`"));
    }

    [Fact]
    public async Task A_channel_file_and_a_card_are_named_in_the_outcome_and_the_text_is_sent()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var activity = teams.Activity("teams-message-mention.json");
        activity["attachments"]!.AsArray().Add(new JsonObject
        {
            ["contentType"] = "reference",
            ["contentUrl"] = "https://contoso.sharepoint.com/sites/ops/Shared%20Documents/General/report.pdf",
            ["name"] = "report.pdf",
        });
        activity["attachments"]!.AsArray().Add(new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["content"] = new JsonObject() });

        await teams.PostAsync(activity);

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Text.StartsWith('✅')));
        Assert.Equal("text", Assert.Single(teams.App.WhatsApp.Sends).Type);
        var outcome = teams.BotFramework.Posts.Single(p => p.Text.StartsWith('✅')).Text;
        Assert.Contains("report.pdf could not be forwarded: files shared in Teams channels are stored in SharePoint, which Bridge cannot read.", outcome);
        Assert.Contains("An attachment could not be forwarded: Bridge cannot send application/vnd.microsoft.card.adaptive attachments.", outcome);
    }

    [Fact]
    public async Task Fifty_thousand_nested_elements_are_not_parsed_and_the_plain_text_is_sent()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var activity = teams.Activity("teams-message-mention.json");
        activity["attachments"]![0]!["content"] =
            "<p><span itemtype=\"http://schema.skype.com/Mention\" itemid=\"0\">WA Bridge</span>&nbsp;field-team</p>"
            + string.Concat(Enumerable.Repeat("<div><b>", 25_000)) + "deep" + string.Concat(Enumerable.Repeat("</b></div>", 25_000));

        // Written as Teams writes JSON: '<' and '>' as they are, not as \u003C.
        var response = await teams.PostRawAsync(
            activity.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }),
            "Bearer " + teams.Token());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await teams.App.WhatsApp.WaitForSendsAsync(1);
        Assert.Equal("field-team Truck 12 is delayed ~30 min and rerouted", Assert.Single(teams.App.WhatsApp.Sends).Message);
    }

    [Fact]
    public async Task A_pasted_image_whose_body_stalls_ends_at_the_download_limit_and_the_text_still_goes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var teams = await TeamsBridge.StartAsync(a =>
        {
            a.Time = clock;
            a.Settings["Media:DownloadTimeout"] = "00:01:00";
        });
        await teams.LinkAsync();
        var stall = new StalledBody();
        teams.BotFramework.StallDownloads = stall;

        await teams.PostAsync(teams.Activity("teams-message-mention-image.json"));
        await stall.HeadersSent.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(stall.Abandoned.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(1));
        await stall.Abandoned.WaitAsync(TimeSpan.FromSeconds(30));
        await teams.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Text.StartsWith('✅')));
        stall.Release();
        var outcome = teams.BotFramework.Posts.Single(p => p.Text.StartsWith('✅')).Text;
        Assert.Contains("could not be fetched from Teams: the download took longer than 1 min. Try again later.", outcome);
        var send = Assert.Single(teams.App.WhatsApp.Sends);
        Assert.Equal(("text", "field-team photo of the dock"), (send.Type, send.Message));
    }

    [Fact]
    public async Task A_pasted_image_is_fetched_with_the_bot_token_and_sent_as_an_image()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();

        await teams.PostAsync(teams.Activity("teams-message-mention-image.json"));

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Text.StartsWith('✅')));
        var send = Assert.Single(teams.App.WhatsApp.Sends);
        Assert.Equal(("image", "image/png", "field-team photo of the dock"), (send.Type, send.MimeType, send.Message));
        var download = Assert.Single(teams.BotFramework.Downloads);
        Assert.Equal("/emea/7d3f5a2b-9c1e-4f8a-b6d2-1e0c9a8b7f65/v3/attachments/0-weu-d4-9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b/views/original", download.Path);
        Assert.StartsWith("Bearer bot-token-", download.Authorization);
        var media = await teams.App.CreateClient().GetAsync(send.Url);
        Assert.Equal(FakeBotFramework.Png, await media.Content.ReadAsByteArrayAsync());
        Assert.DoesNotContain(teams.BotFramework.Posts, p => p.Text.Contains("could not be fetched"));
    }

    [Fact]
    public async Task A_rate_limited_reply_is_retried_after_Retry_After()
    {
        await using var teams = await TeamsBridge.StartAsync();
        var refused = 0;
        teams.BotFramework.PostBehavior = _ => Interlocked.Increment(ref refused) == 1 ? (429, 0) : null;

        await teams.PostAsync(teams.Mention("help"));

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Count == 1);
        Assert.Equal(2, refused);
    }

    [Fact]
    public async Task An_outcome_the_Connector_keeps_refusing_is_retried_durably_by_the_reply_poster()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var refusals = 0;
        teams.BotFramework.PostBehavior = post => post.Text.StartsWith('✅') && Interlocked.Increment(ref refusals) <= 4 ? (503, null) : null;

        await teams.PostAsync(teams.Activity("teams-message-mention.json"));

        await teams.BotFramework.WaitForPostsAsync(posts => posts.Any(p => p.Text.StartsWith('✅')));
        // The HTTP pipeline tries 4 times; the fifth attempt came from the reply poster's durable retry.
        Assert.Equal(5, refusals);
    }

    [Fact]
    public async Task A_message_that_does_not_mention_the_bot_is_ignored()
    {
        await using var teams = await TeamsBridge.StartAsync();
        await teams.LinkAsync();
        var activity = teams.Activity("teams-message-mention.json");
        activity["entities"]!.AsArray().RemoveAt(0);

        var response = await teams.PostAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await teams.App.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));
    }

    private const string BotId = "28:" + FakeBotFramework.AppId;

    /// <summary>A mention activity made of mentions (name, id) and text pieces (empty name), with or without its HTML copy.</summary>
    private static JsonObject MentionOf(TeamsBridge teams, bool withHtml, params (string Name, string IdOrText)[] pieces)
    {
        var activity = teams.Activity("teams-message-mention.json");
        activity["id"] = Random.Shared.NextInt64(1767225000000, 1767229999999).ToString();
        var text = new StringBuilder();
        var html = new StringBuilder("<p>");
        var entities = new JsonArray();
        foreach (var (name, idOrText) in pieces)
        {
            if (name.Length == 0)
            {
                text.Append(' ').Append(idOrText).Append(' ');
                html.Append("&nbsp;").Append(WebUtility.HtmlEncode(idOrText)).Append(' ');
                continue;
            }

            text.Append($"<at>{name}</at>");
            html.Append($"<span itemtype=\"http://schema.skype.com/Mention\" itemscope=\"\" itemid=\"{entities.Count}\">{WebUtility.HtmlEncode(name)}</span>");
            // The entity's name is the full display name, whatever the user shortened the mention to.
            entities.Add(new JsonObject
            {
                ["type"] = "mention",
                ["text"] = $"<at>{name}</at>",
                ["mentioned"] = new JsonObject { ["id"] = idOrText, ["name"] = idOrText == BotId ? "WA Bridge" : name },
            });
        }

        activity["text"] = text.ToString().Trim();
        activity["entities"] = entities;
        activity["attachments"] = withHtml
            ? new JsonArray(new JsonObject { ["contentType"] = "text/html", ["content"] = html.Append("</p>").ToString() })
            : new JsonArray();
        return activity;
    }
}
