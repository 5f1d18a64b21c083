using System.Text;

namespace Bridge.Bench.Reporting;

/// <summary>Collects the tables; prints each as it is finished, then all of them as text and as markdown.</summary>
internal sealed class BenchReport
{
    private readonly List<Table> _tables = [];

    public void Add(Table table)
    {
        _tables.Add(table);
        Console.WriteLine();
        Console.Write(table.ToText());
    }

    public string ToMarkdown(string machine, string command)
    {
        var text = new StringBuilder();
        text.AppendLine($"Measured on {machine}, with `{command}`.").AppendLine();
        foreach (var table in _tables)
        {
            text.AppendLine(table.ToMarkdown());
        }

        return text.ToString().TrimEnd() + Environment.NewLine;
    }
}
