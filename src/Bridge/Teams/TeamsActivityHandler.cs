using System.Text;
using System.Text.Json;
using Bridge.Commands;
using Bridge.Forwarding;
using Microsoft.Extensions.Caching.Memory;

namespace Bridge.Teams;

/// <summary>
/// Handles authenticated activities: @mention commands (answered in the thread, after the 200) and the
/// "Send to WhatsApp" message action (answered in the invoke response, within Teams' 5 seconds).
/// </summary>
internal sealed partial class TeamsActivityHandler(
    CommandDispatcher commands,
    Forwarder forwarder,
    ILinkStore store,
    StoreAvailability availability,
    TeamsConnectorClient connector,
    TeamsForwardBuilder forwards,
    TeamsApprovalActions approvals,
    TeamsSendAgainActions sendAgain,
    IMemoryCache recent,
    IHostApplicationLifetime lifetime,
    ILogger<TeamsActivityHandler> logger)
{
    /// <summary>The message action's command id in our manifest; the fixtures' older name is accepted too.</summary>
    public static readonly string[] SendCommandIds = ["sendToWhatsApp", "forwardToWhatsApp"];

    /// <summary>The Connector retries an activity it got no answer for within 15 s; a retry is dropped for this long.</summary>
    private static readonly TimeSpan RetryWindow = TimeSpan.FromMinutes(10);
    private readonly Lock _recentLock = new();

    public async Task<IResult> HandleAsync(TeamsActivity activity, CancellationToken cancellationToken) => activity.Type switch
    {
        "message" => await HandleMessageAsync(activity),
        "invoke" => await HandleInvokeAsync(activity, cancellationToken),
        // conversationUpdate, installationUpdate, messageReaction, typing…: nothing to do.
        _ => TypedResults.Ok(),
    };

    private async Task<IResult> HandleMessageAsync(TeamsActivity activity)
    {
        if (SubmittedActionOf(activity) is { } submitted)
        {
            // A press on a card's Action.Submit fallback, from a client without Universal Actions: answered in the
            // conversation after the 200, as no invoke response reaches it. The Connector's retry presses nothing again.
            if (activity.Id is not null && !FirstDelivery(DedupeKey(activity)))
            {
                Log.RetryDropped(logger, LogValue.Clean(activity.Id));
                return TypedResults.Ok();
            }

            if (await PressAsync(activity, submitted, lifetime.ApplicationStopping) is { } pressed)
            {
                _ = AnswerPressAsync(activity, pressed);
            }

            return TypedResults.Ok();
        }

        var mentions = activity.Entities?.Where(e => e.Type == "mention").ToList() ?? [];
        var botMentions = Enumerable.Range(0, mentions.Count).Where(i => IsBot(activity, mentions[i])).ToHashSet();
        var personal = activity.Conversation?.ConversationType == "personal";
        if ((botMentions.Count == 0 && !personal) || activity.Channel is not { } channel || activity.Id is null)
        {
            return TypedResults.Ok();
        }

        var dedupeKey = DedupeKey(activity);
        if (!FirstDelivery(dedupeKey))
        {
            Log.RetryDropped(logger, LogValue.Clean(activity.Id));
            return TypedResults.Ok();
        }

        var usage = Usage(activity);
        var html = activity.Attachments?.FirstOrDefault(a => a.ContentType == "text/html" && a.Content?.ValueKind == JsonValueKind.String)?.Content?.GetString();
        if (html is not null && TeamsHtml.IsTooComplex(html))
        {
            // Formatting is lost, the words are not: activity.text carries them without HTML.
            html = null;
        }

        var text = html is not null ? TeamsHtml.ToWhatsApp(html, botMentions) : PlainCommandText(activity, mentions);
        if (text.Length == 0 && activity.Attachments?.Any(a => a.ContentType != "text/html") == true)
        {
            // A mention with only a pasted image or a file asks to send it, not for help.
            text = "send";
        }

        var reply = activity.ReplyTarget(activity.ThreadRoot, activity.Id);
        // The user id is the sender's AAD object id, which Admin:TeamsUserIds lists (the account id only when Teams gives none).
        var request = new CommandRequest(channel, activity.From?.AadObjectId ?? activity.From?.Id ?? "", usage, Command.Parse(text),
            DedupeKey: dedupeKey, RepliesInThread: activity.IsChannel, ChannelName: activity.ChannelName, TimeZone: activity.LocalTimezone,
            UserName: activity.From?.Name);
        if (request.Command.Verb != CommandVerb.Send)
        {
            // The other commands ask WhatsApp and may outlast the Connector's 15 s: they run after the 200, answering in the thread.
            // Only the help is all Bridge's own text: markdown shows its commands as code.
            _ = AnswerAsync(commands.ExecuteAsync(request, lifetime.ApplicationStopping), reply, request.Command.Verb == CommandVerb.Help);
            return TypedResults.Ok();
        }

        // Stored before the 200 on purpose: once answered, the Connector never delivers the message again. Only posting
        // the answer in the thread, the slow part, runs after.
        string answer;
        try
        {
            var route = await forwarder.RouteAsync(channel, lifetime.ApplicationStopping);
            request = request with { Route = route };
            if (route.Refusal is null)
            {
                var forward = TeamsForwardBuilder.NewForward(activity, channel, reply);
                forward.Text = request.Command.Argument;
                forwards.AddAttachments(forward, activity.Attachments, html, usage);
                request = request with { Forward = forward };
            }

            answer = await commands.ExecuteAsync(request, lifetime.ApplicationStopping);
        }
        catch
        {
            // Not stored: the Connector's retry must not be dropped as a repeat (the store's dedupe key still stops a double accept).
            Forget(dedupeKey);
            throw;
        }

        _ = AnswerAsync(Task.FromResult(answer), reply, markdown: false);
        return TypedResults.Ok();
    }

    private async Task AnswerAsync(Task<string> work, ReplyTarget reply, bool markdown)
    {
        var cancellationToken = lifetime.ApplicationStopping;
        try
        {
            await connector.PostAsync(reply, await work, cancellationToken, markdown);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.AnswerFailed(logger, exception.GetType().Name, LogValue.Clean(exception.Message));
        }
    }

    /// <summary>
    /// A card's redrawn form replaces the pressed card (the message the press answers) for everyone; a question or a
    /// sentence to an Action.Submit press is replied in the thread, since a message can't be answered privately.
    /// </summary>
    private async Task AnswerPressAsync(TeamsActivity activity, TeamsCardAnswer pressed)
    {
        var cancellationToken = lifetime.ApplicationStopping;
        try
        {
            if (pressed is { Replaces: true, Card: { } card } && activity.ReplyToId is { } pressedCard)
            {
                await connector.UpdateAsync(activity.ReplyTarget(activity.ThreadRoot, null), pressedCard, pressed.Text, card, cancellationToken);
            }
            else
            {
                await connector.PostAsync(activity.ReplyTarget(activity.ThreadRoot, activity.Id), pressed.Text, cancellationToken, card: pressed.Card);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.AnswerFailed(logger, exception.GetType().Name, LogValue.Clean(exception.Message));
        }
    }

    /// <summary>Carries out a press on one of Bridge's card buttons, by its verb's prefix; null for a verb Bridge does not know.</summary>
    private async Task<TeamsCardAnswer?> PressAsync(TeamsActivity activity, TeamsCardAction action, CancellationToken cancellationToken) =>
        action.Verb switch
        {
            { } verb when verb.StartsWith(TeamsApprovalActions.Prefix, StringComparison.Ordinal) => await approvals.HandleAsync(activity, action, cancellationToken),
            { } verb when verb.StartsWith(TeamsSendAgainActions.Prefix, StringComparison.Ordinal) => await sendAgain.HandleAsync(activity, action, cancellationToken),
            _ => null,
        };

    private async Task<IResult> HandleInvokeAsync(TeamsActivity activity, CancellationToken cancellationToken)
    {
        if (activity.Name == "adaptiveCard/action" && CardActionOf(activity) is { } action
            && await PressAsync(activity, action, cancellationToken) is { } pressed)
        {
            // The invoke answer redraws the card for the presser alone; everyone else sees it replaced in place
            // (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards).
            if (pressed.Replaces && activity.ReplyToId is not null)
            {
                _ = AnswerPressAsync(activity, pressed);
            }

            return pressed.ToInvokeResponse();
        }

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

        // The pop-up is the one place the person reads an answer: any status but 200 shows only Teams' "Unable to reach
        // the app" (https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/action-commands/respond-to-task-module-submit).
        if (availability.LostReason is { } lost)
        {
            return TaskMessage(ForwardOutcome.NotRecordedSentence(lost));
        }

        if (activity.Name == "composeExtension/fetchTask")
        {
            var all = await store.GetLinksAsync(channel, cancellationToken);
            var links = all.Where(l => !l.Paused).ToList();
            return TaskMessage(all.Count == 0 ? ForwardOutcome.NotLinkedSentence(usage)
                : links.Count == 0 ? new ForwardOutcome.Paused(all).Describe(usage)
                : $"Bridge sends this message to WhatsApp group{(links.Count == 1 ? "" : "s")} {string.Join(", ", links.Select(l => l.GroupName))}.");
        }

        var forward = TeamsForwardBuilder.NewForward(activity, channel, activity.ReplyTarget(message.ReplyToId ?? message.Id, message.Id));
        var html = message.Body?.ContentType == "html" ? message.Body.Content : null;
        if (html is not null && TeamsHtml.IsTooComplex(html))
        {
            return TaskMessage($"This message has too much formatting for Bridge to convert. Copy its text into a message that mentions {usage}.");
        }

        var body = html is not null ? TeamsHtml.ToWhatsApp(html) : (message.Body?.Content ?? "").Trim();
        var note = NoteOf(value.Data);
        var author = message.From?.User?.DisplayName;
        var attributed = string.IsNullOrWhiteSpace(author) ? body : body.Length == 0 ? $"*{author}*" : $"*{author}:* {body}";
        forward.Text = note.Length == 0 ? attributed : $"{note}\n\n{attributed}";
        forwards.AddAttachments(forward, message.Attachments, html, usage);
        if (body.Length == 0 && forward.Attachments.Count == 0)
        {
            return TaskMessage(forward.Notes.Count == 0
                ? "There is nothing Bridge can send in this message."
                : "Nothing was sent to WhatsApp: " + string.Join("\n", forward.Notes));
        }

        return TaskMessage((await forwarder.AcceptAsync(forward, MessageDedupeKey(activity, message), cancellationToken)).Describe(usage, activity.IsChannel));
    }

    /// <summary>
    /// Without an HTML copy: the text with the bot's mentions (exactly their <c>entities[].text</c>, whatever name the
    /// user typed) removed and the other mentions as @Name. Entities come in the order of the mentions in the text.
    /// </summary>
    private static string PlainCommandText(TeamsActivity activity, List<TeamsEntity> mentions)
    {
        var text = activity.Text ?? "";
        var result = new StringBuilder();
        var position = 0;
        foreach (var mention in mentions)
        {
            var at = string.IsNullOrEmpty(mention.Text) ? -1 : text.IndexOf(mention.Text, position, StringComparison.Ordinal);
            if (at >= 0)
            {
                result.Append(text, position, at - position).Append(IsBot(activity, mention) ? "" : "@" + mention.Mentioned?.Name);
                position = at + mention.Text!.Length;
            }
        }

        return result.Append(text, position, text.Length - position).ToString().Replace('\u00A0', ' ').Trim();
    }

    private static bool IsBot(TeamsActivity activity, TeamsEntity mention) =>
        mention.Mentioned?.Id is { Length: > 0 } id && id == activity.Recipient?.Id;

    /// <summary>Teams message ids are unique only within a conversation, so the key names the conversation too.</summary>
    private static string DedupeKey(TeamsActivity activity) => $"teams:{activity.BaseConversationId}:{activity.Id}";

    /// <summary>
    /// The message action is keyed by the message it sends, as Slack's shortcut is: each press is a new activity, so a
    /// second press (a double click, or someone else's) is answered "already sent" instead of sending it twice.
    /// </summary>
    private static string MessageDedupeKey(TeamsActivity activity, TeamsMessagePayload message) =>
        message.Id is { } id ? $"teams-message:{activity.BaseConversationId}:{id}" : DedupeKey(activity);

    private static TeamsCardAction? CardActionOf(TeamsActivity activity)
    {
        try
        {
            return activity.Value?.Deserialize(TeamsJson.Default.TeamsCardInvoke)?.Action;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The press a message carries when it comes from a card's Action.Submit fallback: a value object naming a verb, and no text.</summary>
    private static TeamsCardAction? SubmittedActionOf(TeamsActivity activity) =>
        string.IsNullOrWhiteSpace(activity.Text) && activity.Value is { ValueKind: JsonValueKind.Object } value
            && value.TryGetProperty(TeamsCards.VerbKey, out var verb) && verb.ValueKind == JsonValueKind.String
            ? new TeamsCardAction("Action.Submit", verb.GetString(), value)
            : null;

    private static string NoteOf(JsonElement? data) =>
        data is { ValueKind: JsonValueKind.Object } form && form.TryGetProperty("note", out var note) && note.ValueKind == JsonValueKind.String
            ? note.GetString()!.Trim()
            : "";

    private static string Usage(TeamsActivity activity) => "@" + (string.IsNullOrWhiteSpace(activity.Recipient?.Name) ? "Bridge" : activity.Recipient.Name);

    private void Forget(string key)
    {
        lock (_recentLock)
        {
            recent.Remove(key);
        }
    }

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
        [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Teams activity {ActivityId} was delivered again; the retry is dropped")]
        public static partial void RetryDropped(ILogger logger, string activityId);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "A Teams command answer could not be posted: {Error} {Reason}")]
        public static partial void AnswerFailed(ILogger logger, string error, string reason);
    }
}
