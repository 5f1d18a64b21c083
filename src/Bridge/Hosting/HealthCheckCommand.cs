namespace Bridge.Hosting;

/// <summary>
/// <c>Bridge healthcheck</c>: GETs <c>/healthz</c> from the Bridge running beside it, on the address that Bridge
/// listens on (from the same <c>--urls</c>, <c>ASPNETCORE_URLS</c> or <c>ASPNETCORE_HTTP_PORTS</c>), and exits 0 on 200,
/// otherwise 1. The Dockerfile's HEALTHCHECK runs it, since the .NET runtime images have neither curl nor wget.
/// </summary>
internal static class HealthCheckCommand
{
    public const string Verb = "healthcheck";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly string[] AnyHost = ["*", "+", "0.0.0.0", "[::]"];

    public static async Task<int> RunAsync(string[] arguments, TextWriter output)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(arguments)
            .Build();
        var url = new Uri(new Uri(ListenAddress(configuration)), "healthz");
        using var http = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await http.GetAsync(url);
            await output.WriteLineAsync($"{url}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            await output.WriteLineAsync($"{url}: no answer ({exception.Message})");
            return 1;
        }
    }

    /// <summary>The first address Bridge listens on, with a wildcard host read as this machine's loopback.</summary>
    private static string ListenAddress(IConfiguration configuration)
    {
        var address = configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
            ?? (configuration["http_ports"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is { } port ? $"http://*:{port.Trim()}" : null)
            ?? BridgeApplication.DefaultUrl;
        var uri = new UriBuilder(address.Replace("://*", "://any").Replace("://+", "://any"));
        if (uri.Host == "any" || AnyHost.Contains(uri.Host) || AnyHost.Contains($"[{uri.Host}]"))
        {
            uri.Host = "127.0.0.1";
        }

        return uri.Uri.ToString();
    }
}
