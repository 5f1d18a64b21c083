namespace Bridge.Storage;

/// <summary>
/// The store file cannot be opened (another process owns it, or it is not a LiteDB store). The message is one sentence
/// for the operator: it names the file and says what to do.
/// </summary>
internal sealed class StoreOpenException(string message, Exception? innerException = null) : Exception(message, innerException);
