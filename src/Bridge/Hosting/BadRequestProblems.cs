using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Bridge.Hosting;

/// <summary>
/// A request the framework cannot bind (malformed JSON, a JSON value of the wrong type, no body, a content type other
/// than JSON) gets a ProblemDetails that says why, with the framework's status (400, or 415 for the content type),
/// whatever the client accepts. The framework throws these because RouteHandlerOptions.ThrowOnBadRequest is set;
/// otherwise it answers with an empty 400 (https://learn.microsoft.com/aspnet/core/fundamentals/minimal-apis/handle-errors).
/// </summary>
internal sealed class BadRequestProblems : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        // System.Text.Json's message says where and what (a path, a line, the type expected), never a value sent.
        var detail = bad.InnerException is JsonException json ? $"{bad.Message} {json.Message}" : bad.Message;
        await TypedResults.Problem(title: "The request could not be read", detail: detail, statusCode: bad.StatusCode).ExecuteAsync(context);
        return true;
    }
}
