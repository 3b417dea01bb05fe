using System.Net;
using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Neptune.Llm.Ollama;

/// <summary>Turns what went wrong talking to Ollama into an <see cref="LlmException"/> whose message says what to do next.</summary>
internal sealed class OllamaFailures(OllamaOptions options)
{
    public const string Provider = "ollama";

    private string Url => options.BaseUrl?.ToString() ?? "(not configured)";

    /// <summary>An exception from the HTTP pipeline; null when it is none of Ollama's doing (e.g. the caller cancelled).</summary>
    public LlmException? FromException(Exception exception, OllamaCall call, string? model, CancellationToken callerToken) => exception switch
    {
        _ when callerToken.IsCancellationRequested => null,
        BrokenCircuitException broken => new(LlmErrorKind.CircuitOpen, Provider,
            $"Calls to Ollama at {Url} are paused for up to {options.CircuitBreakDuration} "
            + $"({OllamaOptions.Key(nameof(OllamaOptions.CircuitBreakDuration))}) because most recent calls failed"
            + (broken.InnerException is { } cause ? $" (last: {cause.Message})" : "")
            + ". Check that Ollama is healthy (its log, `ollama ps`); calls resume by themselves.", broken),
        TimeoutRejectedException timeout => AttemptTimeout(call, model, timeout),
        OperationCanceledException { InnerException: TimeoutException } connect => new(LlmErrorKind.Timeout, Provider,
            $"Ollama at {Url} did not accept a connection within {options.ConnectTimeout} "
            + $"({OllamaOptions.Key(nameof(OllamaOptions.ConnectTimeout))} = {options.ConnectTimeout}). "
            + "Check that the host is up and the port is open, or raise that timeout.", connect),
        HttpRequestException http => Unreachable(http),
        IOException io => Unreachable(io),
        _ => null,
    };

    public LlmException Unreachable(Exception exception)
    {
        var reason = exception is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }
            ? $"the host name {options.BaseUrl?.Host} does not resolve"
            : exception.Message;
        return new(LlmErrorKind.Unreachable, Provider,
            $"Ollama is not reachable at {Url} ({reason}). Start Ollama (`ollama serve`) or set "
            + $"{OllamaOptions.Key(nameof(OllamaOptions.BaseUrl))} to the address it listens on.", exception);
    }

    public LlmException AttemptTimeout(OllamaCall call, string? model, Exception? inner = null)
    {
        var key = OllamaOptions.TimeoutKey(call.Kind);
        var timeout = options.TimeoutFor(call.Kind);
        var attempts = options.MaxRetries > 0 ? $" on any of {options.MaxRetries + 1} attempts" : "";
        return new(LlmErrorKind.Timeout, Provider,
            $"Ollama did not answer {call.Endpoint}{ForModel(model)} within {timeout} ({key} = {timeout}){attempts}. "
            + $"A first call loads the model into memory, which takes a while on a slow machine: raise {key}, or check Ollama's load (`ollama ps`).",
            inner);
    }

    public LlmException StreamTimeout(OllamaCall call, string? model, Exception? inner = null)
    {
        var key = OllamaOptions.TimeoutKey(call.Kind);
        return new(LlmErrorKind.Timeout, Provider,
            $"Ollama's streamed answer from {call.Endpoint}{ForModel(model)} did not finish within {options.ChatTimeout} "
            + $"({key} = {options.ChatTimeout} bounds the whole stream). Raise {key} for long answers.", inner);
    }

    public LlmException Malformed(OllamaCall call, string detail, Exception? inner = null) =>
        new(LlmErrorKind.MalformedResponse, Provider,
            $"Ollama at {Url} answered {call.Endpoint} with a body Neptune cannot read ({detail}). Check that "
            + $"{OllamaOptions.Key(nameof(OllamaOptions.BaseUrl))} points at Ollama itself and that Ollama is up to date.", inner);

    public LlmException ModelNotFound(OllamaCall call, string model, string detail) =>
        new(LlmErrorKind.ModelNotFound, Provider,
            $"Ollama at {Url} does not have the model \"{model}\" ({detail}). Pull it with: ollama pull {model}");

    /// <summary>A non-2xx answer, after retries where the status is transient.</summary>
    public LlmException FromStatus(HttpStatusCode status, string error, OllamaCall call, string? model)
    {
        var code = (int)status;
        var what = $"{code} {status}: {error}";
        var attempts = options.MaxRetries > 0 ? $" after {options.MaxRetries + 1} attempts" : "";
        return code switch
        {
            404 when model is not null && error.Contains("not found", StringComparison.OrdinalIgnoreCase) =>
                ModelNotFound(call, model, error),
            404 => new(LlmErrorKind.InvalidRequest, Provider,
                $"Ollama at {Url} has no endpoint {call.Endpoint} ({what}). Check that "
                + $"{OllamaOptions.Key(nameof(OllamaOptions.BaseUrl))} points at Ollama itself, and update Ollama if it is older than this API."),
            401 or 403 => new(LlmErrorKind.InvalidRequest, Provider,
                $"Ollama at {Url} refused {call.Endpoint} ({what}). Something in front of Ollama asks for credentials; Neptune sends none."),
            408 => new(LlmErrorKind.Timeout, Provider,
                $"Ollama gave up on {call.Endpoint}{ForModel(model)} itself ({what}){attempts}. "
                + $"Check Ollama's load (`ollama ps`); Neptune's own limit is {OllamaOptions.TimeoutKey(call.Kind)}."),
            429 => new(LlmErrorKind.ServerError, Provider,
                $"Ollama is overloaded ({what}){attempts}. Lower {OllamaOptions.Key(nameof(OllamaOptions.MaxConcurrency))}, "
                + "or raise OLLAMA_NUM_PARALLEL / OLLAMA_MAX_QUEUE where Ollama runs."),
            >= 500 => new(LlmErrorKind.ServerError, Provider,
                $"Ollama failed on {call.Endpoint}{ForModel(model)} ({what}){attempts}. Ollama's log says more; "
                + "a model that does not fit in memory is a common cause."),
            _ => new(LlmErrorKind.InvalidRequest, Provider,
                $"Ollama rejected {call.Endpoint}{ForModel(model)} ({what}).{UnsupportedHint(error, call)}"),
        };
    }

    /// <summary>Ollama's {"error": "..."} text, else the start of whatever the body was.</summary>
    public static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return response.ReasonPhrase ?? "no body";
        }

        try
        {
            if (JsonSerializer.Deserialize(body, OllamaJson.Default.OllamaError)?.Error is { Length: > 0 } error)
            {
                return error;
            }
        }
        catch (JsonException)
        {
            // Not Ollama's error shape: a proxy's page or Go's plain "404 page not found".
        }

        body = body.Trim();
        return body.Length == 0 ? response.ReasonPhrase ?? "no body" : body.Length <= 300 ? body : body[..300] + "…";
    }

    private static string ForModel(string? model) => model is null ? "" : $" for model \"{model}\"";

    private static string UnsupportedHint(string error, OllamaCall call) =>
        !error.Contains("does not support", StringComparison.OrdinalIgnoreCase) ? ""
        : call.Kind == OllamaCallKind.Embed ? $" Set {OllamaOptions.Key(nameof(OllamaOptions.EmbeddingModel))} to an embedding model such as nomic-embed-text."
        : $" Set {OllamaOptions.Key(nameof(OllamaOptions.ChatModel))} to a chat model such as llama3.2.";
}
