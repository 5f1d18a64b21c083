
namespace Bridge.Forwarding;

/// <summary>The thread reply: one line per group with its message ids or its error sentence.</summary>
internal static class OutcomeText
{
    public static string For(Forward forward, IReadOnlyList<DeliveryJob> jobs)
    {
        // A job sent again is told by its retry's line, not its own.
        jobs = [.. jobs.Where(job => !jobs.Any(retry => retry.RetryOf == job.Id))];
        var lines = jobs.Select(Line).ToList();
        // A file missing for several groups is named once; a job that failed for its files already names them in its error.
        lines.AddRange(jobs.SelectMany(j => j.MissingFiles.Where(missing => j.Error?.Contains(missing, StringComparison.Ordinal) != true))
            .Distinct()
            .Select(missing => "⚠️ " + missing));
        lines.AddRange(forward.Notes.Select(note => "ℹ️ " + note));
        return string.Join("\n", lines);
    }

    public static string Line(DeliveryJob job) => job.RetryOf is null ? Outcome(job)
        : Outcome(job) + (SendAgain.AskedFromThread(job) ? " (sent again from the thread)" : " (sent again by a Bridge admin)");

    private static string Outcome(DeliveryJob job)
    {
        var ids = string.Join(", ", job.MessageIds);
        var group = string.IsNullOrEmpty(job.GroupName) ? job.GroupId : job.GroupName;
        return job.Status switch
        {
            DeliveryStatus.Delivered => $"✅ Sent to WhatsApp group {group}: message_id {ids}",
            DeliveryStatus.Failed when job.MessageIds.Count > 0 =>
                $"❌ WhatsApp group {group}: {job.MessageIds.Count} message(s) sent (message_id {ids}), then: {job.Error}",
            DeliveryStatus.Failed => $"❌ Not sent to WhatsApp group {group}: {job.Error}",
            DeliveryStatus.Unknown when job.MessageIds.Count > 0 =>
                $"⚠️ WhatsApp group {group}: {job.MessageIds.Count} message(s) sent (message_id {ids}), then possibly delivered: {job.Error}",
            DeliveryStatus.Unknown => $"⚠️ Possibly delivered to WhatsApp group {group}: {job.Error}",
            _ => $"⏳ Still sending to WhatsApp group {group}.",
        };
    }
}
