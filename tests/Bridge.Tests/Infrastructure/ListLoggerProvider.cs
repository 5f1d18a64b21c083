using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Infrastructure;

/// <summary>
/// Captures every log line (message and exception), so tests can check that no secret is ever logged; <paramref name="added"/>
/// is called after each line, e.g. to complete a waiter.
/// </summary>
public sealed class ListLoggerProvider(List<string> lines, Action? added = null) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new ListLogger(lines, categoryName, added);

    public void Dispose()
    {
    }

    private sealed class ListLogger(List<string> lines, string category, Action? added) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines)
            {
                lines.Add($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)} {exception}");
            }

            added?.Invoke();
        }
    }
}
