using Bridge.Hosting;
using Bridge.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.AddBridge();

var app = builder.Build();
if (!app.OpenStore())
{
    return 1;
}

app.MapBridge();
app.Run();
return 0;

/// <summary>Entry point; public so the tests can host the application.</summary>
public partial class Program;
