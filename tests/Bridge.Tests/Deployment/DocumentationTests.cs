using System.Reflection;
using System.Text.RegularExpressions;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Deployment;

/// <summary>What the README and the manifests tell a newcomer exists.</summary>
public sealed partial class DocumentationTests
{
    private static readonly string Readme = File.ReadAllText(RepositoryFiles.PathOf("README.md"));

    /// <summary>
    /// Every key Bridge binds: each public settable property of a class with a <c>Section</c> (except the declared links,
    /// documented as <c>Links:N:…</c>), and each key a class names in a <c>…Key</c> constant.
    /// </summary>
    public static TheoryData<string> SettingKeys()
    {
        var keys = new TheoryData<string>();
        foreach (var type in typeof(Program).Assembly.GetTypes())
        {
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() is string section and not "Links")
            {
                foreach (var property in type.GetProperties().Where(p => p.SetMethod?.IsPublic == true))
                {
                    keys.Add($"{section}:{property.Name}");
                }
            }

            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.Name.EndsWith("Key", StringComparison.Ordinal)))
            {
                if (field.GetRawConstantValue() is string key && key.Contains(':'))
                {
                    keys.Add(key);
                }
            }
        }

        return keys;
    }

    [Theory]
    [MemberData(nameof(SettingKeys))]
    public void Every_setting_is_in_the_README_configuration_table(string key)
    {
        var table = Readme[Readme.IndexOf("## Configuration", StringComparison.Ordinal)..Readme.IndexOf("## Operating it", StringComparison.Ordinal)];
        var rows = table.Split('\n').Where(line => line.StartsWith("| `", StringComparison.Ordinal));

        Assert.Contains(rows, row => row.Split('|')[1].Contains($"`{key}`", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_file_the_Slack_app_manifest_points_to_exists()
    {
        var manifest = File.ReadAllText(RepositoryFiles.PathOf("manifests", "slack", "app-manifest.yml"));

        var files = MarkdownFile().Matches(manifest).Select(match => match.Value).ToArray();

        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.True(File.Exists(RepositoryFiles.PathOf(file)), $"{file} does not exist"));
        Assert.Contains("\n### Create the Slack app\n", Readme);
    }

    [GeneratedRegex(@"(?<![\w/.])[\w./-]+\.md\b")]
    private static partial Regex MarkdownFile();
}
