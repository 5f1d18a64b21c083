namespace Bridge.WhatsApp;

/// <summary>What a failed call tells about the request.</summary>
internal enum TalkNTalkFailure
{
    /// <summary>The provider proves it did not take the request (connection refused, 408, 429, 500, 503, 504): safe to retry.</summary>
    NotTaken,
    /// <summary>
    /// Bridge held the request back before it left (the circuit breaker is open):
    /// nothing was tried, so it is safe to retry and uses no attempt.
    /// </summary>
    HeldBack,
    /// <summary>The provider refused the request (400, 401, 403, 404, 409, 502, …): retrying will not help.</summary>
    Rejected,
    /// <summary>The request may have been taken (timeout or connection lost after sending): never repeat a send.</summary>
    Unknown,
}
