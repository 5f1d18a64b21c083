using Bridge.Forwarding;

namespace Bridge.Commands;

/// <summary><c>scheduled</c>: this channel's scheduled sends still to go, in the order they go, with their ids.</summary>
internal sealed class ScheduledHandler(IScheduleStore store)
{
    /// <summary>More than anyone reads in a chat answer; the admin page lists them all.</summary>
    private const int Listed = 25;

    private const int PreviewWords = 8;

    public async Task<string> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var waiting = await store.ListSchedulesAsync(request.Channel, waiting: true, Listed, cancellationToken);
        if (waiting.Count == 0)
        {
            return $"Nothing is scheduled in this channel. Schedule a message with `{request.Usage} at 09:00 <text>` or `{request.Usage} in 2h <text>`.";
        }

        var lines = waiting.Select(s =>
            $"• `{s.Id}` {s.When} to {string.Join(", ", s.Groups.Select(g => g.GroupName))}, by {s.Forward.UserName}: {Preview(s.Forward.Text)}"
            + (s.State == ScheduleState.Sending ? " (sending now)" : ""));
        return $"Scheduled in this channel:\n{string.Join("\n", lines)}\n`{request.Usage} cancel <id>` cancels one (its sender or a Bridge admin).";
    }

    /// <summary>The first words, on one line.</summary>
    private static string Preview(string text)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? "(files only)" : string.Join(' ', words.Take(PreviewWords)) + (words.Length > PreviewWords ? " …" : "");
    }
}
