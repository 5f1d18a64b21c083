using System.Buffers;

namespace Bridge.Storage.Postgres;

/// <summary>
/// A stored file, read one chunk at a time as the reader asks: no connection is held between reads, and never more
/// than one chunk is in memory. Read-only and forward-only.
/// </summary>
internal sealed class PostgresMediaStream(PostgresStore store, string mediaId) : Stream
{
    private byte[]? _chunk = ArrayPool<byte>.Shared.Rent(PostgresStore.ChunkSize);
    private int _nextSeq;
    private int _offset;
    private int _count;
    private bool _lastChunkRead;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var chunk = _chunk ?? throw new ObjectDisposedException(nameof(PostgresMediaStream));
        if (_offset == _count)
        {
            if (_lastChunkRead)
            {
                return 0;
            }

            // Every chunk but the last is full: a short one (or none) ends the file.
            _count = await store.ReadChunkAsync(mediaId, _nextSeq++, chunk, cancellationToken);
            _offset = 0;
            _lastChunkRead = _count < PostgresStore.ChunkSize;
        }

        var read = Math.Min(buffer.Length, _count - _offset);
        chunk.AsMemory(_offset, read).CopyTo(buffer);
        _offset += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // ASP.NET Core reads asynchronously; the synchronous read is here for Stream's contract.
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    protected override void Dispose(bool disposing)
    {
        if (_chunk is { } chunk)
        {
            _chunk = null;
            ArrayPool<byte>.Shared.Return(chunk);
        }

        base.Dispose(disposing);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
