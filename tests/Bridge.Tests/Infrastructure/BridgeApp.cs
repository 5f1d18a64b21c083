using System.Text.Json.Nodes;
using Bridge.Forwarding;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Infrastructure;

/// <summary>
/// Bridge hosted in-process (or on real Kestrel with <see cref="WebApplicationFactory{T}.UseKestrel()"/>), wired to
/// a fake TalkNTalk API and a fake Slack API on 127.0.0.1, with its own LiteDB file.
/// </summary>
public sealed class BridgeApp : WebApplicationFactory<Program>
{
    public const string AdminUserId = "U0ADMIN0001";

    private readonly bool _ownsFakes;

    private BridgeApp(FakeTalkNTalk whatsApp, FakeSlackApi slack, string databasePath, bool ownsFakes = true)
    {
        _ownsFakes = ownsFakes;
        WhatsApp = whatsApp;
        Slack = slack;
        DatabasePath = databasePath;
    }

    public FakeTalkNTalk WhatsApp { get; }
    public FakeSlackApi Slack { get; }
    public string DatabasePath { get; }
    public Dictionary<string, string?> Settings { get; } = [];
    /// <summary>Bridge's clock, shared with the fake TalkNTalk so that both count the same minutes.</summary>
    public TimeProvider? Time { get; set; }
    /// <summary>Test-only service changes, e.g. an HTTP client that trusts a fake's test certificate.</summary>
    public List<Action<IServiceCollection>> TestServices { get; } = [];
    /// <summary>A copy of the lines logged so far: Bridge logs from other threads while a test reads.</summary>
    public IReadOnlyList<string> Logs
    {
        get
        {
            lock (_logs)
            {
                return [.. _logs];
            }
        }
    }

    private readonly List<string> _logs = [];
    private readonly ConditionWaiters _logWaiters = new();

    /// <summary>Completes when a log line satisfies the condition (Bridge logs a reply after recording it).</summary>
    public Task WaitForLogAsync(Func<string, bool> condition, TimeSpan? timeout = null) =>
        _logWaiters.WaitAsync(() =>
        {
            lock (_logs)
            {
                return _logs.Any(condition);
            }
        }, timeout);

    public static async Task<BridgeApp> StartAsync(Action<BridgeApp>? configure = null)
    {
        var whatsApp = await FakeTalkNTalk.StartAsync();
        var slack = await FakeSlackApi.StartAsync();
        var app = new BridgeApp(whatsApp, slack, Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"), "bridge.db"));
        foreach (var (key, value) in DefaultSettings(whatsApp, slack, app.DatabasePath))
        {
            app.Settings[key] = value;
        }

        configure?.Invoke(app);
        return app;
    }

    /// <summary>A Bridge on fakes and a database owned by the caller, e.g. to restart on the same data.</summary>
    public static Task<BridgeApp> StartAsync(FakeTalkNTalk whatsApp, FakeSlackApi slack, string databasePath)
    {
        var app = new BridgeApp(whatsApp, slack, databasePath, ownsFakes: false);
        foreach (var (key, value) in DefaultSettings(whatsApp, slack, databasePath))
        {
            app.Settings[key] = value;
        }

        return Task.FromResult(app);
    }

    public static Dictionary<string, string?> DefaultSettings(FakeTalkNTalk whatsApp, FakeSlackApi slack, string databasePath)
    {
        var settings = BridgeSettings.For(whatsApp, slack, databasePath);
        settings["WhatsApp:CircuitBreakDuration"] = "00:00:01";
        settings["Delivery:RetryBaseDelay"] = "00:00:00.050";
        settings["Delivery:RetryMaxDelay"] = "00:00:01";
        settings["Delivery:PollInterval"] = "00:00:00.200";
        settings["Admin:SlackUserIds:0"] = AdminUserId;
        // The test client's own address: tests fetch media links through it, as WhatsApp would.
        settings["Bridge:PublicBaseUrl"] = "http://localhost/";
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(new ListLoggerProvider(_logs, _logWaiters.Changed)));
        builder.ConfigureServices(services =>
        {
            if (Time is not null)
            {
                services.Replace(ServiceDescriptor.Singleton(Time));
                WhatsApp.Time = Time;
            }

            foreach (var configure in TestServices)
            {
                configure(services);
            }
        });
    }

    internal ILinkStore LinkStore => Services.GetRequiredService<ILinkStore>();

    internal IForwardStore ForwardStore => Services.GetRequiredService<IForwardStore>();

    internal IApprovalStore ApprovalStore => Services.GetRequiredService<IApprovalStore>();

    internal IMediaStore MediaStore => Services.GetRequiredService<IMediaStore>();

    internal ISettingStore SettingStore => Services.GetRequiredService<ISettingStore>();

    /// <summary>Links a Slack channel to a fake group directly in the store.</summary>
    internal async Task<ChannelLink> LinkAsync(string channelId = "C08QWERTY12", string groupId = "120363410923125768@g.us", string groupName = "Field Team",
        string teamId = "T08ABCD1234", Platform platform = Platform.Slack)
    {
        var link = new ChannelLink
        {
            Platform = platform,
            WorkspaceId = teamId,
            ChannelId = channelId,
            SessionId = FakeTalkNTalk.DefaultSessionId,
            GroupId = groupId,
            GroupName = groupName,
            CreatedBy = AdminUserId,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await LinkStore.AddLinkAsync(link, default);
        return link;
    }

    /// <summary>Now on Bridge's clock, so that requests signed at it pass the freshness check however far a test moved the clock.</summary>
    private long SlackTimestamp() => (Time ?? TimeProvider.System).GetUtcNow().ToUnixTimeSeconds();

    public async Task<HttpResponseMessage> SlashCommandAsync(string text, string userId = "U07ZXCVB456", string channelId = "C08QWERTY12")
    {
        using var request = SlackRequests.Signed("/slack/commands", SlackRequests.SlashCommandBody(text, userId, channelId, Slack.ResponseUrl()), timestamp: SlackTimestamp());
        return await CreateClient().SendAsync(request);
    }

    public async Task<HttpResponseMessage> PostShortcutAsync(JsonNode payload)
    {
        using var request = SlackRequests.Signed("/slack/interactivity", SlackPayloads.Form(payload), timestamp: SlackTimestamp());
        return await CreateClient().SendAsync(request);
    }

    public async Task<HttpResponseMessage> PostEventAsync(string json, int? retryNum = null)
    {
        using var request = SlackRequests.Signed("/slack/events", json, "application/json", timestamp: SlackTimestamp());
        if (retryNum is { } retry)
        {
            request.Headers.Add("X-Slack-Retry-Num", retry.ToString());
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }

        return await CreateClient().SendAsync(request);
    }

    /// <summary>
    /// Moves the fake clock on and wakes the delivery and schedule workers, which may have set their timers just before
    /// the clock moved (a timer set after the jump would wait a whole interval of a clock that no longer moves).
    /// </summary>
    public void AdvanceTime(TimeSpan by)
    {
        ((FakeTimeProvider)Time!).Advance(by);
        WakeWorkers();
    }

    private void WakeWorkers()
    {
        Services.GetRequiredService<Bridge.Delivery.DeliverySignal>().Notify();
        Services.GetRequiredService<Bridge.Forwarding.ScheduledSends>().Changed();
    }

    /// <summary>
    /// Moves the fake clock on by <paramref name="step"/> at each turn until <paramref name="task"/> ends, for work that
    /// waits on the clock at moments a test cannot know (retries, Retry-After, circuit breaks, rate-limit windows).
    /// Real time only paces the turns; what is asserted is measured on the fake clock.
    /// </summary>
    public Task MoveTimeUntilAsync(Task task, TimeSpan step)
    {
        return MoveClockUntilAsync((FakeTimeProvider)Time!, task, step, WakeWorkers);
    }

    public override async ValueTask DisposeAsync()
    {
        // Polly's pipelines, disposed with the host, wait for calls still in flight by pausing on the app's clock
        // (Polly's ExecutionTrackingComponent), and the fake TalkNTalk may be delaying an answer on it. Nothing moves a
        // FakeTimeProvider then, so disposal moves it on until it ends.
        await WhileTimeMovesAsync(base.DisposeAsync().AsTask());
        if (!_ownsFakes)
        {
            return;
        }

        await WhileTimeMovesAsync(WhatsApp.DisposeAsync().AsTask());
        await Slack.DisposeAsync();
        try
        {
            Directory.Delete(Path.GetDirectoryName(DatabasePath)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Task WhileTimeMovesAsync(Task disposing) =>
        Time is FakeTimeProvider clock ? MoveClockUntilAsync(clock, disposing, TimeSpan.FromSeconds(1), () => { }) : disposing;

    private static async Task MoveClockUntilAsync(FakeTimeProvider clock, Task task, TimeSpan step, Action moved)
    {
        while (await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(20))) != task)
        {
            clock.Advance(step);
            moved();
        }

        await task;
    }
}
