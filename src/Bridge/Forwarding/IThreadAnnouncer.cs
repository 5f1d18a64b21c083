
namespace Bridge.Forwarding;

/// <summary>
/// A replier for a platform whose forwards may start without a message to reply to (a Slack slash command): it first
/// posts a visible record, whose thread the outcome then goes to. Only such forwards are marked <see cref="Forward.Announce"/>.
/// </summary>
internal interface IThreadAnnouncer : IThreadReplier
{
    /// <summary>
    /// Posts the visible record of what is being sent; returns the thread id that replies go to, or null when the record
    /// is not in the channel and replies go privately (<see cref="ReplyTarget.RepliesPrivately"/>).
    /// </summary>
    Task<string?> AnnounceAsync(Forward forward, IReadOnlyList<DeliveryJob> jobs, bool lastAttempt, CancellationToken cancellationToken);

    /// <summary>
    /// Posts the visible record of a scheduled send in the channel; returns its thread id, or null when Slack refused
    /// or did not answer (the forward then announces itself when it is accepted, as any other does).
    /// </summary>
    Task<string?> AnnounceScheduleAsync(ScheduledSend schedule, CancellationToken cancellationToken);
}
