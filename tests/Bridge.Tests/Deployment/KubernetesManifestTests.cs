using System.Text.Json.Nodes;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Deployment;

/// <summary>
/// The shipped Kubernetes manifests: valid against the API's schema offline (manifests/kubernetes/validate.mjs), and
/// pods that start under the "restricted" Pod Security Standard
/// (https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted).
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Manifests = RepositoryFiles.PathOf("manifests", "kubernetes");
    private static readonly string LiteDb = Path.Combine(Manifests, "litedb", "bridge.yaml");
    private static readonly string Postgres = Path.Combine(Manifests, "postgres", "bridge.yaml");

    /// <summary>The .NET images' app user (APP_UID).</summary>
    private const string AppUid = "1654";

    private static IEnumerable<string> AllFiles() =>
        Directory.EnumerateFiles(Manifests, "*.yaml", SearchOption.AllDirectories).Where(f => !f.Contains("node_modules")).Order();

    [Fact]
    public async Task Every_manifest_is_valid_against_the_Kubernetes_schema_offline()
    {
        var files = AllFiles().ToArray();
        Assert.Contains(LiteDb, files);
        Assert.Contains(Postgres, files);

        var validated = await ValidateAsync(files);

        Assert.True(validated.ExitCode == 0, validated.Output);
        var documents = files.Sum(f => RepositoryFiles.ReadYaml(f).Count);
        Assert.Equal(documents, validated.Output.Split('\n').Count(l => l.StartsWith("valid: ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("replicas: 3", "replicas: \"three\"", "spec/replicas must be integer")]
    [InlineData("kind: Deployment", "kind: Deploymnet", "unknown apiVersion apps/v1 or kind Deploymnet")]
    [InlineData("maxUnavailable: 0", "maxUnavailable: [0]", "maxUnavailable")]
    public async Task The_validator_refuses_an_invalid_manifest(string valid, string invalid, string reason)
    {
        var text = await File.ReadAllTextAsync(Postgres);
        Assert.Contains(valid, text);
        var broken = Path.Combine(Directory.CreateTempSubdirectory("bridge-k8s-").FullName, "bridge.yaml");
        await File.WriteAllTextAsync(broken, text.Replace(valid, invalid));

        var validated = await ValidateAsync([broken]);

        Assert.Equal(1, validated.ExitCode);
        Assert.Contains(reason, validated.Output);
    }

    [Fact]
    public void The_image_runs_as_the_numeric_app_user()
    {
        var dockerfile = File.ReadAllLines(RepositoryFiles.PathOf("Dockerfile"));

        // The last USER wins: a name (USER app) would keep runAsNonRoot pods from starting.
        Assert.Equal("USER $APP_UID", dockerfile.Last(l => l.StartsWith("USER ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("litedb", "StatefulSet")]
    [InlineData("postgres", "Deployment")]
    public void Every_pod_meets_the_restricted_standard_as_the_numeric_app_user(string option, string kind)
    {
        var workload = Single(Path.Combine(Manifests, option, "bridge.yaml"), kind);
        var pod = workload["spec"]!["template"]!["spec"]!;

        var security = pod["securityContext"]!;
        Assert.Equal("true", security["runAsNonRoot"].Text());
        Assert.Equal(AppUid, security["runAsUser"].Text());
        Assert.Equal(AppUid, security["runAsGroup"].Text());
        Assert.Equal(AppUid, security["fsGroup"].Text());
        Assert.Equal("RuntimeDefault", security["seccompProfile"]!["type"].Text());
        var containers = pod["containers"]!.AsArray();
        Assert.NotEmpty(containers);
        foreach (var container in containers)
        {
            var own = container!["securityContext"]!;
            Assert.Equal("false", own["allowPrivilegeEscalation"].Text());
            Assert.Equal("true", own["readOnlyRootFilesystem"].Text());
            Assert.Equal(["ALL"], own["capabilities"]!["drop"]!.AsArray().Select(c => c.Text()));
            Assert.Null(own["runAsUser"]);
            Assert.Null(own["privileged"]);

            // A read-only root: every place Bridge writes is a volume of the pod.
            var volumes = (pod["volumes"]?.AsArray() ?? []).Select(v => v!["name"].Text())
                .Concat((workload["spec"]!["volumeClaimTemplates"]?.AsArray() ?? []).Select(v => v!["metadata"]!["name"].Text()))
                .ToList();
            var mounts = container["volumeMounts"]!.AsArray();
            Assert.Equal(["/data", "/tmp"], mounts.Select(m => m!["mountPath"].Text()).Order());
            Assert.All(mounts, m => Assert.Contains(m!["name"].Text(), volumes));

            Assert.Equal("/readyz", container["readinessProbe"]!["httpGet"]!["path"].Text());
            Assert.Equal("/healthz", container["livenessProbe"]!["httpGet"]!["path"].Text());
        }
    }

    [Fact]
    public void The_StatefulSet_names_a_headless_service_that_selects_its_pod()
    {
        var statefulSet = Single(LiteDb, "StatefulSet");
        Assert.Equal("1", statefulSet["spec"]!["replicas"].Text());
        var serviceName = statefulSet["spec"]!["serviceName"].Text();

        var service = RepositoryFiles.ReadYaml(LiteDb).Single(d => d["kind"].Text() == "Service" && d["metadata"]!["name"].Text() == serviceName);

        Assert.Equal("None", service["spec"]!["clusterIP"].Text());
        Assert.True(Selects(service["spec"]!["selector"]!, statefulSet));
    }

    [Fact]
    public void The_Deployment_rolls_three_replicas_without_dropping_one_and_lets_requests_finish()
    {
        var deployment = Single(Postgres, "Deployment");
        var spec = deployment["spec"]!;
        Assert.Equal("3", spec["replicas"].Text());
        Assert.Equal("RollingUpdate", spec["strategy"]!["type"].Text());
        Assert.Equal("0", spec["strategy"]!["rollingUpdate"]!["maxUnavailable"].Text());
        Assert.Equal("1", spec["strategy"]!["rollingUpdate"]!["maxSurge"].Text());

        var pod = spec["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        var preStop = int.Parse(container["lifecycle"]!["preStop"]!["sleep"]!["seconds"].Text()!);
        Assert.InRange(preStop, 5, 30);
        // The grace period counts the preStop delay, then Bridge's own stop: its host's timeout and a margin.
        Assert.True(int.Parse(pod["terminationGracePeriodSeconds"].Text()!) >= preStop + Hosting.BridgeApplication.ShutdownTimeout.TotalSeconds + 5);

        var budget = Single(Postgres, "PodDisruptionBudget");
        Assert.Equal("1", budget["spec"]!["maxUnavailable"].Text());
        Assert.True(Selects(budget["spec"]!["selector"]!["matchLabels"]!, deployment));
        var service = Single(Postgres, "Service");
        Assert.True(Selects(service["spec"]!["selector"]!, deployment));
    }

    [Fact]
    public void The_connection_string_comes_from_the_example_secret_which_holds_no_password()
    {
        var env = Single(Postgres, "Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
        Assert.Equal("Postgres", env.Single(e => e!["name"].Text() == "Storage__Provider")!["value"].Text());
        var connection = env.Single(e => e!["name"].Text() == "Storage__PostgresConnectionString")!;
        Assert.Null(connection["value"]);
        var reference = connection["valueFrom"]!["secretKeyRef"]!;

        var secret = Single(Path.Combine(Manifests, "postgres", "database-secret.example.yaml"), "Secret");

        Assert.Equal(reference["name"].Text(), secret["metadata"]!["name"].Text());
        var example = secret["stringData"]![reference["key"].Text()!].Text();
        Assert.EndsWith("Password=", example);
        Assert.All(
            Single(Path.Combine(Manifests, "secret.example.yaml"), "Secret")["stringData"]!.AsObject(),
            entry => Assert.Equal("", entry.Value.Text()));
    }

    private static JsonNode Single(string file, string kind) => RepositoryFiles.ReadYaml(file).Single(d => d["kind"].Text() == kind);

    /// <summary>Whether every label of the selector is on the workload's pods.</summary>
    private static bool Selects(JsonNode selector, JsonNode workload)
    {
        var labels = workload["spec"]!["template"]!["metadata"]!["labels"]!;
        return selector.AsObject().Count > 0 && selector.AsObject().All(l => labels[l.Key].Text() == l.Value.Text());
    }

    private static async Task<(int ExitCode, string Output)> ValidateAsync(string[] files)
    {
        await RepositoryFiles.InstallNodeToolsAsync(Manifests, "kubernetes-models");
        return await RepositoryFiles.RunAsync("node", [Path.Combine(Manifests, "validate.mjs"), .. files], Manifests);
    }
}
