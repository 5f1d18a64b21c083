using System.Text.RegularExpressions;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Deployment;

/// <summary>compose.yaml, for trying replicas where Docker runs; CI has no Docker, so its shape is checked here.</summary>
public sealed class ComposeFileTests
{
    private static readonly string Compose = RepositoryFiles.PathOf("compose.yaml");

    [Fact]
    public void Two_Bridges_built_from_the_Dockerfile_share_one_pinned_PostgreSQL()
    {
        var services = RepositoryFiles.ReadYaml(Compose).Single()["services"]!.AsObject();

        var bridges = services.Where(s => s.Value!["build"] is not null).ToList();
        Assert.Equal(2, bridges.Count);
        var postgres = services.Single(s => s.Value!["image"].Text()?.StartsWith("postgres:", StringComparison.Ordinal) == true);
        // A pinned major version: a new major needs a dump and restore, never a silent upgrade.
        Assert.Matches(new Regex(@"^postgres:\d+(\.\d+)?(-[a-z0-9]+)?$"), postgres.Value!["image"].Text());
        foreach (var (name, bridge) in bridges)
        {
            // The build context holds the Dockerfile and the files it copies.
            var context = Path.Combine(RepositoryFiles.Root, bridge!["build"].Text()!);
            Assert.True(File.Exists(Path.Combine(context, "Dockerfile")), name);
            Assert.True(File.Exists(Path.Combine(context, "Directory.Packages.props")), name);
            Assert.True(File.Exists(Path.Combine(context, "src", "Bridge", "Bridge.csproj")), name);

            var environment = bridge["environment"]!;
            Assert.Equal("Postgres", environment["Storage__Provider"].Text());
            Assert.Contains($"Host={postgres.Key};", environment["Storage__PostgresConnectionString"].Text());
            Assert.Equal("service_healthy", bridge["depends_on"]![postgres.Key]!["condition"].Text());
            Assert.Equal("true", bridge["read_only"].Text());
            Assert.Equal("20s", bridge["stop_grace_period"].Text());
        }

        // Each replica on a port of its own.
        Assert.Equal(2, bridges.Select(b => b.Value!["ports"]![0].Text()!.Split(':')[0]).Distinct().Count());
    }

    [Fact]
    public void It_holds_no_secret_but_a_local_placeholder_password()
    {
        var text = File.ReadAllText(Compose);

        // Every password given (POSTGRES_PASSWORD: …, Password=…) is the placeholder, unless the environment sets one.
        var passwords = Regex.Matches(text, @"(?i)password\s*[:=]\s*([^\s;""]+)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, passwords.Count);
        Assert.All(passwords, p => Assert.Equal("${BRIDGE_DB_PASSWORD:-bridge-local}", p));

        Assert.DoesNotMatch(new Regex("xox[bp]-|tk_live_"), text);
    }
}
