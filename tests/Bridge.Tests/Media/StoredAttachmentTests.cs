using Bridge.Forwarding;
using Bridge.Storage;
using LiteDB;

namespace Bridge.Tests.Media;

public sealed class StoredAttachmentTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"), "bridge.db");

    public StoredAttachmentTests() => Directory.CreateDirectory(Path.GetDirectoryName(_path)!);

    [Fact]
    public async Task Attachments_stored_by_an_earlier_Bridge_still_load()
    {
        // A row as an earlier Bridge wrote it: the kind a lower-case word, and a Teams pasted image's type "image/*".
        using (var db = new LiteDatabase(new ConnectionString { Filename = _path, Connection = ConnectionType.Direct }))
        {
            db.GetCollection("forwards").Insert(new BsonDocument
            {
                ["_id"] = "f1", ["Platform"] = "Slack", ["WorkspaceId"] = "T1", ["ChannelId"] = "C1", ["UserId"] = "U1",
                ["UserName"] = "maria", ["Text"] = "Hello", ["Notes"] = new BsonArray(),
                ["Attachments"] = new BsonArray(new[] { "image", "video", "voice", "link" }.Select(kind => new BsonDocument
                {
                    ["Name"] = $"{kind}.bin", ["MimeType"] = kind == "image" ? "image/*" : "application/octet-stream", ["SourceUrl"] = "https://files.slack.com/x", ["Kind"] = kind,
                })),
                ["Reply"] = new BsonDocument { ["ConversationId"] = "C1", ["ThreadId"] = "1767225700.000100" },
                ["Announce"] = true, ["ReplyState"] = "Pending", ["ReplyAttempts"] = 0, ["CreatedAt"] = DateTimeOffset.UtcNow.UtcTicks,
            });
        }

        using var store = new LiteDbStore(_path);

        var attachments = (await store.GetForwardAsync("f1", default))!.Attachments;
        Assert.Equal([MediaKind.Image, MediaKind.Video, MediaKind.Voice, MediaKind.Link], attachments.Select(a => a.Kind));
        Assert.Equal(["", "application/octet-stream", "application/octet-stream", "application/octet-stream"], attachments.Select(a => a.MimeType));
    }

    [Fact]
    public async Task Attachment_kinds_are_stored_as_the_same_words()
    {
        string forwardId;
        using (var store = new LiteDbStore(_path))
        {
            var forward = new Forward
            {
                Platform = Platform.Slack, WorkspaceId = "T1", ChannelId = "C1", Text = "Hello",
                Attachments = [new Attachment { Name = "a.mp4", MimeType = "video/mp4", Kind = MediaKind.Video, SourceUrl = "https://files.slack.com/a.mp4" }],
            };
            var link = new ChannelLink { Platform = Platform.Slack, WorkspaceId = "T1", ChannelId = "C1", SessionId = "s", GroupId = "g1@g.us" };
            forwardId = (await store.AcceptAsync(forward, [link], null, default)).ForwardId;
        }

        using var db = new LiteDatabase(new ConnectionString { Filename = _path, Connection = ConnectionType.Direct });
        var row = db.GetCollection("forwards").FindById(forwardId);
        Assert.Equal("video", row["Attachments"].AsArray[0]["Kind"].AsString);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
