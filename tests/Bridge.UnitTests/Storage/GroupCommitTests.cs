using Bridge.Forwarding;
using Bridge.Storage;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bridge.UnitTests.Storage;

/// <summary>
/// The LiteDB store's writes are durable when they complete: each waits for the flush of its commit, and concurrent
/// writes share one commit and one flush.
/// </summary>
public sealed class GroupCommitTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "bridge-tests", Guid.NewGuid().ToString("N"));
    private readonly HeldFlush _flush = new();
    private readonly LiteDbStore _store;

    public GroupCommitTests()
    {
        _store = new LiteDbStore(Path.Combine(_directory, "bridge.db"), _flush, new StoreAvailability(), NullLogger<LiteDbStore>.Instance);
    }

    [Fact]
    public async Task An_accept_completes_only_after_the_flush_of_its_commit()
    {
        var requested = _flush.Hold();

        var accept = _store.AcceptAsync(StoreContract.NewForward("Hello"), [StoreContract.Link("A@g.us")], "key-1", default);
        await requested;

        // Committed (readable) but not yet flushed: the caller has not been answered.
        Assert.False(accept.IsCompleted);
        Assert.Single(await _store.GetUnfinishedJobsAsync(default));
        var flushed = _flush.Count;
        _flush.Release();
        Assert.True((await accept).Accepted);
        Assert.Equal(flushed + 1, _flush.Count);
    }

    [Fact]
    public async Task Accepts_that_arrive_while_the_writer_waits_on_a_flush_share_one_commit_and_its_one_flush()
    {
        var flushed = _flush.Count;
        var requested = _flush.Hold();
        var first = _store.AcceptAsync(StoreContract.NewForward("first"), [StoreContract.Link("A@g.us")], null, default);
        await requested;
        await _flush.AskedAsync();
        var second = _store.AcceptAsync(StoreContract.NewForward("second"), [StoreContract.Link("A@g.us")], null, default);
        // The second batch is committed and its flush asked for: the writer now waits for the first flush to answer it.
        await _flush.AskedAsync();

        var more = Enumerable.Range(1, 20)
            .Select(i => _store.AcceptAsync(StoreContract.NewForward($"more {i}"), [StoreContract.Link("A@g.us"), StoreContract.Link("B@g.us")], $"key-{i}", default))
            .ToList();
        _flush.Release();
        await first;
        await second;
        await Task.WhenAll(more);

        // One flush each for the first two batches, and one for the twenty that queued meanwhile.
        Assert.Equal(flushed + 3, _flush.Count);
        Assert.Equal(42, (await _store.GetUnfinishedJobsAsync(default)).Count);
    }

    [Fact]
    public async Task The_next_batch_commits_while_a_flush_runs_and_each_batch_is_answered_only_after_its_own_flush()
    {
        var flushed = _flush.Count;
        var requested = _flush.Hold();
        var first = _store.AcceptAsync(StoreContract.NewForward("first"), [StoreContract.Link("A@g.us")], "key-1", default);
        await requested;
        await _flush.AskedAsync();

        var second = _store.AcceptAsync(StoreContract.NewForward("second"), [StoreContract.Link("B@g.us")], "key-2", default);
        // The second batch commits, and asks for its flush, while the first flush is still held.
        await _flush.AskedAsync();

        Assert.Equal(2, (await _store.GetUnfinishedJobsAsync(default)).Count);
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        _flush.Release();
        Assert.True((await first).Accepted);
        Assert.True((await second).Accepted);
        Assert.Equal(flushed + 2, _flush.Count);
    }

    [Fact]
    public async Task A_write_that_fails_on_its_own_fails_alone_and_the_writes_committed_with_it_are_kept()
    {
        var kept = StoreContract.NewForward("kept");
        await _store.AcceptAsync(kept, [StoreContract.Link("A@g.us")], null, default);
        var requested = _flush.Hold();
        var blocker = _store.SetSettingAsync("first", "1", default);
        await requested;

        var failing = _store.UpdateForwardAsync(kept.Id, _ => throw new InvalidOperationException("a change that throws"), default);
        var accepted = StoreContract.NewForward("accepted with it");
        var accept = _store.AcceptAsync(accepted, [StoreContract.Link("A@g.us")], null, default);
        _flush.Release();
        await blocker;

        Assert.Equal("a change that throws", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);
        Assert.True((await accept).Accepted);
        Assert.NotNull(await _store.GetForwardAsync(accepted.Id, default));
        Assert.Equal("kept", (await _store.GetForwardAsync(kept.Id, default))!.Text);
    }

    [Fact]
    public async Task Two_accepts_with_one_dedupe_key_in_one_commit_record_the_first_only()
    {
        var requested = _flush.Hold();
        var blocker = _store.SetSettingAsync("first", "1", default);
        await requested;

        var first = StoreContract.NewForward("first");
        var one = _store.AcceptAsync(first, [StoreContract.Link("A@g.us")], "slack-command:trigger-1", default);
        var two = _store.AcceptAsync(StoreContract.NewForward("retry"), [StoreContract.Link("A@g.us")], "slack-command:trigger-1", default);
        _flush.Release();
        await blocker;

        var (recorded, repeated) = (await one, await two);
        Assert.Equal((true, first.Id), (recorded.Accepted, recorded.ForwardId));
        Assert.Equal((false, first.Id), (repeated.Accepted, repeated.ForwardId));
        // The repeat sees the first's job, written earlier in the same commit.
        Assert.Equal(recorded.Jobs.Select(j => j.Id), repeated.Jobs.Select(j => j.Id));
        Assert.Single(await _store.GetUnfinishedJobsAsync(default));
    }

    [Fact]
    public async Task A_flush_that_fails_fails_its_writes_as_unavailable_and_the_store_is_ready_once_flushes_succeed()
    {
        var flush = new FailingFlush { Failing = true };
        var availability = new StoreAvailability();
        using var store = new LiteDbStore(Path.Combine(_directory, "failing", "bridge.db"), flush, availability, NullLogger<LiteDbStore>.Instance);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.AcceptAsync(StoreContract.NewForward("lost"), [StoreContract.Link("A@g.us")], null, default));
        Assert.Equal("its store failed", error.Reason);
        Assert.Equal("its store failed", availability.LostReason);
        Assert.Equal(StoreState.Unavailable, await store.CheckAsync(default));

        flush.Failing = false;

        Assert.Equal(StoreState.Ready, await store.CheckAsync(default));
        Assert.True((await store.AcceptAsync(StoreContract.NewForward("recorded"), [StoreContract.Link("A@g.us")], null, default)).Accepted);
    }

    private sealed class FailingFlush : IDiskFlush
    {
        public volatile bool Failing;

        public void Flush(Microsoft.Win32.SafeHandles.SafeFileHandle file)
        {
            if (Failing)
            {
                throw new IOException("Input/output error");
            }
        }
    }

    public void Dispose()
    {
        _flush.Release();
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
