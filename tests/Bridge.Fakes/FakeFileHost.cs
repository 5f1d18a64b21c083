using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bridge.Fakes;

/// <summary>
/// A file host on 127.0.0.1 standing in for SharePoint or OneDrive: it serves files, redirects, or trickles a file
/// that never ends, and records every request it receives.
/// </summary>
public sealed class FakeFileHost : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _files = new();
    private readonly CancellationTokenSource _stopping = new();
    private LoopbackServer _server = null!;

    public Uri BaseUrl => _server.BaseUrl;
    public IReadOnlyList<string> Requests => _requests.ToArray();

    public static async Task<FakeFileHost> StartAsync()
    {
        var host = new FakeFileHost();
        host._server = await LoopbackServer.StartAsync(host.Map);
        return host;
    }

    public string Url(string name) => new Uri(BaseUrl, name).ToString();

    public string Serve(string name, byte[] content, string contentType) =>
        Add(name, context => Results.Bytes(content, contentType).ExecuteAsync(context));

    public string Redirect(string name, string target) =>
        Add(name, context => Results.Redirect(target).ExecuteAsync(context));

    /// <summary>Announces <paramref name="length"/> bytes and sends them as <paramref name="trickle"/> does, never all of them.</summary>
    public string Stall(string name, long length, Trickle trickle) => Add(name, async context =>
    {
        context.Response.ContentType = "application/pdf";
        context.Response.ContentLength = length;
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        await trickle.SendAsync(context.Response.Body, either.Token);
    });

    private string Add(string name, Func<HttpContext, Task> respond)
    {
        _files[name] = respond;
        return Url(name);
    }

    private void Map(WebApplication app) =>
        app.Map("/{**name}", (HttpContext context, string name) =>
        {
            _requests.Enqueue("/" + name);
            return _files.TryGetValue(name, out var respond) ? respond(context) : Results.NotFound().ExecuteAsync(context);
        });

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _server.DisposeAsync();
        _stopping.Dispose();
    }
}
