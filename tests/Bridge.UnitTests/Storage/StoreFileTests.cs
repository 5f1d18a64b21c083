using Bridge.Storage;

namespace Bridge.UnitTests.Storage;

/// <summary>
/// The store never starts fresh over a file that holds something: an empty, foreign or damaged file is refused with
/// its name and what to do, and left byte for byte as it was. A missing file is a first start.
/// </summary>
public sealed class StoreFileTests : IDisposable
{
    private const string WhatToDo = "restore the file from the backup, or move it aside to start with an empty store.";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "bridge-unit-tests", Guid.NewGuid().ToString("N"));
    private readonly string _path;

    public StoreFileTests()
    {
        Directory.CreateDirectory(_directory);
        _path = Path.Combine(_directory, "bridge.db");
    }

    [Fact]
    public void Open_EmptyFile_RefusedWithItsNameAndLeftEmpty()
    {
        File.WriteAllBytes(_path, []);

        var error = Assert.Throws<StoreOpenException>(() => new LiteDbStore(_path));

        Assert.Equal($"The store file {_path} is empty (0 bytes), so Bridge will not start a fresh store over it; {WhatToDo}", error.Message);
        Assert.Empty(File.ReadAllBytes(_path));
    }

    [Fact]
    public void Open_ForeignTextFile_RefusedWithItsNameAndLeftUnchanged()
    {
        // 48,000 bytes: LiteDB itself would cut it to whole 8 KiB pages (40,960 bytes).
        var text = string.Concat(Enumerable.Repeat("a line of someone else's notes\n", 1549))[..48_000];
        File.WriteAllText(_path, text);
        var before = File.ReadAllBytes(_path);

        var error = Assert.Throws<StoreOpenException>(() => new LiteDbStore(_path));

        Assert.Equal(NotAStore, error.Message);
        Assert.Equal(before, File.ReadAllBytes(_path));
    }

    [Fact]
    public void Open_StoreWithItsHeaderOverwritten_RefusedWithItsNameAndLeftUnchanged()
    {
        var before = DamagedStore(offset: 32, "** This is not the header **"u8.ToArray());

        var error = Assert.Throws<StoreOpenException>(() => new LiteDbStore(_path));

        Assert.Equal(NotAStore, error.Message);
        Assert.Equal(before, File.ReadAllBytes(_path));
    }

    [Fact]
    public void Open_StoreWithItsHeaderTextIntactButItsPageDamaged_RefusedWithItsNameAndLeftUnchanged()
    {
        // The header's text is intact, its creation time (bytes 68-75) is not a time.
        var before = DamagedStore(offset: 68, Enumerable.Repeat((byte)0xFF, 8).ToArray());

        var error = Assert.Throws<StoreOpenException>(() => new LiteDbStore(_path));

        Assert.StartsWith($"The store file {_path} is damaged: LiteDB could not open it (", error.Message);
        Assert.EndsWith(WhatToDo, error.Message);
        Assert.Equal(before, File.ReadAllBytes(_path));
    }

    [Fact]
    public async Task Open_MissingFile_StartsAFreshStoreThatOpensAgain()
    {
        using (var store = new LiteDbStore(_path))
        {
            await store.SetSettingAsync("greeting", "hello", default);
        }

        using var reopened = new LiteDbStore(_path);

        Assert.Equal("hello", await reopened.GetSettingAsync("greeting", default));
    }

    private string NotAStore => $"The store file {_path} is not a LiteDB 5 store (its header is missing or damaged); {WhatToDo}";

    /// <summary>A real store, closed, with <paramref name="bytes"/> written over it at <paramref name="offset"/>.</summary>
    private byte[] DamagedStore(int offset, byte[] bytes)
    {
        new LiteDbStore(_path).Dispose();
        using (var file = new FileStream(_path, FileMode.Open, FileAccess.Write))
        {
            file.Position = offset;
            file.Write(bytes);
        }

        return File.ReadAllBytes(_path);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
