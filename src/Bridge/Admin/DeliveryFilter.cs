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
    public string? Skip { get; init; }
    public string? Take { get; init; }
    /// <summary>1-based; with <see cref="PageSize"/>, instead of skip/take.</summary>
    public string? Page { get; init; }
    public string? PageSize { get; init; }

    internal DeliveryQuery? ToQuery(out Dictionary<string, string[]> errors)
    {
        errors = [];
        var platform = Platform is null ? null : LinkEditor.ParsePlatform(Platform);
        if (Platform is not null && platform is null)
        {
            errors["platform"] = ["platform must be Slack or Teams."];
        }

        DeliveryStatus? status = null;
        if (Status is not null)
        {
            status = Enum.GetValues<DeliveryStatus>().Cast<DeliveryStatus?>()
                .FirstOrDefault(s => string.Equals(s.ToString(), Status.Trim(), StringComparison.OrdinalIgnoreCase));
            if (status is null)
            {
                errors["status"] = [$"status must be one of {string.Join(", ", Enum.GetNames<DeliveryStatus>())}."];
            }
        }

        var since = Time(errors, "since", Since);
        var until = Time(errors, "until", Until);
        int skip, take;
        if (Page is not null || PageSize is not null)
        {
            if (Skip is not null || Take is not null)
            {
                errors["page"] = ["Use skip/take or page/pageSize, not both."];
            }

            var page = Number(errors, "page", Page, 1, 1, int.MaxValue / MaxTake);
            take = Number(errors, "pageSize", PageSize, DefaultTake, 1, MaxTake);
            skip = (page - 1) * take;
        }
        else
        {
            skip = Number(errors, "skip", Skip, 0, 0, int.MaxValue);
            take = Number(errors, "take", Take, DefaultTake, 1, MaxTake);
        }

        return errors.Count > 0
            ? null
            : new DeliveryQuery(platform, Blank(Channel), Blank(Group), status, since, until, skip, take);
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
