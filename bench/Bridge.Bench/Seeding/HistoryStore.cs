using System.Diagnostics;
using Bridge.Bench.Scenarios;
using Bridge.Fakes;
using Bridge.Forwarding;
using Bridge.Slack;
using Bridge.Storage;

namespace Bridge.Bench.Seeding;

/// <summary>
/// Store files with a history of finished work, written by Bridge's own <see cref="LiteDbStore"/> as Bridge writes
/// them: Slack slash command forwards accepted with their dedupe key, 3 groups each, already replied in their thread;
/// then each job marked delivered with its one sent part. Kept in one folder, one file per size, and reused.
/// </summary>
internal static class HistoryStore
{
    public const int GroupsPerForward = 3;

    /// <summary>Accepted together, then read back and delivered together: group commit shares each flush among up to 256 writes.</summary>
    public const int ForwardsPerBatch = 2_000;

    private static readonly TimeSpan HistorySpan = TimeSpan.FromDays(30);

    private static readonly ChannelLink[] Groups = [.. Enumerable.Range(1, GroupsPerForward).Select(n => new ChannelLink
    {
        Platform = Platform.Slack,
        WorkspaceId = BenchContext.Workspace,
        ChannelId = BenchContext.Channel,
        SessionId = FakeTalkNTalk.DefaultSessionId,
        GroupId = $"12036341099900000{n}@g.us",
        GroupName = $"History Group {n}",
    })];

    /// <summary>The file with <paramref name="jobs"/> finished jobs (rounded down to whole forwards), seeded now unless kept from an earlier run.</summary>
    public static async Task<SeededStore> GetAsync(string directory, int jobs)
    {
        var forwards = jobs / GroupsPerForward;
        var path = Path.Combine(directory, $"history-{forwards * GroupsPerForward}-jobs.db");
        if (File.Exists(path))
        {
            return new SeededStore(path, forwards, forwards * GroupsPerForward, null);
        }

        Directory.CreateDirectory(directory);
        // Seeded under another name and renamed when complete, so an interrupted run leaves no file that looks finished.
        var seeding = Path.Combine(directory, $"seeding-{forwards * GroupsPerForward}-jobs.db");
        DeleteWithCompanions(seeding);
        var started = Stopwatch.GetTimestamp();
        using (var store = new LiteDbStore(seeding))
        {
            await SeedAsync(store, forwards);
        }

        var seedingTime = Stopwatch.GetElapsedTime(started);
        File.Move(seeding, path);
        DeleteWithCompanions(seeding);
        return new SeededStore(path, forwards, forwards * GroupsPerForward, seedingTime);
    }

    public static async Task SeedAsync(LiteDbStore store, int forwards)
    {
        var newest = TimeProvider.System.GetUtcNow();
        var step = HistorySpan / Math.Max(forwards, 1);
        var reported = 0;
        for (var first = 0; first < forwards; first += ForwardsPerBatch)
        {
            var batch = Enumerable.Range(first, Math.Min(ForwardsPerBatch, forwards - first))
                .Select(n => RepliedForward(n, newest - HistorySpan + (step * n)))
                .ToList();
            await Task.WhenAll(batch.Select(f => store.AcceptAsync(f, Groups, "slack-command:" + f.Id, CancellationToken.None)));

            // Every earlier job is delivered already: the unfinished ones are this batch's.
            var jobs = await store.GetUnfinishedJobsAsync(CancellationToken.None);
            await Task.WhenAll(jobs.Select(job => store.UpdateJobAsync(Delivered(job), CancellationToken.None)));

            var done = first + batch.Count;
            if (done * 10L / forwards > reported)
            {
                reported = (int)(done * 10L / forwards);
                BenchContext.Progress($"seeding: {done:N0} of {forwards:N0} forwards ({done * GroupsPerForward:N0} jobs)");
            }
        }
    }

    /// <summary>A <c>/whatsapp</c> command's forward whose outcome was already replied in its thread: nothing to do at start.</summary>
    private static Forward RepliedForward(int number, DateTimeOffset createdAt)
    {
        var forward = SlackForwardBuilder.NewForward(BenchContext.Workspace, BenchContext.Channel, "U08BENCHUSR", "maria.lopez");
        forward.Text = $"History message {number}: the 07:30 delivery to the north depot is running about twenty minutes late.";
        forward.Announce = true;
        forward.Reply.ResponseUrl = $"https://hooks.slack.com/commands/{BenchContext.Workspace}/{number}/x";
        forward.Reply.ThreadId = $"{createdAt.ToUnixTimeSeconds()}.{number % 1_000_000:000000}";
        forward.CreatedAt = createdAt;
        forward.OutcomeReady = true;
        forward.ReplyState = ReplyState.Replied;
        forward.ReplyRoute = ReplyRoute.Thread;
        forward.RepliedAt = createdAt.AddSeconds(2);
        return forward;
    }

    private static DeliveryJob Delivered(DeliveryJob job)
    {
        var sentAt = job.CreatedAt.AddSeconds(1);
        job.MessageIds.Add("3EB0" + Guid.NewGuid().ToString("N")[..20].ToUpperInvariant());
        job.Attempts.Add(new DeliveryAttempt(sentAt, 0, DeliveryAttempt.Sent, 201, null));
        job.Status = DeliveryStatus.Delivered;
        job.UpdatedAt = sentAt;
        return job;
    }

    /// <summary>The store file, LiteDB's log beside it, and Bridge's lock file.</summary>
    public static void DeleteWithCompanions(string path)
    {
        File.Delete(path);
        File.Delete(Path.ChangeExtension(path, null) + "-log.db");
        File.Delete(path + ".lock");
    }
}
