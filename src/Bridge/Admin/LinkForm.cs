namespace Bridge.Admin;

/// <summary>
/// A link form's values and what was wrong with them, kept when the page is shown again: the add-link form's fields,
/// or, with <see cref="EditedLinkId"/>, the errors of that link's change forms.
/// </summary>
internal sealed record LinkForm(
    string? Platform = null,
    string? WorkspaceId = null,
    string? ChannelId = null,
    string? Group = null,
    string? EditedLinkId = null,
    IReadOnlyList<LinkFieldError>? Errors = null)
{
    /// <summary>The errors of one field (its configuration name, e.g. <c>ChannelId</c>).</summary>
    public IEnumerable<string> ErrorsFor(string field) =>
        (Errors ?? []).Where(e => string.Equals(e.Field, field, StringComparison.OrdinalIgnoreCase)).Select(e => e.Reason);

    /// <summary>
    /// A refusal as errors beside the fields: its own per field, else the whole refusal beside the group picker (a
    /// duplicate, an unknown group or session, WhatsApp not answering), the field the admin would change next.
    /// </summary>
    public static IReadOnlyList<LinkFieldError> ErrorsOf(LinkRefusal refusal) =>
        refusal.Errors.Count > 0
            ? [.. refusal.Errors.Select(e => e.Field is "GroupId" or "SessionId" or "GroupName" ? e with { Field = "Group" } : e)]
            : [new("Group", $"{refusal.Title}: {refusal.Detail}")];
}
