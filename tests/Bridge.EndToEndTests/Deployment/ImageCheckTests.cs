using Bridge.Tests.Infrastructure;

namespace Bridge.EndToEndTests.Deployment;

/// <summary>
/// The Dockerfile's steps, carried out without a Docker daemon by .ci/image-check: restore and publish on the
/// .dockerignore-filtered context, then the published app started as uid 1654 from a read-only app directory, ready,
/// with its store in the writable data directory, and the HEALTHCHECK command passing.
/// </summary>
public sealed class ImageCheckTests
{
    [Fact]
    public async Task The_Dockerfile_builds_and_its_app_starts_ready_as_the_image_runs_it()
    {
        var check = await RepositoryFiles.RunAsync("bash", [RepositoryFiles.PathOf(".ci", "image-check")], RepositoryFiles.Root);

        Assert.True(check.ExitCode == 0, check.Output);
        var lines = check.Output.Split('\n').Select(line => line.TrimEnd()).ToArray();
        Assert.Contains("RUN dotnet publish src/Bridge/Bridge.csproj -c Release -o /app --no-restore", lines);
        Assert.Contains("readyz: ready", lines);
        Assert.Contains("healthcheck: exit 0", lines);
        Assert.Contains("image-check: the Dockerfile's steps hold", lines);
        // As root the app runs as the image's user; elsewhere as the caller, who cannot become another user.
        if (Environment.UserName == "root")
        {
            Assert.Contains("uid: 1654", lines);
            Assert.Contains("app directory: not writable by uid 1654", lines);
            Assert.Contains(lines, line => line.StartsWith("data: ", StringComparison.Ordinal) && line.EndsWith("bridge.db owned by uid 1654", StringComparison.Ordinal));
        }
    }
}
