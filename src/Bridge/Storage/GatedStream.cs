namespace Bridge.Storage;

/// <summary>
/// A LiteDB file stream whose every read and write takes the store's gate, so files stream in chunks while other
/// store calls go on between them.
/// </summary>
internal sealed class GatedStream(Stream inner, object gate) : Stream
{
    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        lock (gate)
        {
            return inner.Read(buffer, offset, count);
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (gate)
        {
            inner.Write(buffer, offset, count);
        }
    }

    public override void Flush()
    {
        lock (gate)
        {
            inner.Flush();
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (gate)
            {
                inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
