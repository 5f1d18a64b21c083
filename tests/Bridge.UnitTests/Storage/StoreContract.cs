using Bridge.Forwarding;

namespace Bridge.UnitTests.Storage;

/// <summary>
/// Every behaviour Bridge relies on from a store, stated once. Each store runs it through a small derived class that
/// hands over a fresh, empty store per test.
/// </summary>
public abstract partial class StoreContract
{
    private static readonly DateTimeOffset At = new(2026, 1, 5, 9, 30, 0, TimeSpan.Zero);
    private static readonly ChannelRef Channel = new(Platform.Slack, "T1", "C1");
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private protected abstract ILinkStore Links { get; }
    private protected abstract IForwardStore Forwards { get; }
    private protected abstract IMediaStore Media { get; }
    private protected abstract ISettingStore Settings { get; }
    private protected abstract IAdminSessionStore Sessions { get; }
    private protected abstract IApprovalStore Approvals { get; }

    // Accept and dedupe

    [StoreFact]
    public async Task Accept_records_the_forward_and_one_pending_job_per_group_in_the_groups_order()
    {
        var forward = NewForward("Hello");

        var result = await Forwards.AcceptAsync(forward, [Link("A@g.us"), Link("B@g.us", session: "s2")], "key-1", default);

        Assert.Equal((true, forward.Id), (result.Accepted, result.ForwardId));
        Assert.Equal("Hello", (await Forwards.GetForwardAsync(forward.Id, default))!.Text);
        var jobs = await Forwards.GetJobsAsync(forward.Id, default);
        Assert.Equal(jobs.Select(j => (j.Id, j.GroupId)), result.Jobs.Select(j => (j.Id, j.GroupId)));
        Assert.Equal(["A@g.us", "B@g.us"], jobs.Select(j => j.GroupId));
        Assert.True(jobs[0].Id < jobs[1].Id);
        Assert.All(jobs, j => Assert.Equal((DeliveryStatus.Pending, forward.Id, At, At, "U1"), (j.Status, j.ForwardId, j.NextAttemptAt, j.CreatedAt, j.UserId)));
        Assert.Equal(("s1", "Group A@g.us"), (jobs[0].SessionId, jobs[0].GroupName));
        Assert.Equal("s2", jobs[1].SessionId);
    }

    [StoreFact]
    public async Task Accept_with_a_key_seen_before_records_nothing_and_names_the_earlier_forward()
    {
        var first = NewForward("first");
        await Forwards.AcceptAsync(first, [Link("A@g.us")], "slack-shortcut:T1:C1:1", default);
        var retry = NewForward("retry");

        var result = await Forwards.AcceptAsync(retry, [Link("A@g.us"), Link("B@g.us")], "slack-shortcut:T1:C1:1", default);

        Assert.Equal((false, first.Id), (result.Accepted, result.ForwardId));
        Assert.Equal(["A@g.us"], result.Jobs.Select(j => j.GroupId));
        Assert.Null(await Forwards.GetForwardAsync(retry.Id, default));
        Assert.Empty(await Forwards.GetJobsAsync(retry.Id, default));
        Assert.Single(await Forwards.QueryJobsAsync(new DeliveryQuery(), default));
    }

    [StoreFact]
    public async Task Accept_tells_long_dedupe_keys_apart_and_never_dedupes_without_a_key()
    {
        var key = "teams:" + new string('c', 3000) + ":";
        Assert.True((await Forwards.AcceptAsync(NewForward("1"), [Link("A@g.us")], key + "1", default)).Accepted);
        Assert.True((await Forwards.AcceptAsync(NewForward("2"), [Link("A@g.us")], key + "2", default)).Accepted);
        Assert.False((await Forwards.AcceptAsync(NewForward("3"), [Link("A@g.us")], key + "1", default)).Accepted);
        Assert.True((await Forwards.AcceptAsync(NewForward("4"), [Link("A@g.us")], null, default)).Accepted);
        Assert.True((await Forwards.AcceptAsync(NewForward("5"), [Link("A@g.us")], null, default)).Accepted);

        Assert.Equal(4, (await Forwards.QueryJobsAsync(new DeliveryQuery(), default)).Count);
    }

    [StoreFact]
    public async Task Accept_for_no_group_records_the_forward_alone()
    {
        var forward = NewForward("alone");

        var result = await Forwards.AcceptAsync(forward, [], "key-alone", default);

        Assert.Equal((true, forward.Id), (result.Accepted, result.ForwardId));
        Assert.Empty(result.Jobs);
        Assert.Equal("alone", (await Forwards.GetForwardAsync(forward.Id, default))!.Text);
        Assert.False((await Forwards.AcceptAsync(NewForward("again"), [], "key-alone", default)).Accepted);
    }

    [StoreFact]
    public async Task A_forward_is_stored_as_written_empty_and_spaced_texts_included()
    {
        var forward = NewForward("");
        forward.Notes.Add("  two spaces  ");
        forward.Attachments.Add(new Attachment { Name = "a.png", MimeType = "image/png", Kind = MediaKind.Image, Size = 3, SourceUrl = "https://files.slack.com/a.png" });
        forward.Reply = new ReplyTarget { ConversationId = "C1", ThreadId = "1767225700.000100", ResponseUrl = "https://hooks.slack.com/x" };

        await Forwards.AcceptAsync(forward, [Link("A@g.us")], null, default);

        var stored = (await Forwards.GetForwardAsync(forward.Id, default))!;
        Assert.Equal("", stored.Text);
        Assert.Equal("  two spaces  ", Assert.Single(stored.Notes));
        Assert.Equal(("a.png", "image/png", MediaKind.Image, 3L), (stored.Attachments[0].Name, stored.Attachments[0].MimeType, stored.Attachments[0].Kind, stored.Attachments[0].Size!.Value));
        Assert.Equal(("C1", "1767225700.000100", "https://hooks.slack.com/x"), (stored.Reply.ConversationId, stored.Reply.ThreadId, stored.Reply.ResponseUrl));
        Assert.Equal((At, Platform.Slack, "T1", "C1"), (stored.CreatedAt, stored.Platform, stored.WorkspaceId, stored.ChannelId));
    }

    // Order

    [StoreFact]
    public async Task Job_ids_increase_in_acceptance_order_so_each_group_runs_its_jobs_in_that_order()
    {
        var first = NewForward("first");
        var second = NewForward("second");
        var third = NewForward("third");
        await Forwards.AcceptAsync(first, [Link("A@g.us"), Link("B@g.us")], null, default);
        await Forwards.AcceptAsync(second, [Link("B@g.us")], null, default);
        await Forwards.AcceptAsync(third, [Link("A@g.us"), Link("B@g.us")], null, default);

        var unfinished = await Forwards.GetUnfinishedJobsAsync(default);

        Assert.Equal(5, unfinished.Count);
        Assert.Equal(unfinished.Select(j => j.Id).Order(), unfinished.Select(j => j.Id));
        Assert.Equal([first.Id, second.Id, third.Id], unfinished.Where(j => j.GroupId == "B@g.us").Select(j => j.ForwardId));
        Assert.Equal([first.Id, third.Id], unfinished.Where(j => j.GroupId == "A@g.us").Select(j => j.ForwardId));
    }

    [StoreFact]
    public async Task Unfinished_jobs_are_the_pending_and_sending_ones()
    {
        var forward = NewForward("x");
        await Forwards.AcceptAsync(forward, [Link("A@g.us"), Link("B@g.us"), Link("C@g.us"), Link("D@g.us")], null, default);
        var jobs = await Forwards.GetJobsAsync(forward.Id, default);
        await SetStatusAsync(jobs[1], DeliveryStatus.Sending);
        await SetStatusAsync(jobs[2], DeliveryStatus.Delivered);
        await SetStatusAsync(jobs[3], DeliveryStatus.Failed);

        var unfinished = await Forwards.GetUnfinishedJobsAsync(default);

        Assert.Equal([jobs[0].Id, jobs[1].Id], unfinished.Select(j => j.Id));
    }

    // Updates and copies

    [StoreFact]
    public async Task A_job_update_is_stored_whole()
    {
        var forward = NewForward("x");
        await Forwards.AcceptAsync(forward, [Link("A@g.us")], null, default);
        var job = Assert.Single(await Forwards.GetJobsAsync(forward.Id, default));
        job.Status = DeliveryStatus.Delivered;
        job.MessageIds.Add("wamid.1");
        job.SkippedParts.Add(1);
        job.Attempts.Add(new DeliveryAttempt(At, 0, "NotTaken", 503, "Maintenance") { NextAttemptAt = At.AddSeconds(4) });
        job.Attempts.Add(new DeliveryAttempt(At, 0, "sent", 201, null));
        job.Error = "none";
        job.UpdatedAt = At.AddMinutes(1);

        await Forwards.UpdateJobAsync(job, default);

        var stored = (await Forwards.GetJobAsync(job.Id, default))!;
        Assert.Equal((DeliveryStatus.Delivered, "wamid.1", 1, "none", At.AddMinutes(1)),
            (stored.Status, Assert.Single(stored.MessageIds), Assert.Single(stored.SkippedParts), stored.Error, stored.UpdatedAt));
        Assert.Equal([new DeliveryAttempt(At, 0, "NotTaken", 503, "Maintenance") { NextAttemptAt = At.AddSeconds(4) }, new DeliveryAttempt(At, 0, "sent", 201, null)], stored.Attempts);
    }

    [StoreFact]
    public async Task Entities_go_in_and_come_out_as_copies()
    {
        var forward = NewForward("as accepted");
        await Forwards.AcceptAsync(forward, [Link("A@g.us")], null, default);
        forward.Text = "changed by the caller after accepting";

        var read = (await Forwards.GetForwardAsync(forward.Id, default))!;
        read.Text = "changed without an update";
        read.Notes.Add("note without an update");
        var job = Assert.Single(await Forwards.GetJobsAsync(forward.Id, default));
        job.Status = DeliveryStatus.Delivered;
        job.MessageIds.Add("wamid.not-stored");

        var stored = (await Forwards.GetForwardAsync(forward.Id, default))!;
        Assert.Equal("as accepted", stored.Text);
        Assert.Empty(stored.Notes);
        var storedJob = (await Forwards.GetJobAsync(job.Id, default))!;
        Assert.Equal(DeliveryStatus.Pending, storedJob.Status);
        Assert.Empty(storedJob.MessageIds);
    }

    [StoreFact]
    public async Task UpdateForward_applies_the_change_and_returns_the_result_or_null_for_an_unknown_forward()
    {
        var forward = NewForward("x");
        await Forwards.AcceptAsync(forward, [Link("A@g.us")], null, default);

        var updated = await Forwards.UpdateForwardAsync(forward.Id, f =>
        {
            f.Reply.ThreadId = "1767225700.000100";
            f.PostInFlight = true;
        }, default);

        Assert.Equal(("1767225700.000100", true), (updated!.Reply.ThreadId, updated.PostInFlight));
        var stored = (await Forwards.GetForwardAsync(forward.Id, default))!;
        Assert.Equal(("1767225700.000100", true), (stored.Reply.ThreadId, stored.PostInFlight));
        Assert.Null(await Forwards.UpdateForwardAsync("no-such-forward", f => f.PostInFlight = true, default));
    }

    [StoreFact]
    public async Task Concurrent_forward_updates_never_lose_each_others_changes()
    {
        var forward = NewForward("x");
        await Forwards.AcceptAsync(forward, [Link("A@g.us")], null, default);
        const int writers = 40;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(i => Task.Run(() => Forwards.UpdateForwardAsync(forward.Id, f =>
        {
            f.ResponseUrlUses++;
            f.Notes.Add($"writer {i}");
        }, default))));

        var stored = (await Forwards.GetForwardAsync(forward.Id, default))!;
        Assert.Equal(writers, stored.ResponseUrlUses);
        Assert.Equal(writers, stored.Notes.Distinct().Count());
    }

    [StoreFact]
    public async Task Concurrent_accepts_get_distinct_increasing_job_ids()
    {
        var forwards = Enumerable.Range(0, 20).Select(i => NewForward($"{i}")).ToList();

        await Task.WhenAll(forwards.Select(f => Task.Run(() => Forwards.AcceptAsync(f, [Link("A@g.us")], null, default))));

        var jobs = await Forwards.GetUnfinishedJobsAsync(default);
        Assert.Equal(20, jobs.Select(j => j.Id).Distinct().Count());
        Assert.Equal(forwards.Select(f => f.Id).Order(), jobs.Select(j => j.ForwardId).Order());
    }

    // Replies

    [StoreFact]
    public async Task Forwards_to_reply_are_those_with_a_reply_step_due_earliest_due_first_up_to_the_limit()
    {
        var ready = await AcceptAsync("ready", At.AddMinutes(2), f => f.OutcomeReady = true);
        var toAnnounce = await AcceptAsync("announce", At.AddMinutes(1), f => f.Announce = true);
        await AcceptAsync("announced, outcome not ready", At, f =>
        {
            f.Announce = true;
            f.Reply.ThreadId = "1767225700.000100";
        });
        await AcceptAsync("not ready", At);
        var later = await AcceptAsync("retry later", At, f =>
        {
            f.OutcomeReady = true;
            f.NextReplyAt = At.AddMinutes(10);
        });
        await AcceptAsync("replied", At, f =>
        {
            f.OutcomeReady = true;
            f.ReplyState = ReplyState.Replied;
        });
        await AcceptAsync("failed", At, f =>
        {
            f.OutcomeReady = true;
            f.ReplyState = ReplyState.Failed;
        });

        var due = await Forwards.ClaimForwardsToReplyAsync("replica-1", At.AddMinutes(5), At.AddMinutes(5).AddMinutes(2), 10, default);
        var dueLater = await Forwards.ClaimForwardsToReplyAsync("replica-1", At.AddMinutes(10), At.AddMinutes(10).AddMinutes(2), 10, default);
        var firstTwo = await Forwards.ClaimForwardsToReplyAsync("replica-1", At.AddMinutes(10), At.AddMinutes(10).AddMinutes(2), 2, default);
        // Once its record is posted, a forward waits for its outcome: nothing of it is due any more.
        await Forwards.UpdateForwardAsync(toAnnounce, f => f.Reply.ThreadId = "1767225800.000200", default);
        var afterPost = await Forwards.ClaimForwardsToReplyAsync("replica-1", At.AddMinutes(10), At.AddMinutes(10).AddMinutes(2), 10, default);

        Assert.Equal([toAnnounce, ready], due.Select(f => f.Id));
        Assert.Equal([toAnnounce, ready, later], dueLater.Select(f => f.Id));
        Assert.Equal([toAnnounce, ready], firstTwo.Select(f => f.Id));
        Assert.Equal([ready, later], afterPost.Select(f => f.Id));
    }

    [StoreFact]
    public async Task At_start_forwards_whose_jobs_all_ended_are_marked_ready_to_reply()
    {
        var ended = await AcceptAsync("ended", At, groups: ["A@g.us", "B@g.us"]);
        var running = await AcceptAsync("running", At, groups: ["A@g.us", "B@g.us"]);
        var replied = await AcceptAsync("replied", At, f => f.ReplyState = ReplyState.Replied);
        // Its visible record is still to be posted, so a reply step is already due: it waits all the same.
        var announced = await AcceptAsync("announced", At.AddSeconds(-1), f => f.Announce = true);
        foreach (var job in await Forwards.GetJobsAsync(ended, default))
        {
            await SetStatusAsync(job, job.GroupId == "A@g.us" ? DeliveryStatus.Delivered : DeliveryStatus.Unknown);
        }

        await SetStatusAsync((await Forwards.GetJobsAsync(running, default))[0], DeliveryStatus.Failed);
        await SetStatusAsync(Assert.Single(await Forwards.GetJobsAsync(replied, default)), DeliveryStatus.Delivered);
        await SetStatusAsync(Assert.Single(await Forwards.GetJobsAsync(announced, default)), DeliveryStatus.Delivered);

        Assert.Equal(2, await Forwards.MarkFinishedForwardsReadyAsync(default));

        Assert.True((await Forwards.GetForwardAsync(ended, default))!.OutcomeReady);
        Assert.True((await Forwards.GetForwardAsync(announced, default))!.OutcomeReady);
        Assert.False((await Forwards.GetForwardAsync(running, default))!.OutcomeReady);
        Assert.False((await Forwards.GetForwardAsync(replied, default))!.OutcomeReady);
        Assert.Equal([announced, ended], (await Forwards.ClaimForwardsToReplyAsync("replica-1", At, At.AddMinutes(2), 10, default)).Select(f => f.Id));
        Assert.Equal(0, await Forwards.MarkFinishedForwardsReadyAsync(default));
    }

    [StoreFact]
    public async Task At_start_interrupted_sends_become_unknown_with_an_attempt_for_their_part()
    {
        var forward = await AcceptAsync("x", At, groups: ["A@g.us", "B@g.us"]);
        var jobs = await Forwards.GetJobsAsync(forward, default);
        jobs[0].Status = DeliveryStatus.Sending;
        jobs[0].MessageIds.Add("wamid.part0");
        await Forwards.UpdateJobAsync(jobs[0], default);
        var now = At.AddHours(1);

        Assert.Equal(1, await Forwards.MarkInterruptedSendsUnknownAsync("Bridge stopped.", now, default));

        var interrupted = (await Forwards.GetJobAsync(jobs[0].Id, default))!;
        Assert.Equal((DeliveryStatus.Unknown, "Bridge stopped.", now), (interrupted.Status, interrupted.Error, interrupted.UpdatedAt));
        var attempt = Assert.Single(interrupted.Attempts);
        Assert.Equal((now, 1, "interrupted"), (attempt.At, attempt.Part, attempt.Outcome));
        Assert.Equal(DeliveryStatus.Pending, (await Forwards.GetJobAsync(jobs[1].Id, default))!.Status);
        Assert.Equal(0, await Forwards.MarkInterruptedSendsUnknownAsync("Bridge stopped.", now, default));
    }

    // History

    [StoreFact]
    public async Task QueryJobs_filters_and_pages_newest_first()
    {
        await AcceptAsync("s1", At, groups: ["A@g.us", "B@g.us"]);
        var teams = NewForward("t1");
        teams.Platform = Platform.Teams;
        teams.ChannelId = "19:abc@thread.tacv2";
        teams.CreatedAt = At.AddHours(1);
        await Forwards.AcceptAsync(teams, [Link("A@g.us")], null, default);
        var late = await AcceptAsync("s2", At.AddHours(2), groups: ["B@g.us"]);
        await SetStatusAsync(Assert.Single(await Forwards.GetJobsAsync(late, default)), DeliveryStatus.Failed);
        var all = await Forwards.QueryJobsAsync(new DeliveryQuery(), default);

        Assert.Equal(4, all.Count);
        Assert.Equal(all.Select(j => j.Id).OrderDescending(), all.Select(j => j.Id));
        Assert.Equal(teams.Id, Assert.Single(await Forwards.QueryJobsAsync(new DeliveryQuery(Platform: Platform.Teams), default)).ForwardId);
        Assert.Equal(teams.Id, Assert.Single(await Forwards.QueryJobsAsync(new DeliveryQuery(ChannelId: "19:abc@thread.tacv2"), default)).ForwardId);
        Assert.Equal(2, (await Forwards.QueryJobsAsync(new DeliveryQuery(GroupId: "A@g.us"), default)).Count);
        Assert.Equal(late, Assert.Single(await Forwards.QueryJobsAsync(new DeliveryQuery(Status: DeliveryStatus.Failed), default)).ForwardId);
        Assert.Equal([late, teams.Id], (await Forwards.QueryJobsAsync(new DeliveryQuery(Since: At.AddHours(1)), default)).Select(j => j.ForwardId));
        Assert.Equal(2, (await Forwards.QueryJobsAsync(new DeliveryQuery(Until: At.AddMinutes(59)), default)).Count);
        Assert.Equal(all.Skip(1).Take(2).Select(j => j.Id), (await Forwards.QueryJobsAsync(new DeliveryQuery(Skip: 1, Take: 2), default)).Select(j => j.Id));
        Assert.Empty(await Forwards.QueryJobsAsync(new DeliveryQuery(Platform: Platform.Teams, Status: DeliveryStatus.Failed), default));
        Assert.Equal(all.Skip(2).Select(j => j.Id), (await Forwards.QueryJobsAsync(new DeliveryQuery(Before: all[1].Id), default)).Select(j => j.Id));
    }

    [StoreFact]
    public async Task QueryJobs_searches_by_sender_and_text_in_any_case_with_wildcards_taken_as_typed()
    {
        var truck = await AcceptAsync("Truck 12 is IN the yard", At, f => (f.UserId, f.UserName) = ("U0MARIA", "María López"));
        var percent = await AcceptAsync("Load at 100% by 9_30", At.AddMinutes(1), f => (f.UserId, f.UserName) = ("U0JOHN", "John Smith"));
        var slash = await AcceptAsync(@"Path C:\loads\today", At.AddMinutes(2), f => (f.UserId, f.UserName) = ("U0JOHN", "John Smith"), groups: ["A@g.us", "B@g.us"]);

        async Task<IEnumerable<string>> FindAsync(DeliveryQuery query) => (await Forwards.QueryJobsAsync(query, default)).Select(j => j.ForwardId).Distinct();

        Assert.Equal([truck], await FindAsync(new DeliveryQuery(Text: "truck 12 is in")));
        Assert.Equal([percent], await FindAsync(new DeliveryQuery(Text: "100%")));
        Assert.Empty(await FindAsync(new DeliveryQuery(Text: "1%0")));
        Assert.Equal([percent], await FindAsync(new DeliveryQuery(Text: "9_30")));
        Assert.Empty(await FindAsync(new DeliveryQuery(Text: "9_3_")));
        Assert.Equal([slash], await FindAsync(new DeliveryQuery(Text: @"c:\LOADS")));
        Assert.Equal([slash, percent], await FindAsync(new DeliveryQuery(Sender: "john")));
        Assert.Equal([slash, percent], await FindAsync(new DeliveryQuery(Sender: "u0john")));
        Assert.Empty(await FindAsync(new DeliveryQuery(Sender: "U0JO")));
        Assert.Equal([truck], await FindAsync(new DeliveryQuery(Sender: "lópez")));
        Assert.Equal([slash], await FindAsync(new DeliveryQuery(Sender: "John", Text: "path", GroupId: "B@g.us")));
        Assert.Single(await Forwards.QueryJobsAsync(new DeliveryQuery(Sender: "John", Skip: 2, Take: 5), default));
        Assert.Empty(await FindAsync(new DeliveryQuery(Sender: "John", Since: At.AddMinutes(3))));
    }

    [StoreFact]
    public async Task Finished_jobs_are_counted_by_the_hour_they_were_created_and_their_status_since_a_time()
    {
        async Task EndAsync(string forwardId, params DeliveryStatus[] statuses)
        {
            var jobs = await Forwards.GetJobsAsync(forwardId, default);
            for (var i = 0; i < statuses.Length; i++)
            {
                await SetStatusAsync(jobs[i], statuses[i]);
            }
        }

        await EndAsync(await AcceptAsync("too old", At.AddHours(-1)), DeliveryStatus.Failed);
        await EndAsync(await AcceptAsync("a", At, groups: ["A@g.us", "B@g.us", "C@g.us"]), DeliveryStatus.Delivered, DeliveryStatus.Failed, DeliveryStatus.Unknown);
        await EndAsync(await AcceptAsync("b", At.AddMinutes(29), groups: ["A@g.us", "B@g.us"]), DeliveryStatus.Delivered, DeliveryStatus.Delivered);
        await EndAsync(await AcceptAsync("c", At.AddHours(2).AddMinutes(5), groups: ["A@g.us", "B@g.us"]), DeliveryStatus.Delivered);

        var counts = await Forwards.CountFinishedByHourAsync(At.AddMinutes(-30), default);

        var hour = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal(
            [
                new HourlyCount(hour, DeliveryStatus.Delivered, 3), new HourlyCount(hour, DeliveryStatus.Failed, 1),
                new HourlyCount(hour, DeliveryStatus.Unknown, 1), new HourlyCount(hour.AddHours(2), DeliveryStatus.Delivered, 1),
            ],
            counts);
    }

    [StoreFact]
    public async Task Unknown_ids_read_as_nothing()
    {
        Assert.Null(await Forwards.GetForwardAsync("no-such-forward", default));
        Assert.Null(await Forwards.GetJobAsync(42, default));
        Assert.Empty(await Forwards.GetJobsAsync("no-such-forward", default));
        Assert.Null(await Media.GetMediaAsync("no-such-file", default));
        Assert.Null(await Media.OpenMediaAsync("no-such-file", default));
    }

    // Claims

    [StoreFact]
    public async Task A_claim_holds_once_per_key()
    {
        var key = "slack-event:T1:" + new string('e', 3000);

        Assert.True(await Forwards.TryClaimAsync(key + "1", At, default));
        Assert.False(await Forwards.TryClaimAsync(key + "1", At.AddMinutes(1), default));
        Assert.True(await Forwards.TryClaimAsync(key + "2", At, default));
    }

    // Retention

    [StoreFact]
    public async Task Retention_purges_old_forwards_whose_reply_is_done_with_their_jobs_and_nothing_unfinished()
    {
        var old = At.AddDays(-91);
        var replied = await AcceptAsync("replied", old, f => f.ReplyState = ReplyState.Replied, ["A@g.us", "B@g.us"]);
        var replyFailed = await AcceptAsync("reply failed", old, f => f.ReplyState = ReplyState.Failed);
        var awaitingReply = await AcceptAsync("awaiting its reply", old, f => f.OutcomeReady = true);
        var pending = await AcceptAsync("one group still pending", old, f => f.ReplyState = ReplyState.Replied, ["A@g.us", "B@g.us"]);
        var sending = await AcceptAsync("sending", old, f => f.ReplyState = ReplyState.Replied);
        var recent = await AcceptAsync("recent", At.AddDays(-89), f => f.ReplyState = ReplyState.Replied);
        foreach (var forwardId in new[] { replied, replyFailed, awaitingReply, recent })
        {
            foreach (var job in await Forwards.GetJobsAsync(forwardId, default))
            {
                await SetStatusAsync(job, job.GroupId == "B@g.us" ? DeliveryStatus.Failed : DeliveryStatus.Delivered);
            }
        }

        await SetStatusAsync((await Forwards.GetJobsAsync(pending, default))[0], DeliveryStatus.Delivered);
        await SetStatusAsync(Assert.Single(await Forwards.GetJobsAsync(sending, default)), DeliveryStatus.Sending);

        Assert.Equal(2, await Forwards.PurgeFinishedForwardsAsync(At.AddDays(-90), default));

        foreach (var purged in new[] { replied, replyFailed })
        {
            Assert.Null(await Forwards.GetForwardAsync(purged, default));
            Assert.Empty(await Forwards.GetJobsAsync(purged, default));
        }

        var kept = new[] { awaitingReply, pending, sending, recent };
        foreach (var forwardId in kept)
        {
            Assert.NotNull(await Forwards.GetForwardAsync(forwardId, default));
        }

        Assert.Equal(
            kept.Order(),
            (await Forwards.QueryJobsAsync(new DeliveryQuery(), default)).Select(j => j.ForwardId).Distinct().Order());
        Assert.Equal(2, (await Forwards.GetJobsAsync(pending, default)).Count);
        Assert.Equal(2, (await Forwards.GetUnfinishedJobsAsync(default)).Count);
        Assert.Equal(0, await Forwards.PurgeFinishedForwardsAsync(At.AddDays(-90), default));
    }

    [StoreFact]
    public async Task Retention_goes_through_more_history_than_one_slice()
    {
        // 520 jobs: more than one slice of the LiteDB store (500).
        const int forwards = 260;
        for (var i = 0; i < forwards; i++)
        {
            var forwardId = await AcceptAsync($"{i}", At.AddDays(-100).AddMinutes(i), f => f.ReplyState = ReplyState.Replied, ["A@g.us", "B@g.us"]);
            foreach (var job in await Forwards.GetJobsAsync(forwardId, default))
            {
                await SetStatusAsync(job, DeliveryStatus.Delivered);
            }
        }

        var recent = await AcceptAsync("recent", At, f => f.ReplyState = ReplyState.Replied);

        Assert.Equal(forwards, await Forwards.PurgeFinishedForwardsAsync(At.AddDays(-1), default));

        Assert.Equal(recent, Assert.Single(await Forwards.QueryJobsAsync(new DeliveryQuery(), default)).ForwardId);
    }

    [StoreFact]
    public async Task Retention_purges_the_dedupe_keys_recorded_before_the_cut_off_and_keeps_the_fresh_ones()
    {
        Assert.True(await Forwards.TryClaimAsync("slack-event:old", At.AddDays(-4), default));
        Assert.True(await Forwards.TryClaimAsync("slack-event:fresh", At.AddDays(-1), default));
        var oldForward = NewForward("old");
        oldForward.CreatedAt = At.AddDays(-4);
        await Forwards.AcceptAsync(oldForward, [Link("A@g.us")], "teams:old", default);
        var freshForward = NewForward("fresh");
        freshForward.CreatedAt = At.AddMinutes(-5);
        await Forwards.AcceptAsync(freshForward, [Link("A@g.us")], "teams:fresh", default);

        Assert.Equal(2, await Forwards.PurgeDedupeKeysAsync(At.AddDays(-3), default));

        Assert.True(await Forwards.TryClaimAsync("slack-event:old", At, default));
        Assert.False(await Forwards.TryClaimAsync("slack-event:fresh", At, default));
        Assert.True((await Forwards.AcceptAsync(NewForward("retried long after"), [Link("A@g.us")], "teams:old", default)).Accepted);
        var retried = await Forwards.AcceptAsync(NewForward("retry"), [Link("A@g.us")], "teams:fresh", default);
        Assert.Equal((false, freshForward.Id), (retried.Accepted, retried.ForwardId));
        Assert.NotNull(await Forwards.GetForwardAsync(oldForward.Id, default));
    }

    // Links

    [StoreFact]
    public async Task Links_are_added_once_per_channel_group_and_session_and_removed_by_id()
    {
        var first = Link("A@g.us", createdAt: At);
        Assert.True(await Links.AddLinkAsync(first, default));
        Assert.False(await Links.AddLinkAsync(Link("A@g.us", createdAt: At.AddMinutes(1)), default));
        var otherSession = Link("A@g.us", session: "s2", createdAt: At.AddMinutes(2));
        Assert.True(await Links.AddLinkAsync(otherSession, default));

        Assert.Equal([first.Id, otherSession.Id], (await Links.GetLinksAsync(Channel, default)).Select(l => l.Id));
        Assert.True(await Links.RemoveLinkAsync(first.Id, default));
        Assert.False(await Links.RemoveLinkAsync(first.Id, default));
        Assert.Equal([otherSession.Id], (await Links.GetLinksAsync(Channel, default)).Select(l => l.Id));
    }

    [StoreFact]
    public async Task A_link_is_updated_in_place_paused_and_moved_to_another_group_but_never_onto_a_duplicate()
    {
        var first = Link("A@g.us", createdAt: At);
        var second = Link("B@g.us", createdAt: At.AddMinutes(1));
        var elsewhere = Link("C@g.us", channel: Channel with { ChannelId = "C2" });
        await Links.AddLinkAsync(first, default);
        await Links.AddLinkAsync(second, default);
        await Links.AddLinkAsync(elsewhere, default);
        Assert.False((await Links.GetLinksAsync(Channel, default))[0].Paused);

        var paused = first.Copy();
        paused.Paused = true;
        Assert.Equal(LinkUpdate.Updated, await Links.UpdateLinkAsync(paused, default));
        Assert.Equal([true, false], (await Links.GetLinksAsync(Channel, default)).Select(l => l.Paused));

        var moved = first.Copy();
        (moved.GroupId, moved.GroupName, moved.SessionId, moved.Paused) = ("C@g.us", "Group C", "s2", false);
        // The channel and creation are the link's own: an update cannot move it to another channel.
        (moved.ChannelId, moved.CreatedBy) = ("C9", "someone else");
        Assert.Equal(LinkUpdate.Updated, await Links.UpdateLinkAsync(moved, default));
        var links = await Links.GetLinksAsync(Channel, default);
        Assert.Equal([(first.Id, "C@g.us", "Group C", "s2", false, "C1", "U1", At), (second.Id, "B@g.us", "Group B@g.us", "s1", false, "C1", "U1", At.AddMinutes(1))],
            links.Select(l => (l.Id, l.GroupId, l.GroupName, l.SessionId, l.Paused, l.ChannelId, l.CreatedBy, l.CreatedAt)));

        var duplicate = second.Copy();
        (duplicate.GroupId, duplicate.SessionId, duplicate.Paused) = ("C@g.us", "s2", true);
        Assert.Equal(LinkUpdate.Duplicate, await Links.UpdateLinkAsync(duplicate, default));
        Assert.Equal(LinkUpdate.NotFound, await Links.UpdateLinkAsync(Link("D@g.us"), default));
        Assert.Equal([("C@g.us", false), ("B@g.us", false)], (await Links.GetLinksAsync(Channel, default)).Select(l => (l.GroupId, l.Paused)));
        Assert.Equal("C@g.us", Assert.Single(await Links.GetLinksAsync(Channel with { ChannelId = "C2" }, default)).GroupId);
    }

    [StoreFact]
    public async Task A_channel_name_is_kept_with_a_link_and_a_forward_and_is_null_where_unknown()
    {
        var named = Link("A@g.us");
        named.ChannelName = "Operations › Dispatch";
        var unnamed = Link("B@g.us", createdAt: At.AddMinutes(1));
        await Links.AddLinkAsync(named, default);
        await Links.AddLinkAsync(unnamed, default);
        var forward = NewForward("named");
        forward.ChannelName = "Operations › Dispatch";
        var plain = NewForward("plain");
        await Forwards.AcceptAsync(forward, [named], null, default);
        await Forwards.AcceptAsync(plain, [named], null, default);

        Assert.Equal(["Operations › Dispatch", null], (await Links.GetLinksAsync(Channel, default)).Select(l => l.ChannelName));
        Assert.Equal("Operations › Dispatch", (await Forwards.GetForwardAsync(forward.Id, default))!.ChannelName);
        Assert.Null((await Forwards.GetForwardAsync(plain.Id, default))!.ChannelName);

        // An update changes the group and pause, never the name the platform gave.
        var paused = named.Copy();
        (paused.Paused, paused.ChannelName) = (true, "changed by a caller");
        await Links.UpdateLinkAsync(paused, default);
        Assert.Equal("Operations › Dispatch", (await Links.GetLinksAsync(Channel, default))[0].ChannelName);
    }

    [StoreFact]
    public async Task A_channel_has_only_its_own_links_oldest_first()
    {
        var later = Link("B@g.us", createdAt: At.AddMinutes(5));
        var earlier = Link("A@g.us", createdAt: At);
        await Links.AddLinkAsync(later, default);
        await Links.AddLinkAsync(earlier, default);
        await Links.AddLinkAsync(Link("A@g.us", channel: Channel with { WorkspaceId = "T2" }), default);
        await Links.AddLinkAsync(Link("A@g.us", channel: Channel with { Platform = Platform.Teams }), default);
        await Links.AddLinkAsync(Link("A@g.us", channel: Channel with { ChannelId = "C2" }), default);

        var links = await Links.GetLinksAsync(Channel, default);

        Assert.Equal([earlier.Id, later.Id], links.Select(l => l.Id));
        Assert.Equal(("s1", "Group B@g.us", "U1", At.AddMinutes(5)), (links[1].SessionId, links[1].GroupName, links[1].CreatedBy, links[1].CreatedAt));

        // What a caller does to its copy changes nothing stored; a link added after a read is in the next read.
        links[0].GroupName = "changed by a caller";
        var added = Link("C@g.us", createdAt: At.AddMinutes(9));
        await Links.AddLinkAsync(added, default);
        var again = await Links.GetLinksAsync(Channel, default);
        Assert.Equal([earlier.Id, later.Id, added.Id], again.Select(l => l.Id));
        Assert.Equal("Group A@g.us", again[0].GroupName);
    }

    [StoreFact]
    public async Task ListLinks_filters_by_platform_channel_and_group()
    {
        var slackA = Link("A@g.us");
        var slackB = Link("B@g.us", channel: Channel with { ChannelId = "C2" });
        var teamsA = Link("A@g.us", channel: new ChannelRef(Platform.Teams, "tenant", "19:abc@thread.tacv2"));
        foreach (var link in new[] { teamsA, slackB, slackA })
        {
            await Links.AddLinkAsync(link, default);
        }

        Assert.Equal([slackA.Id, slackB.Id, teamsA.Id], (await Links.ListLinksAsync(null, null, null, default)).Select(l => l.Id));
        Assert.Equal([teamsA.Id], (await Links.ListLinksAsync(Platform.Teams, null, null, default)).Select(l => l.Id));
        Assert.Equal([slackB.Id], (await Links.ListLinksAsync(null, "C2", null, default)).Select(l => l.Id));
        Assert.Equal([slackA.Id, teamsA.Id], (await Links.ListLinksAsync(null, null, "A@g.us", default)).Select(l => l.Id));
        Assert.Empty(await Links.ListLinksAsync(Platform.Teams, "C2", null, default));
    }

    // Media

    [StoreFact]
    public async Task A_file_streams_in_from_a_source_that_cannot_seek_and_reads_back_whole()
    {
        var content = Enumerable.Range(0, 700_000).Select(i => (byte)(i * 7)).ToArray();
        var media = new StoredMedia("m1", "photo.png", "image/png", At.AddDays(1));

        var saved = await Media.SaveMediaAsync(media, new ChunkedSource(content, chunk: 8192), default);

        Assert.Equal(media with { Length = content.Length }, saved);
        Assert.Equal(saved, await Media.GetMediaAsync("m1", default));
        await using var read = (await Media.OpenMediaAsync("m1", default))!;
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(content, copy.ToArray());
    }

    [StoreFact]
    public async Task A_source_that_fails_midway_leaves_nothing_behind()
    {
        var content = new byte[600_000];
        var media = new StoredMedia("m1", "video.mp4", "video/mp4", At.AddDays(1));

        await Assert.ThrowsAsync<IOException>(() =>
            Media.SaveMediaAsync(media, new ChunkedSource(content, chunk: 8192, failAfter: 400_000), default));

        Assert.Null(await Media.GetMediaAsync("m1", default));
        Assert.Null(await Media.OpenMediaAsync("m1", default));
        Assert.Equal(0, await Media.PurgeExpiredMediaAsync(At.AddYears(1), default));
    }

    [StoreFact]
    public async Task Purge_deletes_only_the_files_whose_lifetime_has_ended()
    {
        await Media.SaveMediaAsync(new StoredMedia("old", "old.png", "image/png", At.AddMinutes(-1)), new ChunkedSource([1, 2, 3], 2), default);
        await Media.SaveMediaAsync(new StoredMedia("now", "now.png", "image/png", At), new ChunkedSource([4], 2), default);
        await Media.SaveMediaAsync(new StoredMedia("new", "new.png", "image/png", At.AddMinutes(1)), new ChunkedSource([5, 6], 2), default);

        Assert.Equal(2, await Media.PurgeExpiredMediaAsync(At, default));

        Assert.Null(await Media.GetMediaAsync("old", default));
        Assert.Null(await Media.GetMediaAsync("now", default));
        Assert.Equal(2, (await Media.GetMediaAsync("new", default))!.Length);
        Assert.Equal(0, await Media.PurgeExpiredMediaAsync(At, default));
    }

    // Claims shared between replicas

    [StoreFact]
    public async Task Only_the_oldest_unfinished_job_of_a_group_is_claimed()
    {
        var first = (await Forwards.GetJobsAsync(await AcceptAsync("1", At, groups: ["A@g.us", "B@g.us"]), default)).ToList();
        var second = Assert.Single(await Forwards.GetJobsAsync(await AcceptAsync("2", At), default));
        var now = At.AddHours(1);

        Assert.Null(await Forwards.TryClaimJobAsync(second.Id, "replica-1", now, now + Lease, default));
        var head = await Forwards.TryClaimJobAsync(first[0].Id, "replica-1", now, now + Lease, default);
        Assert.NotNull(await Forwards.TryClaimJobAsync(first[1].Id, "replica-2", now, now + Lease, default));
        Assert.Equal((first[0].Id, "replica-1", now + Lease), (head!.Id, head.ClaimedBy, head.LeaseUntil));
        // Still its group's head while it runs, so the next job waits for it, whoever asks.
        Assert.Null(await Forwards.TryClaimJobAsync(second.Id, "replica-2", now, now + Lease, default));
        Assert.Null(await Forwards.TryClaimJobAsync(second.Id, "replica-1", now, now + Lease, default));

        await SetStatusAsync(head, DeliveryStatus.Delivered);

        Assert.Null(await Forwards.TryClaimJobAsync(head.Id, "replica-1", now, now + Lease, default));
        Assert.Equal("replica-2", (await Forwards.TryClaimJobAsync(second.Id, "replica-2", now, now + Lease, default))?.ClaimedBy);
    }

    [StoreFact]
    public async Task A_live_lease_keeps_other_replicas_off_the_job_and_its_holder_renews_it()
    {
        var job = Assert.Single(await Forwards.GetJobsAsync(await AcceptAsync("x", At), default));
        var now = At.AddHours(1);
        await Forwards.TryClaimJobAsync(job.Id, "replica-1", now, now + Lease, default);

        Assert.Null(await Forwards.TryClaimJobAsync(job.Id, "replica-2", now + Lease / 2, now + Lease * 1.5, default));
        var renewed = await Forwards.TryClaimJobAsync(job.Id, "replica-1", now + Lease / 2, now + Lease * 1.5, default);
        Assert.Null(await Forwards.TryClaimJobAsync(job.Id, "replica-2", now + Lease, now + Lease * 2, default));

        Assert.Equal(now + Lease * 1.5, renewed?.LeaseUntil);
        Assert.Equal(("replica-1", now + Lease * 1.5), ((await Forwards.GetJobAsync(job.Id, default))!.ClaimedBy, (await Forwards.GetJobAsync(job.Id, default))!.LeaseUntil));
    }

    [StoreFact]
    public async Task A_job_whose_lease_ran_out_while_pending_is_claimed_again_as_it_was()
    {
        var job = Assert.Single(await Forwards.GetJobsAsync(await AcceptAsync("x", At), default));
        var now = At.AddHours(1);
        await Forwards.TryClaimJobAsync(job.Id, "replica-1", now, now + Lease, default);

        var claimed = await Forwards.TryClaimJobAsync(job.Id, "replica-2", now + Lease, now + Lease * 2, default);

        Assert.Equal((DeliveryStatus.Pending, "replica-2", 0), (claimed!.Status, claimed.ClaimedBy, claimed.Attempts.Count));
    }

    [StoreFact]
    public async Task An_update_from_a_replica_that_lost_its_claim_is_refused_and_changes_nothing()
    {
        var job = Assert.Single(await Forwards.GetJobsAsync(await AcceptAsync("x", At), default));
        var now = At.AddHours(1);
        var lost = (await Forwards.TryClaimJobAsync(job.Id, "replica-1", now, now + Lease, default))!;
        var taken = (await Forwards.TryClaimJobAsync(job.Id, "replica-2", now + Lease, now + Lease * 2, default))!;

        lost.Status = DeliveryStatus.Delivered;
        lost.MessageIds.Add("wamid.late");
        await Assert.ThrowsAsync<JobClaimLostException>(() => Forwards.UpdateJobAsync(lost, default));
        var unclaimed = (await Forwards.GetJobAsync(job.Id, default))!;
        unclaimed.ClaimedBy = null;
        await Assert.ThrowsAsync<JobClaimLostException>(() => Forwards.UpdateJobAsync(unclaimed, default));

        var stored = (await Forwards.GetJobAsync(job.Id, default))!;
        Assert.Equal((DeliveryStatus.Pending, 0, "replica-2"), (stored.Status, stored.MessageIds.Count, stored.ClaimedBy));
        await SetStatusAsync(taken, DeliveryStatus.Delivered);
        Assert.Equal(DeliveryStatus.Delivered, (await Forwards.GetJobAsync(job.Id, default))!.Status);
    }

    [StoreFact]
    public async Task A_send_whose_lease_ran_out_is_never_handed_out_for_sending_and_start_up_reports_it()
    {
        var jobs = await Forwards.GetJobsAsync(await AcceptAsync("x", At, groups: ["A@g.us", "B@g.us"]), default);
        var now = At.AddHours(1);
        foreach (var job in jobs)
        {
            var claimed = (await Forwards.TryClaimJobAsync(job.Id, "replica-1", now, now + Lease, default))!;
            await SetStatusAsync(claimed, DeliveryStatus.Sending);
        }

        // Another replica starting while the lease is live leaves the send to its claimant.
        Assert.Equal(0, await Forwards.MarkInterruptedSendsUnknownAsync("Bridge stopped.", now + Lease / 2, default));
        // Once it ran out, a claimant gets the job still Sending: it reports it, it does not send it.
        var stranded = await Forwards.TryClaimJobAsync(jobs[0].Id, "replica-2", now + Lease, now + Lease * 2, default);
        Assert.Equal(1, await Forwards.MarkInterruptedSendsUnknownAsync("Bridge stopped.", now + Lease, default));

        Assert.Equal((DeliveryStatus.Sending, "replica-2"), (stranded!.Status, stranded.ClaimedBy));
        var reported = (await Forwards.GetJobAsync(jobs[1].Id, default))!;
        Assert.Equal((DeliveryStatus.Unknown, "Bridge stopped."), (reported.Status, reported.Error));
        Assert.Equal("interrupted", Assert.Single(reported.Attempts).Outcome);
        Assert.Null(await Forwards.TryClaimJobAsync(jobs[1].Id, "replica-1", now + Lease, now + Lease * 2, default));
        // The replica that lost it, should it still run, cannot overwrite the report.
        var late = (await Forwards.GetJobsAsync(reported.ForwardId, default))[1];
        late.ClaimedBy = "replica-1";
        late.Status = DeliveryStatus.Delivered;
        await Assert.ThrowsAsync<JobClaimLostException>(() => Forwards.UpdateJobAsync(late, default));
        Assert.Equal(DeliveryStatus.Unknown, (await Forwards.GetJobAsync(jobs[1].Id, default))!.Status);
    }

    [StoreFact]
    public async Task A_due_reply_is_claimed_by_one_replica_until_its_lease_runs_out()
    {
        var ready = await AcceptAsync("ready", At, f => f.OutcomeReady = true);
        var now = At.AddHours(1);

        var first = await Forwards.ClaimForwardsToReplyAsync("replica-1", now, now + Lease, 10, default);
        var other = await Forwards.ClaimForwardsToReplyAsync("replica-2", now + Lease / 2, now + Lease * 1.5, 10, default);
        var again = await Forwards.ClaimForwardsToReplyAsync("replica-1", now + Lease / 2, now + Lease * 1.5, 10, default);
        var stillHeld = await Forwards.ClaimForwardsToReplyAsync("replica-2", now + Lease, now + Lease * 2, 10, default);
        var afterLease = await Forwards.ClaimForwardsToReplyAsync("replica-2", now + Lease * 1.5, now + Lease * 2.5, 10, default);

        Assert.Equal([ready], first.Select(f => f.Id));
        Assert.Empty(other);
        Assert.Equal([ready], again.Select(f => f.Id));
        Assert.Empty(stillHeld);
        Assert.Equal([ready], afterLease.Select(f => f.Id));
    }

    [StoreFact]
    public async Task A_reply_claim_ends_with_the_write_that_records_the_post()
    {
        var announced = await AcceptAsync("announced", At, f => f.Announce = true);
        var now = At.AddHours(1);
        Assert.Equal([announced], (await Forwards.ClaimForwardsToReplyAsync("replica-1", now, now + Lease, 10, default)).Select(f => f.Id));

        await Forwards.UpdateForwardAsync(announced, f => f.Reply.ThreadId = "1767225800.000200", default);
        // Its job ended on another replica, which then replies at once rather than after this lease.
        await Forwards.UpdateForwardAsync(announced, f => f.OutcomeReady = true, default);

        Assert.Equal([announced], (await Forwards.ClaimForwardsToReplyAsync("replica-2", now, now + Lease, 10, default)).Select(f => f.Id));
        Assert.Empty(await Forwards.ClaimForwardsToReplyAsync("replica-1", now, now + Lease, 10, default));
    }

    // Retries

    [StoreFact]
    public async Task A_retry_is_a_pending_job_linked_to_the_original_at_the_end_of_its_groups_queue_and_the_outcome_is_pending_again()
    {
        var first = await AcceptAsync("first", At, f => (f.OutcomeReady, f.ReplyState, f.ReplyAttempts, f.ReplyError) = (true, ReplyState.Replied, 2, "late"));
        var failed = Assert.Single(await Forwards.GetJobsAsync(first, default));
        failed.Error = "refused";
        // The text went, the first file could not be fetched, the second was refused: the retry starts at the second file.
        (failed.MessageIds, failed.SkippedParts) = (["wamid.text"], [1]);
        await SetStatusAsync(failed, DeliveryStatus.Failed);
        var later = await AcceptAsync("later", At.AddMinutes(1));
        var retriedAt = At.AddMinutes(5);

        var retry = await Forwards.RetryJobAsync(failed.Id, "admin-api from 10.0.0.7", retriedAt, default);

        Assert.NotNull(retry);
        var stored = (await Forwards.GetJobAsync(retry.Id, default))!;
        Assert.Equal((DeliveryStatus.Pending, first, "A@g.us", "s1", failed.Id, "admin-api from 10.0.0.7", retriedAt, retriedAt),
            (stored.Status, stored.ForwardId, stored.GroupId, stored.SessionId, stored.RetryOf, stored.RetriedBy, stored.CreatedAt, stored.NextAttemptAt));
        Assert.Empty(stored.Attempts);
        Assert.Null(stored.Error);
        Assert.Equal(["wamid.text"], stored.MessageIds);
        Assert.Equal([1], stored.SkippedParts);
        Assert.Equal(2, stored.NextPart);
        var laterJob = Assert.Single(await Forwards.GetJobsAsync(later, default));
        Assert.True(retry.Id > laterJob.Id);
        Assert.Equal([laterJob.Id, retry.Id], (await Forwards.GetUnfinishedJobsAsync(default)).Select(j => j.Id));
        Assert.Equal(DeliveryStatus.Failed, (await Forwards.GetJobAsync(failed.Id, default))!.Status);
        var forward = (await Forwards.GetForwardAsync(first, default))!;
        Assert.Equal((false, ReplyState.Pending, 0, null), (forward.OutcomeReady, forward.ReplyState, forward.ReplyAttempts, forward.ReplyError));
        Assert.Null(forward.ReplyDueAt);
    }

    [StoreFact]
    public async Task Only_a_job_that_ended_failed_or_possibly_delivered_is_retried_and_only_once()
    {
        var forward = NewForward("x");
        await Forwards.AcceptAsync(forward, [Link("A@g.us"), Link("B@g.us"), Link("C@g.us"), Link("D@g.us")], null, default);
        var jobs = await Forwards.GetJobsAsync(forward.Id, default);
        await SetStatusAsync(jobs[1], DeliveryStatus.Delivered);
        await SetStatusAsync(jobs[2], DeliveryStatus.Failed);
        await SetStatusAsync(jobs[3], DeliveryStatus.Unknown);

        Assert.Null(await Forwards.RetryJobAsync(jobs[0].Id, "admin", At, default));
        Assert.Null(await Forwards.RetryJobAsync(jobs[1].Id, "admin", At, default));
        Assert.Null(await Forwards.RetryJobAsync(424242, "admin", At, default));
        Assert.NotNull(await Forwards.RetryJobAsync(jobs[2].Id, "admin", At, default));
        Assert.Null(await Forwards.RetryJobAsync(jobs[2].Id, "admin", At, default));
        var retryOfUnknown = await Forwards.RetryJobAsync(jobs[3].Id, "admin", At, default);
        Assert.NotNull(retryOfUnknown);

        // A retry that fails in turn may be retried.
        await SetStatusAsync((await Forwards.TryClaimJobAsync(retryOfUnknown.Id, "replica-1", At, At + Lease, default))!, DeliveryStatus.Failed);
        Assert.Equal(retryOfUnknown.Id, (await Forwards.RetryJobAsync(retryOfUnknown.Id, "admin", At, default))?.RetryOf);

        Assert.Equal(7, (await Forwards.GetJobsAsync(forward.Id, default)).Count);
    }

    [StoreFact]
    public async Task Concurrent_retries_of_one_job_record_one_new_job()
    {
        var forward = NewForward("x");
        await Forwards.AcceptAsync(forward, [Link("A@g.us")], null, default);
        var failed = Assert.Single(await Forwards.GetJobsAsync(forward.Id, default));
        await SetStatusAsync(failed, DeliveryStatus.Failed);

        var retries = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => Forwards.RetryJobAsync(failed.Id, $"replica-{i}", At, default))));

        Assert.Single(retries, r => r is not null);
        Assert.Equal(2, (await Forwards.GetJobsAsync(forward.Id, default)).Count);
    }

    // Settings and readiness

    [StoreFact]
    public async Task Settings_are_null_until_set_and_then_hold_the_last_value()
    {
        Assert.Null(await Settings.GetSettingAsync("media.signing-key", default));

        await Settings.SetSettingAsync("media.signing-key", "first", default);
        await Settings.SetSettingAsync("slack:reply-problem", "", default);
        await Settings.SetSettingAsync("media.signing-key", "second", default);

        Assert.Equal("second", await Settings.GetSettingAsync("media.signing-key", default));
        Assert.Equal("", await Settings.GetSettingAsync("slack:reply-problem", default));
    }

    [StoreFact]
    public async Task A_revoked_admin_session_stays_revoked_until_purged_after_its_expiry()
    {
        Assert.False(await Sessions.IsAdminSessionRevokedAsync("s1", default));

        await Sessions.RevokeAdminSessionAsync("s1", At.AddHours(12), default);
        await Sessions.RevokeAdminSessionAsync("s2", At.AddHours(1), default);
        await Sessions.RevokeAdminSessionAsync("s2", At.AddHours(1), default);

        Assert.True(await Sessions.IsAdminSessionRevokedAsync("s1", default));
        Assert.True(await Sessions.IsAdminSessionRevokedAsync("s2", default));
        Assert.False(await Sessions.IsAdminSessionRevokedAsync("s3", default));
        Assert.Equal(0, await Sessions.PurgeAdminSessionsAsync(At.AddMinutes(59), default));
        Assert.Equal(1, await Sessions.PurgeAdminSessionsAsync(At.AddHours(1), default));
        Assert.True(await Sessions.IsAdminSessionRevokedAsync("s1", default));
        Assert.False(await Sessions.IsAdminSessionRevokedAsync("s2", default));
    }

    [StoreFact]
    public async Task GetOrAddSetting_stores_the_first_value_and_returns_it_to_every_later_caller()
    {
        Assert.Equal("first", await Settings.GetOrAddSettingAsync("media.signing-key", "first", default));
        Assert.Equal("first", await Settings.GetOrAddSettingAsync("media.signing-key", "second", default));

        await Settings.SetSettingAsync("admin.generated-key.sha256", "set", default);
        Assert.Equal("set", await Settings.GetOrAddSettingAsync("admin.generated-key.sha256", "added", default));
        Assert.Equal("first", await Settings.GetSettingAsync("media.signing-key", default));
    }

    [StoreFact]
    public async Task GetOrAddSetting_called_concurrently_gives_every_caller_the_one_value_stored()
    {
        var values = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Settings.GetOrAddSettingAsync("media.signing-key", $"key-{i}", default))));

        var stored = await Settings.GetSettingAsync("media.signing-key", default);
        Assert.StartsWith("key-", stored);
        Assert.All(values, value => Assert.Equal(stored, value));
    }

    // Approvals

    [StoreFact]
    public async Task A_link_requires_approval_only_when_marked_and_the_mark_is_updated_in_place()
    {
        var link = Link("A@g.us");
        await Links.AddLinkAsync(link, default);
        Assert.False(Assert.Single(await Links.GetLinksAsync(Channel, default)).RequiresApproval);

        link.RequiresApproval = true;
        Assert.Equal(LinkUpdate.Updated, await Links.UpdateLinkAsync(link, default));

        Assert.True(Assert.Single(await Links.GetLinksAsync(Channel, default)).RequiresApproval);
        Assert.True(Assert.Single(await Links.ListLinksAsync(null, null, null, default)).RequiresApproval);
    }

    [StoreFact]
    public async Task An_approval_is_kept_whole_with_its_forward_and_groups_and_comes_out_as_a_copy()
    {
        var approval = NewApproval("Big *news*");
        approval.Forward.Attachments.Add(new Attachment { Name = "a.png", MimeType = "image/png", Size = 2048, SourceUrl = "https://files.slack.com/a.png", Kind = MediaKind.Image });
        approval.Forward.Reply.ThreadId = "1767225700.000100";

        await Approvals.AddApprovalAsync(approval, default);
        var stored = (await Approvals.GetApprovalAsync(approval.Id, default))!;
        stored.Forward.Text = "changed";

        var read = (await Approvals.GetApprovalAsync(approval.Id, default))!;
        Assert.Equal(("Big *news*", "U1", approval.Forward.Id, "1767225700.000100"), (read.Forward.Text, read.Forward.UserId, read.Forward.Id, read.Forward.Reply.ThreadId));
        Assert.Equal(("a.png", "image/png", 2048L, MediaKind.Image), (read.Forward.Attachments[0].Name, read.Forward.Attachments[0].MimeType, read.Forward.Attachments[0].Size, read.Forward.Attachments[0].Kind));
        Assert.Equal([("A@g.us", "s1", (int?)250), ("B@g.us", "s2", null)], read.Groups.Select(g => (g.Link.GroupId, g.Link.SessionId, g.MemberCount)));
        Assert.Equal((ApprovalState.Waiting, true, "slack-command:1", At, At.AddHours(24), (string?)null),
            (read.State, read.NeedsApprover, read.DedupeKey, read.CreatedAt, read.ExpiresAt, read.DecidedBy));
        Assert.Null(await Approvals.GetApprovalAsync("no-such-approval", default));
    }

    [StoreFact]
    public async Task Of_two_decisions_at_once_exactly_one_wins_and_it_is_recorded()
    {
        var approval = NewApproval("x");
        await Approvals.AddApprovalAsync(approval, default);

        var won = await Task.WhenAll(
            Task.Run(() => Approvals.DecideApprovalAsync(approval.Id, ApprovalState.Approved, "U2", "ana", At.AddMinutes(1), default)),
            Task.Run(() => Approvals.DecideApprovalAsync(approval.Id, ApprovalState.Withdrawn, "U1", "maria", At.AddMinutes(2), default)));

        Assert.Single(won, w => w);
        var read = (await Approvals.GetApprovalAsync(approval.Id, default))!;
        Assert.Equal(won[0] ? (ApprovalState.Approved, "U2", "ana", At.AddMinutes(1)) : (ApprovalState.Withdrawn, "U1", "maria", At.AddMinutes(2)),
            (read.State, read.DecidedBy!, read.DecidedByName!, read.DecidedAt!.Value));
        Assert.False(await Approvals.DecideApprovalAsync(approval.Id, ApprovalState.Cancelled, "U1", "maria", At, default));
        Assert.False(await Approvals.DecideApprovalAsync("no-such-approval", ApprovalState.Approved, "U2", "ana", At, default));
    }

    [StoreFact]
    public async Task Approved_approvals_are_listed_until_their_accept_is_marked()
    {
        var approved = NewApproval("approved");
        var waiting = NewApproval("waiting");
        var cancelled = NewApproval("cancelled");
        foreach (var approval in new[] { approved, waiting, cancelled })
        {
            await Approvals.AddApprovalAsync(approval, default);
        }

        await Approvals.DecideApprovalAsync(approved.Id, ApprovalState.Approved, "U2", "ana", At, default);
        await Approvals.DecideApprovalAsync(cancelled.Id, ApprovalState.Cancelled, "U1", "maria", At, default);

        Assert.Equal([approved.Id], (await Approvals.GetApprovedApprovalsAsync(default)).Select(a => a.Id));
        await Approvals.MarkApprovalAcceptedAsync(approved.Id, default);
        await Approvals.MarkApprovalAcceptedAsync(waiting.Id, default);

        Assert.Empty(await Approvals.GetApprovedApprovalsAsync(default));
        Assert.Equal([ApprovalState.Accepted, ApprovalState.Waiting],
            [(await Approvals.GetApprovalAsync(approved.Id, default))!.State, (await Approvals.GetApprovalAsync(waiting.Id, default))!.State]);
    }

    [StoreFact]
    public async Task Purging_approvals_deletes_those_expired_before_the_cutoff_but_never_an_approved_one_not_yet_accepted()
    {
        var old = NewApproval("old");
        var oldApproved = NewApproval("old, approved");
        var recent = NewApproval("recent");
        recent.ExpiresAt = At.AddDays(10);
        foreach (var approval in new[] { old, oldApproved, recent })
        {
            await Approvals.AddApprovalAsync(approval, default);
        }

        await Approvals.DecideApprovalAsync(oldApproved.Id, ApprovalState.Approved, "U2", "ana", At, default);

        Assert.Equal(1, await Approvals.PurgeApprovalsAsync(At.AddDays(5), default));

        Assert.Null(await Approvals.GetApprovalAsync(old.Id, default));
        Assert.NotNull(await Approvals.GetApprovalAsync(oldApproved.Id, default));
        Assert.NotNull(await Approvals.GetApprovalAsync(recent.Id, default));
    }

    [StoreFact]
    public async Task Expired_approvals_are_the_waiting_ones_whose_time_ran_out_soonest_first_and_keep_where_they_were_shown()
    {
        var later = NewApproval("later");
        later.ExpiresAt = At.AddHours(2);
        var sooner = NewApproval("sooner");
        sooner.ExpiresAt = At.AddHours(1);
        var decided = NewApproval("decided");
        decided.ExpiresAt = At.AddHours(1);
        var running = NewApproval("still running");
        running.ExpiresAt = At.AddHours(5);
        foreach (var approval in new[] { later, sooner, decided, running })
        {
            await Approvals.AddApprovalAsync(approval, default);
        }

        await Approvals.DecideApprovalAsync(decided.Id, ApprovalState.Cancelled, "U1", "maria", At, default);
        await Approvals.SetApprovalPreviewAsync(sooner.Id, "1767225700.000300", default);

        var expired = await Approvals.GetExpiredApprovalsAsync(At.AddHours(3), 10, default);

        Assert.Equal([sooner.Id, later.Id], expired.Select(a => a.Id));
        Assert.Equal(("1767225700.000300", null), (expired[0].PreviewId, expired[1].PreviewId));
        Assert.Equal([sooner.Id], (await Approvals.GetExpiredApprovalsAsync(At.AddHours(3), 1, default)).Select(a => a.Id));
        Assert.Empty(await Approvals.GetExpiredApprovalsAsync(At.AddMinutes(59), 10, default));
    }

    private static PendingApproval NewApproval(string text) => new()
    {
        Forward = NewForward(text),
        Groups = [new ApprovalGroup { Link = Link("A@g.us"), MemberCount = 250 }, new ApprovalGroup { Link = Link("B@g.us", session: "s2") }],
        DedupeKey = "slack-command:1",
        NeedsApprover = true,
        CreatedAt = At,
        ExpiresAt = At.AddHours(24),
    };

    [StoreFact]
    public async Task A_working_store_is_ready()
    {
        Assert.Equal(StoreState.Ready, await Forwards.CheckAsync(default));
    }

    internal static Forward NewForward(string text) => new()
    {
        Platform = Channel.Platform,
        WorkspaceId = Channel.WorkspaceId,
        ChannelId = Channel.ChannelId,
        UserId = "U1",
        UserName = "maria",
        Text = text,
        CreatedAt = At,
    };

    internal static ChannelLink Link(string groupId, string session = "s1", ChannelRef? channel = null, DateTimeOffset? createdAt = null) => new()
    {
        Platform = (channel ?? Channel).Platform,
        WorkspaceId = (channel ?? Channel).WorkspaceId,
        ChannelId = (channel ?? Channel).ChannelId,
        SessionId = session,
        GroupId = groupId,
        GroupName = "Group " + groupId,
        CreatedBy = "U1",
        CreatedAt = createdAt ?? At,
    };

    /// <summary>Accepts a forward created at <paramref name="createdAt"/> for the groups, shaped by <paramref name="shape"/>; returns its id.</summary>
    private async Task<string> AcceptAsync(string text, DateTimeOffset createdAt, Action<Forward>? shape = null, string[]? groups = null)
    {
        var forward = NewForward(text);
        forward.CreatedAt = createdAt;
        shape?.Invoke(forward);
        await Forwards.AcceptAsync(forward, (groups ?? ["A@g.us"]).Select(g => Link(g)).ToList(), null, default);
        return forward.Id;
    }

    private async Task SetStatusAsync(DeliveryJob job, DeliveryStatus status)
    {
        job.Status = status;
        await Forwards.UpdateJobAsync(job, default);
    }
}
