using System.Diagnostics;

namespace Bridge.Bench.Load;

/// <summary>
/// Closed-loop load: each client sends its next request as soon as the previous one is answered. Answers that
/// complete during the warm-up are not counted.
/// </summary>
internal sealed class LoadRunner(HttpClient http)
{
    public async Task<LoadResult> RunAsync(int clients, TimeSpan warmup, TimeSpan duration, Func<HttpRequestMessage> newRequest,
        Func<HttpResponseMessage, string, Outcome> classify)
    {
        var measureFrom = Stopwatch.GetTimestamp() + Ticks(warmup);
        var measureTo = measureFrom + Ticks(duration);
        var perClient = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            var samples = new List<Sample>();
            while (Stopwatch.GetTimestamp() < measureTo)
            {
                var (sample, answered) = await SendAsync(newRequest, classify);
                if (answered >= measureFrom && answered < measureTo)
                {
                    samples.Add(sample);
                }
            }

            return samples;
        })));

        return new LoadResult(clients, duration, perClient.SelectMany(s => s).ToList());
    }

    /// <summary>Exactly <paramref name="count"/> requests shared among <paramref name="clients"/> closed-loop clients, every answer counted.</summary>
    public async Task<LoadResult> RunCountAsync(int clients, int count, Func<HttpRequestMessage> newRequest, Func<HttpResponseMessage, string, Outcome> classify)
    {
        var started = Stopwatch.GetTimestamp();
        var left = count;
        var perClient = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            var samples = new List<Sample>();
            while (Interlocked.Decrement(ref left) >= 0)
            {
                samples.Add((await SendAsync(newRequest, classify)).Sample);
            }

            return samples;
        })));

        return new LoadResult(clients, Stopwatch.GetElapsedTime(started), perClient.SelectMany(s => s).ToList());
    }

    /// <summary>One request: its sample, and the timestamp its answer completed.</summary>
    private async Task<(Sample Sample, long Answered)> SendAsync(Func<HttpRequestMessage> newRequest, Func<HttpResponseMessage, string, Outcome> classify)
    {
        using var request = newRequest();
        var sent = Stopwatch.GetTimestamp();
        Outcome outcome;
        string? failure = null;
        try
        {
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            outcome = classify(response, body);
            if (outcome == Outcome.Failed)
            {
                failure = $"HTTP {(int)response.StatusCode} {body[..Math.Min(body.Length, 120)]}";
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            outcome = Outcome.Failed;
            failure = $"{exception.GetType().Name}: {exception.Message}";
        }

        var answered = Stopwatch.GetTimestamp();
        return (new Sample(Stopwatch.GetElapsedTime(sent, answered).TotalMilliseconds, outcome, failure), answered);
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
