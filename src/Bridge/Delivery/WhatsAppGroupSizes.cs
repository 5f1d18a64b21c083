using System.Collections.Concurrent;
using Bridge.Forwarding;
using Bridge.WhatsApp;

namespace Bridge.Delivery;

/// <summary>
/// Member counts from List Groups' <c>participant_count</c>, through the client's look-up cache (one call per session per
/// 30 s). The approval check waits for them inside Slack's and Teams' answer (Teams gives a message action 5 s), so a
/// look-up for a group whose count was seen before gets <see cref="Budget"/>: one that takes longer, or fails, gives
/// that last count instead, and a late one still goes on to refresh it.
/// </summary>
internal sealed partial class WhatsAppGroupSizes(TalkNTalkClient whatsApp, TimeProvider time, ILogger<WhatsAppGroupSizes> logger) : IGroupSizes
{
    internal static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    // Member counts change slowly: the last one seen is a better guide than none, when WhatsApp is slow or down.
    private readonly ConcurrentDictionary<(string SessionId, string GroupId), int> _lastSeen = new();

    public async Task<int?> MemberCountAsync(ChannelLink link, CancellationToken cancellationToken)
    {
        // Not cancelled with the budget or the request: its answer keeps the last count fresh for the next send.
        var lookUp = LookUpAsync(link);
        if (LastSeen(link) is not { } lastSeen)
        {
            // Never seen: waited for in full, so a slow WhatsApp can't let a big first send through unheld.
            return await lookUp.WaitAsync(cancellationToken);
        }

        try
        {
            return await lookUp.WaitAsync(Budget, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            Log.SizeLate(logger, Budget.TotalSeconds);
            return lastSeen;
        }
    }

    private async Task<int?> LookUpAsync(ChannelLink link)
    {
        try
        {
            var groups = await whatsApp.ListGroupsAsync(link.SessionId, CancellationToken.None);
            foreach (var group in groups)
            {
                if (group.ParticipantCount is { } count)
                {
                    _lastSeen[(link.SessionId, group.ChatId)] = count;
                }
            }

            return groups.FirstOrDefault(g => g.ChatId == link.GroupId)?.ParticipantCount;
        }
        catch (Exception exception)
        {
            // Unknown, not fatal: with no count ever seen, the send is held only if its link requires approval, and
            // the preview says the size is unknown.
            Log.SizeUnknown(logger, exception.GetType().Name);
            return LastSeen(link);
        }
    }

    private int? LastSeen(ChannelLink link) => _lastSeen.TryGetValue((link.SessionId, link.GroupId), out var count) ? count : null;

    private static partial class Log
    {
        [LoggerMessage(EventId = 3501, Level = LogLevel.Warning, Message = "A group's member count could not be read for the approval check: {Error}")]
        public static partial void SizeUnknown(ILogger logger, string error);

        [LoggerMessage(EventId = 3507, Level = LogLevel.Warning, Message = "A group's member count took longer than {Seconds} s for the approval check; its last count seen is used")]
        public static partial void SizeLate(ILogger logger, double seconds);
    }
}
