using Bridge.Media;
using Bridge.UnitTests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Bridge.UnitTests.Media;

public sealed class MediaSignerTests
{
    private static readonly Uri BaseUrl = new("https://bridge.example/");
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_store_error_at_the_first_load_is_not_kept_the_next_link_is_signed_with_the_stored_key()
    {
        var settings = new FirstReadFailsSettings();
        var signer = new MediaSigner(Options.Create(new MediaOptions()), settings);

        await Assert.ThrowsAsync<IOException>(() => signer.CreateUrlAsync(BaseUrl, "id1", "a.png", Now.AddHours(1)));

        var url = await signer.CreateUrlAsync(BaseUrl, "id1", "a.png", Now.AddHours(1));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query);
        Assert.True(await signer.IsValidAsync("id1", "a.png", query["exp"], query["sig"], Now));
        // A signer started later reads the same stored key and accepts the link.
        var restarted = new MediaSigner(Options.Create(new MediaOptions()), settings);
        Assert.True(await restarted.IsValidAsync("id1", "a.png", query["exp"], query["sig"], Now));
        Assert.Equal(3, settings.Reads);
    }
}
