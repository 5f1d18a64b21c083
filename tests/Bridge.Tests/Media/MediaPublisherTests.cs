using Bridge.Forwarding;
using Bridge.Media;
using Bridge.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.Media;

public sealed class MediaPublisherTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"));
    private readonly CountingDownloader _downloader = new();

    private string DatabasePath => Path.Combine(_directory, "bridge.db");

    [Fact]
    public async Task A_file_is_fetched_once_and_taken_from_the_store_by_other_groups_and_after_a_restart()
    {
        string forwardId;
        string first, second;
        using (var store = new LiteDbStore(DatabasePath))
        {
            forwardId = await AcceptAsync(store);
            first = (await Publisher(store).PublishAsync((await store.GetForwardAsync(forwardId, default))!, 0, default)).Url;
            second = (await Publisher(store).PublishAsync((await store.GetForwardAsync(forwardId, default))!, 0, default)).Url;
        }

        string afterRestart;
        using (var store = new LiteDbStore(DatabasePath))
        {
            afterRestart = (await Publisher(store).PublishAsync((await store.GetForwardAsync(forwardId, default))!, 0, default)).Url;
        }

        Assert.Equal(1, _downloader.Calls);
        Assert.Equal(MediaId(first), MediaId(second));
        Assert.Equal(MediaId(first), MediaId(afterRestart));
    }

    [Fact]
    public async Task Groups_that_reach_a_file_at_the_same_time_share_one_download()
    {
        using var store = new LiteDbStore(DatabasePath);
        var forwardId = await AcceptAsync(store);
        var publisher = Publisher(store);
        _downloader.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var forward = (await store.GetForwardAsync(forwardId, default))!;
        var sends = Enumerable.Range(1, 4)
            .Select(_ => publisher.PublishAsync(forward, 0, default))
            .ToList();
        _downloader.Gate.SetResult();
        var files = await Task.WhenAll(sends);

        Assert.Equal(1, _downloader.Calls);
        Assert.Single(files.Select(f => MediaId(f.Url)).Distinct());
        Assert.All(files, f => Assert.Equal(("image/png", "a.png"), (f.ContentType, f.Name)));
    }

    private static string MediaId(string url) => new Uri(url).Segments[2].TrimEnd('/');

    private static async Task<string> AcceptAsync(LiteDbStore store)
    {
        var forward = new Forward
        {
            Platform = Platform.Slack,
            WorkspaceId = "T1",
            ChannelId = "C1",
            Text = "Caption",
            Attachments = [new Attachment { Name = "a.png", MimeType = "image/png", Kind = MediaKind.Image, SourceUrl = "https://files.slack.com/a.png" }],
        };
        var link = new ChannelLink { Platform = Platform.Slack, WorkspaceId = "T1", ChannelId = "C1", SessionId = "s", GroupId = "g1@g.us" };
        return (await store.AcceptAsync(forward, [link], null, default)).ForwardId;
    }

    private MediaPublisher Publisher(LiteDbStore store)
    {
        var media = Options.Create(new MediaOptions { SigningKey = new string('k', 32) });
        return new MediaPublisher(
            store,
            store,
            [_downloader],
            new MediaSigner(media, store),
            // Never started, so it converts nothing: these tests are about fetching and storing.
            new MediaTranscoder(media, TimeProvider.System, NullLogger<MediaTranscoder>.Instance),
            media,
            Options.Create(new BridgeOptions { PublicBaseUrl = new Uri("https://bridge.example.com/") }),
            TimeProvider.System,
            NullLogger<MediaPublisher>.Instance);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class CountingDownloader : IMediaDownloader
    {
        private int _calls;

        public int Calls => _calls;
        public TaskCompletionSource? Gate { get; set; }
        public Platform Platform => Platform.Slack;

        public async Task<DownloadedFile> OpenAsync(Forward forward, Attachment attachment, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            if (Gate is { } gate)
            {
                await gate.Task;
            }

            return new DownloadedFile(new MemoryStream([1, 2, 3, 4]), "image/png", 4);
        }
    }
}
