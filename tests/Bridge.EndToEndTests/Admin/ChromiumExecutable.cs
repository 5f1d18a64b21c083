namespace Bridge.EndToEndTests.Admin;

/// <summary>
/// The Chromium the browser tests drive: <c>BRIDGE_TEST_CHROMIUM</c>, or Debian's <c>/usr/bin/chromium</c> when it is
/// not set (Playwright cannot download its own browser here).
/// </summary>
internal static class ChromiumExecutable
{
    public const string Variable = "BRIDGE_TEST_CHROMIUM";
    public const string DefaultPath = "/usr/bin/chromium";

    public static string Path => Find(Environment.GetEnvironmentVariable(Variable));

    /// <summary>The configured path, or the default; a missing file is a sentence that says how to point at another.</summary>
    public static string Find(string? configured)
    {
        var path = string.IsNullOrWhiteSpace(configured) ? DefaultPath : configured;
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"No Chromium at {path}. Install Debian's (apt-get install chromium), or set {Variable} to any Chromium or Chrome executable, " +
                $"e.g. {Variable}=\"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome\" or {Variable}=/snap/bin/chromium.", path);
    }
}
