using System.Globalization;
using Bridge.Forwarding;

namespace Bridge.Admin;

/// <summary>
/// The query string of <c>GET /admin/api/deliveries</c>. Values are read as text so a bad one is answered with
/// its own reason rather than a bare 400.
/// </summary>
internal sealed class DeliveryFilter
{
    public const int DefaultTake = 50;
    public const int MaxTake = 200;
    public const int MaxSearchLength = 200;

    /// <summary>Slack or Teams.</summary>
    public string? Platform { get; init; }
    public string? Channel { get; init; }
    /// <summary>A group chat_id (…@g.us).</summary>
    public string? Group { get; init; }
    /// <summary>Pending, Sending, Delivered, Failed or Unknown.</summary>
    public string? Status { get; init; }
    /// <summary>ISO 8601 time; jobs created at or after it.</summary>
    public string? Since { get; init; }
    /// <summary>ISO 8601 time; jobs created at or before it.</summary>
    public string? Until { get; init; }
    /// <summary>A sender's user id, or part of their name; any case.</summary>
    public string? Sender { get; init; }
    /// <summary>Part of the forwarded text; any case.</summary>
    public string? Text { get; init; }
    public string? Skip { get; init; }
    public string? Take { get; init; }
    /// <summary>1-based; with <see cref="PageSize"/>, instead of skip/take.</summary>
    public string? Page { get; init; }
    public string? PageSize { get; init; }

    /// <summary>This filter as a query string (with <c>?</c>, or empty), <paramref name="page"/> in place of any paging: for links that keep the search.</summary>
    public string QueryString(int? page = null)
    {
        var fields = new[] { ("platform", Platform), ("channel", Channel), ("group", Group), ("status", Status), ("sender", Sender), ("text", Text), ("since", Since), ("until", Until), ("pageSize", PageSize), ("page", page?.ToString(CultureInfo.InvariantCulture)) }
            .Where(f => !string.IsNullOrWhiteSpace(f.Item2))
            .Select(f => f.Item1 + "=" + Uri.EscapeDataString(f.Item2!.Trim()))
            .ToList();
        return fields.Count == 0 ? "" : "?" + string.Join("&", fields);
    }

    internal DeliveryQuery? ToQuery(out Dictionary<string, string[]> errors, int defaultTake = DefaultTake)
    {
        errors = [];
        // A blank value is no filter: the page's search form sends every field, filled in or not.
        var platform = Blank(Platform) is { } named ? LinkEditor.ParsePlatform(named) : null;
        if (Blank(Platform) is not null && platform is null)
        {
            errors["platform"] = ["platform must be Slack or Teams."];
        }

        DeliveryStatus? status = null;
        if (Blank(Status) is not null)
        {
            status = Enum.GetValues<DeliveryStatus>().Cast<DeliveryStatus?>()
                .FirstOrDefault(s => string.Equals(s.ToString(), Blank(Status), StringComparison.OrdinalIgnoreCase));
            if (status is null)
            {
                errors["status"] = [$"status must be one of {string.Join(", ", Enum.GetNames<DeliveryStatus>())}."];
            }
        }

        foreach (var (name, value) in new[] { ("sender", Sender), ("text", Text) })
        {
            if (value?.Length > MaxSearchLength)
            {
                errors[name] = [$"{name} must be at most {MaxSearchLength} characters."];
            }
        }

        var since = Time(errors, "since", Blank(Since));
        var until = Time(errors, "until", Blank(Until));
        int skip, take;
        if (Blank(Page) is not null || Blank(PageSize) is not null)
        {
            if (Blank(Skip) is not null || Blank(Take) is not null)
            {
                errors["page"] = ["Use skip/take or page/pageSize, not both."];
            }

            var page = Number(errors, "page", Blank(Page), 1, 1, int.MaxValue / MaxTake);
            take = Number(errors, "pageSize", Blank(PageSize), defaultTake, 1, MaxTake);
            skip = (page - 1) * take;
        }
        else
        {
            skip = Number(errors, "skip", Blank(Skip), 0, 0, int.MaxValue);
            take = Number(errors, "take", Blank(Take), defaultTake, 1, MaxTake);
        }

        return errors.Count > 0
            ? null
            : new DeliveryQuery(platform, Blank(Channel), Blank(Group), status, since, until, skip, take, Blank(Sender), Blank(Text));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DateTimeOffset? Time(Dictionary<string, string[]> errors, string name, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        errors[name] = [$"{name} must be an ISO 8601 time such as 2026-01-31T09:00:00Z."];
        return null;
    }

    private static int Number(Dictionary<string, string[]> errors, string name, string? value, int fallback, int min, int max)
    {
        if (value is null)
        {
            return fallback;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }

        errors[name] = [$"{name} must be a whole number from {min} to {max}."];
        return fallback;
    }
}
