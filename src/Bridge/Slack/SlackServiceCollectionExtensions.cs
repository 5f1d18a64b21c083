using System.Net;
using Bridge.Delivery;
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
            .ValidateDataAnnotations()
            .Validate(o => Hosting.SafeUrl.IsAllowed(o.ApiBaseUrl), "Slack:ApiBaseUrl must be https (plain http only for loopback).")
            .ValidateOnStart();

        services.AddSingleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>();
        services.AddHttpClient<SlackApiClient>()
            .AddResilienceHandler("slack", pipeline =>
            {
                // 429 and refused connections prove Slack did not act, so even a chat.postMessage may be repeated.
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 2,
                    Delay = TimeSpan.FromMilliseconds(500),
                    MaxDelay = TimeSpan.FromSeconds(10),
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => ValueTask.FromResult(
                        args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests
                        || args.Outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(10));
            });

        services.AddSingleton<SlackUserCache>();
        services.AddSingleton<SlackRequestReader>();
        services.AddSingleton<SlackForwardBuilder>();
        services.AddSingleton<SlackAdmins>();
        services.AddSingleton<IThreadReplier, SlackThreadReplier>();
        return services;
    }
}
