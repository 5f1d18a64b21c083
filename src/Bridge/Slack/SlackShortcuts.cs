using Bridge.Forwarding;

namespace Bridge.Slack;

/// <summary>The "Send to WhatsApp" message shortcut: forwards the message's text and files, replying in its thread.</summary>
internal sealed class SlackShortcuts(Forwarder forwarder, SlackForwardBuilder builder, SlackAttachments attachments, SlackApiClient slack)
{
    /// <summary><c>send_to_whatsapp</c> is the manifest's id; <c>forward_to_whatsapp</c> is the one in the documented payloads.</summary>
    private static readonly string[] CallbackIds = ["send_to_whatsapp", "forward_to_whatsapp"];

    public static bool Handles(SlackInteraction interaction) =>
        interaction.Type == "message_action" && CallbackIds.Contains(interaction.CallbackId);

    /// <summary>What the shortcut payload lacks, or null when it can be forwarded.</summary>
    public static string? Missing(SlackInteraction interaction)
    {
        var missing = new[]
        {
            string.IsNullOrEmpty(interaction.Team?.Id) ? "team.id" : null,
            string.IsNullOrEmpty(interaction.Channel?.Id) ? "channel.id" : null,
            string.IsNullOrEmpty(interaction.User?.Id) ? "user.id" : null,
            string.IsNullOrEmpty(interaction.Message?.Ts) ? "message.ts" : null,
        }.OfType<string>().ToList();
        return missing.Count == 0 ? null : string.Join(", ", missing);
    }

    public async Task ForwardAsync(SlackInteraction interaction, CancellationToken cancellationToken)
    {
        var teamId = interaction.Team!.Id!;
        var channelId = interaction.Channel!.Id!;
        var user = interaction.User!;
        var message = interaction.Message!;

        // Routed before the forward is built: building asks users.info and files.info, which a channel that cannot send must not cost.
        var route = await forwarder.RouteAsync(new ChannelRef(Platform.Slack, teamId, channelId), cancellationToken);
        string? answer;
        if (route.Refusal is { } refusal)
        {
            answer = refusal.Describe("/whatsapp");
        }
        else
        {
            var forward = SlackForwardBuilder.NewForward(teamId, channelId, user.Id!, user.Username ?? user.Name ?? user.Id!);
            forward.Text = await builder.ToWhatsAppTextAsync(SlackMessageText.Compose(message.Text, message.Blocks, message.Attachments, forward.Notes), cancellationToken);
            await attachments.AddAsync(forward, message.Files, cancellationToken);
            // chat.postMessage wants the thread's parent ts, never a reply's own ts.
            forward.Reply.ThreadId = message.ThreadTs ?? message.Ts;
            forward.Reply.ResponseUrl = interaction.ResponseUrl;
            if (forward.Text.Trim().Length == 0 && forward.Attachments.Count == 0)
            {
                answer = "Nothing was sent to WhatsApp: " + (forward.Notes.Count == 0 ? "the message has no text or files." : string.Join("\n", forward.Notes));
            }
            else
            {
                // One key per message: a Slack retry or a second click finds the first forward and reports it.
                var outcome = await forwarder.AcceptAsync(forward, route, $"slack-shortcut:{teamId}:{channelId}:{message.Ts}", cancellationToken);
                // The outcome is replied in the thread, and a held send's preview is its answer; only groups skipped because their link is paused are told now.
                answer = outcome is ForwardOutcome.Accepted { Skipped.Count: 0 } or ForwardOutcome.AwaitingApproval ? null : outcome.Describe("/whatsapp");
            }
        }

        if (answer is not null && interaction.ResponseUrl is { } responseUrl)
        {
            await slack.RespondAsync(responseUrl, SlackText.Escape(answer), cancellationToken);
        }
    }
}
