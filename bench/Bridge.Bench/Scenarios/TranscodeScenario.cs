using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Bridge.Bench.Hosting;
using Bridge.Bench.Load;
using Bridge.Bench.Reporting;
using Bridge.Fakes;

namespace Bridge.Bench.Scenarios;

/// <summary>
/// What converting costs: a 1-minute voice clip (M4A) becomes an Ogg/Opus voice note, and a WebM video just under the
/// 16 MB limit becomes H.264 MP4, each forwarded with the Slack message shortcut to a Bridge process. The time from the
/// shortcut to WhatsApp's send (download, ffmpeg, store), how long ffmpeg ran, and the peak memory of Bridge and of
/// ffmpeg, which runs as Bridge's child.
/// </summary>
internal sealed class TranscodeScenario(BenchContext context)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(20);

    public async Task RunAsync()
    {
        var folder = Directory.CreateTempSubdirectory("bridge-bench-transcode-");
        try
        {
            BenchContext.Progress("transcode: making the files with ffmpeg");
            var voice = await MakeAsync(folder, "voice-note.m4a", "-f lavfi -i sine=frequency=440:duration=60 -ac 1 -c:a aac -b:a 64k");
            var video = await MakeAsync(folder, "dock-camera.webm",
                "-f lavfi -i testsrc2=size=1280x720:rate=30:duration=60 -f lavfi -i sine=frequency=440:duration=60 -c:v libvpx -b:v 1900k -deadline realtime -cpu-used 8 -c:a libopus -shortest");
            var warmup = await MakeAsync(folder, "warmup.m4a", "-f lavfi -i sine=duration=1 -c:a aac");
            var runs = new List<Run>();
            foreach (var (name, mime, bytes, kind) in new[] { ("voice-note.m4a", "audio/mp4", voice, "voice"), ("dock-camera.webm", "video/webm", video, "video") })
            {
                BenchContext.Progress($"transcode: {name} ({Format.Mib(bytes.Length)})");
                runs.Add(await MeasureAsync(name, mime, bytes, kind, warmup));
            }

            var table = new Table("Converting for WhatsApp: a 1-minute voice clip and a 16 MB video (Slack message shortcut)",
                ["Measure", .. runs.Select(r => r.Name)]);
            table.Add(["File sent to Bridge", .. runs.Select(r => Format.Mib(r.InBytes))])
                .Add(["File WhatsApp fetched", .. runs.Select(r => $"{Format.Mib(r.OutBytes)} ({r.Magic})")])
                .Add(["Shortcut → WhatsApp send received", .. runs.Select(r => Format.Ms(r.Sent))])
                .Add(["ffmpeg processes seen running (sampled every 20 ms)", .. runs.Select(r => Format.Ms(r.FfmpegRan))])
                .Add(["Peak RSS of ffmpeg / ffprobe (VmHWM, highest seen)", .. runs.Select(r => Format.Mib(r.FfmpegPeak))])
                .Add(["Bridge peak RSS − before (VmHWM delta)", .. runs.Select(r => Format.Mib(r.BridgePeakDelta))]);
            table.Notes.Add("Files made here by ffmpeg: a 440 Hz sine, mono AAC at 64 kbit/s, 60 s; a 1280×720 30 fps test pattern, VP8 at 1.9 Mbit/s with Opus sound, 60 s. A fresh Bridge for each, one 1-second clip forwarded first (unmeasured). Bridge runs ffprobe, then ffmpeg, as its children; their memory is not Bridge's.");
            context.Report.Add(table);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private async Task<Run> MeasureAsync(string name, string mime, byte[] bytes, string kind, byte[] warmup)
    {
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        await using var slack = await FakeSlackApi.StartAsync();
        await using var bridge = await context.Launcher.StartBridgeAsync(whatsApp, slack);
        await Launcher.LinkAsync(context.Http, bridge, slack, "C08BENCHTC1", whatsApp.Groups[FakeTalkNTalk.DefaultSessionId][0].ChatId);

        await ForwardAsync(bridge, slack, "1767226000.000100", "warmup.m4a", "audio/mp4", warmup);
        await whatsApp.WaitForSendsAsync(1, Timeout);

        var before = bridge.PeakRss() ?? 0;
        bridge.ResetPeakRss();
        var seen = new Dictionary<int, long>();
        long firstSeen = 0, lastSeen = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(SampleEvery);
            while (await timer.WaitForNextTickAsync(stop.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result))
            {
                foreach (var child in ProcessMemory.ChildrenOf(bridge))
                {
                    if (ProcessMemory.PeakRssOf(child) is { } peak)
                    {
                        seen[child] = Math.Max(seen.GetValueOrDefault(child), peak);
                        lastSeen = Stopwatch.GetTimestamp();
                        firstSeen = firstSeen == 0 ? lastSeen : firstSeen;
                    }
                }
            }
        });

        var started = Stopwatch.GetTimestamp();
        await ForwardAsync(bridge, slack, "1767226100.000200", name, mime, bytes);
        await whatsApp.WaitForSendsAsync(2, Timeout);
        var sent = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await stop.CancelAsync();
        await sampler;
        var send = whatsApp.Sends[1];
        if (send.Type != kind || send.Url is null)
        {
            throw new InvalidOperationException($"transcode: {name} was sent as {send.Type}, not {kind}.");
        }

        var fetched = await context.Http.GetByteArrayAsync(send.Url);
        return new Run(
            name,
            bytes.Length,
            fetched.Length,
            Encoding.ASCII.GetString(fetched, 0, 4) == "OggS" ? "Ogg" : Encoding.ASCII.GetString(fetched, 4, 4) == "ftyp" ? "MP4" : "as sent",
            sent,
            firstSeen == 0 ? 0 : Stopwatch.GetElapsedTime(firstSeen, lastSeen).TotalMilliseconds,
            seen.Count == 0 ? 0 : seen.Values.Max(),
            (bridge.PeakRss() ?? 0) - before);
    }

    private async Task ForwardAsync(ServiceProcess bridge, FakeSlackApi slack, string ts, string name, string mime, byte[] bytes)
    {
        var payload = SlackPayloads.MessageAction("", ts, channelId: "C08BENCHTC1", responseUrl: slack.ResponseUrl(),
            files: new JsonArray(SlackPayloads.File(name, mime, bytes.Length, slack.AddFile(name + ts, bytes, mime))));
        using var request = SlackRequests.Signed(new Uri(bridge.BaseUrl, "slack/interactivity").ToString(), SlackPayloads.Form(payload));
        using var response = await context.Http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The shortcut was answered HTTP {(int)response.StatusCode}.");
        }
    }

    /// <summary>A file ffmpeg makes from its test sources, with these fixed arguments.</summary>
    private static async Task<byte[]> MakeAsync(DirectoryInfo folder, string name, string arguments)
    {
        var output = Path.Combine(folder.FullName, name);
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var argument in (string[])["-hide_banner", "-loglevel", "error", .. arguments.Split(' '), "-y", output])
        {
            start.ArgumentList.Add(argument);
        }

        using var ffmpeg = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start.");
        var errors = await ffmpeg.StandardError.ReadToEndAsync();
        await ffmpeg.WaitForExitAsync();
        return ffmpeg.ExitCode == 0 ? await File.ReadAllBytesAsync(output) : throw new InvalidOperationException($"ffmpeg could not make {name}: {errors}");
    }

    private sealed record Run(string Name, long InBytes, long OutBytes, string Magic, double Sent, double FfmpegRan, long FfmpegPeak, long BridgePeakDelta);
}
