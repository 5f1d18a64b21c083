using System.Globalization;

namespace Bridge.Admin;

/// <summary>The admin page's HTML. Every value goes through <see cref="Html.Of"/>, which encodes it.</summary>
internal static class AdminPageView
{
    public const int DeliveriesPerPage = 20;

    public static Html SignIn(Html antiforgery, string? notice, string? error) => Layout("Sign in", signedIn: Html.Empty, Html.Of($"""
        <section class="card signin">
          <h2>Sign in</h2>
          <p class="muted">Use the admin key (<code>Admin:ApiKey</code>, or the key Bridge wrote at first start to the file <code>admin-key</code> beside its store; lost it? <code>dotnet Bridge.dll admin reset-key</code> makes a new one).</p>
          {Messages(notice, error)}
          <form method="post" action="/admin/signin">
            {antiforgery}
            <label for="key">Admin key</label>
            <input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
            <button type="submit">Sign in</button>
          </form>
        </section>
        """));

    public static Html Expired() => Layout("Form expired", signedIn: Html.Empty, Html.Of($"""
        <section class="card signin">
          <h2>The form has expired</h2>
          <p class="error" role="alert">The form was not sent from this page or has expired, so nothing was changed.</p>
          <p><a href="/admin">Back to the admin page</a></p>
        </section>
        """));

    public static Html Dashboard(DashboardModel model) => Layout("Bridge admin", SignOut(model.Antiforgery), Html.Of($"""
        {Sections()}
        {Messages(model.Notice, model.Error)}
        {Setup(model.Setup)}
        {Phones(model.Phones, model.PhonesProblem)}
        {Links(model)}
        {Schedules(model.Schedules, model.Antiforgery)}
        {Traffic(model.Traffic)}
        {Deliveries(model)}
        """));

    private static Html Layout(string title, Html signedIn, Html main) => Html.Of($"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>{title}</title>
          <link rel="icon" href="/admin/assets/favicon.svg" type="image/svg+xml">
          <link rel="stylesheet" href="/admin/assets/admin.css">
          <script src="/admin/assets/admin.js" defer></script>
        </head>
        <body>
          <header class="top">
            <h1>Bridge <span>admin</span></h1>
            {signedIn}
          </header>
          <main>
        {main}
          </main>
        </body>
        </html>
        """);

    /// <summary>In-page navigation: on a phone the cards stack several screens tall, so the sections are one tap away.</summary>
    private static Html Sections() => Html.Of($"""
        <nav class="sections" aria-label="Sections">
          <a href="#setup">Setup</a><a href="#phones">Phones</a><a href="#links">Links</a><a href="#add-link">Add a link</a><a href="#schedules">Scheduled</a><a href="#deliveries">Deliveries</a>
        </nav>
        """);

    private static Html SignOut(Html antiforgery) => Html.Of($"""
        <form method="post" action="/admin/signout" class="signout">{antiforgery}<button type="submit" class="quiet">Sign out</button></form>
        """);

    private static Html Messages(string? notice, string? error) => Html.Join([
        Html.When(notice is not null, $"""<p class="notice" role="status">{notice}</p>"""),
        Html.When(error is not null, $"""<p class="error" role="alert">{error}</p>"""),
    ]);

    private static Html Setup(SetupView setup) => Html.Of($"""
        <section class="card" id="setup" aria-labelledby="setup-title">
          <h2 id="setup-title">Setup</h2>
          <ul class="checks">
            {Html.Join(setup.Integrations.Select(Check))}
            {Html.When(setup.AdminKeyGenerated, $"""<li class="check"><div><strong>Admin key</strong> <span class="badge needs-attention">generated</span></div><p>Bridge is using the key it generated at first start.</p><p class="fix">To choose the key yourself, set <code>Admin:ApiKey</code>.</p></li>""")}
          </ul>
        </section>
        """);

    private static Html Check(IntegrationStatus check) => Html.Of($"""
        <li class="check"><div><strong>{check.Name}</strong> {Badge(check.State, StateLabel(check.State))}</div><p>{check.Summary}</p>{Html.When(check.Fix is not null, $"""<p class="fix">To fix: {check.Fix}</p>""")}</li>
        """);

    private static Html Phones(IReadOnlyList<PhoneView> phones, string? problem) => Html.Of($"""
        <section class="card" id="phones" aria-labelledby="phones-title">
          <h2 id="phones-title">WhatsApp phones</h2>
          {Html.When(problem is not null, $"""<p class="error">{problem}</p>""")}
          {Html.When(problem is null && phones.Count == 0, $"""<p class="muted">No phones.</p>""")}
          {Html.When(phones.Count > 0, $"""
          <table class="stack">
            <thead><tr><th>Name</th><th>Number</th><th>Session</th><th>Status</th></tr></thead>
            <tbody>{Html.Join(phones.Select(Phone))}</tbody>
          </table>
          """)}
        </section>
        """);

    private static Html Phone(PhoneView phone) => Html.Of($"""
        <tr><td data-label="Name">{phone.Name ?? "—"}{Html.When(phone.IsDefault, $""" <span class="tag">default</span>""")}</td><td data-label="Number">{phone.PhoneNumber ?? "—"}</td><td data-label="Session"><code>{phone.SessionId}</code></td><td data-label="Status">{Badge(phone.IsOpen ? "ok" : "needs-attention", phone.Status ?? "unknown")}</td></tr>
        """);

    private static Html Links(DashboardModel model) => Html.Of($"""
        <section class="card" id="links" aria-labelledby="links-title">
          <h2 id="links-title">Links</h2>
          {Html.When(model.Form.EditedLinkId is { } gone && model.Links.All(l => l.Id != gone), $"""<p class="error" role="alert">That link no longer exists.</p>""")}
          {Html.When(model.Links.Count == 0, $"""<p class="muted">No channel is linked yet.</p>""")}
          {Html.When(model.Links.Count > 0, $"""
          <table class="stack links">
            <thead><tr><th>Channel</th><th>WhatsApp group</th><th>Added</th><th><span class="sr">Change</span></th></tr></thead>
            <tbody>{Html.Join(model.Links.Select(l => Link(l, model)))}</tbody>
          </table>
          """)}
          {AddLink(model)}
        </section>
        """);

    /// <summary>
    /// Each change is its own small form, so every one works without script. Removing asks first inside a
    /// <c>details</c> element, naming the channel and the group; the real submit is inside it.
    /// </summary>
    private static Html Link(LinkView link, DashboardModel model)
    {
        var action = $"/admin/links/{Uri.EscapeDataString(link.Id)}";
        var errors = model.Form.EditedLinkId == link.Id ? model.Form.ErrorsFor("Group").ToList() : [];
        var name = model.Channels.NameOf(link.Platform, link.WorkspaceId, link.ChannelId);
        var channel = $"{link.Platform} channel {(name == link.ChannelId ? name : $"{name} ({link.ChannelId})")}";
        return Html.Of($"""
        <tr id="link-{link.Id}"{(link.Paused ? new Html(" class=\"paused\"") : Html.Empty)}><td data-label="Channel">{ChannelCell(link.Platform, name, link.ChannelId, link.WorkspaceId)}</td><td data-label="Group">{link.GroupName}{Html.When(link.Paused, $""" <span class="badge paused">paused</span>""")}{Html.When(link.RequiresApproval, $""" <span class="badge approval">needs approval</span>""")}<br><small><code>{link.GroupId}</code></small></td><td data-label="Added">{Time(link.CreatedAt)}<br><small>by {link.CreatedBy}</small></td><td class="actions" data-label="Change"><div class="link-actions">
          <form method="post" action="{action}/edit">{model.Antiforgery}<input type="hidden" name="paused" value="{(link.Paused ? "false" : "true")}"><button type="submit" class="secondary" aria-label="{(link.Paused ? "Resume" : "Pause")} the link from {channel} to {link.GroupName}">{(link.Paused ? "Resume" : "Pause")}</button></form>
          <form method="post" action="{action}/edit">{model.Antiforgery}<input type="hidden" name="requiresApproval" value="{(link.RequiresApproval ? "false" : "true")}"><button type="submit" class="secondary" aria-label="{(link.RequiresApproval ? "Stop requiring approval for" : "Require approval for")} the link from {channel} to {link.GroupName}">{(link.RequiresApproval ? "Stop requiring approval" : "Require approval")}</button></form>
          <details class="change"{(errors.Count > 0 ? new Html(" open") : Html.Empty)}><summary>Change group</summary>
            <form method="post" action="{action}/edit">{model.Antiforgery}
              <label for="group-{link.Id}">WhatsApp group for {channel}</label>
              <select id="group-{link.Id}" name="group" required{Invalid(errors, $"group-{link.Id}-error")}>{GroupOptions(model.Groups, link.SessionId + GroupChoice.Separator + link.GroupId)}</select>
              {FieldErrors(errors, $"group-{link.Id}-error")}
              <button type="submit">Save</button>
            </form>
          </details>
          <details class="remove"><summary aria-label="Remove the link from {channel} to {link.GroupName}">Remove</summary>
            <div class="confirm" role="group" aria-label="Confirm removal">
              <p>Remove the link from <strong>{channel}</strong> to WhatsApp group <strong>{link.GroupName}</strong>? Messages sent there stop going to the group.</p>
              <form method="post" action="{action}/remove">{model.Antiforgery}<button type="submit" class="danger">Remove link</button> <button type="button" class="secondary" data-close-details hidden>Cancel</button></form>
            </div>
          </details>
        </div></td></tr>
        """);
    }

    /// <summary>A channel by its name, its ids below it; just the id where no name is known.</summary>
    private static Html ChannelCell(string platform, string name, string channelId, string workspaceId) => name == channelId
        ? Html.Of($"""{platform} · <code>{channelId}</code><br><small>workspace <code>{workspaceId}</code></small>""")
        : Html.Of($"""{platform} · {name}<br><small><code>{channelId}</code> · workspace <code>{workspaceId}</code></small>""");

    private static Html GroupOptions(IReadOnlyList<GroupChoice> groups, string? selected) =>
        Html.Join(groups.GroupBy(g => g.PhoneLabel).Select(phone => Html.Of($"""<optgroup label="{phone.Key}">{Html.Join(phone.Select(g => Option(g.Value, g.Name, selected == g.Value)))}</optgroup>""")));

    /// <summary>A field's errors, below it, announced and tied to it with <c>aria-describedby</c> (see <see cref="Invalid"/>).</summary>
    private static Html FieldErrors(IReadOnlyList<string> errors, string id) =>
        Html.When(errors.Count > 0, $"""<small class="error-text" id="{id}" role="alert">{string.Join(" ", errors)}</small>""");

    private static Html Invalid(IReadOnlyList<string> errors, string errorId) =>
        errors.Count > 0 ? Html.Of($" aria-invalid=\"true\" aria-describedby=\"{errorId}\"") : Html.Empty;

    private static Html AddLink(DashboardModel model)
    {
        var form = model.Form.EditedLinkId is null ? model.Form : new LinkForm();
        List<string> Errors(string field) => [.. form.ErrorsFor(field)];
        return Html.Of($"""
          <form method="post" action="/admin/links#add-link" class="add-link" id="add-link">
            {model.Antiforgery}
            <h3>Add a link</h3>
            <div class="fields">
              <div><label for="platform">Platform</label>
                <select id="platform" name="platform"{Invalid(Errors("Platform"), "platform-error")}>{Html.Join(new[] { "Slack", "Teams" }.Select(p => Option(p, p, form.Platform == p)))}</select>
                {FieldErrors(Errors("Platform"), "platform-error")}</div>
              <div><label for="workspaceId">Workspace id</label>
                <input id="workspaceId" name="workspaceId" required placeholder="Slack T… or Teams tenant id" list="seen-workspaces" autocomplete="off" value="{form.WorkspaceId}"{Invalid(Errors("WorkspaceId"), "workspaceId-error")}>
                {FieldErrors(Errors("WorkspaceId"), "workspaceId-error")}</div>
              <div><label for="channelId">Channel id</label>
                <input id="channelId" name="channelId" required placeholder="Slack C… or Teams conversation" list="seen-channels" autocomplete="off" value="{form.ChannelId}"{Invalid(Errors("ChannelId"), "channelId-error")}>
                {FieldErrors(Errors("ChannelId"), "channelId-error")}</div>
              <div><label for="group">WhatsApp group</label>
                <select id="group" name="group" required{Invalid(Errors("Group"), "group-error")}>
                  <option value="">Pick a group…</option>
                  {GroupOptions(model.Groups, form.Group)}
                </select>
                {FieldErrors(Errors("Group"), "group-error")}
                {Html.When(model.GroupsProblem is not null, $"""<small class="error-text">{model.GroupsProblem}</small>""")}</div>
            </div>
            {SeenChannels(model.Channels)}
            <details class="help"><summary>Where to find these ids</summary>
              <p>Easiest: in the channel itself, an admin types <code>/whatsapp link &lt;group name&gt;</code> (Slack) or <code>@Bridge link &lt;group name&gt;</code> (Teams); Bridge takes the ids from there. Channels Bridge has seen are offered in the Channel id field.</p>
              <p><strong>Slack</strong>: the workspace (team) id starts with <code>T</code> and the channel id with <code>C</code> (private: <code>G</code>). Open the channel, click its name, and the channel id is at the bottom of the About tab; the team id is in the workspace's URL in a browser (<code>app.slack.com/client/T…/C…</code>). See <a href="https://slack.com/help/articles/221769328-Locate-your-Slack-URL-or-ID" rel="noreferrer">Slack: locate your Slack URL or ID</a>.</p>
              <p><strong>Teams</strong>: the workspace id is the tenant id (<a href="https://learn.microsoft.com/entra/fundamentals/how-to-find-tenant" rel="noreferrer">Microsoft: find your tenant ID</a>); the channel id is the <code>19:…@thread.tacv2</code> part of the link from the channel's ⋯ menu, Get link to channel (URL-decoded).</p>
            </details>
            <button type="submit">Add link</button>
          </form>
        """);
    }

    /// <summary>The channels Bridge has seen, offered by the id fields (a datalist: typing any other id still works).</summary>
    private static Html SeenChannels(ChannelDirectory channels) => Html.Of($"""
            <datalist id="seen-channels">{Html.Join(channels.Seen.Select(c => Html.Of($"""<option value="{c.ChannelId}" data-platform="{c.Platform}" data-workspace="{c.WorkspaceId}">{channels.NameOf(c.Platform.ToString(), c.WorkspaceId, c.ChannelId)} · {c.Platform} · {c.WorkspaceId}</option>""")))}</datalist>
            <datalist id="seen-workspaces">{Html.Join(channels.Seen.Select(c => (c.Platform, c.WorkspaceId)).Distinct().Select(w => Html.Of($"""<option value="{w.WorkspaceId}">{w.Platform}</option>""")))}</datalist>
        """);

    private static Html Option(string value, string label, bool selected) =>
        Html.Of($"""<option value="{value}"{(selected ? new Html(" selected") : Html.Empty)}>{label}</option>""");

    private const int BarWidth = 6;
    private const int ChartHeight = 120;

    /// <summary>
    /// Server-rendered SVG: a stacked bar per hour and outcome, styled by classes in admin.css (the CSP allows no inline
    /// style), described for screen readers by its label and a table of the days.
    /// </summary>
    private static Html Traffic(TrafficChart chart)
    {
        var busiest = Math.Max(1, chart.Busiest);
        var summary = string.Join(", ", TrafficChart.Series.Select(s => $"{chart.Total(s.Status)} {s.Label}"));
        return Html.Of($"""
        <section class="card" id="traffic" aria-labelledby="traffic-title">
          <h2 id="traffic-title">Traffic</h2>
          <ul class="gauges">
            <li><strong data-backlog="{chart.Backlog}">{chart.Backlog}</strong> waiting to be sent</li>
            <li><strong data-permits="{chart.PermitsUsed}">{chart.PermitsUsed} / {chart.PermitLimit}</strong> rate-limit permits in use</li>
            {Html.Join(TrafficChart.Series.Select(s => Html.Of($"""<li><span class="key {s.Class}"></span> {chart.Total(s.Status)} {s.Label}</li>""")))}
          </ul>
          <svg class="chart" viewBox="0 0 {TrafficChart.Hours * BarWidth} {ChartHeight}" preserveAspectRatio="none" role="img" aria-labelledby="traffic-chart-title">
            <title id="traffic-chart-title">Deliveries per hour over the last {TrafficChart.Days} days, from {Time(chart.From)}: {summary}. Busiest hour: {chart.Busiest}.</title>
            {Html.Join(Enumerable.Range(0, TrafficChart.Hours).Select(hour => Bars(chart, hour, busiest)))}
          </svg>
          <p class="muted chart-axis"><span>{Time(chart.From)}</span><span>now</span></p>
          <details><summary>The last {TrafficChart.Days} days as a table</summary>
            <table class="days">
              <thead><tr><th>24 hours from</th>{Html.Join(TrafficChart.Series.Select(s => Html.Of($"<th>{s.Label}</th>")))}</tr></thead>
              <tbody>{Html.Join(Enumerable.Range(0, TrafficChart.Days).Select(day => Html.Of($"""<tr><td>{Time(chart.From.AddDays(day))}</td>{Html.Join(TrafficChart.Series.Select(s => Html.Of($"<td>{Enumerable.Range(day * 24, 24).Sum(h => chart.Count(h, s.Status))}</td>")))}</tr>""")))}</tbody>
            </table>
          </details>
        </section>
        """);
    }

    /// <summary>One hour's bars, stacked bottom up in <see cref="TrafficChart.Series"/> order; an empty hour draws nothing.</summary>
    private static Html Bars(TrafficChart chart, int hour, int busiest)
    {
        var bars = new List<Html>();
        var top = (double)ChartHeight;
        foreach (var (status, cssClass, label) in TrafficChart.Series)
        {
            var count = chart.Count(hour, status);
            if (count == 0)
            {
                continue;
            }

            var height = Math.Max(1, count * (ChartHeight - 4.0) / busiest);
            top -= height;
            bars.Add(Html.Of($"""<rect class="bar {cssClass}" data-hour="{chart.From.AddHours(hour).ToString("O", CultureInfo.InvariantCulture)}" data-count="{count}" x="{hour * BarWidth}" y="{top.ToString("0.##", CultureInfo.InvariantCulture)}" width="{BarWidth - 1}" height="{height.ToString("0.##", CultureInfo.InvariantCulture)}"><title>{Time(chart.From.AddHours(hour))}: {count} {label}</title></rect>"""));
        }

        return Html.Join(bars);
    }

    private static Html Deliveries(DashboardModel model) => Html.Of($"""
        <section class="card" id="deliveries" aria-labelledby="deliveries-title">
          <h2 id="deliveries-title">Deliveries <small class="muted" id="deliveries-updated"></small></h2>
          {Search(model.Search)}
          {Html.When(model.SearchProblem is not null, $"""<p class="error" role="alert">{model.SearchProblem}</p>""")}
          <p class="muted" id="deliveries-empty"{(model.Deliveries.Items.Count == 0 ? Html.Empty : new Html(" hidden"))}>{(model.Search.QueryString() == "" ? "Nothing sent yet." : "No delivery matches this search.")}</p>
          <table class="stack">
            <thead><tr><th>When</th><th>From</th><th>Text</th><th>WhatsApp group</th><th>Status</th><th>message_id</th><th>Error</th><th>Reply</th></tr></thead>
            {DeliveryRows(model.Deliveries, model.Search, model.Antiforgery)}
          </table>
          {Pager(model.Deliveries, model.Search)}
        </section>
        """);

    /// <summary>Scheduled sends still to go, each with a form that cancels it, then the latest sent or cancelled.</summary>
    private static Html Schedules(ScheduleList schedules, Html antiforgery) => Html.Of($"""
        <section class="card" id="schedules" aria-labelledby="schedules-title">
          <h2 id="schedules-title">Scheduled sends</h2>
          {Html.When(schedules.Waiting.Count == 0, $"""<p class="muted">Nothing is scheduled.</p>""")}
          {Html.When(schedules.Waiting.Count > 0 || schedules.Finished.Count > 0, $"""
          <table class="stack schedules">
            <thead><tr><th>When</th><th>From</th><th>Text</th><th>Groups</th><th>State</th></tr></thead>
            <tbody>{Html.Join(schedules.Waiting.Concat(schedules.Finished).Select(s => Schedule(s, antiforgery)))}</tbody>
          </table>
          """)}
        </section>
        """);

    private static Html Schedule(ScheduleView s, Html antiforgery) => Html.Of($"""
        <tr data-schedule="{s.Id}"><td data-label="When">{s.When}<br><small><code>{s.Id}</code></small></td><td data-label="From">{s.Platform} · {(s.ChannelName is { } channelName ? Html.Of($"{channelName}") : Html.Of($"<code>{s.ChannelId}</code>"))}<br><small>{s.UserName}</small></td><td data-label="Text">{s.TextPreview}</td><td data-label="Groups">{string.Join(", ", s.GroupNames)}</td><td data-label="State">{Badge(s.State.ToLowerInvariant(), s.State)}{Html.When(s.CancelledBy is not null, $"""<br><small>by {s.CancelledBy}</small>""")}{Html.When(s.CanCancel, $"""
        <form method="post" action="/admin/schedules/{s.Id}/cancel" class="retry">{antiforgery}<button type="submit" class="secondary" aria-label="Cancel scheduled send {s.Id}">Cancel</button></form>
        """)}</td></tr>
        """);

    /// <summary>A GET form, so a search is a URL to share; every filter of the API's history.</summary>
    private static Html Search(DeliveryFilter search) => Html.Of($"""
          <form method="get" action="/admin#deliveries" class="search" role="search" aria-label="Search deliveries">
            <div class="fields search-fields">
              <div><label for="search-platform">Source</label>
                <select id="search-platform" name="platform">{Option("", "Any", string.IsNullOrEmpty(search.Platform))}{Html.Join(new[] { "Slack", "Teams" }.Select(p => Option(p, p, string.Equals(search.Platform, p, StringComparison.OrdinalIgnoreCase))))}</select></div>
              <div><label for="search-status">Status</label>
                <select id="search-status" name="status">{Option("", "Any", string.IsNullOrEmpty(search.Status))}{Html.Join(Enum.GetNames<Forwarding.DeliveryStatus>().Select(st => Option(st, st, string.Equals(search.Status, st, StringComparison.OrdinalIgnoreCase))))}</select></div>
              <div><label for="search-channel">Channel</label><input id="search-channel" name="channel" value="{search.Channel}"></div>
              <div><label for="search-group">Group chat_id</label><input id="search-group" name="group" value="{search.Group}" placeholder="…@g.us"></div>
              <div><label for="search-sender">Sender</label><input id="search-sender" name="sender" value="{search.Sender}" placeholder="name or user id"></div>
              <div><label for="search-text">Text contains</label><input id="search-text" name="text" value="{search.Text}"></div>
              <div><label for="search-since">From (UTC)</label><input id="search-since" name="since" type="datetime-local" value="{search.Since}"></div>
              <div><label for="search-until">To (UTC)</label><input id="search-until" name="until" type="datetime-local" value="{search.Until}"></div>
            </div>
            {Html.When(!string.IsNullOrWhiteSpace(search.PageSize), $"""<input type="hidden" name="pageSize" value="{search.PageSize}">""")}
            <div class="search-actions"><button type="submit">Search</button> <a href="/admin#deliveries">Clear</a> <a class="download" href="/admin/deliveries.csv{search.QueryString()}" download>Download CSV</a></div>
          </form>
        """);

    /// <summary>Newer and Older pages of the same search; "Older" only when there is more (the total is not counted: on LiteDB it costs a read of the history).</summary>
    private static Html Pager(DeliveryPage page, DeliveryFilter search)
    {
        var number = page.Skip / page.Take + 1;
        return Html.Of($"""
          <nav class="pager" aria-label="Delivery pages">{Html.When(number > 1, $"""<a rel="prev" href="/admin{search.QueryString(number - 1)}#deliveries">← Newer</a>""")}<span>Page {number}</span>{Html.When(page.HasMore, $"""<a rel="next" href="/admin{search.QueryString(number + 1)}#deliveries">Older →</a>""")}</nav>
        """);
    }

    /// <summary>The rows, also served alone to admin.js (for the same search and page), which swaps them in when it refreshes the table.</summary>
    public static Html DeliveryRows(DeliveryPage page, DeliveryFilter search, Html antiforgery) => Html.Of($"""
        <tbody id="deliveries-rows" data-source="/admin/live/deliveries{search.QueryString(page.Skip / page.Take + 1)}">{Html.Join(page.Items.Select(d => Delivery(d, antiforgery)))}</tbody>
        """);

    private static Html Delivery(DeliveryView d, Html antiforgery) => Html.Of($"""
        <tr data-delivery="{d.Id}"><td data-label="When">{Time(d.CreatedAt)}</td><td data-label="From">{d.Platform} · {(d.ChannelName is { } channelName ? Html.Of($"{channelName}") : Html.Of($"<code>{d.ChannelId}</code>"))}<br><small>{d.UserName ?? d.UserId}</small></td><td data-label="Text">{d.TextPreview ?? ""}</td><td data-label="Group">{d.GroupName}<br><small><code>{d.GroupId}</code></small></td><td data-label="Status">{Badge(d.Status.ToLowerInvariant(), d.Status)}{AttemptList(d)}{Retry(d, antiforgery)}</td><td data-label="message_id">{Html.Join(d.MessageIds.Select(id => Html.Of($"<code>{id}</code> ")))}</td><td data-label="Error">{d.Error ?? ""}</td><td data-label="Reply">{Badge("reply-" + d.Reply.Replace('_', '-'), d.Reply)}{Html.When(d.ReplyError is not null, $"""<br><small>{d.ReplyError}</small>""")}</td></tr>
        """);

    /// <summary>Where the delivery stands among retries, and the form that retries it; a possibly delivered one asks first.</summary>
    private static Html Retry(DeliveryView d, Html antiforgery) => Html.Join([
        Html.When(d.RetryOf is not null, $"""<br><small class="retry-of">Retry of #{d.RetryOf}, by {d.RetriedBy ?? "an admin"} at {Time(d.CreatedAt)}</small>"""),
        Html.When(d.RetriedAs is not null, $"""<br><small class="retried-as">Retried as #{d.RetriedAs}</small>"""),
        Html.When(d.CanRetry, $"""
        <form method="post" action="/admin/deliveries/{d.Id}/retry" class="retry">{antiforgery}{Html.When(d.Status == "Unknown", $"""<label class="confirm"><input type="checkbox" name="confirm" value="true" required> This may send the message twice: it was possibly delivered.</label>""")}<button type="submit" class="secondary" aria-label="Retry delivery {d.Id} to {d.GroupName}">Retry</button></form>
        """),
    ]);

    /// <summary>Each attempt, opened on demand: a details element, so it works without script.</summary>
    private static Html AttemptList(DeliveryView d) => d.Attempts.Count == 0
        ? Html.Of($"""<br><small>no attempt yet</small>""")
        : Html.Of($"""
        <details class="attempts"><summary>{(d.Attempts.Count == 1 ? "1 attempt" : $"{d.Attempts.Count} attempts")}</summary><ol>{Html.Join(d.Attempts.Select(Attempt))}</ol></details>
        """);

    private static Html Attempt(AttemptView a) => Html.Of($"""
        <li data-outcome="{a.Outcome}"><span class="when">{Time(a.At)}</span>{Html.When(a.StatusCode is not null, $""" · HTTP {a.StatusCode}""")} · part {a.Part + 1}<br>{a.Text}{Html.When(a.Detail is not null, $"""<br><small>Said: {a.Detail}</small>""")}{Html.When(a.WaitSeconds is not null, $"""<br><small>Next attempt after {Wait(a.WaitSeconds ?? 0)}, at {Time(a.NextAttemptAt ?? a.At)}</small>""")}</li>
        """);

    private static string Wait(double seconds) => seconds < 90
        ? $"{Math.Round(seconds).ToString(CultureInfo.InvariantCulture)} s"
        : $"{Math.Round(seconds / 60).ToString(CultureInfo.InvariantCulture)} min";

    private static Html Badge(string state, string label) => Html.Of($"""<span class="badge {state}">{label}</span>""");

    private static string StateLabel(string state) => state switch
    {
        IntegrationStatus.Ok => "ok",
        IntegrationStatus.NotConfigured => "not configured",
        IntegrationStatus.Unreachable => "unreachable",
        IntegrationStatus.Failing => "failing",
        _ => "needs attention",
    };

    /// <summary>
    /// Every time on the page: UTC in the text and on hover; admin.js rewrites the text to the admin's own time zone,
    /// so without script UTC shows (https://html.spec.whatwg.org/multipage/text-level-semantics.html#the-time-element).
    /// </summary>
    internal static Html Time(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var text = utc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        return Html.Of($"""<time datetime="{utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}" title="{text}">{text}</time>""");
    }
}
