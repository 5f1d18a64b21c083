using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using Bridge.Tests.Infrastructure;

namespace Bridge.EndToEndTests.Teams;

/// <summary>The Teams app package that admins upload: built by package.sh, valid against its schema, its links answered.</summary>
public sealed class TeamsManifestTests
{
    private const string AppId = "00000000-0000-4000-8000-0000000000b1";
    private const string PublicUrl = "https://bridge.example.com";

    [Fact]
    public async Task The_package_holds_a_manifest_valid_against_its_schema_offline()
    {
        var teams = RepositoryFiles.PathOf("manifests", "teams");
        var work = Directory.CreateTempSubdirectory("bridge-manifest-").FullName;
        var zip = Path.Combine(work, "bridge-teams.zip");

        var packaged = await RepositoryFiles.RunAsync("sh", [Path.Combine(teams, "package.sh"), zip], teams, ("TEAMS_APP_ID", AppId), ("BRIDGE_PUBLIC_URL", PublicUrl + "/"));
        Assert.True(packaged.ExitCode == 0, packaged.Output);
        ZipFile.ExtractToDirectory(zip, Path.Combine(work, "package"));
        Assert.Equal(["color.png", "manifest.json", "outline.png"], Directory.GetFiles(Path.Combine(work, "package")).Select(Path.GetFileName).Order());

        var manifestPath = Path.Combine(work, "package", "manifest.json");
        var text = await File.ReadAllTextAsync(manifestPath);
        Assert.DoesNotContain("${", text);
        var manifest = JsonNode.Parse(text)!;
        Assert.Equal(AppId, (string?)manifest["bots"]![0]!["botId"]);
        Assert.Equal(PublicUrl + "/privacy", (string?)manifest["developer"]!["privacyUrl"]);
        Assert.Equal(PublicUrl + "/terms", (string?)manifest["developer"]!["termsOfUseUrl"]);
        Assert.Equal("tier1", (string?)manifest["supportsChannelFeatures"]);
        Assert.True((bool?)manifest["bots"]![0]!["supportsFiles"]);

        // The validator ships Microsoft's published schemas, so no schema is fetched; npm installs it on a fresh clone.
        await RepositoryFiles.InstallNodeToolsAsync(teams, "@microsoft/app-manifest");

        var validated = await RepositoryFiles.RunAsync("node", [Path.Combine(teams, "validate.mjs"), manifestPath], teams);
        Assert.True(validated.ExitCode == 0, validated.Output);
        Assert.Contains("valid", validated.Output);
        Assert.True(Version.Parse((string)manifest["manifestVersion"]!) >= new Version(1, 25));
    }

    [Theory]
    [InlineData("/privacy", "Privacy")]
    [InlineData("/terms", "Terms of use")]
    public async Task The_privacy_and_terms_links_of_the_manifest_answer(string path, string heading)
    {
        await using var app = await BridgeApp.StartAsync();

        using var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"<h1>{heading}</h1>", await response.Content.ReadAsStringAsync());
        Assert.StartsWith("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }
}
