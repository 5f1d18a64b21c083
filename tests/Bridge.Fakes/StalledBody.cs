using System.Text;
using Microsoft.AspNetCore.Http;

namespace Bridge.Fakes;

/// <summary>
/// A peer that sends an answer's status and headers (with the body's Content-Length), then holds the body until
/// <see cref="Release"/>. <see cref="HeadersSent"/> completes once the headers are out; <see cref="Abandoned"/> once
/// the client gave up on the answer and closed the connection.
/// </summary>
public sealed class StalledBody
{
    private readonly TaskCompletionSource _headersSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _abandoned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task HeadersSent => _headersSent.Task;
    public Task Abandoned => _abandoned.Task;

    /// <summary>Lets the held bodies go (a test calls it at its end, so no answer is left hanging).</summary>
    public void Release() => _released.TrySetResult();

    public Task AnswerAsync(HttpContext context, int status, string contentType, string body) =>
        AnswerAsync(context, status, contentType, Encoding.UTF8.GetBytes(body));

    public async Task AnswerAsync(HttpContext context, int status, string contentType, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.StartAsync();
        await context.Response.Body.FlushAsync();
        _headersSent.TrySetResult();
        try
        {
            await _released.Task.WaitAsync(context.RequestAborted);
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            _abandoned.TrySetResult();
        }
    }
}
