using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Bridge.Bench.Hosting;
using Bridge.Bench.Load;
using Bridge.Bench.Reporting;
using Bridge.Fakes;

namespace Bridge.Bench.Scenarios;

/// <summary>
/// Peak memory while forwarding a 16 MB video with the Slack "Send to WhatsApp" message shortcut: Bridge downloads
/// the file from the fake Slack (with its token), keeps it in LiteDB, sends its signed URL to the fake WhatsApp API,
/// and the fake fetches that URL in full from Bridge, as the provider would. Once with one video, once with several
/// posted at once to as many channels (each linked to its own group, so their lanes run in parallel).
/// </summary>
internal sealed class Media16MbScenario(BenchContext context)
{
    /// <summary>WhatsApp's video limit as Bridge enforces it by default (Media:MaxVideoBytes): the largest video it takes.</summary>
    public const int VideoBytes = 16 * 1024 * 1024;

    private const int WarmupBytes = 256 * 1024;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private static readonly FakeGroup ExtraGroup = new("120363410923125771@g.us", "Bench Group 4");

    public async Task RunAsync()
    {
        var counts = new[] { 1, context.Options.MediaParallel }.Distinct().ToArray();
        var results = new List<MediaRun>();
        foreach (var videos in counts)
        {
            BenchContext.Progress($"media16mb: {videos} video(s) of {VideoBytes / 1024 / 1024} MiB at once");
            results.Add(await MeasureAsync(videos));
        }

        var table = new Table("Peak memory while forwarding a 16 MB video (Slack message shortcut)",
            ["Measure", .. results.Select(r => r.Videos == 1 ? "1 video" : $"{r.Videos} videos at once")]);
        table.Add(["Bridge RSS before the shortcut", .. results.Select(r => Format.Mib(r.RssBefore))])
            .Add(["Peak RSS while forwarding (VmHWM)", .. results.Select(r => Format.Mib(r.PeakRss))])
            .Add(["Peak − before (VmHWM delta)", .. results.Select(r => Format.Mib(r.PeakRss - r.RssBefore))])
            .Add(["Highest VmRSS sample (every 20 ms)", .. results.Select(r => Format.Mib(r.MaxSample))])
            .Add(["Highest sample − before", .. results.Select(r => Format.Mib(r.MaxSample - r.RssBefore))])
            .Add(["Shortcut → 200", .. results.Select(r => Format.Ms(r.Acked))])
            .Add(["Shortcut → Bridge downloaded the file from Slack", .. results.Select(r => Format.Ms(r.Downloaded))])
            .Add(["Shortcut → WhatsApp send received", .. results.Select(r => Format.Ms(r.SendReceived))])
            .Add(["Shortcut → WhatsApp's fetch of the media URL complete", .. results.Select(r => Format.Ms(r.Fetched))])
            .Add(["Fetched bytes identical to the Slack file (SHA-256)", .. results.Select(r => r.Identical ? "yes" : "NO")]);
        table.Notes.Add($"Video: {VideoBytes:N0} bytes of random data (video/mp4, exactly Bridge's default Media:MaxVideoBytes). The fake Slack serves it from memory at the host of Slack:ApiBaseUrl and only with the bot token; the fake WhatsApp API fetches the signed URL from Bridge without credentials as soon as it receives the send (answering 201 at once), reads it to the end and checks its hash.");
        table.Notes.Add($"Each column on a freshly started Bridge with Bridge:PublicBaseUrl = its own http://127.0.0.1:<port>/; one {WarmupBytes / 1024} KiB video forwarded first (unmeasured, so the code path is compiled), then {Settle.TotalSeconds:0} s idle; VmHWM was reset (`/proc/<pid>/clear_refs` = 5) just before the shortcut{(results.All(r => r.PeakReset) ? "" : " where the kernel allowed it, otherwise it is the peak since start")}, so it is the peak of the forwarding itself. With several videos: one shortcut per channel, each channel linked to its own group, all posted at once; times are those of the slowest video.");
        context.Report.Add(table);
    }

    private async Task<MediaRun> MeasureAsync(int videos)
    {
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        var groups = whatsApp.Groups[FakeTalkNTalk.DefaultSessionId];
        if (videos > groups.Count)
        {
            groups.Add(ExtraGroup);
        }

        using var fetcher = new HttpClient { Timeout = Timeout };
        var fetches = new ConcurrentQueue<MediaFetch>();
        whatsApp.SendBehavior = send =>
        {
            // The provider fetches the media itself; here it starts as soon as the send arrives.
            if (send.Type == "video" && send.Url is { } url)
            {
                fetches.Enqueue(new MediaFetch(Stopwatch.GetTimestamp(), FetchAsync(fetcher, url)));
            }

            return null;
        };

        await using var slack = await FakeSlackApi.StartAsync();
        // Stopwatch timestamps of the last byte of each file Bridge downloaded from the fake Slack.
        var downloaded = new ConcurrentQueue<long>();
        slack.FileSent = _ => downloaded.Enqueue(Stopwatch.GetTimestamp());
        await using var bridge = await context.Launcher.StartBridgeAsync(whatsApp, slack);
        for (var v = 0; v < videos; v++)
        {
            await Launcher.LinkAsync(context.Http, bridge, slack, ChannelOf(v), groups[v % groups.Count].ChatId);
        }

        // Warm-up: the same path once with a small file.
        var small = RandomNumberGenerator.GetBytes(WarmupBytes);
        await ForwardAsync(bridge, slack, ChannelOf(0), "1767225000.000100", slack.AddFile("warmup.mp4", small, "video/mp4"), small.Length);
        await WaitForAsync(() => fetches.Count >= 1, "the warm-up video's send");
        await fetches.First().Done.WaitAsync(Timeout);
        await Task.Delay(Settle);

        var video = RandomNumberGenerator.GetBytes(VideoBytes);
        var expected = SHA256.HashData(video);
        var urls = Enumerable.Range(0, videos).Select(v => slack.AddFile($"dock-camera-{v + 1}.mp4", video, "video/mp4")).ToList();
        var rssBefore = bridge.Rss() ?? 0;
        var peakReset = bridge.ResetPeakRss();
        var peakBefore = bridge.PeakRss() ?? 0;

        long maxSample;
        double acked;
        List<MediaFetch> measured;
        List<FetchedMedia> fetched;
        var started = Stopwatch.GetTimestamp();
        await using (var sampler = new RssSampler(bridge, SampleEvery))
        {
            var acks = await Task.WhenAll(Enumerable.Range(0, videos).Select(v =>
                ForwardAsync(bridge, slack, ChannelOf(v), $"1767225{100 + v}.000200", urls[v], video.Length)));
            acked = acks.Max(a => Stopwatch.GetElapsedTime(started, a).TotalMilliseconds);
            await WaitForAsync(() => fetches.Count >= 1 + videos, $"{videos} video send(s)");
            measured = fetches.Skip(1).ToList();
            fetched = [.. await Task.WhenAll(measured.Select(f => f.Done.WaitAsync(Timeout)))];
            // One more sample after the last byte left Bridge.
            await Task.Delay(SampleEvery * 2);
            maxSample = sampler.Max;
        }

        var peak = bridge.PeakRss() ?? 0;
        if (bridge.ExitReport is { } exit)
        {
            throw new InvalidOperationException($"Bridge {exit}");
        }

        var downloads = downloaded.Skip(1).ToList();
        return new MediaRun(
            videos,
            rssBefore,
            peakReset ? peak : Math.Max(peak, peakBefore),
            peakReset,
            maxSample,
            acked,
            downloads.Count == videos ? downloads.Max(d => Stopwatch.GetElapsedTime(started, d).TotalMilliseconds) : double.NaN,
            measured.Max(f => Stopwatch.GetElapsedTime(started, f.ReceivedAt).TotalMilliseconds),
            fetched.Max(f => Stopwatch.GetElapsedTime(started, f.At).TotalMilliseconds),
            fetched.All(f => f.Bytes == video.Length && f.Hash.AsSpan().SequenceEqual(expected)));
    }

    /// <summary>Posts the shortcut for a message carrying one video; returns when Bridge answered 200.</summary>
    private async Task<long> ForwardAsync(ServiceProcess bridge, FakeSlackApi slack, string channelId, string ts, string fileUrl, long size)
    {
        var payload = SlackPayloads.MessageAction("Dock camera, gate 3", ts, channelId: channelId, responseUrl: slack.ResponseUrl(),
            files: new JsonArray(SlackPayloads.File("dock-camera.mp4", "video/mp4", size, fileUrl)));
        using var request = SlackRequests.Signed(new Uri(bridge.BaseUrl, "slack/interactivity").ToString(), SlackPayloads.Form(payload));
        using var response = await context.Http.SendAsync(request);
        var answered = Stopwatch.GetTimestamp();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The shortcut was answered HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return answered;
    }

    private static async Task<FetchedMedia> FetchAsync(HttpClient http, string url)
    {
        await Task.Yield();
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            total += read;
        }

        return new FetchedMedia(total, hash.GetHashAndReset(), Stopwatch.GetTimestamp());
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Timeout.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"media16mb: {what} did not reach the fake WhatsApp API within {Timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(10);
        }
    }

    private static string ChannelOf(int video) => $"C08BENCHMV{video + 1}";
}
