using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;

namespace Neptune.Llm.Ollama;

/// <summary>
/// Ollama's HTTP API (/api/embed, /api/chat, /api/tags, /api/show, /api/version) as a typed HttpClient. Timeouts,
/// retries, the circuit breaker and the concurrency limit come from the resilience pipeline that
/// <see cref="OllamaServiceCollectionExtensions.AddOllama"/> puts in front of it; every failure surfaces as an
/// <see cref="LlmException"/> (provider "ollama") and is counted in <see cref="LlmMetrics"/>.
/// </summary>
public sealed class OllamaClient(HttpClient http, IOptions<OllamaOptions> options, LlmMetrics metrics)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly OllamaOptions _options = options.Value;
    private readonly OllamaFailures _failures = new(options.Value);

    public Uri? BaseUrl => _options.IsConfigured ? _options.BaseUrl : null;

    public async Task<OllamaEmbedResponse> EmbedAsync(OllamaEmbedRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = OllamaCall.Embed;
        using var message = NewRequest(call, JsonSerializer.SerializeToUtf8Bytes(request, OllamaJson.Default.OllamaEmbedRequest));
        using var response = await SendAsync(call, message, request.Model, cancellationToken);
        return await ReadAsync(response, call, OllamaJson.Default.OllamaEmbedResponse, cancellationToken);
    }

    /// <summary>One chat answer in one body (stream false).</summary>
    public async Task<OllamaChatResponse> ChatAsync(OllamaChatRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = OllamaCall.Chat;
        using var message = NewRequest(call, JsonSerializer.SerializeToUtf8Bytes(request with { Stream = false }, OllamaJson.Default.OllamaChatRequest));
        using var response = await SendAsync(call, message, request.Model, cancellationToken);
        var answer = await ReadAsync(response, call, OllamaJson.Default.OllamaChatResponse, cancellationToken);
        if (answer.Error is { } error)
        {
            throw Fail(new LlmException(LlmErrorKind.ServerError, OllamaFailures.Provider, $"Ollama failed on /api/chat for model \"{request.Model}\": {error}"), call);
        }

        return answer.Message is null ? throw Fail(_failures.Malformed(call, "no \"message\""), call) : answer;
    }

    /// <summary>
    /// A streamed chat answer, one NDJSON line at a time, ending with the line that has <c>done</c>. The attempt
    /// timeout covers the wait for the first line; <see cref="OllamaOptions.ChatTimeout"/> also bounds the whole stream.
    /// </summary>
    public async IAsyncEnumerable<OllamaChatResponse> ChatStreamAsync(
        OllamaChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = OllamaCall.ChatStream;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.ChatTimeout);
        using var message = NewRequest(call, JsonSerializer.SerializeToUtf8Bytes(request with { Stream = true }, OllamaJson.Default.OllamaChatRequest));
        using var response = await SendAsync(call, message, request.Model, cancellationToken, deadline.Token);
        using var reader = new StreamReader(await OpenStreamAsync(response, call, request.Model, cancellationToken, deadline.Token), Encoding.UTF8);
        while (await ReadLineAsync(reader, call, request.Model, cancellationToken, deadline.Token) is { } chunk)
        {
            yield return chunk;
            if (chunk.Done)
            {
                yield break;
            }
        }

        throw Fail(_failures.Malformed(call, "the stream ended before a line with \"done\": true"), call);
    }

    /// <summary>The models Ollama has pulled (GET /api/tags).</summary>
    public async Task<IReadOnlyList<OllamaModel>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        var call = OllamaCall.Tags;
        using var message = NewRequest(call, content: null);
        using var response = await SendAsync(call, message, model: null, cancellationToken);
        var list = await ReadAsync(response, call, OllamaJson.Default.OllamaModelList, cancellationToken);
        return list.Models ?? throw Fail(_failures.Malformed(call, "no \"models\""), call);
    }

    public async Task<OllamaShowResponse> ShowAsync(string model, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var call = OllamaCall.Show;
        using var message = NewRequest(call, JsonSerializer.SerializeToUtf8Bytes(new OllamaShowRequest(model), OllamaJson.Default.OllamaShowRequest));
        using var response = await SendAsync(call, message, model, cancellationToken);
        return await ReadAsync(response, call, OllamaJson.Default.OllamaShowResponse, cancellationToken);
    }

    public async Task<string> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        var call = OllamaCall.Version;
        using var message = NewRequest(call, content: null);
        using var response = await SendAsync(call, message, model: null, cancellationToken);
        var version = await ReadAsync(response, call, OllamaJson.Default.OllamaVersion, cancellationToken);
        return version.Version ?? throw Fail(_failures.Malformed(call, "no \"version\""), call);
    }

    /// <summary>
    /// The model's digest (from /api/tags) and, where its metadata has one, its embedding size (model_info
    /// "&lt;architecture&gt;.embedding_length" from /api/show): what the model registry stores to notice a changed model.
    /// </summary>
    public async Task<OllamaModelInfo> GetModelInfoAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var models = await ListModelsAsync(cancellationToken);
        var model = models.FirstOrDefault(m => OllamaModelName.Same(m.Name, name) || (m.Model is { } id && OllamaModelName.Same(id, name)));
        if (model is null)
        {
            var pulled = models.Count == 0 ? "none" : string.Join(", ", models.Select(m => m.Name));
            throw Fail(_failures.ModelNotFound(OllamaCall.Tags, name, $"pulled models: {pulled}"), OllamaCall.Tags);
        }

        var show = await ShowAsync(model.Name, cancellationToken);
        var info = show.ModelInfo ?? new Dictionary<string, JsonElement>();
        var architecture = info.TryGetValue("general.architecture", out var arch) && arch.ValueKind == JsonValueKind.String ? arch.GetString() : null;
        return new OllamaModelInfo(
            model.Name, model.Digest, model.Size,
            IntFromInfo(info, architecture, "embedding_length"),
            IntFromInfo(info, architecture, "context_length"),
            show.Capabilities ?? []);
    }

    private static int? IntFromInfo(IReadOnlyDictionary<string, JsonElement> info, string? architecture, string suffix)
    {
        if (architecture is not null && info.TryGetValue($"{architecture}.{suffix}", out var exact) && exact.TryGetInt32(out var value))
        {
            return value;
        }

        foreach (var (key, element) in info)
        {
            if (key.EndsWith("." + suffix, StringComparison.Ordinal) && element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out value))
            {
                return value;
            }
        }

        return null;
    }

    private static HttpRequestMessage NewRequest(OllamaCall call, byte[]? content)
    {
        var message = new HttpRequestMessage(call.Method, call.Path);
        if (content is not null)
        {
            message.Content = new ByteArrayContent(content);
            message.Content.Headers.ContentType = Json;
        }

        message.Options.Set(OllamaCall.OptionKey, call);
        return message;
    }

    /// <summary>Sends through the pipeline; a non-2xx answer or a failed send becomes an <see cref="LlmException"/>.</summary>
    private async Task<HttpResponseMessage> SendAsync(
        OllamaCall call, HttpRequestMessage message, string? model, CancellationToken callerToken, CancellationToken? deadline = null)
    {
        if (!_options.IsConfigured)
        {
            throw Fail(new LlmException(LlmErrorKind.InvalidRequest, OllamaFailures.Provider,
                $"Ollama is not configured: set {OllamaOptions.Key(nameof(OllamaOptions.BaseUrl))} (e.g. http://127.0.0.1:11434)."), call);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline ?? callerToken);
        }
        catch (OperationCanceledException e) when (deadline is { IsCancellationRequested: true } && !callerToken.IsCancellationRequested)
        {
            throw Fail(_failures.StreamTimeout(call, model, e), call);
        }
        catch (Exception e) when (_failures.FromException(e, call, model, callerToken) is { } failure)
        {
            throw Fail(failure, call);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var error = await OllamaFailures.ReadErrorAsync(response, callerToken);
            throw Fail(_failures.FromStatus(response.StatusCode, error, call, model), call);
        }
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, OllamaCall call, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonSerializer.DeserializeAsync(body, type, cancellationToken)
                ?? throw Fail(_failures.Malformed(call, "the body is JSON null"), call);
        }
        catch (JsonException e)
        {
            throw Fail(_failures.Malformed(call, e.Message, e), call);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw Fail(_failures.Unreachable(e), call);
        }
    }

    private async Task<Stream> OpenStreamAsync(
        HttpResponseMessage response, OllamaCall call, string model, CancellationToken callerToken, CancellationToken deadline)
    {
        try
        {
            return await response.Content.ReadAsStreamAsync(deadline);
        }
        catch (OperationCanceledException e) when (!callerToken.IsCancellationRequested)
        {
            throw Fail(_failures.StreamTimeout(call, model, e), call);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !callerToken.IsCancellationRequested)
        {
            throw Fail(_failures.Unreachable(e), call);
        }
    }

    /// <summary>The next NDJSON line of a stream, skipping blank lines; null at the end of the body.</summary>
    private async Task<OllamaChatResponse?> ReadLineAsync(
        StreamReader reader, OllamaCall call, string model, CancellationToken callerToken, CancellationToken deadline)
    {
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(deadline);
            }
            catch (OperationCanceledException e) when (!callerToken.IsCancellationRequested)
            {
                throw Fail(_failures.StreamTimeout(call, model, e), call);
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !callerToken.IsCancellationRequested)
            {
                throw Fail(_failures.Unreachable(e), call);
            }

            if (line is null)
            {
                return null;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            OllamaChatResponse? chunk;
            try
            {
                chunk = JsonSerializer.Deserialize(line, OllamaJson.Default.OllamaChatResponse);
            }
            catch (JsonException e)
            {
                throw Fail(_failures.Malformed(call, $"a streamed line is not JSON: {e.Message}", e), call);
            }

            return chunk switch
            {
                null => throw Fail(_failures.Malformed(call, "a streamed line is JSON null"), call),
                { Error: { } error } => throw Fail(new LlmException(LlmErrorKind.ServerError, OllamaFailures.Provider,
                    $"Ollama failed while streaming /api/chat for model \"{model}\": {error}. Ollama's log says more."), call),
                _ => chunk,
            };
        }
    }

    private LlmException Fail(LlmException exception, OllamaCall call)
    {
        metrics.Failed(OllamaFailures.Provider, exception.Kind, call.Operation);
        return exception;
    }
}
