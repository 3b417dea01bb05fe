using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Neptune.Core;
using Neptune.Llm;
using Neptune.Llm.Contract;

namespace Neptune.Api.Errors;

/// <summary>Turns every failure into problem+json that says what to fix; <c>field</c> names the offending input when known.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, field) = Describe(exception);
        if (exception is LlmException llmFailure)
        {
            logger.LogWarning("{Method} {Path}: {Kind} from {Provider}: {Message}", httpContext.Request.Method, httpContext.Request.Path, llmFailure.Kind, llmFailure.Provider, llmFailure.Message);
        }
        else if (status >= 500)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (field is not null)
        {
            problem.Extensions["field"] = field;
        }

        if (exception is LlmException llm)
        {
            // Lets an HTTP client of the llm role rebuild the same exception.
            problem.Extensions["kind"] = llm.Kind.ToString();
            problem.Extensions["provider"] = llm.Provider;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    internal static (int Status, string Title, string Detail, string? Field) Describe(Exception exception) => exception switch
    {
        NeptuneException e => (StatusFor(e.Kind), TitleFor(e.Kind), e.Message, e.Field),
        LlmException e => (LlmApi.StatusFor(e.Kind), e.Kind switch
        {
            LlmErrorKind.InvalidRequest => "Invalid request",
            LlmErrorKind.ModelNotFound => "Model not found",
            LlmErrorKind.ModelChanged => "Model changed",
            _ => "Model unavailable",
        }, e.Message, null),
        BadHttpRequestException { InnerException: JsonException json } => JsonProblem(json),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } e =>
            (413, "Request too large", $"{e.Message} Send a smaller body: notes are limited by Neptune:MaxNoteBytes.", null),
        BadHttpRequestException e => (e.StatusCode, "Bad request", e.Message, ParameterName(e.Message)),
        JsonException json => JsonProblem(json),
        OperationCanceledException => (499, "Request cancelled", "The client closed the request.", null),
        _ => (500, "Unexpected error", "Neptune hit an unexpected error; nothing was partially written. Details are in the server log.", null),
    };

    private static (int, string, string, string?) JsonProblem(JsonException json)
    {
        var field = json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        var message = json.Message;
        var including = message.IndexOf("including: '", StringComparison.Ordinal);
        if (field is null && including >= 0)
        {
            var start = including + "including: '".Length;
            var end = message.IndexOf('\'', start);
            field = end > start ? message[start..end] : null;
        }

        if (json.InnerException is InvalidOperationException or ArgumentException && message.Contains("UTF-8", StringComparison.OrdinalIgnoreCase))
        {
            field ??= "body";
        }

        return (400, "Invalid request body", $"{message} Fix the JSON body{(field is null ? "" : $" at '{field}'")} and send it again.", field);
    }

    private static string? ParameterName(string message)
    {
        // "Failed to bind parameter \"int limit\" from \"abc\"." → limit
        var start = message.IndexOf('"', StringComparison.Ordinal);
        var end = start >= 0 ? message.IndexOf('"', start + 1) : -1;
        return end > start ? message[(start + 1)..end].Split(' ')[^1] : null;
    }

    private static int StatusFor(ErrorKind kind) => kind switch
    {
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        ErrorKind.PreconditionRequired => StatusCodes.Status428PreconditionRequired,
        ErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    private static string TitleFor(ErrorKind kind) => kind switch
    {
        ErrorKind.NotFound => "Not found",
        ErrorKind.Conflict => "Conflict",
        ErrorKind.PreconditionFailed => "Stale version",
        ErrorKind.PreconditionRequired => "Version required",
        ErrorKind.TooLarge => "Too large",
        ErrorKind.UnsupportedMediaType => "Unsupported content type",
        ErrorKind.Unavailable => "Storage unavailable",
        _ => "Invalid input",
    };
}
