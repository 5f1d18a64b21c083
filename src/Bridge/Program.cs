using Bridge.Hosting;
using Bridge.Storage;

// A command instead of the service: moving a LiteDB store into PostgreSQL (see README, "Running several replicas").
if (args is [LiteDbImportCommand.Verb, .. var importArguments])
{
    return await LiteDbImportCommand.RunAsync(importArguments, Console.Out, Console.Error);
}

// The Dockerfile's HEALTHCHECK: asks the Bridge running beside it for /healthz.
if (args is [HealthCheckCommand.Verb, .. var healthCheckArguments])
{
    return await HealthCheckCommand.RunAsync(healthCheckArguments, Console.Out);
}

// A new generated admin key, for an operator who lost the first start's key file (see README, "The admin key").
if (args is [AdminResetKeyCommand.Group, AdminResetKeyCommand.Verb, .. var resetKeyArguments])
{
    return await AdminResetKeyCommand.RunAsync(resetKeyArguments, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddBridge();

var app = builder.Build();
if (!app.CheckSettings())
{
    return 1;
}

if (!app.OpenStore())
{
    // Disposed so that the refusal's Critical log entry is written before the process exits.
    await app.DisposeAsync();
    return 1;
}

app.MapBridge();
await app.RunAsync();
return 0;

/// <summary>Entry point; public so the tests can host the application.</summary>
public partial class Program;
