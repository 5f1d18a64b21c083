using Bridge.Forwarding;

namespace Bridge.Admin;

/// <summary>The link that was created, or why not.</summary>
internal sealed record LinkResult(ChannelLink? Link, LinkRefusal? Refusal);
