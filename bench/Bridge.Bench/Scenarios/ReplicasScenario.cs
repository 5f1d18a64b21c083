using System.Diagnostics;
using Bridge.Bench.Hosting;
using Bridge.Bench.Load;
using Bridge.Bench.Reporting;
using Bridge.Fakes;

namespace Bridge.Bench.Scenarios;

/// <summary>
/// Bridge on PostgreSQL, as one replica and as three behind a round-robin balancer: the Slack ack, the provider's
/// limit shared by the replicas, and how long a job stranded by a killed replica takes to be reported.
/// </summary>
internal sealed class ReplicasScenario(BenchContext context)
{
    public async Task RunAsync()
    {
        var (postgres, problem) = await BenchPostgres.StartAsync(context.Launcher.Root);
        if (postgres is null)
        {
            var skipped = new Table("Replicas on PostgreSQL", ["Measure", "Value"]);
            skipped.Add("Skipped", problem!);
            context.Report.Add(skipped);
            return;
        }

        await using (postgres)
        {
            await AckAsync(postgres);
            await RateLimitAsync(postgres);
            await StrandedJobAsync(postgres);
        }
    }

    private async Task AckAsync(BenchPostgres postgres)
    {
        var options = context.Options;
        var table = new Table(
            $"Ack of signed /whatsapp commands on PostgreSQL (fake WhatsApp answers each send in {options.SendDelay.TotalSeconds:0.#} s)",
            ["Replicas", "Clients", "Answers", "Accepted/s", "p50", "p99", "max", "Failed", "Over 3 s"]);
        foreach (var replicas in new[] { 1, 3 })
        {
            foreach (var clients in options.ReplicaClients)
            {
                BenchContext.Progress($"replicas: ack, {replicas} replica(s) on PostgreSQL, {clients} client(s)");
                await using var whatsApp = await FakeTalkNTalk.StartAsync();
                whatsApp.SendDelay = options.SendDelay;
                await using var slack = await FakeSlackApi.StartAsync();
                var bridges = await StartReplicasAsync(replicas, whatsApp, slack, postgres, BenchPostgres.NewSchema());
                try
                {
                    await Launcher.LinkAsync(context.Http, bridges[0], slack, BenchContext.Channel, "Field Team");
                    var number = 0;
                    var result = await new LoadRunner(context.Http).RunAsync(clients, options.Warmup, options.Duration, () =>
                    {
                        var n = Interlocked.Increment(ref number);
                        return Launcher.SlashCommand(bridges[n % replicas].BaseUrl, BenchContext.Channel, $"Bench message {n}", slack.ResponseUrl());
                    }, AckScenario.Classify);
                    table.Add(replicas.ToString(), clients.ToString(), result.Samples.Count.ToString(), Format.Number(result.AcceptedPerSecond),
                        Format.Ms(result.P50), Format.Ms(result.P99), Format.Ms(result.Max), result.Failed.ToString(), result.Slower(3000).ToString());
                }
                finally
                {
                    await StopAsync(bridges);
                }
            }
        }

        table.Notes.Add($"Each level on freshly started processes and an empty schema of one PostgreSQL 15 cluster on the same machine (fsync off, as in CI); requests go to the replicas in turn, as a round-robin balancer sends them. {options.Warmup.TotalSeconds:0.#} s warm-up, {options.Duration.TotalSeconds:0.#} s measured; the LiteDB figures are the ack table above.");
        table.Notes.Add("Every replica, the database, the fakes and the load generator share the machine's cores: three replicas show the cost of sharing one database, not the gain of more machines.");
        context.Report.Add(table);
    }

    private async Task RateLimitAsync(BenchPostgres postgres)
    {
        var options = context.Options;
        var permits = options.RateLimitPermits;
        var window = options.RateLimitWindow;
        var measured = window * options.RateLimitWindows;
        const int Replicas = 3;

        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        whatsApp.RateLimitPerMinute = permits;
        whatsApp.RateLimitWindow = window;
        var session = whatsApp.Groups[FakeTalkNTalk.DefaultSessionId];
        session.AddRange(RateLimitScenario.ExtraGroups);
        var groups = session.Take(options.RateLimitGroups).ToList();
        await using var slack = await FakeSlackApi.StartAsync();
        var bridges = await StartReplicasAsync(Replicas, whatsApp, slack, postgres, BenchPostgres.NewSchema(), new Dictionary<string, string?>
        {
            ["WhatsApp:RateLimitPermits"] = permits.ToString(),
            ["WhatsApp:RateLimitWindow"] = window.ToString("c"),
        });
        try
        {
            for (var g = 0; g < groups.Count; g++)
            {
                await Launcher.LinkAsync(context.Http, bridges[0], slack, ChannelOf(g), groups[g].ChatId);
            }

            var perGroup = (int)Math.Ceiling(permits * options.RateLimitWindows * 1.5 / groups.Count);
            BenchContext.Progress($"replicas: rate limit, {perGroup} commands for each of {groups.Count} groups through {Replicas} replicas, limit {permits} per {window.TotalSeconds:0.#} s");
            await RateLimitScenario.SubmitBacklogAsync(context.Http, bridges, slack, groups.Count, perGroup, ChannelOf);

            await whatsApp.WaitForSendsAsync(1, TimeSpan.FromSeconds(30));
            var start = whatsApp.Sends.Min(s => s.At);
            var end = start + measured;
            if (end - DateTimeOffset.UtcNow is { } wait && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var sends = whatsApp.Sends.Where(s => s.Answer == 201 && s.At >= start && s.At < end).ToList();
            var requestTimes = whatsApp.Requests.Select(r => r.At).Order().ToList();
            var perWindow = sends.Count / (double)options.RateLimitWindows;
            var tightest = RateLimitScenario.ShortestSpan(requestTimes, permits + 1);
            var duplicates = whatsApp.Sends.Where(s => s.Answer == 201).GroupBy(s => (s.To, s.Message)).Count(g => g.Count() > 1);
            var summary = new Table($"{Replicas} replicas on PostgreSQL against the provider's rate limit ({permits} requests per {window.TotalSeconds:0.#} s, {groups.Count} groups)", ["Measure", "Value"]);
            summary.Add("Sends per window vs limit", $"{Format.Number(perWindow)} / {permits} ({Format.Percent(perWindow / permits)})")
                .Add("Most requests the fake saw in any sliding window", $"{RateLimitScenario.PeakInSlidingWindow(requestTimes, window)} / {permits}")
                .Add($"Shortest time spanned by {permits + 1} consecutive requests", tightest is { } span ? $"{span.TotalSeconds:0.000} s" : "n/a")
                .Add("429 answers from the fake (whole run)", whatsApp.RateLimited.ToString())
                .Add("Messages the fake received more than once", duplicates.ToString());
            summary.Notes.Add($"Commands for each group's channel went to the {Replicas} replicas in turn; every replica configured with WhatsApp:RateLimitPermits={permits}, WhatsApp:RateLimitWindow={window:c}, the limit meant for all of them together. The window starts at the first send.");
            context.Report.Add(summary);
        }
        finally
        {
            await StopAsync(bridges);
        }
    }

    /// <summary>A replica killed while its send is at the provider: how long until another replica reports the job.</summary>
    private async Task StrandedJobAsync(BenchPostgres postgres)
    {
        BenchContext.Progress("replicas: a job stranded by a killed replica");
        await using var whatsApp = await FakeTalkNTalk.StartAsync();
        var stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        whatsApp.BeforeSend = () => stall.Task;
        await using var slack = await FakeSlackApi.StartAsync();
        var schema = BenchPostgres.NewSchema();
        var table = new Table("A job stranded by a killed replica (PostgreSQL)", ["Measure", "Value"]);
        var sending = await context.Launcher.StartReplicaAsync(whatsApp, slack, postgres, schema);
        ServiceProcess? survivor = null;
        try
        {
            await Launcher.LinkAsync(context.Http, sending, slack, BenchContext.Channel, "Field Team");
            using (var request = Launcher.SlashCommand(sending.BaseUrl, BenchContext.Channel, "Stranded message", slack.ResponseUrl()))
            {
                using var response = await context.Http.SendAsync(request);
                if (AckScenario.Classify(response, await response.Content.ReadAsStringAsync()) != Outcome.Accepted)
                {
                    throw new InvalidOperationException($"The stranded job's command was not accepted (HTTP {(int)response.StatusCode}).");
                }
            }

            await whatsApp.WaitForRequestsAsync(r => r.Any(x => x.Method == "POST" && x.Path.Contains("/groups/send", StringComparison.Ordinal)), TimeSpan.FromSeconds(60));
            survivor = await context.Launcher.StartReplicaAsync(whatsApp, slack, postgres, schema);
            var killed = Stopwatch.GetTimestamp();
            await sending.KillAsync();
            stall.SetResult();
            await slack.WaitForPostCallsAsync(posts => posts.Any(p => p.Text.Contains("Possibly delivered", StringComparison.Ordinal)), TimeSpan.FromMinutes(3));
            var reported = Stopwatch.GetElapsedTime(killed);
            table.Add("SIGKILL of the sending replica → another replica replies \"possibly delivered\"", $"{reported.TotalSeconds:0.0} s")
                .Add("Sends of that message the fake answered", whatsApp.Sends.Count(s => s.Answer == 201).ToString());
            table.Notes.Add("The killed replica's request had reached the fake, which held its answer; a second replica was already running. The time is the claim's lease running out plus the next look for work.");
        }
        catch (TimeoutException exception)
        {
            table.Add("Not reported within 3 minutes", exception.Message);
        }
        finally
        {
            await sending.DisposeAsync();
            if (survivor is not null)
            {
                await survivor.DisposeAsync();
            }
        }

        context.Report.Add(table);
    }

    /// <summary>The first replica migrates the schema; the others start together once it has.</summary>
    private async Task<ServiceProcess[]> StartReplicasAsync(int count, FakeTalkNTalk whatsApp, FakeSlackApi slack, BenchPostgres postgres, string schema,
        IReadOnlyDictionary<string, string?>? extra = null)
    {
        var first = await context.Launcher.StartReplicaAsync(whatsApp, slack, postgres, schema, extra);
        var others = await Task.WhenAll(Enumerable.Range(1, count - 1).Select(_ => context.Launcher.StartReplicaAsync(whatsApp, slack, postgres, schema, extra)));
        return [first, .. others];
    }

    private static async Task StopAsync(IEnumerable<ServiceProcess> bridges)
    {
        foreach (var bridge in bridges)
        {
            await bridge.DisposeAsync();
        }
    }

    private static string ChannelOf(int group) => $"C08BENCHRP{group + 1}";
}
