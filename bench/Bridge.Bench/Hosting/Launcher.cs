using Bridge.Fakes;

namespace Bridge.Bench.Hosting;

/// <summary>Finds the built Bridge and baseline, and starts them wired to the bench's fakes.</summary>
internal sealed class Launcher
{
    public const string AdminUserId = "U08BENCHADM";

    /// <summary>The bench finds Bridge built in its own configuration, which the ProjectReference built with it.</summary>
#if DEBUG
    public static readonly string Configuration = "Debug";
#else
    public static readonly string Configuration = "Release";
#endif

    public Launcher()
    {
        var root = FindRepositoryRoot();
        Root = root;
        BridgeDll = Built(root, "src/Bridge", "Bridge.dll");
        BaselineDll = Built(root, "bench/Bridge.Bench.Baseline", "Bridge.Bench.Baseline.dll");
        SeededStores = Path.Combine(root, "bench", "Bridge.Bench", "bin", "seeded-stores");
    }

    /// <summary>The repository's root folder.</summary>
    public string Root { get; }
    public string BridgeDll { get; }
    public string BaselineDll { get; }
    /// <summary>Where store files seeded with history are kept between runs, one per size.</summary>
    public string SeededStores { get; }

    /// <summary>
    /// Starts Bridge on its own LiteDB file in a fresh temp directory, deleted when the process is disposed: empty, or a
    /// copy of <paramref name="store"/>; <paramref name="trustedCertificatePem"/> becomes its only trusted TLS
    /// certificate (OpenSSL's <c>SSL_CERT_FILE</c>).
    /// </summary>
    public async Task<ServiceProcess> StartBridgeAsync(FakeTalkNTalk whatsApp, FakeSlackApi slack, IReadOnlyDictionary<string, string?>? extra = null,
        string? trustedCertificatePem = null, string? store = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "bridge-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        if (store is not null)
        {
            File.Copy(store, Path.Combine(directory, "bridge.db"));
        }
        var trustedCertificates = Path.Combine(directory, "trusted.pem");
        if (trustedCertificatePem is not null)
        {
            await File.WriteAllTextAsync(trustedCertificates, trustedCertificatePem);
        }

        return await ServiceProcess.StartAsync(BridgeDll, baseUrl =>
        {
            var settings = BridgeSettings.For(whatsApp, slack, Path.Combine(directory, "bridge.db"));
            // As a deployment would: WhatsApp fetches re-hosted media from Bridge itself.
            settings["Bridge:PublicBaseUrl"] = baseUrl.ToString();
            settings["Admin:SlackUserIds:0"] = AdminUserId;
            if (trustedCertificatePem is not null)
            {
                settings["SSL_CERT_FILE"] = trustedCertificates;
            }

            foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            return settings;
        }, ownedDirectory: directory);
    }

    /// <summary>Starts Bridge on PostgreSQL: <paramref name="schema"/> in the bench's cluster, shared by every replica given the same one.</summary>
    public Task<ServiceProcess> StartReplicaAsync(FakeTalkNTalk whatsApp, FakeSlackApi slack, BenchPostgres postgres, string schema,
        IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(extra ?? new Dictionary<string, string?>())
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:PostgresConnectionString"] = postgres.ConnectionString,
            ["Storage:PostgresSchema"] = schema,
        };
        return StartBridgeAsync(whatsApp, slack, settings);
    }

    public Task<ServiceProcess> StartBaselineAsync() =>
        ServiceProcess.StartAsync(BaselineDll, _ => new Dictionary<string, string?> { ["Slack:SigningSecret"] = SlackRequests.SigningSecret });

    /// <summary>A signed <c>/whatsapp &lt;text&gt;</c> slash command to the service at <paramref name="target"/>.</summary>
    public static HttpRequestMessage SlashCommand(Uri target, string channelId, string text, string responseUrl, string userId = "U08BENCHUSR") =>
        SlackRequests.Signed(new Uri(target, "slack/commands").ToString(), SlackRequests.SlashCommandBody(text, userId, channelId, responseUrl));

    /// <summary>Links a channel the way an admin does it: <c>/whatsapp link &lt;group&gt;</c>.</summary>
    public static async Task LinkAsync(HttpClient http, ServiceProcess bridge, FakeSlackApi slack, string channelId, string group)
    {
        var responseId = "link-" + Guid.NewGuid().ToString("N");
        using var request = SlashCommand(bridge.BaseUrl, channelId, "link " + group, slack.ResponseUrl(responseId), AdminUserId);
        using var response = await http.SendAsync(request);
        var answer = await response.Content.ReadAsStringAsync();
        if (answer.Contains("Working on it", StringComparison.Ordinal))
        {
            // On a busy machine the link can outlast Slack's ack budget: its answer then comes through response_url.
            await slack.WaitForResponsesAsync(slack.Responses.Count(r => r.Id != responseId) + 1, TimeSpan.FromSeconds(60));
            answer = slack.Responses.FirstOrDefault(r => r.Id == responseId)?.Text ?? answer;
        }

        if (!answer.Contains("Linked this channel", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Linking {channelId} to {group} failed: HTTP {(int)response.StatusCode} {answer}");
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Bridge.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Bridge.sln not found above the bench's output directory; run the bench from the repository.");
    }

    private static string Built(string root, string project, string dll)
    {
        var path = Path.Combine(root, project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{path} is missing: run the bench with `dotnet run -c {Configuration} --project bench/Bridge.Bench`, which builds it.");
    }
}
