namespace Bridge.EndToEndTests.Admin;

public sealed class ChromiumExecutableTests
{
    [Fact]
    public void Find_AMissingExecutable_SaysHowToPointAtAnother()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "chromium");

        var exception = Assert.Throws<FileNotFoundException>(() => ChromiumExecutable.Find(missing));

        Assert.StartsWith($"No Chromium at {missing}. Install Debian's (apt-get install chromium), or set BRIDGE_TEST_CHROMIUM to any Chromium or Chrome executable", exception.Message);
    }

    [Fact]
    public void Find_NothingConfigured_IsDebiansChromium()
    {
        // Found or not, the path looked at is Debian's.
        var exception = Record.Exception(() => ChromiumExecutable.Find(null));
        var path = exception is FileNotFoundException missing ? missing.FileName : ChromiumExecutable.Find(null);

        Assert.Equal("/usr/bin/chromium", path);
    }

    [Fact]
    public void Find_AnExistingExecutable_IsUsed()
    {
        var file = Path.GetTempFileName();
        try
        {
            Assert.Equal(file, ChromiumExecutable.Find(file));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
