using System.Runtime.InteropServices;

namespace Bridge.Fakes;

/// <summary>
/// Runs the fake TalkNTalk API for local development:
///   dotnet run --project tests/Bridge.Fakes -- [port]
/// then start Bridge with WhatsApp__BaseUrl=http://127.0.0.1:&lt;port&gt;/, WhatsApp__ApiKey=tk_test_fake_key_0123456789 and
/// WhatsApp__SessionId=3fa85f64-5717-4562-b3fc-2c963f66afa6.
/// </summary>
internal static class Program
{
    public static async Task Main(string[] args)
    {
        var port = args.Length > 0 && int.TryParse(args[0], out var p) ? p : 8085;
        await using var fake = await FakeTalkNTalk.StartAsync(port: port);
        var stop = new TaskCompletionSource();
        // Ctrl+C, and SIGTERM from a supervisor: the fake's host stops on both but nothing else would end Main. Listened
        // for before the line below, which tells a supervisor (or a test) that a signal now stops the fake.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        Console.WriteLine($"Fake TalkNTalk API on {fake.BaseUrl} (API key {fake.ApiKey}, session {FakeTalkNTalk.DefaultSessionId}). Ctrl+C stops it.");
        await stop.Task;
        Console.WriteLine($"Received {fake.Sends.Count} send(s).");

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }
    }
}
