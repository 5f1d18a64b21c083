using System.Text.Json.Nodes;
using Bridge.Fakes;

namespace Bridge.Playground;

/// <summary>
/// The fake TalkNTalk and fake Slack API on 127.0.0.1 with Bridge beside them (a real process, on a temporary LiteDB
/// file, its channel linked to the fake's "Field Team" group by configuration), and a Slack user's three ways to send:
/// <c>/whatsapp</c>, the "Send to WhatsApp" shortcut and an <c>@Bridge</c> mention, each signed as Slack signs it.
/// </summary>
public sealed class LocalPlayground : IAsyncDisposable
{
    public const string WorkspaceId = "T08ABCD1234";
    public const string ChannelId = "C08QWERTY12";
    private const string BotUserId = "U08BOTUSER9";
    private static readonly TimeSpan OutcomeTimeout = TimeSpan.FromSeconds(30);
    private static readonly string[] OutcomeMarks = ["✅", "❌", "⚠️"];

    private readonly string _directory;
    private int _sent;

    private LocalPlayground(FakeTalkNTalk whatsApp, FakeSlackApi slack, ServiceProcess bridge, string directory)
    {
        WhatsApp = whatsApp;
        Slack = slack;
        Bridge = bridge;
        _directory = directory;
    }

    public FakeTalkNTalk WhatsApp { get; }
    public FakeSlackApi Slack { get; }
    public ServiceProcess Bridge { get; }

    public static async Task<LocalPlayground> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "bridge-playground", Guid.NewGuid().ToString("N"));
        var whatsApp = await FakeTalkNTalk.StartAsync();
        var slack = await FakeSlackApi.StartAsync();
        var group = WhatsAppGroup(whatsApp);
        var settings = BridgeSettings.For(whatsApp, slack, Path.Combine(directory, "bridge.db"));
        settings["Links:0:Platform"] = "Slack";
        settings["Links:0:WorkspaceId"] = WorkspaceId;
        settings["Links:0:ChannelId"] = ChannelId;
        settings["Links:0:GroupId"] = group.ChatId;
        settings["Links:0:GroupName"] = group.Name;
        try
        {
            return new LocalPlayground(whatsApp, slack, await ServiceProcess.StartBridgeAsync(settings), directory);
        }
        catch
        {
            await whatsApp.DisposeAsync();
            await slack.DisposeAsync();
            throw;
        }
    }

    public static FakeGroup WhatsAppGroup(FakeTalkNTalk whatsApp) => whatsApp.Groups[FakeTalkNTalk.DefaultSessionId][0];

    /// <summary><c>/whatsapp {text}</c> in the linked channel.</summary>
    public Task<Exchange> SlashCommandAsync(string text) =>
        PostAsync("slack/commands", SlackRequests.SlashCommandBody(text, channelId: ChannelId, responseUrl: Slack.ResponseUrl(), teamId: WorkspaceId),
            "application/x-www-form-urlencoded");

    /// <summary>"Send to WhatsApp" on a message with this text in the linked channel.</summary>
    public Task<Exchange> ShortcutAsync(string text) =>
        PostAsync("slack/interactivity", SlackPayloads.Form(SlackPayloads.MessageAction(text, ts: NextTs(), channelId: ChannelId, responseUrl: Slack.ResponseUrl())),
            "application/x-www-form-urlencoded");

    /// <summary><c>@Bridge {text}</c> in the linked channel (an Events API <c>app_mention</c>).</summary>
    public Task<Exchange> MentionAsync(string text) =>
        PostAsync("slack/events", SlackPayloads.AppMention($"<@{BotUserId}> {text}", NextTs(), BotUserId, ChannelId, WorkspaceId).ToJsonString(),
            "application/json");

    /// <summary>
    /// Posts the signed request, then waits for Bridge's outcome in a thread (<c>✅ Sent …</c>, <c>❌ …</c> or
    /// <c>⚠️ …</c>); a command that sends nothing (<c>help</c>, <c>status</c>) is answered at once and has none.
    /// </summary>
    private async Task<Exchange> PostAsync(string path, string body, string contentType)
    {
        var before = Slack.Posts.Count;
        using var http = Bridge.CreateClient();
        using var request = SlackRequests.Signed(path, body, contentType);
        using var response = await http.SendAsync(request);
        var answer = AnswerText(await response.Content.ReadAsStringAsync());
        if (!response.IsSuccessStatusCode)
        {
            return new Exchange($"{(int)response.StatusCode} {answer}", [], null);
        }

        try
        {
            await Slack.WaitForPostsAsync(posts => IsFinished(answer, [.. posts.Skip(before)]), OutcomeTimeout);
        }
        catch (TimeoutException)
        {
            // Reported as an exchange without an outcome.
        }

        var posts = Slack.Posts.Skip(before).ToList();
        return new Exchange(answer, posts, posts.FirstOrDefault(IsOutcome));
    }

    /// <summary>
    /// Finished with an outcome in a thread, or with an answer that starts no send (help, status, a refusal): one
    /// that does not say "Sending…", in the HTTP answer or in the first post.
    /// </summary>
    private static bool IsFinished(string answer, List<SlackPost> posts) =>
        posts.Any(IsOutcome)
        || (!IsSending(answer) && !posts.Any(post => IsSending(post.Text)) && (answer.Length > 0 || posts.Count > 0));

    /// <summary>A slash command's answer is a message (<c>{"text": …}</c>); others answer with an empty body.</summary>
    private static string AnswerText(string body) =>
        body.StartsWith('{') && JsonNode.Parse(body)?["text"] is { } text ? (string)text! : body;

    private static bool IsSending(string text) => text.Contains("Sending to WhatsApp", StringComparison.Ordinal);

    private static bool IsOutcome(SlackPost post) => post.ThreadTs is not null && OutcomeMarks.Any(mark => post.Text.StartsWith(mark, StringComparison.Ordinal));

    /// <summary>A fresh Slack message timestamp, so each shortcut and mention is a message of its own (not a retry).</summary>
    private string NextTs() => $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Interlocked.Increment(ref _sent):D6}";

    public async ValueTask DisposeAsync()
    {
        await Bridge.DisposeAsync();
        await WhatsApp.DisposeAsync();
        await Slack.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
