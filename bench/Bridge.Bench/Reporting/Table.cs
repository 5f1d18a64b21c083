using System.Text;

namespace Bridge.Bench.Reporting;

/// <summary>One section of the report, printable as aligned text or as markdown.</summary>
internal sealed record Table(string Title, IReadOnlyList<string> Columns)
{
    public List<IReadOnlyList<string>> Rows { get; } = [];
    public List<string> Notes { get; } = [];

    public Table Add(params string[] cells)
    {
        Rows.Add(cells);
        return this;
    }

    public string ToText()
    {
        var widths = Columns.Select((c, i) => Rows.Select(r => r[i].Length).Append(c.Length).Max()).ToArray();
        var text = new StringBuilder();
        text.AppendLine(Title).AppendLine(new string('=', Title.Length));
        text.AppendLine(Line(Columns, widths));
        text.AppendLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in Rows)
        {
            text.AppendLine(Line(row, widths));
        }

        foreach (var note in Notes)
        {
            text.AppendLine("  " + note);
        }

        return text.ToString();
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("#### " + Title).AppendLine();
        text.AppendLine("| " + string.Join(" | ", Columns) + " |");
        text.AppendLine("|" + string.Join("|", Columns.Select((_, i) => i == 0 ? "---" : "---:")) + "|");
        foreach (var row in Rows)
        {
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        if (Notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in Notes)
            {
                text.AppendLine(note).AppendLine();
            }
        }

        return text.ToString().TrimEnd() + Environment.NewLine;
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join(" | ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])));
}
