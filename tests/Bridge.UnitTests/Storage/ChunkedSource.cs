namespace Bridge.UnitTests.Storage;

/// <summary>
/// A download as a store sees it: read-only, not seekable, of unknown length, handing out at most
/// <paramref name="chunk"/> bytes a read, and failing once <paramref name="failAfter"/> bytes were read, if given.
/// </summary>
internal sealed class ChunkedSource(byte[] content, int chunk, int? failAfter = null) : Stream
{
    private int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (failAfter is { } limit && _position >= limit)
        {
            throw new IOException("The download broke off.");
        }

        var read = Math.Min(Math.Min(count, chunk), content.Length - _position);
        Array.Copy(content, _position, buffer, offset, read);
        _position += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
