namespace Bridge.Forwarding;

/// <summary>
/// The result of recording a forward: accepted, or a duplicate of an earlier one (same dedupe key). <see cref="Jobs"/>
/// are that forward's jobs in id order, read in the same write, so no later read can miss them.
/// </summary>
internal sealed record AcceptResult(bool Accepted, string ForwardId, IReadOnlyList<DeliveryJob> Jobs);
