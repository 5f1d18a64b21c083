using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;

namespace Bridge.Admin;

/// <summary>Interpolated string handler behind <see cref="Html.Of"/>: literals are markup, holes are encoded text.</summary>
[InterpolatedStringHandler]
internal ref struct HtmlHandler(int literalLength, int formattedCount)
{
    private DefaultInterpolatedStringHandler _inner = new(literalLength, formattedCount, CultureInfo.InvariantCulture);

    public void AppendLiteral(string value) => _inner.AppendLiteral(value);

    public void AppendFormatted(Html value) => _inner.AppendLiteral(value.Value);

    public void AppendFormatted<T>(T value) =>
        _inner.AppendLiteral(HtmlEncoder.Default.Encode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));

    public void AppendFormatted<T>(T value, string? format) where T : IFormattable =>
        _inner.AppendLiteral(HtmlEncoder.Default.Encode(value.ToString(format, CultureInfo.InvariantCulture)));

    public string ToStringAndClear() => _inner.ToStringAndClear();
}
