using Bridge.Forwarding;
using Bridge.WhatsApp;
using Microsoft.Extensions.Options;

namespace Bridge.Commands;

/// <summary>Carries out a command (send, link, unlink, groups, status, scheduled, cancel, help) with its verb's handler and answers with text.</summary>
internal sealed class CommandDispatcher(
    SendHandler send,
    LinkHandler link,
    UnlinkHandler unlink,
    GroupsHandler groups,
    StatusHandler status,
    ScheduledHandler scheduled,
    CancelHandler cancel,
    StoreAvailability availability,
    IOptions<ForwardingOptions> forwarding)
{
    public async Task<string> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        // A send's route says it itself, asked before its forward was built.
        if (request.Command.Verb is not (CommandVerb.Help or CommandVerb.Send) && !forwarding.Value.WhatsAppConfigured)
        {
            return ForwardOutcome.NotConfiguredSentence;
        }

        // The other commands read or write the store (groups too on PostgreSQL, through the shared rate limit): while it
        // is known to be lost, each is refused at once rather than after the store's timeouts. A send's route says so itself.
        if (request.Command.Verb is not (CommandVerb.Help or CommandVerb.Send) && availability.LostReason is { } lost)
        {
            return ForwardOutcome.NotRecordedSentence(lost);
        }

        try
        {
            return request.Command.Verb switch
            {
                CommandVerb.Send => await send.HandleAsync(request, cancellationToken),
                CommandVerb.Link => await link.HandleAsync(request, cancellationToken),
                CommandVerb.Unlink => await unlink.HandleAsync(request, cancellationToken),
                CommandVerb.Groups => await groups.HandleAsync(request, cancellationToken),
                CommandVerb.Status => await status.HandleAsync(request, cancellationToken),
                CommandVerb.Scheduled => await scheduled.HandleAsync(request, cancellationToken),
                CommandVerb.Cancel => await cancel.HandleAsync(request, cancellationToken),
                _ => HelpHandler.Handle(request.Usage),
            };
        }
        catch (TalkNTalkException exception)
        {
            return TalkNTalkSentences.ForLookup(exception);
        }
        catch (StoreUnavailableException exception)
        {
            return ForwardOutcome.NotRecordedSentence(exception.Reason);
        }
    }
}
