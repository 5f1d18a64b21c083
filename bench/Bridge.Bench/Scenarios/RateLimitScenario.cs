using Bridge.Bench.Hosting;
using Bridge.Bench.Load;
using Bridge.Bench.Reporting;
using Bridge.Fakes;

namespace Bridge.Bench.Scenarios;

/// <summary>
/// A backlog for several groups against a fake API that answers 429 beyond its limit: how close Bridge's own limiter
/// runs to the provider's, whether it ever trips it, and how the permits are shared between the groups.
/// </summary>
internal sealed class RateLimitScenario(BenchContext context)
{
    /// <summary>The fake's three groups and these two: five groups sharing the limit.</summary>
    public static readonly FakeGroup[] ExtraGroups =
    [
        new("120363410923125771@g.us", "Bench Group 4"),
        new("120363410923125772@g.us", "Bench Group 5"),
    ];

    public async Task RunAsync()
    {
        var options = context.Options;
        var permits = options.RateLimitPermits;
        var window = options.RateLimitWindow;
        var measured = window * options.RateLimitWindows;

        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        whatsApp.RateLimitPerMinute = permits;
        whatsApp.RateLimitWindow = window;
        var session = whatsApp.Groups[FakeTalkNTalk.DefaultSessionId];
        session.AddRange(ExtraGroups);
        var groups = session.Take(options.RateLimitGroups).ToList();

        await using var slack = await FakeSlackApi.StartAsync();
        await using var bridge = await context.Launcher.StartBridgeAsync(whatsApp, slack, new Dictionary<string, string?>
        {
            ["WhatsApp:RateLimitPermits"] = permits.ToString(),
            ["WhatsApp:RateLimitWindow"] = window.ToString("c"),
        });
        for (var g = 0; g < groups.Count; g++)
        {
            await Launcher.LinkAsync(context.Http, bridge, slack, ChannelOf(g), groups[g].ChatId);
        }

        // More than can be sent in the measured time, so every group always has work; submitted one group after the
        // other, so the first group's whole backlog is queued before the others start.
        var perGroup = (int)Math.Ceiling(permits * options.RateLimitWindows * 1.5 / groups.Count);
        BenchContext.Progress($"ratelimit: {perGroup} commands for each of {groups.Count} groups, limit {permits} per {window.TotalSeconds:0.#} s, measuring {measured.TotalSeconds:0.#} s");
        await SubmitBacklogAsync(context.Http, [bridge], slack, groups.Count, perGroup, ChannelOf);

        await whatsApp.WaitForSendsAsync(1, TimeSpan.FromSeconds(30));
        var start = whatsApp.Sends.Min(s => s.At);
        var end = start + measured;
        var wait = end - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var sends = whatsApp.Sends.Where(s => s.Answer == 201 && s.At >= start && s.At < end).ToList();
        var requestTimes = whatsApp.Requests.Select(r => r.At).Order().ToList();
        var peak = PeakInSlidingWindow(requestTimes, window);
        var tightest = ShortestSpan(requestTimes, permits + 1);
        var perWindow = sends.Count / (double)options.RateLimitWindows;
        var totals = groups.Select(group => sends.Count(s => s.To == group.ChatId)).ToArray();
        // After the first window every group has had its backlog queued for a while; the first window also holds the
        // start-up burst, which goes to whichever group was submitted first.
        var steady = groups.Select(group => sends.Count(s => s.To == group.ChatId && s.At >= start + window)).ToArray();

        var summary = new Table($"Delivery against the provider's rate limit ({permits} requests per {window.TotalSeconds:0.#} s, {groups.Count} groups)", ["Measure", "Value"]);
        summary.Add("Sends delivered in the measured time", $"{sends.Count} in {measured.TotalSeconds:0.#} s ({Format.Number(sends.Count / measured.TotalSeconds, "0.00")}/s; limit {Format.Number(permits / window.TotalSeconds, "0.00")}/s)")
            .Add("Sends per window vs limit", $"{Format.Number(perWindow)} / {permits} ({Format.Percent(perWindow / permits)})")
            .Add("Most requests the fake saw in any sliding window", $"{peak} / {permits}")
            .Add($"Shortest time spanned by {permits + 1} consecutive requests (over {window.TotalSeconds:0.#} s means no 429)",
                tightest is { } span ? $"{span.TotalSeconds:0.000} s" : "n/a")
            .Add("429 answers from the fake (whole run)", whatsApp.RateLimited.ToString())
            .Add("Smallest ÷ largest group share", Format.Number(totals.Min() / (double)Math.Max(1, totals.Max()), "0.00"))
            .Add("Jain's fairness index (1 = equal), all windows", Format.Number(Jain(totals), "0.000"))
            .Add("Jain's fairness index, after the first window", options.RateLimitWindows > 1 ? Format.Number(Jain(steady), "0.000") : "n/a");
        summary.Notes.Add($"Bridge configured with WhatsApp:RateLimitPermits={permits}, WhatsApp:RateLimitWindow={window:c}; the fake answers 429 beyond {permits} requests (any kind) in a sliding {window.TotalSeconds:0.#} s. The provider's real limit is 300 per minute; the window is shortened to keep the run short (same rule, `--rl-permits 300 --rl-window 60` for the real one).");
        summary.Notes.Add($"Each group's channel got {perGroup} commands, group 1's all first; the window starts at the first send. Bridge's limiter keeps a margin (a permit counts for the window and 5 % more, for requests that reach the provider late), which is why it stays a little under the limit.");
        context.Report.Add(summary);

        var fairness = new Table("Sends per group in each window", ["Window", .. groups.Select(g => g.Name), "All"]);
        for (var w = 0; w < options.RateLimitWindows; w++)
        {
            var from = start + window * w;
            var inWindow = sends.Where(s => s.At >= from && s.At < from + window).ToList();
            fairness.Add([
                $"{(window * w).TotalSeconds:0.#}–{(window * (w + 1)).TotalSeconds:0.#} s",
                .. groups.Select(g => inWindow.Count(s => s.To == g.ChatId).ToString()),
                inWindow.Count.ToString(),
            ]);
        }

        fairness.Add(["Total", .. totals.Select(t => t.ToString()), sends.Count.ToString()]);
        context.Report.Add(fairness);
    }

    private static string ChannelOf(int group) => $"C08BENCHRL{group + 1}";

    /// <summary>
    /// <paramref name="perGroup"/> accepted commands to each group's channel, group after group, sent to
    /// <paramref name="bridges"/> in turn (as a round-robin balancer would).
    /// </summary>
    public static async Task SubmitBacklogAsync(
        HttpClient http, IReadOnlyList<ServiceProcess> bridges, FakeSlackApi slack, int groups, int perGroup, Func<int, string> channelOf)
    {
        var number = 0;
        for (var g = 0; g < groups; g++)
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, perGroup), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (n, _) =>
            {
                var bridge = bridges[Interlocked.Increment(ref number) % bridges.Count];
                using var request = Launcher.SlashCommand(bridge.BaseUrl, channelOf(g), $"Rate limit {g}/{n}", slack.ResponseUrl());
                using var response = await http.SendAsync(request);
                if (AckScenario.Classify(response, await response.Content.ReadAsStringAsync()) != Outcome.Accepted)
                {
                    throw new InvalidOperationException($"A rate limit command was not accepted (HTTP {(int)response.StatusCode}).");
                }
            });
        }
    }

    /// <summary>The fake's own rule: how many requests fell within one window ending at any request.</summary>
    public static int PeakInSlidingWindow(List<DateTimeOffset> times, TimeSpan window)
    {
        var peak = 0;
        for (int first = 0, last = 0; last < times.Count; last++)
        {
            while (times[first] <= times[last] - window)
            {
                first++;
            }

            peak = Math.Max(peak, last - first + 1);
        }

        return peak;
    }

    /// <summary>The margin Bridge keeps: the least time any <paramref name="count"/> consecutive requests took.</summary>
    public static TimeSpan? ShortestSpan(List<DateTimeOffset> times, int count) =>
        times.Count < count ? null : Enumerable.Range(0, times.Count - count + 1).Min(i => times[i + count - 1] - times[i]);

    private static double Jain(int[] totals)
    {
        double sum = totals.Sum();
        double squares = totals.Sum(t => (double)t * t);
        return squares == 0 ? double.NaN : sum * sum / (totals.Length * squares);
    }
}
