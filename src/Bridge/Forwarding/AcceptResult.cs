namespace Bridge.Forwarding;

/// <summary>The result of recording a forward: accepted, or a duplicate of an earlier one (same dedupe key).</summary>
internal sealed record AcceptResult(bool Accepted, string ForwardId);
