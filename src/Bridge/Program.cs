using Bridge.Hosting;
using Bridge.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.AddBridge();

// Disposed on the way out, so a refused start's Critical log entry is flushed before the process exits.
await using var app = builder.Build();
if (!app.OpenStore())
{
    return 1;
}

app.MapBridge();
await app.RunAsync();
return 0;

/// <summary>Entry point; public so the tests can host the application.</summary>
public partial class Program;
