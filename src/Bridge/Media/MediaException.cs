namespace Bridge.Media;

/// <summary>A file could not be fetched or re-hosted; the message is a sentence for people.</summary>
internal sealed class MediaException(string message, Exception? inner = null) : Exception(message, inner);
