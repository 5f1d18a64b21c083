using System.Net.Http.Headers;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Admin;

/// <summary>Starts Bridge with a known admin key and gives clients that send it (or not).</summary>
public static class AdminApp
{
    public const string Key = "adm_test_0123456789abcdefghijklmnop";

    public static Task<BridgeApp> StartAsync(Action<BridgeApp>? configure = null) =>
        BridgeApp.StartAsync(app =>
        {
            app.Settings["Admin:ApiKey"] = Key;
            configure?.Invoke(app);
        });

    public static HttpClient Api(this BridgeApp app, string? key = Key)
    {
        var client = app.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }
}
