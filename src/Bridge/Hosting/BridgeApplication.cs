using System.Text.Json;
using Bridge.Admin;
using Bridge.Commands;
using Microsoft.AspNetCore.HttpOverrides;
using Bridge.Forwarding;
using Bridge.Delivery;
using Bridge.Media;
using Bridge.Slack;
using Bridge.Storage;
using Bridge.Teams;
using Bridge.WhatsApp;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Prometheus;

namespace Bridge.Hosting;

/// <summary>The one place that puts Bridge together: each area registers its services and maps its routes.</summary>
internal static class BridgeApplication
{
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(15);
    /// <summary>Where Bridge listens when nothing says otherwise.</summary>
    public const string DefaultUrl = "http://localhost:5139";
    private static readonly string[] AddressKeys = ["urls", "http_ports", "https_ports"];

    public static WebApplicationBuilder AddBridge(this WebApplicationBuilder builder)
    {
        // The default address yields to --urls, ASPNETCORE_URLS and ASPNETCORE_HTTP(S)_PORTS. It is set here rather than
        // as a launch profile's applicationUrl, which overrides ASPNETCORE_URLS silently, or as `urls` in appsettings,
        // which outranks it (https://learn.microsoft.com/aspnet/core/fundamentals/servers/kestrel/endpoints).
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var metricsPort = builder.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>()?.Port;
        if (builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            // Endpoints set in code are bound beside those of the Kestrel section.
            if (metricsPort is > 0 and <= 65535)
            {
                builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenAnyIP(metricsPort.Value));
            }
        }
        else if (metricsPort is > 0 and <= 65535)
        {
            // Endpoints set in code would replace the configured addresses, so the management port joins them instead.
            builder.WebHost.UseUrls([.. ConfiguredAddresses(builder.Configuration), $"http://*:{metricsPort}"]);
        }
        else if (AddressKeys.All(key => string.IsNullOrEmpty(builder.Configuration[key])))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddSingleton(TimeProvider.System);
        // SIGTERM ends Bridge well within 20 s (Kubernetes' grace period in manifests/kubernetes): sends waiting for a
        // rate-limit permit stay pending at once, and a send in flight has JobRunner.StopGrace to finish and be recorded.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // The framework answers a body that is not JSON with a bare 415 (the status code pages make it a problem);
            // the problem says what to send.
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType)
            {
                context.ProblemDetails.Detail ??= "Send the body as JSON, with Content-Type: application/json.";
            }
        });
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services
            .AddStorage()
            .AddForwarding()
            .AddCommands()
            .AddWhatsApp()
            .AddDelivery()
            .AddMedia()
            .AddSlack()
            .AddTeams()
            // The admin cookies' keys live with the store (Admin does not know Storage).
            .AddAdmin(builder.Configuration, StorageServiceCollectionExtensions.DataProtectionKeys, StorageServiceCollectionExtensions.DataFolder);
        // Forwarding depends on no other folder: whether WhatsApp is configured is handed to it here.
        builder.Services.AddOptions<ForwardingOptions>()
            .Configure<IOptions<WhatsAppOptions>>((forwarding, whatsApp) => forwarding.WhatsAppConfigured = whatsApp.Value.IsConfigured);
        builder.Services.AddOptions<ProxyOptions>()
            .BindConfiguration(ProxyOptions.Section)
            .Validate(o => o.IsValid(), "Bridge:TrustedProxies must list IP addresses or CIDR networks, such as 10.0.0.5 or 10.0.0.0/8.")
            .ValidateOnStart();
        // The OpenAPI document's servers: Bridge's public URL, else none; never the request's own scheme and Host, which
        // the framework would name and a client chooses.
        builder.Services.Configure<OpenApiOptions>("v1", openApi => openApi.AddDocumentTransformer((document, context, _) =>
        {
            var publicUrl = context.ApplicationServices.GetRequiredService<IOptions<BridgeOptions>>().Value.PublicBaseUrl;
            document.Servers = publicUrl is null ? [] : [new OpenApiServer { Url = publicUrl.ToString().TrimEnd('/') }];
            return Task.CompletedTask;
        }));
        builder.Services.AddHostedService<StartupReport>();
        return builder;
    }

    /// <summary>The addresses of <c>urls</c>, else of <c>http_ports</c> and <c>https_ports</c>, else the default.</summary>
    private static string[] ConfiguredAddresses(IConfiguration configuration)
    {
        const StringSplitOptions Entries = StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries;
        if (configuration["urls"] is { Length: > 0 } urls)
        {
            return urls.Split(';', Entries);
        }

        string[] ports =
        [
            .. (configuration["http_ports"] ?? "").Split(';', Entries).Select(port => $"http://*:{port}"),
            .. (configuration["https_ports"] ?? "").Split(';', Entries).Select(port => $"https://*:{port}"),
        ];
        return ports.Length > 0 ? ports : [DefaultUrl];
    }

    public static WebApplication MapBridge(this WebApplication app)
    {
        // Behind a TLS-terminating proxy the request's scheme comes from X-Forwarded-Proto, so the admin cookie is
        // Secure. Without Bridge:TrustedProxies only the scheme is taken, from any proxy: it decides nothing else. With
        // them, the client address (X-Forwarded-For, which admin-key guessing is counted by) and the scheme are taken
        // from those proxies only, walking back through each of them
        // (https://learn.microsoft.com/aspnet/core/host-and-deploy/proxy-load-balancer).
        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedProto };
        forwarded.KnownIPNetworks.Clear();
        forwarded.KnownProxies.Clear();
        var proxies = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.Networks();
        if (proxies.Count > 0)
        {
            forwarded.ForwardedHeaders |= ForwardedHeaders.XForwardedFor;
            forwarded.ForwardLimit = null;
            foreach (var proxy in proxies)
            {
                forwarded.KnownIPNetworks.Add(proxy);
            }
        }

        app.UseForwardedHeaders(forwarded);
        // Named here, after the forwarded headers, because WebApplication would otherwise put authentication and
        // authorization before every middleware of this pipeline, where the client address is still the proxy's.
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseStatusCodePages();
        // A store that cannot record (a full disk) is a sentence and a 503 wherever it surfaces (the admin API, say),
        // never a 500 page; Slack and Teams requests turn it into their own answer before it gets here. A request that
        // cannot be read is a problem that says why.
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (StoreUnavailableException exception) when (!context.Response.HasStarted)
            {
                await Results.Problem(ForwardOutcome.NotRecordedSentence(exception.Reason), statusCode: StatusCodes.Status503ServiceUnavailable)
                    .ExecuteAsync(context);
            }
            // A request the framework cannot bind (malformed JSON, a JSON value of the wrong type, no body) is thrown
            // as such because RouteHandlerOptions.ThrowOnBadRequest is set; otherwise the answer is an empty 400
            // (https://learn.microsoft.com/aspnet/core/fundamentals/minimal-apis/handle-errors). System.Text.Json's
            // message says where and what (a path, a line, the type expected), never a value sent.
            catch (BadHttpRequestException exception) when (!context.Response.HasStarted)
            {
                var detail = exception.InnerException is JsonException json ? $"{exception.Message} {json.Message}" : exception.Message;
                await Results.Problem(title: "The request could not be read", detail: detail, statusCode: exception.StatusCode).ExecuteAsync(context);
            }
        });
        // Liveness fails only when a restart might help (the store file cannot even be opened again); readiness also
        // fails while the store cannot record (a full disk), which Bridge recovers from by itself.
        // Both check through the probe, so a ready store found here also ends a loss at once.
        app.MapGet("/healthz", async (StoreProbe store, CancellationToken cancellationToken) =>
            await store.CheckAsync(cancellationToken) == StoreState.Wedged
                ? Results.Problem("The store file cannot be opened; restarting Bridge may help.", statusCode: 503)
                : Results.Text("ok"));
        app.MapGet("/readyz", async (StoreProbe store, StoreAvailability availability, CancellationToken cancellationToken) =>
            await store.CheckAsync(cancellationToken) == StoreState.Ready
                ? Results.Text("ready")
                : Results.Problem(
                    availability.LostReason is { } reason
                        ? $"The store cannot record messages right now ({reason})."
                        : "The store cannot record messages right now.",
                    statusCode: 503));
        // Only on the management port: prometheus-net checks the port the request arrived on (not the Host header,
        // which a client chooses), so nobody who reaches the service's own port reads the metrics.
        if (app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Port is { } metricsPort)
        {
            app.UseMetricServer(metricsPort);
        }

        app.MapPolicyPages();
        app.MapSlack();
        app.MapMedia();
        app.MapTeams();
        app.MapAdmin();
        return app;
    }
}
