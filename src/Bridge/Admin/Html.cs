namespace Bridge.Admin;

/// <summary>
/// HTML that is safe to write as is. Build it with <see cref="Of"/>: every value interpolated into it is encoded,
/// except other <see cref="Html"/>, so escaping cannot be forgotten.
/// </summary>
internal readonly record struct Html(string Value)
{
    public static Html Empty => new("");

    public static Html Of(HtmlHandler html) => new(html.ToStringAndClear());

    public static Html Join(IEnumerable<Html> parts) => new(string.Concat(parts.Select(p => p.Value)));

    public static Html When(bool condition, HtmlHandler html) => condition ? Of(html) : Empty;

    public override string ToString() => Value;
}
