using System.Reflection;
using Bridge.Tests.Infrastructure;

namespace Bridge.EndToEndTests.FirstRun;

/// <summary>
/// Bridge started as a newcomer or an operator starts it: <c>dotnet run</c> listens where ASPNETCORE_URLS says, the
/// image's health check asks it for /healthz, and a wrong setting is one line naming the key and what it may be.
/// </summary>
public sealed class StartupTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"));

    private string Database => Path.Combine(_directory, "bridge.db");

    /// <summary>The configuration this test was built in, which built Bridge beside it (Debug or Release).</summary>
    private static string BuildConfiguration =>
        typeof(StartupTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    [Fact]
    public async Task Dotnet_run_through_the_launch_profile_listens_where_ASPNETCORE_URLS_says()
    {
        await using var bridge = await ServiceProcess.StartWithDotnetRunAsync(
            RepositoryFiles.PathOf("src", "Bridge"), BuildConfiguration, new Dictionary<string, string> { ["Storage__LiteDbPath"] = Database });

        var lines = bridge.Output.Split(Environment.NewLine).Select(line => line.Trim()).ToArray();
        Assert.Contains("Hosting environment: Development", lines);
        Assert.Contains($"Now listening on: {bridge.BaseUrl.ToString().TrimEnd('/')}", lines);
        Assert.DoesNotContain(lines, line => line.Contains(":5139", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_health_check_command_exits_0_while_Bridge_answers_and_1_once_it_is_gone()
    {
        var bridge = await ServiceProcess.StartBridgeAsync(new Dictionary<string, string?> { ["Storage:LiteDbPath"] = Database });
        var urls = bridge.BaseUrl.ToString().TrimEnd('/');
        var bridgeDll = Path.Combine(AppContext.BaseDirectory, "Bridge.dll");

        var healthy = await RepositoryFiles.RunAsync("dotnet", [bridgeDll, "healthcheck", "--urls", urls], AppContext.BaseDirectory);
        var byPort = await RepositoryFiles.RunAsync("dotnet", [bridgeDll, "healthcheck"], AppContext.BaseDirectory,
            ("ASPNETCORE_HTTP_PORTS", bridge.BaseUrl.Port.ToString()));
        await bridge.DisposeAsync();
        var gone = await RepositoryFiles.RunAsync("dotnet", [bridgeDll, "healthcheck", "--urls", urls], AppContext.BaseDirectory);

        Assert.Equal((0, $"{urls}/healthz: 200"), (healthy.ExitCode, healthy.Output.Trim()));
        Assert.Equal((0, $"{urls}/healthz: 200"), (byPort.ExitCode, byPort.Output.Trim()));
        Assert.Equal(1, gone.ExitCode);
        Assert.StartsWith($"{urls}/healthz: no answer", gone.Output);
    }

    [Theory]
    [InlineData("WhatsApp:Timeout", "30",
        "WhatsApp:Timeout must be a time span between 00:00:00.0100000 and 1.00:00:00, written [days.]hours:minutes:seconds (30 seconds is 00:00:30; a plain 30 is 30 days).")]
    [InlineData("WhatsApp:CircuitBreakDuration", "15",
        "WhatsApp:CircuitBreakDuration must be a time span between 00:00:00.5000000 and 1.00:00:00, written [days.]hours:minutes:seconds (30 seconds is 00:00:30; a plain 30 is 30 days).")]
    [InlineData("Storage:Provider", "Mongo", "Storage:Provider must be one of: LiteDb, LiteDB, Postgres, PostgreSQL.")]
    [InlineData("Delivery:MaxParallelGroups", "0", "Delivery:MaxParallelGroups must be between 1 and 256.")]
    [InlineData("Delivery:JobLease", "00:00:01",
        "Delivery:JobLease must be a time span between 00:00:03 and 01:00:00, written [days.]hours:minutes:seconds (30 seconds is 00:00:30; a plain 30 is 30 days).")]
    [InlineData("Admin:KeyEncryptionCertificate", "/nonexistent/cookie-keys.pfx",
        "Admin:KeyEncryptionCertificate must name a .pfx file that opens with Admin:KeyEncryptionCertificatePassword.")]
    [InlineData("Admin:SlackUserIds", "U01ADMIN,U02ADMIN",
        "Admin:SlackUserIds is a list: give each entry its own key, Admin:SlackUserIds:0, Admin:SlackUserIds:1 and so on (environment: Admin__SlackUserIds__0, Admin__SlackUserIds__1), not one value.")]
    public async Task A_wrong_setting_stops_start_up_with_one_line_naming_the_key_and_exit_code_1(string key, string value, string sentence)
    {
        await using var bridge = ServiceProcess.LaunchBridge(new Dictionary<string, string?> { ["Storage:LiteDbPath"] = Database, [key] = value });

        Assert.Equal(1, await bridge.WaitForExitAsync());
        var lines = bridge.Output.Split(Environment.NewLine);
        Assert.Single(lines, line => line == sentence);
        Assert.DoesNotContain(lines, line => line.Contains("Exception", StringComparison.Ordinal) || line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.False(File.Exists(Database));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
