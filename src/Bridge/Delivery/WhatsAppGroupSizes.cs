using Bridge.Forwarding;
using Bridge.WhatsApp;

namespace Bridge.Delivery;

/// <summary>Member counts from List Groups' <c>participant_count</c>, through the client's look-up cache (one call per session per 30 s).</summary>
internal sealed partial class WhatsAppGroupSizes(TalkNTalkClient whatsApp, ILogger<WhatsAppGroupSizes> logger) : IGroupSizes
{
    public async Task<int?> MemberCountAsync(ChannelLink link, CancellationToken cancellationToken)
    {
        try
        {
            var groups = await whatsApp.ListGroupsAsync(link.SessionId, cancellationToken);
            return groups.FirstOrDefault(g => g.ChatId == link.GroupId)?.ParticipantCount;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Unknown, not fatal: the send is held only if its link requires approval, and the preview says the size is unknown.
            Log.SizeUnknown(logger, exception.GetType().Name);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3501, Level = LogLevel.Warning, Message = "A group's member count could not be read for the approval check: {Error}")]
        public static partial void SizeUnknown(ILogger logger, string error);
    }
}
