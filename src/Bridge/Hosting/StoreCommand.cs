using Bridge.Forwarding;
using Bridge.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bridge.Hosting;

/// <summary>
/// What the commands that work on the store (<c>import-litedb</c>, <c>admin reset-key</c>) share: a host with Bridge's
/// settings (appsettings.json, environment, the arguments) and store, and each refusal or failure as one sentence on
/// stderr with exit code 1, so the connection string is never on the screen.
/// </summary>
internal static class StoreCommand
{
    /// <param name="arguments">The settings given on the command line.</param>
    /// <param name="error">Where a refusal's sentence goes.</param>
    /// <param name="action">What the command does, for "PostgreSQL refused …".</param>
    /// <param name="aftermath">What a failure leaves, closing its sentence.</param>
    /// <param name="run">The command, given the host's services; the store opens when it first asks for it.</param>
    public static async Task<int> RunAsync(
        string[] arguments, TextWriter error, string action, string aftermath, Func<IServiceProvider, Task<int>> run)
    {
        try
        {
            var builder = Host.CreateApplicationBuilder(arguments);
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddStorage();
            using var host = builder.Build();
            return await run(host.Services);
        }
        catch (OptionsValidationException exception)
        {
            await error.WriteLineAsync(string.Join(" ", exception.Failures));
        }
        catch (StoreOpenException exception)
        {
            await error.WriteLineAsync(exception.Message);
        }
        catch (StoreUnavailableException exception)
        {
            await error.WriteLineAsync($"The store stopped answering ({exception.Reason}); {aftermath}.");
        }
        catch (NpgsqlException exception)
        {
            // A refusal of the server's own (a permission, say): its message names no password.
            await error.WriteLineAsync($"PostgreSQL refused {action} ({LogValue.Clean(exception.Message)}); {aftermath}.");
        }

        return 1;
    }
}
