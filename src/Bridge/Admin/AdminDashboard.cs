using Bridge.Forwarding;
using Bridge.WhatsApp;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Bridge.Admin;

/// <summary>Gathers what the admin page shows (setup checks, phones, groups to pick, links, scheduled sends, deliveries) and renders it.</summary>
internal sealed class AdminDashboard(
    SetupChecker setup,
    TalkNTalkClient whatsApp,
    IOptions<WhatsAppOptions> whatsAppOptions,
    ILinkStore store,
    DeliveryHistory history,
    IForwardStore forwards,
    ChannelNames channelNames,
    TalkNTalkRateLimit rateLimit,
    IScheduleStore schedules,
    TimeProvider time,
    IAntiforgery antiforgery)
{
    /// <summary>How many of the latest deliveries are read for the channels offered in the add-link form.</summary>
    private const int SeenFromDeliveries = 200;

    public async Task<ContentHttpResult> RenderAsync(
        HttpContext context, string? notice, string? error, int status, LinkForm form, CancellationToken cancellationToken, DeliveryFilter? search = null)
    {
        search ??= new DeliveryFilter();
        var (deliveries, searchProblem) = await SearchAsync(search, cancellationToken);
        if (searchProblem is not null && status == StatusCodes.Status200OK)
        {
            status = StatusCodes.Status400BadRequest;
        }

        var setupTask = setup.CheckAsync(cancellationToken);
        var (phones, phonesProblem) = await ListPhonesAsync(cancellationToken);
        var (groups, groupsProblem) = await ListGroupsAsync(phones, phonesProblem is null, cancellationToken);
        var links = (await store.ListLinksAsync(null, null, null, cancellationToken)).Select(LinkView.From).ToList();
        var model = new DashboardModel(
            await setupTask,
            phones,
            phonesProblem,
            groups,
            groupsProblem,
            links,
            await TrafficAsync(cancellationToken),
            deliveries,
            search,
            searchProblem,
            AdminPage.AntiforgeryField(context, antiforgery),
            notice,
            error,
            form,
            await ListChannelsAsync(links, deliveries, cancellationToken),
            await ScheduleList.ReadAsync(schedules, cancellationToken));
        return AdminPage.Page(AdminPageView.Dashboard(model), status);
    }

    /// <summary>The names of the channels on the page, and the channels seen in links and recent forwards, with names.</summary>
    private async Task<ChannelDirectory> ListChannelsAsync(
        IReadOnlyList<LinkView> links, DeliveryPage deliveries, CancellationToken cancellationToken)
    {
        var recent = await forwards.QueryJobsAsync(new DeliveryQuery(Take: SeenFromDeliveries), cancellationToken);
        var known = links.Select(l => (Channel: new ChannelRef(Enum.Parse<Platform>(l.Platform), l.WorkspaceId, l.ChannelId), Name: l.ChannelName))
            .Concat(deliveries.Items.Select(d => (Channel: new ChannelRef(Enum.Parse<Platform>(d.Platform), d.WorkspaceId, d.ChannelId), Name: d.ChannelName)))
            .Concat(recent.Select(j => (Channel: new ChannelRef(j.Platform, j.WorkspaceId, j.ChannelId), Name: (string?)null)))
            .ToList();
        var names = await channelNames.NamesAsync(known, cancellationToken);
        return new ChannelDirectory(names, [.. known.Select(c => c.Channel).Distinct()]);
    }

    /// <summary>
    /// The last <see cref="TrafficChart.Days"/> days by the hour, in one store read; the backlog is the unfinished jobs,
    /// read as start-up reads them (along their own index, never the history).
    /// </summary>
    private async Task<TrafficChart> TrafficAsync(CancellationToken cancellationToken)
    {
        var from = HourlyCount.HourOf(time.GetUtcNow()).AddHours(1 - TrafficChart.Hours);
        var counts = await forwards.CountFinishedByHourAsync(from, cancellationToken);
        var backlog = (await forwards.GetUnfinishedJobsAsync(cancellationToken)).Count;
        var (used, limit) = await rateLimit.UseAsync(cancellationToken);
        return new TrafficChart(from, counts, backlog, used, limit);
    }

    /// <summary>The page of the history the search asks for (<see cref="AdminPageView.DeliveriesPerPage"/> a page), or why the search is not valid.</summary>
    public async Task<(DeliveryPage, string?)> SearchAsync(DeliveryFilter search, CancellationToken cancellationToken) =>
        search.ToQuery(out var errors, AdminPageView.DeliveriesPerPage) is { } query
            ? (await history.QueryAsync(query, cancellationToken), null)
            : (new DeliveryPage([], 0, AdminPageView.DeliveriesPerPage, false), "The search is not valid: " + string.Join(" ", errors.Values.SelectMany(e => e)));

    private async Task<(IReadOnlyList<PhoneView>, string?)> ListPhonesAsync(CancellationToken cancellationToken)
    {
        if (!whatsAppOptions.Value.IsConfigured)
        {
            return ([], WhatsAppProblems.NotConfigured.Detail);
        }

        try
        {
            var phones = await whatsApp.ListPhonesAsync(cancellationToken);
            return (phones.Select(p => new PhoneView(p.ChatId, p.Name, p.Status, p.PhoneNumber, p.IsOpen, p.ChatId == whatsAppOptions.Value.SessionId)).ToList(), null);
        }
        catch (TalkNTalkException exception)
        {
            var refusal = WhatsAppProblems.Refusal(exception, "list the phones");
            return ([], $"{refusal.Title}: {refusal.Detail}");
        }
    }

    /// <summary>The groups of every open phone; the default session's when the phones could not be listed.</summary>
    private async Task<(IReadOnlyList<GroupChoice>, string?)> ListGroupsAsync(
        IReadOnlyList<PhoneView> phones, bool phonesListed, CancellationToken cancellationToken)
    {
        if (!whatsAppOptions.Value.IsConfigured)
        {
            return ([], "Groups appear here once WhatsApp is configured.");
        }

        var sessions = phonesListed
            ? phones.Where(p => p.IsOpen).Select(p => (p.SessionId, Label: p.Name ?? p.SessionId)).ToList()
            : [(whatsAppOptions.Value.SessionId!, whatsAppOptions.Value.SessionId!)];
        var choices = new List<GroupChoice>();
        var problems = new List<string>();
        foreach (var (sessionId, label) in sessions)
        {
            try
            {
                var groups = await whatsApp.ListGroupsAsync(sessionId, cancellationToken);
                choices.AddRange(groups
                    .OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase)
                    .Select(g => new GroupChoice(sessionId, label, g.ChatId, string.IsNullOrEmpty(g.Name) ? g.ChatId : g.Name)));
            }
            catch (TalkNTalkException exception)
            {
                problems.Add(WhatsAppProblems.Refusal(exception, $"list the groups of {label}").Detail);
            }
        }

        return (choices, problems.Count > 0 ? string.Join(" ", problems)
            : sessions.Count == 0 ? "No phone is open, so no group can be picked." : null);
    }
}
