using Bridge.Tests.Infrastructure;

namespace Bridge.EndToEndTests.Reliability;

/// <summary>
/// One process owns a store file: a second Bridge on it refuses to start, naming the file and the owner's pid, and a
/// file that is not a store stops start-up with one sentence and is left as it was.
/// </summary>
public sealed class StoreOwnerTests : IAsyncLifetime
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
    public async Task A_second_process_on_the_same_store_is_refused_naming_the_file_and_the_owner_and_the_owner_keeps_working()
    {
        await FieldTeamLink.AddAsync(Database);
        await using var owner = await ServiceProcess.StartBridgeAsync(_settings);

        await using var second = ServiceProcess.LaunchBridge(_settings);

        Assert.Equal(1, await second.WaitForExitAsync());
        AssertOneSentence(second, $"The store file {Database} is in use by another Bridge process (pid {owner.ProcessId}); stop that process, or give this one its own Storage:LiteDbPath.");
        using var http = owner.CreateClient();
        var response = await http.SendAsync(SlackRequests.Signed("slack/commands", SlackRequests.SlashCommandBody("still here")));
        Assert.Contains("Sending to WhatsApp group Field Team", await response.Content.ReadAsStringAsync());
        await _whatsApp.WaitForSendsAsync(1);
        Assert.Equal("still here", Assert.Single(_whatsApp.Sends).Message);
    }

    [Fact]
    public async Task Importing_a_store_a_running_Bridge_owns_is_refused_in_one_sentence()
    {
        await using var owner = await ServiceProcess.StartBridgeAsync(_settings);
        var output = new StringWriter();
        var error = new StringWriter();

        // No database is reached: the file's lock is checked first.
        var exitCode = await Hosting.LiteDbImportCommand.RunAsync(
            [Database, "--Storage:Provider=Postgres", "--Storage:PostgresConnectionString=Host=127.0.0.1;Port=1;Password=s3cret-pw"], output, error);

        Assert.Equal(1, exitCode);
        Assert.Equal($"The LiteDB store file {Database} is in use by a running Bridge; stop it, then run the import.", error.ToString().TrimEnd());
        Assert.Equal("", output.ToString());
        Assert.Equal($"{owner.ProcessId}", File.ReadAllText(Database + ".lock").Trim());
    }

    [Fact]
    public async Task After_the_owner_is_killed_its_lock_file_does_not_stop_the_next_start()
    {
        await using (var owner = await ServiceProcess.StartBridgeAsync(_settings))
        {
            await owner.KillAsync();
        }

        Assert.True(File.Exists(Database + ".lock"));

        await using var next = await ServiceProcess.StartBridgeAsync(_settings);

        Assert.Equal($"{next.ProcessId}", File.ReadAllText(Database + ".lock").Trim());
    }

    [Fact]
    public async Task A_foreign_file_stops_start_up_with_exit_code_1_and_one_sentence_and_is_left_unchanged()
    {
        Directory.CreateDirectory(_directory);
        var text = string.Concat(Enumerable.Repeat("not a database\n", 3000));
        await File.WriteAllTextAsync(Database, text);

        await using var bridge = ServiceProcess.LaunchBridge(_settings);

        Assert.Equal(1, await bridge.WaitForExitAsync());
        AssertOneSentence(bridge, $"The store file {Database} is not a LiteDB 5 store (its header is missing or damaged); restore the file from the backup, or move it aside to start with an empty store.");
        Assert.Equal(text, await File.ReadAllTextAsync(Database));
    }

    /// <summary>The sentence is a line of its own on stderr (and in the Critical log entry), with no stack trace.</summary>
    private static void AssertOneSentence(ServiceProcess process, string sentence)
    {
        var lines = process.Output.Split(Environment.NewLine);
        Assert.Contains(sentence, lines);
        Assert.Contains("crit: Bridge.Storage.StoreStartup[1]", lines);
        Assert.DoesNotContain(lines, line => line.Contains("Unhandled exception") || line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
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
