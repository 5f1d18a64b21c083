using Bridge.Forwarding;
using NetArchTest.Rules;
using Xunit.Abstractions;

namespace Bridge.UnitTests.Architecture;

/// <summary>
/// The folders of src/Bridge point one way: the forwarding core depends on nothing, the adapters and delivery on the
/// core, and only the composition root (Hosting) on everything. The test prints the real dependencies it finds.
/// </summary>
public sealed class FolderDependencyTests(ITestOutputHelper output)
{
    /// <summary>Every folder and the folders it may use. Hosting, the composition root, may use them all.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Forwarding"] = [],
        ["Http"] = [],
        ["WhatsApp"] = ["Http"],
        ["Storage"] = ["Forwarding", "WhatsApp"],
        ["Media"] = ["Forwarding", "Http"],
        ["Commands"] = ["Forwarding", "WhatsApp"],
        ["Delivery"] = ["Forwarding", "Media", "WhatsApp"],
        ["Slack"] = ["Commands", "Forwarding", "Media", "Http"],
        ["Teams"] = ["Commands", "Forwarding", "Media", "Http"],
        ["Admin"] = ["Forwarding", "WhatsApp", "Slack", "Teams", "Media"],
    };

    [Fact]
    public void Every_folder_points_one_way()
    {
        var actual = FolderDependencies();
        foreach (var (folder, uses) in actual)
        {
            output.WriteLine($"{folder,-10} -> {string.Join(", ", uses)}");
        }

        var forbidden = actual
            .Where(f => f.Key != "Hosting")
            .SelectMany(f => f.Value.Where(used => !Allowed[f.Key].Contains(used)).Select(used => $"{f.Key} -> {used}"))
            .ToList();
        Assert.Empty(forbidden);
    }

    [Fact]
    public void The_folders_have_no_cycle()
    {
        var actual = FolderDependencies();
        var order = new List<string>();
        var remaining = actual.ToDictionary(f => f.Key, f => f.Value.ToHashSet());
        while (remaining.Count > 0)
        {
            // A folder whose dependencies are all placed comes next; none such means a cycle among the rest.
            var next = remaining.FirstOrDefault(f => f.Value.All(order.Contains)).Key;
            Assert.True(next is not null, "Cycle among: " + string.Join(", ", remaining.Keys));
            order.Add(next);
            remaining.Remove(next);
        }

        output.WriteLine("Layers, from the core out: " + string.Join(" < ", order));
    }

    [Fact]
    public void Every_folder_has_its_place_in_the_layout()
    {
        var folders = typeof(Forward).Assembly.GetTypes()
            .Select(t => t.Namespace)
            .Where(ns => ns?.StartsWith("Bridge.", StringComparison.Ordinal) == true)
            .Select(ns => ns!["Bridge.".Length..].Split('.')[0])
            .Distinct();
        Assert.All(folders, folder => Assert.True(folder == "Hosting" || Allowed.ContainsKey(folder), $"{folder} is not in the layout"));
    }

    [Fact]
    public void Nothing_depends_on_the_composition_root()
    {
        Assert.DoesNotContain(FolderDependencies(), f => f.Key != "Hosting" && f.Value.Contains("Hosting"));
    }

    // Read once: each question reads the whole assembly.
    private static readonly Lazy<Dictionary<string, List<string>>> Dependencies = new(ReadFolderDependencies);

    private static Dictionary<string, List<string>> FolderDependencies() => Dependencies.Value;

    private static Dictionary<string, List<string>> ReadFolderDependencies()
    {
        var assembly = typeof(Forward).Assembly;
        var folders = Allowed.Keys.Append("Hosting").ToList();
        return folders.ToDictionary(
            from => from,
            from => folders
                .Where(to => to != from && Types.InAssembly(assembly)
                    .That().ResideInNamespace("Bridge." + from)
                    .And().HaveDependencyOn("Bridge." + to)
                    .GetTypes().Any())
                .ToList());
    }
}
