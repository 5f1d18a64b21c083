using Bridge.Forwarding;
using Bridge.WhatsApp;
using Microsoft.Extensions.Options;

namespace Bridge.Admin;

/// <summary>Creates, changes and removes links for the admin API and page, with the same checks for both.</summary>
internal sealed class LinkEditor(ILinkStore store, TalkNTalkClient whatsApp, IOptions<WhatsAppOptions> whatsAppOptions, TimeProvider time)
{
    private const int MaxIdLength = 200;

    public async Task<LinkResult> CreateAsync(CreateLinkRequest request, string createdBy, CancellationToken cancellationToken)
    {
        var sessionId = Trimmed(request.SessionId) ?? Trimmed(whatsAppOptions.Value.SessionId);
        var errors = Validate(request, sessionId);
        if (errors.Count > 0)
        {
            return Refused(StatusCodes.Status400BadRequest, "The link is not valid", string.Join(" ", errors.Select(e => e.Reason)), errors);
        }

        if (!whatsAppOptions.Value.IsConfigured)
        {
            return new LinkResult(null, WhatsAppProblems.NotConfigured);
        }

        var groupId = request.GroupId!.Trim();
        if (await CheckSessionAsync(sessionId!, cancellationToken) is { } refusal)
        {
            return new LinkResult(null, refusal);
        }

        var link = new ChannelLink
        {
            Platform = ParsePlatform(request.Platform)!.Value,
            WorkspaceId = request.WorkspaceId!.Trim(),
            ChannelId = request.ChannelId!.Trim(),
            SessionId = sessionId!,
            GroupId = groupId,
            GroupName = await FindGroupNameAsync(sessionId!, groupId, cancellationToken) ?? Trimmed(request.GroupName) ?? groupId,
            CreatedBy = createdBy,
            CreatedAt = time.GetUtcNow(),
        };

        return await store.AddLinkAsync(link, cancellationToken)
            ? new LinkResult(link, null)
            : Duplicate(link);
    }

    public async Task<LinkResult> UpdateAsync(string linkId, UpdateLinkRequest request, CancellationToken cancellationToken)
    {
        if ((await store.ListLinksAsync(null, null, null, cancellationToken)).FirstOrDefault(l => l.Id == linkId) is not { } link)
        {
            return Refused(StatusCodes.Status404NotFound, "Unknown link", $"No link has the id {linkId}.");
        }

        var groupId = Trimmed(request.Group);
        var sessionId = Trimmed(request.SessionId) ?? link.SessionId;
        var errors = new List<LinkFieldError>();
        if (groupId is null && request.Paused is null && request.RequiresApproval is null)
        {
            errors.Add(new("Group", "Say what to change: group (a WhatsApp group chat_id), paused (true or false), requiresApproval (true or false), or several."));
        }

        if (groupId is not null)
        {
            CheckGroupId(errors, groupId);
        }

        CheckSessionId(errors, sessionId);

        if (errors.Count > 0)
        {
            return Refused(StatusCodes.Status400BadRequest, "The change is not valid", string.Join(" ", errors.Select(e => e.Reason)), errors);
        }

        if (groupId is not null && (groupId != link.GroupId || sessionId != link.SessionId))
        {
            if (!whatsAppOptions.Value.IsConfigured)
            {
                return new LinkResult(null, WhatsAppProblems.NotConfigured);
            }

            if (sessionId != link.SessionId && await CheckSessionAsync(sessionId, cancellationToken) is { } sessionRefusal)
            {
                return new LinkResult(null, sessionRefusal);
            }

            IReadOnlyList<Group> groups;
            try
            {
                groups = await whatsApp.ListGroupsAsync(sessionId, cancellationToken);
            }
            catch (TalkNTalkException exception)
            {
                return new LinkResult(null, WhatsAppProblems.Refusal(exception, $"list the groups of session {sessionId}"));
            }

            if (groups.FirstOrDefault(g => g.ChatId == groupId) is not { } group)
            {
                return Refused(StatusCodes.Status404NotFound, "Unknown group",
                    $"WhatsApp group {groupId} is not one of the groups of session {sessionId} (see GET /admin/api/groups).");
            }

            (link.SessionId, link.GroupId, link.GroupName) = (sessionId, groupId, string.IsNullOrEmpty(group.Name) ? groupId : group.Name);
        }

        link.Paused = request.Paused ?? link.Paused;
        link.RequiresApproval = request.RequiresApproval ?? link.RequiresApproval;
        return await store.UpdateLinkAsync(link, cancellationToken) switch
        {
            LinkUpdate.Updated => new LinkResult(link, null),
            LinkUpdate.Duplicate => Duplicate(link),
            _ => Refused(StatusCodes.Status404NotFound, "Unknown link", $"No link has the id {linkId}."),
        };
    }

    public Task<bool> RemoveAsync(string linkId, CancellationToken cancellationToken) => store.RemoveLinkAsync(linkId, cancellationToken);

    /// <summary>The checks that need no network, shared with the links declared in configuration.</summary>
    public static IReadOnlyList<LinkFieldError> Validate(CreateLinkRequest request, string? sessionId)
    {
        var errors = new List<LinkFieldError>();
        if (ParsePlatform(request.Platform) is null)
        {
            errors.Add(new("Platform", "Platform must be Slack or Teams."));
        }

        CheckId(errors, "WorkspaceId", request.WorkspaceId, "WorkspaceId is required: the Slack team id (T…) or the Teams tenant id.");
        CheckId(errors, "ChannelId", request.ChannelId, "ChannelId is required: the Slack channel id (C…) or the Teams conversation id.");
        CheckId(errors, "GroupId", request.GroupId, "GroupId is required: a WhatsApp group chat_id ending in @g.us.");
        if (Trimmed(request.GroupId) is { } groupId)
        {
            CheckGroupId(errors, groupId, "GroupId");
        }

        if (sessionId is null)
        {
            errors.Add(new("SessionId", "SessionId is required when WhatsApp:SessionId is not set."));
        }
        else
        {
            CheckSessionId(errors, sessionId);
        }

        if (request.GroupName is { Length: > MaxIdLength })
        {
            errors.Add(new("GroupName", $"GroupName must be at most {MaxIdLength} characters."));
        }

        return errors;
    }

    public static Platform? ParsePlatform(string? value) =>
        Enum.GetValues<Platform>().Cast<Platform?>().FirstOrDefault(p => string.Equals(p.ToString(), value?.Trim(), StringComparison.OrdinalIgnoreCase));

    private async Task<LinkRefusal?> CheckSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        IReadOnlyList<Phone> phones;
        try
        {
            phones = await whatsApp.ListPhonesAsync(cancellationToken);
        }
        catch (TalkNTalkException exception)
        {
            // The configured session is trusted without the check; another one must be proven to exist.
            return sessionId == Trimmed(whatsAppOptions.Value.SessionId) ? null : WhatsAppProblems.Refusal(exception, "check the session");
        }

        return phones.Any(p => p.ChatId == sessionId) || sessionId == Trimmed(whatsAppOptions.Value.SessionId)
            ? null
            : new LinkRefusal(StatusCodes.Status404NotFound, "Unknown session",
                $"Session {sessionId} is not one of the organisation's phones (see GET /admin/api/phones).", []);
    }

    private async Task<string?> FindGroupNameAsync(string sessionId, string groupId, CancellationToken cancellationToken)
    {
        try
        {
            var groups = await whatsApp.ListGroupsAsync(sessionId, cancellationToken);
            return groups.FirstOrDefault(g => g.ChatId == groupId)?.Name is { Length: > 0 } name ? name : null;
        }
        catch (TalkNTalkException)
        {
            // The name is a label only; the link works without it.
            return null;
        }
    }

    private static void CheckSessionId(List<LinkFieldError> errors, string sessionId)
    {
        if (!SessionId.IsValid(sessionId))
        {
            errors.Add(new("SessionId", $"SessionId must be a TalkNTalk phone chat_id: {SessionId.Form}."));
        }
    }

    private static void CheckGroupId(List<LinkFieldError> errors, string groupId, string field = "Group")
    {
        if (!groupId.EndsWith("@g.us", StringComparison.Ordinal))
        {
            errors.Add(new(field, $"{field} must be a WhatsApp group chat_id ending in @g.us; \"{Shorten(groupId)}\" is not."));
        }
    }

    private static void CheckId(List<LinkFieldError> errors, string field, string? value, string missing)
    {
        if (Trimmed(value) is not { } id)
        {
            errors.Add(new(field, missing));
        }
        else if (id.Length > MaxIdLength || id.Any(char.IsWhiteSpace))
        {
            errors.Add(new(field, $"{field} must be an id without spaces, at most {MaxIdLength} characters."));
        }
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Shorten(string value) => value.Length > 60 ? value[..60] + "…" : value;

    /// <summary>Names the group as admins know it: by its name, with the id after it.</summary>
    private static LinkResult Duplicate(ChannelLink link) =>
        Refused(StatusCodes.Status409Conflict, "The link already exists",
            $"{link.Platform} channel {link.ChannelId} is already linked to WhatsApp group {link.GroupName} ({link.GroupId}) on session {link.SessionId}.");

    private static LinkResult Refused(int status, string title, string detail, IReadOnlyList<LinkFieldError>? errors = null) =>
        new(null, new LinkRefusal(status, title, detail, errors ?? []));
}
