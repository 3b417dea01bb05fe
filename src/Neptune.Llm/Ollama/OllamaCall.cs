namespace Neptune.Llm.Ollama;

/// <summary>Which per-attempt timeout a call gets.</summary>
internal enum OllamaCallKind
{
    Embed,
    Chat,
    Metadata,
}

/// <summary>
/// One Ollama endpoint as the client calls it. Travels in <see cref="HttpRequestMessage.Options"/> so that the
/// resilience pipeline picks the timeout by kind and the response buffer leaves streamed bodies alone.
/// </summary>
internal sealed record OllamaCall(string Operation, HttpMethod Method, string Path, OllamaCallKind Kind, bool Streams = false)
{
    public static readonly HttpRequestOptionsKey<OllamaCall> OptionKey = new("Neptune.Llm.Ollama.Call");

    public static readonly OllamaCall Embed = new("embed", HttpMethod.Post, "api/embed", OllamaCallKind.Embed);
    public static readonly OllamaCall Chat = new("chat", HttpMethod.Post, "api/chat", OllamaCallKind.Chat);
    public static readonly OllamaCall ChatStream = new("chat", HttpMethod.Post, "api/chat", OllamaCallKind.Chat, Streams: true);
    public static readonly OllamaCall Tags = new("tags", HttpMethod.Get, "api/tags", OllamaCallKind.Metadata);
    public static readonly OllamaCall Show = new("show", HttpMethod.Post, "api/show", OllamaCallKind.Metadata);
    public static readonly OllamaCall Version = new("version", HttpMethod.Get, "api/version", OllamaCallKind.Metadata);

    public string Endpoint => "/" + Path;
}

/// <summary>
/// Reads a non-streamed body inside the resilience pipeline, so the attempt timeout and retries cover the body and not
/// only the headers (HttpClient would otherwise buffer it after the pipeline has returned).
/// </summary>
internal sealed class OllamaResponseBuffer : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (request.Options.TryGetValue(OllamaCall.OptionKey, out var call) && call.Streams)
        {
            return response;
        }

        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
