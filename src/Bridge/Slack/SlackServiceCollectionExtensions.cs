using Bridge.Commands;
using Bridge.Forwarding;
using Bridge.Http;
using Bridge.Media;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Bridge.Slack;

internal static class SlackServiceCollectionExtensions
{
    public static IServiceCollection AddSlack(this IServiceCollection services)
    {
        services.AddOptions<SlackOptions>()
            .BindConfiguration(SlackOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
                options.AdminUserIds = configuration.GetSection(SlackOptions.AdminUserIdsKey).Get<string[]>() ?? [])
            .ValidateDataAnnotations()
            .Validate(o => SafeUrl.IsAllowed(o.ApiBaseUrl), "Slack:ApiBaseUrl must be https (plain http only for loopback).")
            .ValidateOnStart();

        services.AddSingleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>();
        services.AddHttpClient<SlackApiClient>()
            .AddResilienceHandlerOverWholeResponse("slack", pipeline =>
            {
                // A refused connection proves Slack did not act, so even a chat.postMessage may be repeated. A 429 is not
                // retried here: Polly does not cap a Retry-After delay (Slack may ask for a minute), and waiting inside a
                // call would hold the reply lane, so the caller gets it with Retry-After and the durable back-off waits.
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 2,
                    Delay = TimeSpan.FromMilliseconds(500),
                    ShouldHandle = args => ValueTask.FromResult(
                        args.Outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }),
                });
                // Per try, headers and body together (the body is read inside the pipeline).
                pipeline.AddTimeout(TimeSpan.FromSeconds(10));
            });

        services.AddSingleton<SlackCache<SlackUser>>();
        services.AddSingleton<SlackCache<string?>>();
        services.AddSingleton<SlackRequestReader>();
        services.AddSingleton<SlackForwardBuilder>();
        services.AddSingleton<ICommandAdmins, SlackAdmins>();
        services.AddSingleton<SlackPrivateReplies>();
        services.AddSingleton<SlackRefusals>();
        services.AddSingleton<IThreadReplier, SlackThreadReplier>();

        // Redirects are followed by hand, so the bot token is never carried to another host.
        // Media:DownloadTimeout bounds the whole download, body included, so the client sets no timeout of its own.
        services.AddHttpClient(SlackMediaDownloader.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddResilienceHandler("slack-files", pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(500),
                ShouldRetryAfterHeader = true,
            }));
        services.AddSingleton<SlackMediaDownloader>();
        services.AddSingleton<IMediaDownloader>(sp => sp.GetRequiredService<SlackMediaDownloader>());
        services.AddSingleton<SlackAttachments>();
        services.AddSingleton<SlackShortcuts>();
        services.AddSingleton<SlackApprovalActions>();
        services.AddSingleton<IApprovalPresenter, SlackApprovalPresenter>();
        services.AddSingleton<SlackSendAgainActions>();
        services.AddSingleton<SlackMentions>();
        return services;
    }
}
