using Bridge.Forwarding;
using Bridge.WhatsApp;

namespace Bridge.Media;

/// <summary>Turns a planned message into the Send Group Message body, re-hosting its file first when it has one.</summary>
public interface IMediaPublisher
{
    Task<GroupMessage> ToGroupMessageAsync(Forward forward, DeliveryJob job, PlannedMessage planned, CancellationToken cancellationToken);
}
