using Bridge.Forwarding;
using Bridge.Storage;
using Bridge.WhatsApp;

namespace Bridge.Media;

internal sealed class MediaPublisher : IMediaPublisher
{
    public Task<GroupMessage> ToGroupMessageAsync(Forward forward, DeliveryJob job, PlannedMessage planned, CancellationToken cancellationToken)
    {
        if (planned.AttachmentIndex is null)
        {
            return Task.FromResult(new GroupMessage(job.GroupId, "text", planned.Text));
        }

        throw new MediaException("Files cannot be forwarded yet.");
    }
}
