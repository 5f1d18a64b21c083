using System.Collections.Concurrent;
using System.Diagnostics;
using Bridge.Bench.Hosting;
using Bridge.Bench.Load;
using Bridge.Bench.Reporting;
using Bridge.Fakes;

namespace Bridge.Bench.Scenarios;

/// <summary>
/// One command at a time, with the fake WhatsApp API answering at once: the time from sending the command to its
/// 200, to the fake receiving the send, and to the outcome posted in the Slack thread. Times count from the moment
/// the command is sent, because the send often reaches the fake before the 200 reaches the client.
/// </summary>
internal sealed class EndToEndScenario(BenchContext context)
{
    private const int WarmupProbes = 5;
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    public async Task RunAsync()
    {
        var count = context.Options.EndToEndCount;
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        var received = new ConcurrentQueue<(long At, string? Message)>();
        whatsApp.SendBehavior = send =>
        {
            received.Enqueue((Stopwatch.GetTimestamp(), send.Message));
            return null;
        };
        await using var slack = await FakeSlackApi.StartAsync();
        var replies = new ConcurrentQueue<ThreadReply>();
        slack.BeforePost = post =>
        {
            if (post.ThreadTs is not null)
            {
                replies.Enqueue(new ThreadReply(Stopwatch.GetTimestamp(), post.Text));
            }

            return Task.CompletedTask;
        };
        await using var bridge = await context.Launcher.StartBridgeAsync(whatsApp, slack);
        await Launcher.LinkAsync(context.Http, bridge, slack, BenchContext.Channel, "Field Team");

        BenchContext.Progress($"e2e: {WarmupProbes} warm-up + {count} sequential probes");
        var ack = new List<double>();
        var toWhatsApp = new List<double>();
        var toReply = new List<double>();
        var total = new List<double>();
        for (var i = 0; i < WarmupProbes + count; i++)
        {
            var probe = $"e2e probe {i}";
            var sent = Stopwatch.GetTimestamp();
            using (var request = Launcher.SlashCommand(bridge.BaseUrl, BenchContext.Channel, probe, slack.ResponseUrl()))
            using (var response = await context.Http.SendAsync(request))
            {
                if (AckScenario.Classify(response, await response.Content.ReadAsStringAsync()) != Outcome.Accepted)
                {
                    throw new InvalidOperationException($"Probe {i} was not accepted (HTTP {(int)response.StatusCode}).");
                }
            }

            var accepted = Stopwatch.GetTimestamp();
            await whatsApp.WaitForSendsAsync(i + 1, StepTimeout);
            await slack.WaitForPostsAsync(posts => posts.Count(p => p.ThreadTs is not null) > i, StepTimeout);

            var send = received.ElementAt(i);
            var reply = replies.ElementAt(i);
            var messageId = whatsApp.Sends[i].MessageId!;
            if (send.Message != probe || !reply.Text.Contains(messageId, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Probe {i}: the send or the thread reply does not match (sent \"{send.Message}\", reply \"{reply.Text}\").");
            }

            if (i >= WarmupProbes)
            {
                ack.Add(Stopwatch.GetElapsedTime(sent, accepted).TotalMilliseconds);
                toWhatsApp.Add(Stopwatch.GetElapsedTime(sent, send.At).TotalMilliseconds);
                toReply.Add(Stopwatch.GetElapsedTime(send.At, reply.ArrivedAt).TotalMilliseconds);
                total.Add(Stopwatch.GetElapsedTime(sent, reply.ArrivedAt).TotalMilliseconds);
            }
        }

        var table = new Table("End-to-end send latency (fake WhatsApp answers at once)", ["Stage", "p50", "p99", "max"]);
        table.Add(Row("command sent → 200 (accepted, job recorded)", ack))
            .Add(Row("command sent → fake WhatsApp received the send", toWhatsApp))
            .Add(Row("send received → outcome posted in the Slack thread", toReply))
            .Add(Row("command sent → outcome in the thread (total)", total));
        table.Notes.Add($"{count} probes one after the other (after {WarmupProbes} unmeasured), each waiting for its thread reply; each reply checked to carry the message_id of its send. Stages count from sending the command: Bridge often sends to WhatsApp before its 200 reaches the client.");
        context.Report.Add(table);
    }

    private static string[] Row(string stage, List<double> values) =>
        [stage, Format.Ms(Percentiles.Of(values, 50)), Format.Ms(Percentiles.Of(values, 99)), Format.Ms(values.Max())];
}
