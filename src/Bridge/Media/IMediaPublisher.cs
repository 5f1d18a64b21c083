using Bridge.Forwarding;

namespace Bridge.Media;

/// <summary>Re-hosts a forward's file for WhatsApp to fetch: fetched from its platform once, stored, and signed.</summary>
internal interface IMediaPublisher
{
    /// <exception cref="MediaException">The file could not be fetched or is not allowed; the message says why.</exception>
    Task<PublishedFile> PublishAsync(Forward forward, int attachmentIndex, CancellationToken cancellationToken);
}
