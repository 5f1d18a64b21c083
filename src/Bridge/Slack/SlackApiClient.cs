using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Forwarding;
using Microsoft.Extensions.Options;

namespace Bridge.Slack;

/// <summary>
/// The few Slack Web API methods Bridge calls. Slack answers errors as HTTP 200 with <c>ok:false</c>, so every call
/// checks <c>ok</c>; a 429 is thrown with its <c>Retry-After</c> for the caller's durable back-off.
/// </summary>
internal sealed class SlackApiClient(HttpClient http, IOptions<SlackOptions> options, SlackCache<SlackUser> users, SlackCache<string?> channelNames)
{
    /// <summary>Posts a message; returns its ts.</summary>
    /// <param name="blocks">Block Kit blocks shown instead of <paramref name="text"/>, which then serves notifications.</param>
    public async Task<string> PostMessageAsync(string channel, string text, string? threadTs, CancellationToken cancellationToken, JsonArray? blocks = null)
    {
        var response = await CallAsync("chat.postMessage", JsonContent.Create(new SlackMessage(channel, text, threadTs, Blocks: blocks), SlackJson.Default.SlackMessage), cancellationToken);
        return response.Ts ?? throw new ReplyException("Slack answered chat.postMessage without a ts.");
    }

    /// <summary>Replaces the text and blocks of a message the bot posted (https://docs.slack.dev/reference/methods/chat.update).</summary>
    public async Task UpdateMessageAsync(string channel, string ts, string text, JsonArray blocks, CancellationToken cancellationToken) =>
        await CallAsync("chat.update", JsonContent.Create(new SlackMessageUpdate(channel, ts, text, blocks), SlackJson.Default.SlackMessageUpdate), cancellationToken);

    /// <summary>Posts a message only <paramref name="user"/> sees in the channel (https://docs.slack.dev/reference/methods/chat.postEphemeral).</summary>
    /// <param name="blocks">Block Kit blocks shown instead of <paramref name="text"/>.</param>
    public async Task PostEphemeralAsync(string channel, string user, string text, string? threadTs, CancellationToken cancellationToken, JsonArray? blocks = null) =>
        await CallAsync("chat.postEphemeral", JsonContent.Create(new SlackEphemeralMessage(channel, user, text, threadTs, blocks), SlackJson.Default.SlackEphemeralMessage), cancellationToken);

    /// <summary>Opens (or finds) the bot's direct message with a user; returns its channel id (needs im:write).</summary>
    public async Task<string> OpenDirectMessageAsync(string userId, CancellationToken cancellationToken)
    {
        var response = await CallAsync("conversations.open", new FormUrlEncodedContent([new("users", userId)]), cancellationToken);
        return response.Channel is { ValueKind: JsonValueKind.Object } channel && channel.TryGetProperty("id", out var id) && id.GetString() is { Length: > 0 } channelId
            ? channelId
            : throw new ReplyException("Slack answered conversations.open without a channel id.");
    }

    /// <summary>
    /// Whether a failed call proves Slack did not act: an <c>ok:false</c> answer, a 429, or a connection never made.
    /// Anything else (no answer in time, a dropped connection, a 5xx) leaves a post possibly made.
    /// </summary>
    public static bool ProvesNothingPosted(Exception exception) => exception is SlackApiException
        or ReplyException { RetryAfter: not null }
        or HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };

    public async Task<SlackUser> GetUserAsync(string userId, CancellationToken cancellationToken)
    {
        if (users.TryGet(userId, out var cached))
        {
            return cached;
        }

        var response = await CallAsync("users.info", new FormUrlEncodedContent([new("user", userId)]), cancellationToken);
        var user = response.User ?? throw new ReplyException("Slack answered users.info without a user.");
        users.Add(user.Id, user);
        return user;
    }

    /// <summary>
    /// The channel's name (https://docs.slack.dev/reference/methods/conversations.info), or null where Slack will not
    /// say: without the channels:read (groups:read for private channels) scope, or for a channel the bot cannot see.
    /// Both answers are kept a while, so a page that shows names does not ask again on every render.
    /// </summary>
    public async Task<string?> GetChannelNameAsync(string channelId, CancellationToken cancellationToken)
    {
        if (channelNames.TryGet(channelId, out var cached))
        {
            return cached;
        }

        string? name;
        try
        {
            var response = await CallAsync("conversations.info", new FormUrlEncodedContent([new("channel", channelId)]), cancellationToken);
            name = response.Channel is { ValueKind: JsonValueKind.Object } channel && channel.TryGetProperty("name", out var value)
                && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } found
                ? found
                : null;
        }
        catch (SlackApiException exception) when (exception.Error is "missing_scope" or "channel_not_found" or "not_in_channel")
        {
            name = null;
        }

        channelNames.Add(channelId, name);
        return name;
    }

    /// <summary>
    /// The full file object, for Slack Connect files that events carry only as an id with <c>file_access: check_file_info</c>
    /// (https://docs.slack.dev/reference/events/message/file_share).
    /// </summary>
    public async Task<SlackFile> GetFileAsync(string fileId, CancellationToken cancellationToken) =>
        (await CallAsync("files.info", new FormUrlEncodedContent([new("file", fileId)]), cancellationToken)).File
        ?? throw new ReplyException("Slack answered files.info without a file.");

    /// <summary>Checks the bot token; returns the workspace name.</summary>
    public async Task<string> AuthTestAsync(CancellationToken cancellationToken) =>
        (await CallAsync("auth.test", new FormUrlEncodedContent([]), cancellationToken)).Team ?? "";

    /// <summary>
    /// Answers through a command's or an interaction's response_url (a capability URL: no token is sent to it), privately
    /// unless the message says otherwise, e.g. <c>replace_original</c> for the message whose button was pressed.
    /// </summary>
    public Task RespondAsync(string responseUrl, string text, CancellationToken cancellationToken) =>
        RespondAsync(responseUrl, new SlackResponseUrlMessage(text), cancellationToken);

    public async Task RespondAsync(string responseUrl, SlackResponseUrlMessage message, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, responseUrl)
        {
            Content = JsonContent.Create(message, SlackJson.Default.SlackResponseUrlMessage),
        };
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new ReplyException($"Slack's response_url answered {(int)response.StatusCode}.", response.Headers.RetryAfter?.Delta);
        }
    }

    private async Task<SlackResponse> CallAsync(string method, HttpContent content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Value.ApiBaseUrl, method)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.BotToken);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new ReplyException($"Slack rate-limited {method}.", response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new ReplyException($"Slack answered {method} with HTTP {(int)response.StatusCode}.");
        }

        SlackResponse? body;
        try
        {
            body = await response.Content.ReadFromJsonAsync(SlackJson.Default.SlackResponse, cancellationToken);
        }
        catch (JsonException)
        {
            throw new ReplyException($"Slack answered {method} with something other than JSON.");
        }

        return body is { Ok: true } ? body : throw new SlackApiException(method, body?.Error ?? "unknown_error", body?.Needed);
    }
}

/// <summary>
/// Slack answered <c>ok:false</c>; <see cref="Error"/> is Slack's error code, e.g. <c>not_in_channel</c>, and
/// <see cref="Needed"/> the scope a <c>missing_scope</c> lacks.
/// </summary>
internal sealed class SlackApiException(string method, string error, string? needed = null)
    : Exception($"Slack {method} failed: {error}{(needed is null ? "" : $" (needed: {needed})")}")
{
    public string Method { get; } = method;
    public string Error { get; } = error;
    public string? Needed { get; } = needed;
}
