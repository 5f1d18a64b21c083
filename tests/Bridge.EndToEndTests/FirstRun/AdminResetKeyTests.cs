using System.Net;
using System.Net.Http.Headers;
using Bridge.Tests.Infrastructure;

namespace Bridge.EndToEndTests.FirstRun;

/// <summary>
/// <c>Bridge admin reset-key</c> run as an operator runs it: the key it prints opens the admin API of the Bridge started
/// next, the key it replaced does not, and it refuses in one sentence with exit code 1 when there is nothing it may reset.
/// </summary>
public sealed class AdminResetKeyTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"));
    private FakeTalkNTalk _whatsApp = null!;
    private FakeSlackApi _slack = null!;
    private Dictionary<string, string?> _settings = null!;

    private string Database => _settings["Storage:LiteDbPath"]!;

    public async Task InitializeAsync()
    {
        _whatsApp = await FakeTalkNTalk.StartAsync();
        _slack = await FakeSlackApi.StartAsync();
        _settings = BridgeApp.DefaultSettings(_whatsApp, _slack, Path.Combine(_directory, "bridge.db"));
    }

    [Fact]
    public async Task The_printed_key_opens_the_admin_API_and_the_key_it_replaced_does_not()
    {
        var first = await ResetKeyAsync();
        var second = await ResetKeyAsync();

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        var oldKey = first.Output.Split(Environment.NewLine)[0];
        var newKey = second.Output.Split(Environment.NewLine)[0];
        Assert.Equal(
            "This is the new admin key, shown only this once: use it as the bearer key for /admin/api and to sign in at /admin; the old key stops working, in replicas already running within 30 seconds.",
            second.Output.Split(Environment.NewLine)[1]);
        Assert.NotEqual(oldKey, newKey);

        await using var bridge = await ServiceProcess.StartBridgeAsync(_settings);
        Assert.Equal(HttpStatusCode.OK, await LinksStatusAsync(bridge, newKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await LinksStatusAsync(bridge, oldKey));
        Assert.DoesNotContain(newKey, bridge.Output);
    }

    [Fact]
    public async Task A_configured_key_is_refused_in_one_sentence_and_no_store_is_made()
    {
        var result = await ResetKeyAsync("--Admin:ApiKey=chosen-key-0123456789abcdefghijklmnopqrstuvwxyz");

        Assert.Equal((1, "The admin key is configured in Admin:ApiKey, so there is no generated key to reset; change it there."),
            (result.ExitCode, result.Output.Trim()));
        Assert.False(File.Exists(Database));
    }

    [Fact]
    public async Task A_store_a_running_Bridge_owns_is_refused_in_one_sentence_and_its_key_still_works()
    {
        var before = await ResetKeyAsync();
        var key = before.Output.Split(Environment.NewLine)[0];
        await using var bridge = await ServiceProcess.StartBridgeAsync(_settings);

        var result = await ResetKeyAsync();

        Assert.Equal((1, $"The store file {Database} is in use by a running Bridge; stop Bridge first, then run admin reset-key again."),
            (result.ExitCode, result.Output.Trim()));
        Assert.Equal(HttpStatusCode.OK, await LinksStatusAsync(bridge, key));
    }

    /// <summary>Runs <c>dotnet Bridge.dll admin reset-key</c> as in the image, on this test's store.</summary>
    private Task<(int ExitCode, string Output)> ResetKeyAsync(params string[] extra) => RepositoryFiles.RunAsync(
        "dotnet", [Path.Combine(AppContext.BaseDirectory, "Bridge.dll"), "admin", "reset-key", $"--Storage:LiteDbPath={Database}", .. extra],
        AppContext.BaseDirectory);

    private static async Task<HttpStatusCode> LinksStatusAsync(ServiceProcess bridge, string key)
    {
        using var http = bridge.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/api/links");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    public async Task DisposeAsync()
    {
        await _whatsApp.DisposeAsync();
        await _slack.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
