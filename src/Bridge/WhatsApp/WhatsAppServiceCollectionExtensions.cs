using Bridge.Http;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.RateLimiting;

namespace Bridge.WhatsApp;

internal static class WhatsAppServiceCollectionExtensions
{
    public static IServiceCollection AddWhatsApp(this IServiceCollection services)
    {
        services.AddOptions<WhatsAppOptions>()
            .BindConfiguration(WhatsAppOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => SafeUrl.IsAllowed(o.BaseUrl), "WhatsApp:BaseUrl must be https (plain http only for loopback).")
            .Validate(o => o.RateLimitWindow > TimeSpan.Zero, "WhatsApp:RateLimitWindow must be positive.")
            .ValidateOnStart();

        services.AddSingleton<IValidateOptions<WhatsAppOptions>, WhatsAppOptionsValidator>();
        // Its IPermitLog comes from Storage: this process's own, or the database's that replicas share.
        services.AddSingleton<TalkNTalkRateLimit>();
        services.AddSingleton<LookupCache>();
        var client = services.AddHttpClient<TalkNTalkClient>((sp, http) =>
            TalkNTalkClient.Configure(http, sp.GetRequiredService<IOptions<WhatsAppOptions>>().Value));
        client.AddResilienceHandler("talkntalk", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<WhatsAppOptions>>().Value;

            // Only GETs are retried here: a POST whose outcome is unknown must not be repeated, and sends that
            // were provably not taken are retried by the durable delivery jobs, which survive a restart.
            var retry = new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 2,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
            };
            retry.DisableForUnsafeHttpMethods();
            pipeline.AddRetry(retry);

            pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = 0.8,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = options.CircuitBreakDuration,
            });
            var rateLimit = context.ServiceProvider.GetRequiredService<TalkNTalkRateLimit>();
            pipeline.AddRateLimiter(new RateLimiterStrategyOptions
            {
                RateLimiter = limited => rateLimit.PermitForAsync(limited.Context.GetRequestMessage(), limited.Context.CancellationToken),
            });
            pipeline.AddTimeout(options.Timeout);
        });
        // Inside the pipeline, as Slack's and the Bot Connector's (WholeResponseTimeout): its timeout bounds the body as
        // well as the headers.
        client.AddHttpMessageHandler(() => new WholeResponseHandler());

        return services;
    }
}
