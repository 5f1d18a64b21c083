using Bridge.Commands;
using Bridge.Forwarding;
using Bridge.UnitTests.Infrastructure;
using Bridge.UnitTests.Storage;
using Bridge.WhatsApp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.UnitTests.Commands;

/// <summary>The command handlers over the in-memory store, the stubbed TalkNTalk and a fake clock, for a Slack channel.</summary>
internal sealed class CommandTestBed
{
    public const string Usage = "/whatsapp";
    public const string AdminId = "UADMIN";
    public static readonly ChannelRef Channel = new(Platform.Slack, "T1", "C1");

    public InMemoryStore Store { get; } = new();
    public StubTalkNTalk TalkNTalk { get; } = new();
    public FakeAdmins Admins { get; } = new(Platform.Slack, AdminId);
    public RecordingScheduler Scheduler { get; } = new();
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    public WhatsAppOptions WhatsApp { get; } = new() { ApiKey = "test-key", SessionId = "s1" };
    public StoreAvailability Availability { get; } = new();

    public CommandDispatcher Dispatcher() => new(Send(), Link(), Unlink(), Groups(), Status(), Scheduled(), Cancel(), Availability, Forwarding());

    public SendHandler Send() => new(Forwarder(), ApprovalsOff.Gate(Store, Time), Schedules(), Time);

    public ScheduledSends Schedules() => new(Store, [], Time, NullLogger<ScheduledSends>.Instance);

    public ScheduledHandler Scheduled() => new(Store);

    public CancelHandler Cancel() => new(Schedules(), new AdminCheck([Admins]));

    public Forwarder Forwarder() => new(Store, Store, Scheduler, ApprovalsOff.Gate(Store, Time), Store, Schedules(), Availability, Time, Forwarding());

    public LinkHandler Link() => new(Store, TalkNTalk.Client(), new AdminCheck([Admins]), Time, Options.Create(WhatsApp));

    public UnlinkHandler Unlink() => new(Store, new AdminCheck([Admins]));

    public GroupsHandler Groups() => new(TalkNTalk.Client(), Options.Create(WhatsApp));

    public StatusHandler Status() => new(Store, TalkNTalk.Client());

    /// <summary>A command other than send, as Slack's adapter hands it over.</summary>
    public static CommandRequest Request(string text, string userId = "U1") => new(Channel, userId, Usage, Command.Parse(text));

    /// <summary>Any command as Slack's adapter hands it over: a send carries its route, and its forward on an open route.</summary>
    public async Task<CommandRequest> RequestAsync(
        string text, string userId = "U1", string? dedupeKey = null, bool repliesInThread = true, string? timeZone = null, string? userName = null)
    {
        var request = new CommandRequest(Channel, userId, Usage, Command.Parse(text), DedupeKey: dedupeKey, RepliesInThread: repliesInThread,
            TimeZone: timeZone, UserName: userName);
        if (request.Command.Verb != CommandVerb.Send)
        {
            return request;
        }

        var route = await Forwarder().RouteAsync(Channel, CancellationToken.None);
        var forward = route.Refusal is null
            ? new Forward { Platform = Channel.Platform, WorkspaceId = Channel.WorkspaceId, ChannelId = Channel.ChannelId, UserId = userId, UserName = userName ?? userId, Text = request.Command.Argument }
            : null;
        return request with { Route = route, Forward = forward };
    }

    public async Task LinkAsync(string groupId, string groupName, string sessionId = "s1")
    {
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.AddLinkAsync(new ChannelLink
        {
            Platform = Channel.Platform,
            WorkspaceId = Channel.WorkspaceId,
            ChannelId = Channel.ChannelId,
            SessionId = sessionId,
            GroupId = groupId,
            GroupName = groupName,
            CreatedAt = Time.GetUtcNow(),
        }, CancellationToken.None);
    }

    public async Task<IReadOnlyList<ChannelLink>> LinksAsync() => await Store.GetLinksAsync(Channel, CancellationToken.None);

    // As the composition root sets it from WhatsApp's settings.
    private IOptions<ForwardingOptions> Forwarding() => Options.Create(new ForwardingOptions { WhatsAppConfigured = WhatsApp.IsConfigured });
}
