using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Bridge.Tests.Infrastructure;

/// <summary>The repository's own files (manifests, compose, Dockerfile) and the tools that check them.</summary>
internal static class RepositoryFiles
{
    /// <summary>The folder that holds Bridge.sln, found upwards from the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>
    /// Every document of a YAML file as JSON, so the tests read it with one API. Scalars stay text ("3", "true"), as the
    /// YAML holds them; merge keys (&lt;&lt;: *anchor) are applied.
    /// </summary>
    public static IReadOnlyList<JsonNode> ReadYaml(string path)
    {
        var parser = new MergingParser(new Parser(new StringReader(File.ReadAllText(path))));
        var deserializer = new DeserializerBuilder().Build();
        var json = new SerializerBuilder().JsonCompatible().Build();
        var documents = new List<JsonNode>();
        parser.Consume<StreamStart>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (deserializer.Deserialize<object?>(parser) is { } document)
            {
                documents.Add(JsonNode.Parse(json.Serialize(document))!);
            }
        }

        return documents;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(
        string program, string[] arguments, string directory, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    /// <summary>npm installs a folder's pinned tools (its package-lock.json) on a fresh clone; later runs find them.</summary>
    public static async Task InstallNodeToolsAsync(string directory, string package)
    {
        if (!Directory.Exists(Path.Combine(directory, "node_modules", package)))
        {
            var installed = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], directory);
            Assert.True(installed.ExitCode == 0, installed.Output);
        }
    }

    private static string FindRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Bridge.sln")))
        {
            root = root.Parent!;
        }

        return root.FullName;
    }

    public static string? Text(this JsonNode? node) => node?.GetValueKind() is JsonValueKind.String ? node.GetValue<string>() : node?.ToJsonString();
}
