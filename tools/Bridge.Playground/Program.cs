using Bridge.Playground;

// dotnet run --project tools/Bridge.Playground                      an interactive session (see Usage)
// dotnet run --project tools/Bridge.Playground -- send "Hello team"  one request, its outcome, then everything stops
const string Usage = """
    send <text>      /whatsapp <text> (also: send help, send status, send groups)
    shortcut <text>  "Send to WhatsApp" on a message with this text
    mention <text>   @Bridge <text>
    quit
    """;

if (args.Length > 0 && !IsCommand(args[0]))
{
    Console.Error.WriteLine($"Unknown command {args[0]}. Commands:{Environment.NewLine}{Usage}");
    return 2;
}

Console.WriteLine("Starting the fake TalkNTalk, the fake Slack API and Bridge on 127.0.0.1…");
await using var playground = await LocalPlayground.StartAsync();
var group = LocalPlayground.WhatsAppGroup(playground.WhatsApp);
Console.WriteLine($"Bridge on {playground.Bridge.BaseUrl} (fake TalkNTalk on {playground.WhatsApp.BaseUrl}, fake Slack on {playground.Slack.BaseUrl}).");
Console.WriteLine($"Slack channel {LocalPlayground.ChannelId} is linked to WhatsApp group {group.Name} ({group.ChatId}).");

if (args.Length > 0)
{
    return await RunAsync(args[0], string.Join(' ', args[1..])) ? 0 : 1;
}

Console.WriteLine(Usage);
while (Console.ReadLine() is { } line && line.Trim() is not ("quit" or "exit"))
{
    var parts = line.Trim().Split(' ', 2);
    if (IsCommand(parts[0]))
    {
        await RunAsync(parts[0], parts.Length > 1 ? parts[1] : "");
    }
    else if (parts[0].Length > 0)
    {
        Console.WriteLine(Usage);
    }
}

return 0;

static bool IsCommand(string word) => word is "send" or "shortcut" or "mention";

// True when the request was answered (with an outcome, if it started a send).
async Task<bool> RunAsync(string command, string text)
{
    var exchange = command switch
    {
        "send" => await playground.SlashCommandAsync(text),
        "shortcut" => await playground.ShortcutAsync(text),
        _ => await playground.MentionAsync(text),
    };
    if (exchange.Answer.Length > 0)
    {
        Console.WriteLine($"Bridge answered: {exchange.Answer}");
    }

    foreach (var post in exchange.Posts)
    {
        Console.WriteLine($"{(post.ThreadTs is null ? "In the channel" : "In the thread")}: {post.Text}");
    }

    var sends = playground.WhatsApp.Sends;
    Console.WriteLine($"The fake TalkNTalk has received {sends.Count} send(s).");
    return exchange.Outcome is not null || exchange.Posts.Count > 0 || exchange.Answer.Length > 0;
}
