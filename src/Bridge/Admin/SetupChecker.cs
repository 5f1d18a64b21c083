using System.Text.Json;
using Bridge.Forwarding;
using Bridge.Media;
using Bridge.Slack;
using Bridge.Teams;
using Bridge.WhatsApp;
using Microsoft.Extensions.Options;

namespace Bridge.Admin;

/// <summary>Checks each integration the way Bridge uses it: Slack auth.test, TalkNTalk ping and phones, Teams metadata and, for a single-tenant bot, its tenant and token.</summary>
internal sealed class SetupChecker(
    IOptions<SlackOptions> slackOptions,
    SlackApiClient slack,
    IOptions<WhatsAppOptions> whatsAppOptions,
    TalkNTalkClient whatsApp,
    IOptions<TeamsOptions> teamsOptions,
    TeamsTokenProvider tokens,
    IHttpClientFactory httpClients,
    ISettingStore store,
    AdminKey key,
    IOptions<BridgeOptions> bridgeOptions,
    MediaTranscoder transcoder)
{
    public async Task<SetupView> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = await Task.WhenAll(CheckSlackAsync(cancellationToken), CheckWhatsAppAsync(cancellationToken), CheckTeamsAsync(cancellationToken));
        return new SetupView([.. checks, CheckPublicBaseUrl(), CheckFfmpeg()], await key.IsGeneratedAsync());
    }

    /// <summary>Without ffmpeg, audio goes as a file rather than a voice note, and video WhatsApp can't play goes as it is.</summary>
    private IntegrationStatus CheckFfmpeg() => transcoder.Available
        ? new("Voice notes and video (ffmpeg)", IntegrationStatus.Ok, "ffmpeg converts audio to voice notes and video WhatsApp can't play to MP4.", null)
        : new("Voice notes and video (ffmpeg)", IntegrationStatus.NeedsAttention,
            "ffmpeg was not found: audio is sent as it is, not as voice notes, and video is not converted.",
            "Install Debian's ffmpeg package (apt-get install ffmpeg), or set Media:FfmpegFolder to the folder holding ffmpeg and ffprobe, then restart Bridge.");

    /// <summary>WhatsApp fetches forwarded files from Bridge, so without a public address only text can go.</summary>
    private IntegrationStatus CheckPublicBaseUrl() => bridgeOptions.Value.PublicBaseUrl is { } url
        ? new("Files (Bridge:PublicBaseUrl)", IntegrationStatus.Ok, $"WhatsApp fetches forwarded files from {url}.", null)
        : new("Files (Bridge:PublicBaseUrl)", IntegrationStatus.NeedsAttention,
            "Bridge:PublicBaseUrl is not set, so images and documents cannot be forwarded (text is).",
            "Set Bridge:PublicBaseUrl to the https address at which WhatsApp can reach Bridge, then restart Bridge.");

    private async Task<IntegrationStatus> CheckSlackAsync(CancellationToken cancellationToken)
    {
        const string name = "Slack";
        if (slackOptions.Value.MissingKeys() is { Count: > 0 } missing)
        {
            return new(name, IntegrationStatus.NotConfigured, "Slack is not configured.",
                $"Set {string.Join(" and ", missing)} from the Slack app's settings to use Slack.");
        }

        try
        {
            var team = await slack.AuthTestAsync(cancellationToken);
            // auth.test passes with a token that lacks a scope: the last refused post tells what replies are losing.
            return await store.GetSettingAsync(SlackRefusals.ProblemSetting, cancellationToken) is { Length: > 0 } problem
                ? new(name, IntegrationStatus.Failing, $"The bot token works (workspace {team}), but Slack refused a reply: {problem}.",
                    "Add the missing scope to the Slack app (OAuth & Permissions) and reinstall it, or update Slack:BotToken. The card turns green once the refused call works again.")
                : new(name, IntegrationStatus.Ok, $"The bot token works (workspace {team}).", null);
        }
        catch (SlackApiException exception)
        {
            return new(name, SlackErrors.IsTokenOrScope(exception.Error) ? IntegrationStatus.Failing : IntegrationStatus.NeedsAttention,
                $"Slack refused the bot token ({exception.Error}).",
                "Check Slack:BotToken: copy the Bot User OAuth Token from the Slack app's OAuth & Permissions page.");
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return new(name, IntegrationStatus.Unreachable, $"Slack could not be reached: {Describe(exception)}.",
                "Check that Bridge can reach Slack:ApiBaseUrl (network, proxy, firewall).");
        }
    }

    private async Task<IntegrationStatus> CheckWhatsAppAsync(CancellationToken cancellationToken)
    {
        const string name = "WhatsApp (TalkNTalk)";
        var options = whatsAppOptions.Value;
        if (!options.IsConfigured)
        {
            return new(name, IntegrationStatus.NotConfigured, "WhatsApp is not configured: nothing can be sent.",
                "Set WhatsApp:ApiKey and WhatsApp:SessionId (from the TalkNTalk dashboard).");
        }

        try
        {
            var ping = await whatsApp.PingAsync(cancellationToken);
            var phones = await whatsApp.ListPhonesAsync(cancellationToken);
            var organisation = ping.Organisation?.Name ?? "unnamed organisation";
            var phone = phones.FirstOrDefault(p => p.ChatId == options.SessionId);
            if (phone is null)
            {
                return new(name, IntegrationStatus.NeedsAttention,
                    $"Connected to {organisation}, but WhatsApp:SessionId is not one of its phones.",
                    phones.Count == 0
                        ? "Add a phone in the TalkNTalk dashboard, then set WhatsApp:SessionId to its chat_id."
                        : $"Set WhatsApp:SessionId to the chat_id of one of: {string.Join(", ", phones.Select(p => $"{p.Name} ({p.ChatId})"))}.");
            }

            return phone.IsOpen
                ? new(name, IntegrationStatus.Ok, $"Connected to {organisation}; phone {phone.Name ?? phone.ChatId} is open.", null)
                : new(name, IntegrationStatus.NeedsAttention,
                    $"Connected to {organisation}, but phone {phone.Name ?? phone.ChatId} is {phone.Status ?? "not open"}: nothing can be sent.",
                    "Reconnect the phone in the TalkNTalk dashboard (scan the QR code again).");
        }
        catch (TalkNTalkException exception) when (exception.StatusCode is 401 or 403)
        {
            return new(name, IntegrationStatus.NeedsAttention, "TalkNTalk refused the API key.", "Check WhatsApp:ApiKey.");
        }
        catch (TalkNTalkException exception)
        {
            return new(name, IntegrationStatus.Unreachable, $"TalkNTalk could not be reached: {exception.Message}.",
                "Check that Bridge can reach WhatsApp:BaseUrl, and TalkNTalk's status.");
        }
    }

    private async Task<IntegrationStatus> CheckTeamsAsync(CancellationToken cancellationToken)
    {
        const string name = "Microsoft Teams";
        var teams = teamsOptions.Value;
        if (teams.MissingKeys() is { Count: > 0 } missing)
        {
            return new(name, IntegrationStatus.NotConfigured, "Teams is not configured.",
                $"Set {string.Join(" and ", missing)} from the Azure Bot registration to use Teams.");
        }

        // Start-up validation already refused metadata URLs that are not https (or loopback http).
        if (await CheckMetadataAsync(name, "The Bot Framework OpenID metadata", teams.OpenIdMetadataUrl, "Teams:OpenIdMetadataUrl", cancellationToken) is { } botFramework)
        {
            return botFramework;
        }

        if (!teams.HasTenant)
        {
            return new(name, IntegrationStatus.Ok, "The Bot Framework OpenID metadata is reachable.", null);
        }

        if (await CheckMetadataAsync(name, "The tenant's Entra OpenID metadata", teams.EntraOpenIdMetadataUrl, "Teams:TenantId (the Directory (tenant) ID of the bot's app registration) and Teams:AuthorityHost", cancellationToken) is { } entra)
        {
            return entra;
        }

        try
        {
            await tokens.GetTokenAsync(cancellationToken);
            return new(name, IntegrationStatus.Ok, "The Bot Framework and tenant OpenID metadata are reachable, and Bridge got its Teams token.", null);
        }
        catch (ReplyException exception)
        {
            return new(name, IntegrationStatus.Failing, $"Bridge cannot get its Teams token, so replies fail. {exception.Message}",
                "Check Teams:AppId, Teams:TenantId and the credential (Teams:AppPassword, the certificate or the managed identity) against the app registration.");
        }
    }

    /// <summary>Null when the OpenID metadata document at <paramref name="url"/> answers with a jwks_uri, else what is wrong.</summary>
    private async Task<IntegrationStatus?> CheckMetadataAsync(string name, string what, Uri url, string keys, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await httpClients.CreateClient(TeamsAuthenticator.HttpClientName).GetAsync(url, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                // A 4xx says the URL is wrong (Entra answers 400 for a tenant that does not exist); a 5xx, that the service is down.
                return new(name, (int)response.StatusCode < 500 ? IntegrationStatus.Failing : IntegrationStatus.Unreachable,
                    $"{what} answered HTTP {(int)response.StatusCode}.", $"Check {keys}.");
            }

            using var metadata = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            return metadata.RootElement.ValueKind == JsonValueKind.Object && metadata.RootElement.TryGetProperty("jwks_uri", out _)
                ? null
                : new(name, IntegrationStatus.NeedsAttention, $"{what} has no jwks_uri.", $"Check {keys}.");
        }
        catch (JsonException)
        {
            return new(name, IntegrationStatus.NeedsAttention, $"{what} is not JSON.", $"Check {keys}.");
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return new(name, IntegrationStatus.Unreachable, $"{what} could not be fetched: {Describe(exception)}.",
                $"Check {keys} and that Bridge can reach it (network, proxy, firewall).");
        }
    }

    private static string Describe(Exception exception) => exception switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "could not connect",
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "the host name could not be resolved",
        HttpRequestException => "the connection failed",
        TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException => "no answer in time",
        _ => exception.Message,
    };
}
