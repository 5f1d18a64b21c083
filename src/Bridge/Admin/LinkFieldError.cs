namespace Bridge.Admin;

/// <summary>A field of a link that is not valid; <see cref="Field"/> is the configuration name (e.g. <c>GroupId</c>).</summary>
internal sealed record LinkFieldError(string Field, string Reason);
