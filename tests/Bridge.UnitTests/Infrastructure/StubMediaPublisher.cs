using Bridge.Forwarding;
using Bridge.Media;

namespace Bridge.UnitTests.Infrastructure;

/// <summary>Publishes each attachment at a made-up signed URL, or fails the ones listed in <see cref="Unfetchable"/>.</summary>
internal sealed class StubMediaPublisher : IMediaPublisher
{
    public HashSet<int> Unfetchable { get; } = [];
    public List<int> Published { get; } = [];

    public Task<PublishedFile> PublishAsync(Forward forward, int attachmentIndex, CancellationToken cancellationToken)
    {
        var attachment = forward.Attachments[attachmentIndex];
        if (Unfetchable.Contains(attachmentIndex))
        {
            throw new MediaException($"{attachment.Name} could not be fetched.");
        }

        Published.Add(attachmentIndex);
        return Task.FromResult(new PublishedFile($"https://bridge.test/media/{attachmentIndex}?sig=x", attachment.MimeType, attachment.Name));
    }
}
