using Bridge.Playground;

namespace Bridge.EndToEndTests.FirstRun;

/// <summary>
/// The local playground (tools/Bridge.Playground) drives a real Bridge process as a Slack user would, and a newcomer
/// sees each thread reply.
/// </summary>
public sealed class PlaygroundTests : IAsyncLifetime
{
    private LocalPlayground _playground = null!;

    public async Task InitializeAsync() => _playground = await LocalPlayground.StartAsync();

    [Fact]
    public async Task A_slash_command_is_sent_to_the_linked_group_and_its_message_id_is_replied_in_the_thread()
    {
        var exchange = await _playground.SlashCommandAsync("Hello team! Truck 12 is in");

        Assert.Equal("Sending to WhatsApp group Field Team. The result will be posted in the thread.", exchange.Answer);
        var send = Assert.Single(_playground.WhatsApp.Sends);
        Assert.Equal(("120363410923125768@g.us", "Hello team! Truck 12 is in"), (send.To, send.Message));
        var record = Assert.Single(exchange.Posts, post => post.ThreadTs is null);
        Assert.Equal(record.Ts, exchange.Outcome?.ThreadTs);
        Assert.Equal($"✅ Sent to WhatsApp group Field Team: message_id {send.MessageId}", exchange.Outcome?.Text);
    }

    [Fact]
    public async Task The_shortcut_and_a_mention_are_each_sent_once_and_answered_in_their_threads()
    {
        var shortcut = await _playground.ShortcutAsync("Road closed at exit 4");
        var mention = await _playground.MentionAsync("Drivers: take the N2");

        Assert.Equal(["Road closed at exit 4", "Drivers: take the N2"], _playground.WhatsApp.Sends.Select(send => send.Message));
        Assert.Equal($"✅ Sent to WhatsApp group Field Team: message_id {_playground.WhatsApp.Sends[0].MessageId}", shortcut.Outcome?.Text);
        Assert.Equal($"✅ Sent to WhatsApp group Field Team: message_id {_playground.WhatsApp.Sends[1].MessageId}", mention.Outcome?.Text);
        Assert.NotEqual(shortcut.Outcome!.ThreadTs, mention.Outcome!.ThreadTs);
    }

    [Fact]
    public async Task Help_is_answered_at_once_and_sends_nothing()
    {
        var exchange = await _playground.SlashCommandAsync("help");

        Assert.StartsWith("Bridge sends messages from this channel to its linked WhatsApp groups.", exchange.Answer);
        Assert.Null(exchange.Outcome);
        Assert.Empty(_playground.WhatsApp.Sends);
    }

    public async Task DisposeAsync() => await _playground.DisposeAsync();
}
