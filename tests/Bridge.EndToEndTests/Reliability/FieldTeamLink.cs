using Bridge.Forwarding;
using Bridge.Storage;

namespace Bridge.EndToEndTests.Reliability;

/// <summary>The fake Slack channel linked to the WhatsApp group "Field Team", made in the data before Bridge starts.</summary>
internal static class FieldTeamLink
{
    public static async Task AddAsync(string databasePath)
    {
        using var store = new LiteDbStore(databasePath);
        await store.AddLinkAsync(new ChannelLink
        {
            Platform = Platform.Slack, WorkspaceId = "T08ABCD1234", ChannelId = "C08QWERTY12",
            SessionId = FakeTalkNTalk.DefaultSessionId, GroupId = "120363410923125768@g.us", GroupName = "Field Team",
        }, default);
    }
}
