namespace Neptune.Llm.Ollama;

/// <summary>
/// The Ollama provider, bound from "Neptune:Llm:Ollama". Without <see cref="BaseUrl"/> Ollama is not used; without
/// <see cref="ChatModel"/> topics and relations stay with the embedded extractor and scorer.
/// </summary>
public sealed class OllamaOptions
{
    public const string Section = "Neptune:Llm:Ollama";

    /// <summary>Where Ollama listens, e.g. http://127.0.0.1:11434; null or empty means Ollama is not configured.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Whether <see cref="BaseUrl"/> is set; an empty value (e.g. from an environment variable) counts as unset.</summary>
    public bool IsConfigured => BaseUrl is { OriginalString.Length: > 0 };

    public string EmbeddingModel { get; set; } = "nomic-embed-text";

    /// <summary>Model for topic extraction and relation scoring, e.g. "llama3.2"; null means no LLM topics or relations.</summary>
    public string? ChatModel { get; set; }

    /// <summary>How long Ollama keeps a model loaded after a call ("5m", "1h", "0", "-1"); passed through as Ollama's keep_alive.</summary>
    public string KeepAlive { get; set; } = "5m";

    /// <summary>Cut inputs longer than the model's context instead of failing the call (Ollama's truncate).</summary>
    public bool Truncate { get; set; } = true;

    /// <summary>Inputs per /api/embed call.</summary>
    public int EmbedBatchSize { get; set; } = 32;

    /// <summary>Topic pairs per relation-scoring chat call.</summary>
    public int RelationBatchSize { get; set; } = 25;

    /// <summary>Characters of a note sent for topic extraction; the start of a note says best what it is about.</summary>
    public int TopicInputMaxChars { get; set; } = 6000;

    /// <summary>Per attempt of /api/embed; a first call also loads the model.</summary>
    public TimeSpan EmbedTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Per attempt of /api/chat, and for a streamed chat the whole stream.</summary>
    public TimeSpan ChatTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Per attempt of /api/tags, /api/show and /api/version.</summary>
    public TimeSpan MetadataTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>To open a TCP connection to Ollama.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after a transient failure (5xx, 408, 429, connection error, attempt timeout); 0 turns retries off.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests in flight to Ollama at once from this process; more wait their turn.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Share of failed attempts within <see cref="CircuitSamplingDuration"/> that pauses calls.</summary>
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts within <see cref="CircuitSamplingDuration"/> before the failure ratio counts.</summary>
    public int CircuitMinimumThroughput { get; set; } = 10;

    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long calls stay paused once the circuit opens.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The full configuration key of an option, as error messages name it.</summary>
    public static string Key(string option) => $"{Section}:{option}";

    internal TimeSpan TimeoutFor(OllamaCallKind kind) => kind switch
    {
        OllamaCallKind.Embed => EmbedTimeout,
        OllamaCallKind.Chat => ChatTimeout,
        _ => MetadataTimeout,
    };

    internal static string TimeoutKey(OllamaCallKind kind) => kind switch
    {
        OllamaCallKind.Embed => Key(nameof(EmbedTimeout)),
        OllamaCallKind.Chat => Key(nameof(ChatTimeout)),
        _ => Key(nameof(MetadataTimeout)),
    };
}
