using System.Net;
using Azure.Core;
using Bridge.Commands;
using Bridge.Forwarding;
using Bridge.Http;
using Bridge.Media;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using Polly;

namespace Bridge.Teams;

internal static class TeamsServiceCollectionExtensions
{
    public static IServiceCollection AddTeams(this IServiceCollection services)
    {
        services.AddOptions<TeamsOptions>()
            .BindConfiguration(TeamsOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
                options.AdminUserIds = configuration.GetSection(TeamsOptions.AdminUserIdsKey).Get<string[]>() ?? [])
            .Validate(o => SafeUrl.IsAllowed(o.OpenIdMetadataUrl), "Teams:OpenIdMetadataUrl must be https (plain http only for loopback).")
            // MSAL accepts only https authorities.
            .Validate(o => o.AuthorityHost.Scheme == Uri.UriSchemeHttps && o.AuthorityHost.AbsolutePath.EndsWith('/'), "Teams:AuthorityHost must be https and end with a slash.")
            .Validate(o => o.AllowedServiceHosts.All(HostNames.IsEntry),
                "Teams:AllowedServiceHosts must list host names (e.g. smba.example.com or *.example.com), without scheme, port or path.")
            .Validate(o => o.TokenEndpoint is null || TeamsTokenProvider.IsTokenEndpoint(o.TokenEndpoint), "Teams:TokenEndpoint must be https and end with /{tenant}/oauth2/v2.0/token.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TeamsOptions>, TeamsOptionsValidator>();

        services.AddMemoryCache();
        // The authenticator keeps its client for good, so the factory never rotates its handler: connections are
        // renewed every few minutes instead, so that DNS changes of the metadata hosts are seen.
        services.AddHttpClient(TeamsAuthenticator.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        // MSAL retries the token endpoint itself.
        services.AddHttpClient(TeamsTokenProvider.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<IMsalHttpClientFactory, TeamsMsalHttpClientFactory>();
        services.AddHttpClient(TeamsConnectorClient.HttpClientName).AddResilienceHandlerOverWholeResponse("teams-connector", AddConnectorRetry);
        services.AddHttpClient(TeamsMediaDownloader.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        // File links come from chat users: redirects are followed by hand and checked, and addresses are checked on connect.
        // Media:DownloadTimeout bounds the whole download, so the client sets no timeout of its own.
        services.AddHttpClient(TeamsMediaDownloader.FilesHttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var fileHosts = sp.GetRequiredService<TeamsFileHosts>();
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    ConnectCallback = (context, cancellationToken) => PublicNetwork.ConnectAsync(context, fileHosts.MayConnect, cancellationToken),
                };
            });
        services.AddSingleton<TeamsFileHosts>();

        services.AddSingleton<TeamsServiceHosts>();
        services.AddSingleton<TeamsAuthenticator>();
        services.AddSingleton<TeamsTokenProvider>();
        services.AddSingleton<TokenCredential>(sp => TeamsTokenProvider.CreateManagedIdentity(sp.GetRequiredService<IOptions<TeamsOptions>>().Value));
        services.AddSingleton<TeamsConnectorClient>();
        services.AddSingleton<TeamsForwardBuilder>();
        services.AddSingleton<TeamsActivityHandler>();
        services.AddSingleton<TeamsApprovalActions>();
        services.AddSingleton<IApprovalPresenter, TeamsApprovalPresenter>();
        services.AddSingleton<TeamsSendAgainActions>();
        services.AddSingleton<ICommandAdmins, TeamsAdmins>();
        services.AddSingleton<IThreadReplier, TeamsThreadReplier>();
        services.AddSingleton<IMediaDownloader, TeamsMediaDownloader>();
        return services;
    }

    /// <summary>
    /// Microsoft asks bots to retry 429, 412, 502 and 504 with backoff (Teams rate-limit doc); 500 and 503 too. A reply
    /// posted twice is a small harm next to a lost outcome; what still fails is retried durably by the reply poster.
    /// </summary>
    private static void AddConnectorRetry(ResiliencePipelineBuilder<HttpResponseMessage> pipeline)
    {
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(500),
            MaxDelay = TimeSpan.FromSeconds(10),
            ShouldRetryAfterHeader = true,
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Result?.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.PreconditionFailed
                    or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
                || args.Outcome.Exception is HttpRequestException),
        });
        // Per try, headers and body together (the body is read inside the pipeline).
        pipeline.AddTimeout(TimeSpan.FromSeconds(15));
    }
}
