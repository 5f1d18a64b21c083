namespace Bridge.EndToEndTests.FirstRun;

/// <summary>The fake TalkNTalk API run as a local tool stops on SIGTERM, as from a supervisor or <c>kill</c>.</summary>
public sealed class FakeTalkNTalkProcessTests
{
    [Fact]
    public async Task The_fake_TalkNTalk_process_exits_with_code_0_on_SIGTERM()
    {
        await using var fake = ServiceProcess.LaunchFakeTalkNTalk();
        await fake.WaitForOutputAsync(line => line.StartsWith($"Fake TalkNTalk API on {fake.BaseUrl}", StringComparison.Ordinal));

        var exitCode = await fake.TerminateAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, exitCode);
        Assert.Contains("Received 0 send(s).", fake.Output.Split(Environment.NewLine));
    }
}
