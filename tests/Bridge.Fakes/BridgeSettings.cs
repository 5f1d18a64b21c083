namespace Bridge.Fakes;

/// <summary>Bridge's settings that point it at the fakes.</summary>
public static class BridgeSettings
{
    /// <summary>Slack and WhatsApp on the fake APIs, on its own LiteDB file.</summary>
    public static Dictionary<string, string?> For(FakeTalkNTalk whatsApp, FakeSlackApi slack, string liteDbPath) => new()
    {
        ["Slack:SigningSecret"] = SlackRequests.SigningSecret,
        ["Slack:BotToken"] = FakeSlackApi.BotToken,
        ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
        ["WhatsApp:BaseUrl"] = whatsApp.BaseUrl.ToString(),
        ["WhatsApp:ApiKey"] = whatsApp.ApiKey,
        ["WhatsApp:SessionId"] = FakeTalkNTalk.DefaultSessionId,
        ["Storage:LiteDbPath"] = liteDbPath,
        // The fake bans no number: sends are paced per phone only where a test turns it on.
        ["WhatsApp:PhoneSendInterval"] = "00:00:00",
    };

    /// <summary>
    /// Teams as a legacy multi-tenant bot with a client secret: inbound tokens checked against the fake Bot Framework,
    /// the bot's token from the fake Entra (https, as MSAL insists), replies to the fake Connector on 127.0.0.1.
    /// </summary>
    public static Dictionary<string, string?> ForTeams(FakeBotFramework botFramework, FakeEntraTenant entra) => new()
    {
        ["Teams:AppId"] = FakeBotFramework.AppId,
        ["Teams:AppPassword"] = FakeBotFramework.AppPassword,
        ["Teams:OpenIdMetadataUrl"] = botFramework.MetadataUrl,
        ["Teams:AuthorityHost"] = entra.BaseUrl.ToString(),
        ["Teams:AllowedServiceHosts:0"] = "127.0.0.1",
    };
}
