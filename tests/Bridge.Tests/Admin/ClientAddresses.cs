using System.Net;
using Bridge.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Admin;

/// <summary>
/// Client addresses in-process: the test server gives a request no remote address, so each request comes from a
/// proxy at 127.0.0.1 (set first in the pipeline) that Bridge trusts through Bridge:TrustedProxies, and the client's
/// address is the proxy's X-Forwarded-For. This also drives the forwarded-headers setting operators use.
/// </summary>
public static class ClientAddresses
{
    public const string Proxy = "127.0.0.1";

    public static void TrustTestProxy(this BridgeApp app)
    {
        app.Settings["Bridge:TrustedProxies:0"] = Proxy;
        app.TestServices.Add(services => services.AddSingleton<IStartupFilter>(new ProxyConnection()));
    }

    public static HttpClient From(this HttpClient client, string address)
    {
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    private sealed class ProxyConnection : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(Proxy);
                return following(context);
            });
            next(app);
        };
    }
}
