using Bridge.Bench.Reporting;

namespace Bridge.Bench.Scenarios;

/// <summary>
/// HOOK for the media pipeline (<c>--scenario media16mb</c>): peak memory while forwarding a 16 MB video.
/// </summary>
internal sealed class Media16MbScenario(BenchContext context)
{
    public Task RunAsync()
    {
        // TO ENABLE once src/Bridge/Media forwards files (today MediaPublisher refuses every attachment): start Bridge
        // as MemoryScenario does, serve a 16 MB video/mp4 from a LoopbackServer as the Slack file, send the forward that
        // carries it, wait for the fake WhatsApp API to receive the video send (type "video") and fetch its url, sample
        // bridge.Rss with RssSampler meanwhile, and report idle RSS, the highest sample and VmHWM (bridge.PeakRss).
        var table = new Table("Peak memory while forwarding a 16 MB video", ["Measure", "Value"]);
        table.Add("Peak RSS", "skipped: media pipeline not available");
        context.Report.Add(table);
        return Task.CompletedTask;
    }
}
