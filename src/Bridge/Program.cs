using Bridge.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddBridge();

var app = builder.Build();
app.MapBridge();
app.Run();

/// <summary>Entry point; public so the tests can host the application.</summary>
public partial class Program;
