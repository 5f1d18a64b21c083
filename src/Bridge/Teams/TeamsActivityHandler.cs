using System.Text.Json;
using Bridge.Admin;
using Bridge.Forwarding;
using Bridge.Storage;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Bridge.Teams;

/// <summary>
/// Handles authenticated activities: @mention commands (answered in the thread, in the background) and the
/// "Send to WhatsApp" message action (answered in the invoke response, within Teams' 5 seconds).
/// </summary>
internal sealed partial class TeamsActivityHandler(
    CommandService commands,
    Forwarder forwarder,
    IBridgeStore store,
    TeamsConnectorClient connector,
    TeamsForwardBuilder forwards,
    IOptions<AdminOptions> admins,
    IMemoryCache recent,
    IHostApplicationLifetime lifetime,
    ILogger<TeamsActivityHandler> logger)
{
    /// <summary>The message action's command id in our manifest; the fixtures' older name is accepted too.</summary>
    public static readonly string[] SendCommandIds = ["sendToWhatsApp", "forwardToWhatsApp"];

    /// <summary>The Connector retries an activity it got no answer for within 15 s; a retry is dropped for this long.</summary>
    private static readonly TimeSpan RetryWindow = TimeSpan.FromMinutes(10);
    private readonly Lock _recentLock = new();

    public IResult Handle(TeamsActivity activity) => activity.Type switch
    {
        "message" => HandleMessage(activity),
        "invoke" => HandleInvoke(activity),
        // conversationUpdate, installationUpdate, messageReaction, typing…: nothing to do.
        _ => TypedResults.Ok(),
    };

    private IResult HandleMessage(TeamsActivity activity)
    {
        var botId = activity.Recipient?.Id;
        var mention = activity.Entities?.FirstOrDefault(e => e.Type == "mention" && e.Mentioned?.Id is { } id && id == botId);
        var personal = activity.Conversation?.ConversationType == "personal";
        if ((mention is null && !personal) || activity.Channel is not { } channel || activity.Id is null)
        {
            return TypedResults.Ok();
        }

        var dedupeKey = "teams:" + activity.Id;
        if (!FirstDelivery(dedupeKey))
        {
            Log.RetryDropped(logger, activity.Id);
            return TypedResults.Ok();
        }

        var botName = mention?.Mentioned?.Name ?? activity.Recipient?.Name;
        var usage = Usage(activity);
        var html = activity.Attachments?.FirstOrDefault(a => a.ContentType == "text/html" && a.Content?.ValueKind == JsonValueKind.String)?.Content?.GetString();
        var text = html is not null ? TeamsHtml.ToWhatsApp(html, botName) : PlainCommandText(activity);
        var reply = activity.ReplyTarget(activity.ThreadRoot);
        var invocation = new CommandInvocation(
            channel,
            activity.From?.AadObjectId ?? activity.From?.Id ?? "",
            text,
            usage,
            _ => Task.FromResult(IsAdmin(activity)),
            (sendText, _) =>
            {
                var forward = TeamsForwardBuilder.NewForward(activity, channel, reply);
                forward.Text = sendText;
                forwards.AddAttachments(forward, activity.Attachments, html, usage);
                return Task.FromResult(forward);
            },
            dedupeKey);

        // The Connector only wants a quick 200; the answer is posted in the thread like any other reply.
        _ = AnswerAsync(invocation, reply, lifetime.ApplicationStopping);
        return TypedResults.Ok();
    }

    private async Task AnswerAsync(CommandInvocation invocation, ReplyTarget reply, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await commands.ExecuteAsync(invocation, cancellationToken);
            await connector.PostAsync(reply, answer, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.AnswerFailed(logger, exception.GetType().Name, exception.Message);
        }
    }

    private IResult HandleInvoke(TeamsActivity activity)
    {
        if (activity.Name is not ("composeExtension/submitAction" or "composeExtension/fetchTask"))
        {
            // What BotBuilder answers for invokes a bot does not implement.
            return TypedResults.StatusCode(StatusCodes.Status501NotImplemented);
        }

        TeamsActionValue? value;
        try
        {
            value = activity.Value?.Deserialize(TeamsJson.Default.TeamsActionValue);
        }
        catch (JsonException)
        {
            value = null;
        }

        var usage = Usage(activity);
        if (value is null || !SendCommandIds.Contains(value.CommandId, StringComparer.OrdinalIgnoreCase)
            || value.CommandContext != "message" || value.MessagePayload is not { } message)
        {
            return TaskMessage($"Bridge does not know this action. Mention {usage} with `help` to see what it does.");
        }

        if (activity.Channel is not { } channel || activity.Id is null)
        {
            return TaskMessage("Teams did not say which channel this message is in, so Bridge cannot send it.");
        }

        if (activity.Name == "composeExtension/fetchTask")
        {
            var links = store.GetLinks(channel);
            return TaskMessage(links.Count == 0
                ? CommandService.NotLinked(usage)
                : $"Bridge sends this message to WhatsApp group{(links.Count == 1 ? "" : "s")} {string.Join(", ", links.Select(l => l.GroupName))}.");
        }

        var forward = TeamsForwardBuilder.NewForward(activity, channel, activity.ReplyTarget(message.ReplyToId ?? message.Id));
        var html = message.Body?.ContentType == "html" ? message.Body.Content : null;
        var body = html is not null ? TeamsHtml.ToWhatsApp(html, activity.Recipient?.Name) : (message.Body?.Content ?? "").Trim();
        var note = NoteOf(value.Data);
        var author = message.From?.User?.DisplayName;
        var attributed = string.IsNullOrWhiteSpace(author) ? body : body.Length == 0 ? $"*{author}*" : $"*{author}:* {body}";
        forward.Text = note.Length == 0 ? attributed : $"{note}\n\n{attributed}";
        forwards.AddAttachments(forward, message.Attachments, html, usage);
        if (body.Length == 0 && forward.Attachments.Count == 0)
        {
            return TaskMessage("There is nothing Bridge can send in this message.");
        }

        return TaskMessage(CommandService.DescribeOutcome(forwarder.Accept(forward, "teams:" + activity.Id), usage));
    }

    private bool IsAdmin(TeamsActivity activity) =>
        activity.From?.AadObjectId is { Length: > 0 } user
        && admins.Value.TeamsUserIds.Any(id => string.Equals(id?.Trim(), user, StringComparison.OrdinalIgnoreCase));

    /// <summary>Without an HTML copy: the text with the bot's mention removed and other mentions as @Name, using entities.</summary>
    private static string PlainCommandText(TeamsActivity activity)
    {
        var text = activity.Text ?? "";
        foreach (var entity in activity.Entities ?? [])
        {
            if (entity.Type == "mention" && !string.IsNullOrEmpty(entity.Text))
            {
                text = text.Replace(entity.Text, entity.Mentioned?.Id == activity.Recipient?.Id ? "" : "@" + entity.Mentioned?.Name, StringComparison.Ordinal);
            }
        }

        return text.Replace('\u00A0', ' ').Trim();
    }

    private static string NoteOf(JsonElement? data) =>
        data is { ValueKind: JsonValueKind.Object } form && form.TryGetProperty("note", out var note) && note.ValueKind == JsonValueKind.String
            ? note.GetString()!.Trim()
            : "";

    private static string Usage(TeamsActivity activity) => "@" + (string.IsNullOrWhiteSpace(activity.Recipient?.Name) ? "Bridge" : activity.Recipient.Name);

    private bool FirstDelivery(string key)
    {
        lock (_recentLock)
        {
            if (recent.TryGetValue(key, out _))
            {
                return false;
            }

            recent.Set(key, true, RetryWindow);
            return true;
        }
    }

    private static IResult TaskMessage(string text) =>
        TypedResults.Json(TeamsTaskResponse.Message(text), TeamsJson.Default.TeamsTaskResponse);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Teams activity {ActivityId} was delivered again; the retry is dropped")]
        public static partial void RetryDropped(ILogger logger, string activityId);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "A Teams command answer could not be posted: {Error} {Reason}")]
        public static partial void AnswerFailed(ILogger logger, string error, string reason);
    }
}
