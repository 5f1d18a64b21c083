namespace Bridge.Admin;

/// <summary>The add-link form's values, kept when the form is shown again with an error.</summary>
internal sealed record LinkForm(string? Platform = null, string? WorkspaceId = null, string? ChannelId = null, string? Group = null);
