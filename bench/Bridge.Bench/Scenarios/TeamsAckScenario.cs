using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Bridge.Bench.Hosting;
using Bridge.Bench.Load;
using Bridge.Bench.Reporting;
using Bridge.Fakes;

namespace Bridge.Bench.Scenarios;

/// <summary>
/// Ack latency of Teams activities (<c>@WA Bridge send &lt;text&gt;</c> in a linked channel) posted to
/// <c>/api/messages</c> with a valid Bot Connector token, at each concurrency level. Bridge answers the Connector 200
/// once the token and the activity are checked, and runs the command in the background, posting its answer in the
/// thread; so besides the 200s the bench counts the answers that reached the fake Connector.
/// </summary>
internal sealed class TeamsAckScenario(BenchContext context)
{
    /// <summary>The tenant in the fake Connector's serviceUrl.</summary>
    public const string TenantId = "7d3f5a2b-9c1e-4f8a-b6d2-1e0c9a8b7f65";
    public const string ChannelId = "19:4c6e8a0b2d4f46a8b0c2e4f6a8b0c2d4@thread.tacv2";
    private const string BotName = "WA Bridge";
    private const string Accepted = "Sending to WhatsApp";
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    private readonly List<string> _problems = [];

    public async Task RunAsync()
    {
        var options = context.Options;
        var table = new Table(
            $"Ack latency of Teams activities (fake WhatsApp answers each send in {options.SendDelay.TotalSeconds:0.#} s)",
            ["Clients", "Answers", "200/s", "p50", "p99", "max", "Failed", "Accepted/s (in thread)", "Last thread answer after the load", "Peak RSS"]);
        foreach (var clients in options.TeamsClients)
        {
            BenchContext.Progress($"teams-ack: {clients} client(s), {options.Warmup.TotalSeconds:0.#} s warm-up + {options.Duration.TotalSeconds:0.#} s");
            table.Add(await RunLevelAsync(clients));
        }

        table.Notes.Add($"Each request is a Bot Framework message activity, `<at>{BotName}</at> send Bench message N` with its HTML copy and mention entity, signed by the fake Bot Framework's key (RS256 JWT, issuer api.botframework.com, audience the app id, `serviceurl` = the activity's serviceUrl, the fake Connector on 127.0.0.1); Bridge checks the token against the fake's OpenID metadata and JWKS (key endorsed for msteams). One token is reused for the whole level, as the Connector does.");
        table.Notes.Add($"Closed loop as for Slack; {options.Warmup.TotalSeconds:0.#} s warm-up, {options.Duration.TotalSeconds:0.#} s measured, each level on a freshly started Bridge (empty store, the channel linked to Field Team in configuration). Answers = 200s in the measured window (Failed: anything else). Bridge answers 200 before it runs the command: Accepted/s counts the command answers (\"{Accepted} group …\", i.e. delivery job recorded) that reached the fake Connector in the measured window; the last column is how long after the load ended the last of all acknowledged activities got its answer in the thread.");
        table.Notes.AddRange(_problems.Select(p => "**" + p + "**"));
        context.Report.Add(table);
    }

    private async Task<string[]> RunLevelAsync(int clients)
    {
        var options = context.Options;
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        whatsApp.SendDelay = options.SendDelay;
        await using var slack = await FakeSlackApi.StartAsync();
        await using var botFramework = await FakeBotFramework.StartAsync();
        await using var entra = await FakeEntraTenant.StartAsync();
        // The command answers that reached the fake Connector, with their arrival (Stopwatch timestamp).
        var answers = new ConcurrentQueue<ThreadReply>();
        botFramework.PostBehavior = post =>
        {
            if (post.Text.Contains(Accepted, StringComparison.Ordinal))
            {
                answers.Enqueue(new ThreadReply(Stopwatch.GetTimestamp(), post.Text));
            }

            return null;
        };
        var group = whatsApp.Groups[FakeTalkNTalk.DefaultSessionId][0];
        var settings = BridgeSettings.ForTeams(botFramework, entra);
        settings["Links:0:Platform"] = "Teams";
        settings["Links:0:WorkspaceId"] = TenantId;
        settings["Links:0:ChannelId"] = ChannelId;
        settings["Links:0:GroupId"] = group.ChatId;
        settings["Links:0:GroupName"] = group.Name;
        // The fake Entra's certificate is the only one this Bridge process trusts.
        await using var bridge = await context.Launcher.StartBridgeAsync(whatsApp, slack, settings, entra.ServerCertificatePem);

        var token = BotTokens.Mint(botFramework.SigningKey, botFramework.ServiceUrl);
        var acknowledged = 0;
        var number = 0;
        var started = Stopwatch.GetTimestamp();
        var measureFrom = started + Ticks(options.Warmup);
        var measureTo = measureFrom + Ticks(options.Duration);
        var result = await new LoadRunner(context.Http).RunAsync(clients, options.Warmup, options.Duration,
            () => Activity(bridge.BaseUrl, botFramework.ServiceUrl, token, Interlocked.Increment(ref number)),
            (response, _) =>
            {
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return Outcome.Failed;
                }

                Interlocked.Increment(ref acknowledged);
                return Outcome.Accepted;
            });
        var loadEnded = Stopwatch.GetTimestamp();

        // Every acknowledged activity should get its answer in the thread; wait for the background work to catch up.
        var drainDeadline = loadEnded + Ticks(DrainTimeout);
        while (answers.Count < acknowledged && Stopwatch.GetTimestamp() < drainDeadline && bridge.ExitReport is null)
        {
            await Task.Delay(50);
        }

        var inWindow = answers.Count(a => a.ArrivedAt >= measureFrom && a.ArrivedAt < measureTo);
        var lastAnswer = answers.Count == 0 ? 0 : Stopwatch.GetElapsedTime(loadEnded, answers.Max(a => a.ArrivedAt)).TotalMilliseconds;
        var drained = answers.Count < acknowledged ? $"{acknowledged - answers.Count} of {acknowledged} unanswered after {DrainTimeout.TotalSeconds:0} s"
            : lastAnswer <= 0 ? "kept up"
            : Format.Ms(lastAnswer);
        // Besides the command answers, only delivery outcomes ("✅ Sent to WhatsApp group …") are expected.
        var others = botFramework.Posts.Where(p => !p.Text.Contains(Accepted, StringComparison.Ordinal) && !p.Text.Contains("Sent to WhatsApp", StringComparison.Ordinal))
            .Select(p => p.Text).Distinct().Take(2).ToList();
        foreach (var other in others)
        {
            _problems.Add($"{clients} clients: Bridge posted \"{other[..Math.Min(other.Length, 160)]}\"");
        }

        if (bridge.ExitReport is { } exit)
        {
            Console.Error.WriteLine($"Bridge {exit}");
            _problems.Add($"Bridge exited during the {clients}-client Teams level (see the bench's error output).");
        }

        foreach (var reason in result.FailureReasons.Take(3))
        {
            _problems.Add($"{clients} clients, failed answers: {reason}");
        }

        return
        [
            clients.ToString(), result.Samples.Count.ToString(), Format.Number(result.AcceptedPerSecond),
            Format.Ms(result.P50), Format.Ms(result.P99), Format.Ms(result.Max), result.Failed.ToString(),
            Format.Number(inWindow / options.Duration.TotalSeconds), drained, Format.Mib(bridge.PeakRss()),
        ];
    }

    /// <summary>A channel message mentioning the bot, shaped like shared/fixtures/teams-message-mention.json.</summary>
    private static HttpRequestMessage Activity(Uri bridge, string serviceUrl, string token, int number)
    {
        var id = (1767225000000L + number).ToString();
        var command = $"send Bench message {number}";
        var botId = "28:" + FakeBotFramework.AppId;
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["id"] = id,
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
            ["serviceUrl"] = serviceUrl,
            ["channelId"] = "msteams",
            ["from"] = new JsonObject { ["id"] = "29:1Qm7vX3pL9kR2tY5wN8bC4dF6gH0jK1sA3eU7iO9pZ2x", ["name"] = "Bench User", ["aadObjectId"] = "5b1e9c7a-2d4f-4a8b-9e3c-7f6a5d4c3b21" },
            ["conversation"] = new JsonObject
            {
                ["isGroup"] = true,
                ["conversationType"] = "channel",
                ["tenantId"] = TenantId,
                ["id"] = $"{ChannelId};messageid={id}",
            },
            ["recipient"] = new JsonObject { ["id"] = botId, ["name"] = BotName },
            ["textFormat"] = "plain",
            ["locale"] = "en-US",
            ["text"] = $"<at>{BotName}</at> {command}",
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = "text/html",
                ["content"] = $"<p><span itemtype=\"http://schema.skype.com/Mention\" itemscope=\"\" itemid=\"0\">{BotName}</span>&nbsp;{WebUtility.HtmlEncode(command)}</p>",
            }),
            ["entities"] = new JsonArray(new JsonObject
            {
                ["type"] = "mention",
                ["text"] = $"<at>{BotName}</at>",
                ["mentioned"] = new JsonObject { ["id"] = botId, ["name"] = BotName },
            }),
            ["channelData"] = new JsonObject
            {
                ["teamsChannelId"] = ChannelId,
                ["channel"] = new JsonObject { ["id"] = ChannelId },
                ["tenant"] = new JsonObject { ["id"] = TenantId },
            },
        };
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(bridge, "api/messages"))
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
