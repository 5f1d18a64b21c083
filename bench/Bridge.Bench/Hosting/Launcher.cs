using System.Security.Cryptography;
using Bridge.FakeTalkNTalk;

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

    // A throwaway secret per run: the bench signs with it and never prints it.
    private readonly string _signingSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public Launcher()
    {
        var root = FindRepositoryRoot();
        BridgeDll = Built(root, "src/Bridge", "Bridge.dll");
        BaselineDll = Built(root, "bench/Bridge.Bench.Baseline", "Bridge.Bench.Baseline.dll");
        Signer = new SlackSigner(_signingSecret);
    }

    public string BridgeDll { get; }
    public string BaselineDll { get; }
    public SlackSigner Signer { get; }

    /// <summary>Starts Bridge on its own LiteDB file in a fresh temp directory, deleted when the process is disposed.</summary>
    public Task<ServiceProcess> StartBridgeAsync(FakeTalkNTalk.FakeTalkNTalk whatsApp, BenchSlack slack, IReadOnlyDictionary<string, string>? extra = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "bridge-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return ServiceProcess.StartAsync(BridgeDll, baseUrl =>
        {
            var environment = new Dictionary<string, string>
            {
                // As a deployment would: WhatsApp fetches re-hosted media from Bridge itself.
                ["Bridge__PublicBaseUrl"] = baseUrl.ToString(),
                ["Slack__SigningSecret"] = _signingSecret,
                ["Slack__BotToken"] = BenchSlack.BotToken,
                ["Slack__ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
                ["WhatsApp__BaseUrl"] = whatsApp.BaseUrl.ToString(),
                ["WhatsApp__ApiKey"] = whatsApp.ApiKey,
                ["WhatsApp__SessionId"] = FakeTalkNTalk.FakeTalkNTalk.DefaultSessionId,
                ["Storage__LiteDbPath"] = Path.Combine(directory, "bridge.db"),
                ["Admin__SlackUserIds__0"] = AdminUserId,
            };
            foreach (var (key, value) in extra ?? new Dictionary<string, string>())
            {
                environment[key] = value;
            }

            return environment;
        }, directory);
    }

    public Task<ServiceProcess> StartBaselineAsync() =>
        ServiceProcess.StartAsync(BaselineDll, _ => new Dictionary<string, string> { ["Slack__SigningSecret"] = _signingSecret });

    /// <summary>Links a channel the way an admin does it: <c>/whatsapp link &lt;group&gt;</c>.</summary>
    public async Task LinkAsync(HttpClient http, ServiceProcess bridge, BenchSlack slack, string channelId, string group)
    {
        using var request = Signer.SlashCommand(bridge.BaseUrl, channelId, "link " + group, slack.ResponseUrl, AdminUserId);
        using var response = await http.SendAsync(request);
        var answer = await response.Content.ReadAsStringAsync();
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
