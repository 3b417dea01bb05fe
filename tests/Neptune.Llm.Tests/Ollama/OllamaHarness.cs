using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Neptune.Llm.Ollama;
using Neptune.Llm.Relations;
using Neptune.Llm.Topics;
using Neptune.OllamaEmulator;

namespace Neptune.Llm.Tests.Ollama;

/// <summary>
/// The Ollama provider wired as in the app (AddOllama, configuration keys) against the emulator, or, for tests that
/// only look at results, against the real Ollama named by NEPTUNE_TEST_OLLAMA_URL.
/// </summary>
internal sealed class OllamaHarness : IAsyncDisposable
{
    public const string RealUrlVariable = "NEPTUNE_TEST_OLLAMA_URL";

    private readonly ServiceProvider _services;
    private readonly OllamaEmulator.OllamaEmulator? _emulator;
    private readonly MeterListener _listener = new();

    private OllamaHarness(ServiceProvider services, OllamaEmulator.OllamaEmulator? emulator)
    {
        _services = services;
        _emulator = emulator;
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "neptune.llm.errors")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var kind = tags.ToArray().Single(t => t.Key == "kind").Value;
            var operation = tags.ToArray().Single(t => t.Key == "operation").Value;
            Errors.Enqueue($"{kind}/{operation}");
        });
        _listener.Start();
    }

    public static string? RealUrl => Environment.GetEnvironmentVariable(RealUrlVariable) is { Length: > 0 } url ? url : null;

    public bool IsEmulated => _emulator is not null;

    public OllamaEmulator.OllamaEmulator Emulator => _emulator ?? throw new InvalidOperationException("This test needs the emulator.");

    /// <summary>"kind/operation" of every error counted in LlmMetrics.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    public OllamaClient Client => _services.GetRequiredService<OllamaClient>();

    public OllamaOptions Options => _services.GetRequiredService<IOptions<OllamaOptions>>().Value;

    public static async Task<OllamaHarness> EmulatedAsync(params (string Key, string? Value)[] settings)
    {
        var emulator = await OllamaEmulator.OllamaEmulator.StartAsync(TestContext.Current.CancellationToken);
        return new OllamaHarness(Build(emulator.BaseUrl.ToString(), FastSettings, settings), emulator);
    }

    /// <summary>The real Ollama when NEPTUNE_TEST_OLLAMA_URL is set (with its usual timeouts), else the emulator.</summary>
    public static async Task<OllamaHarness> TargetAsync(params (string Key, string? Value)[] settings)
    {
        if (RealUrl is not { } url)
        {
            return await EmulatedAsync(settings);
        }

        (string, string?)[] real =
        [
            ("EmbeddingModel", Environment.GetEnvironmentVariable("NEPTUNE_TEST_OLLAMA_EMBED_MODEL") ?? "nomic-embed-text"),
            ("ChatModel", Environment.GetEnvironmentVariable("NEPTUNE_TEST_OLLAMA_CHAT_MODEL") ?? "llama3.2"),
        ];
        return new OllamaHarness(Build(url, real, settings), null);
    }

    /// <summary>Pointed at a port where nothing listens.</summary>
    public static OllamaHarness Unreachable(params (string Key, string? Value)[] settings) =>
        new(Build(OllamaEmulator.OllamaEmulator.UnusedUrl().ToString(), FastSettings, settings), null);

    /// <summary>Settings alone, e.g. to check validation; BaseUrl is whatever <paramref name="settings"/> say.</summary>
    public static ServiceProvider Services(params (string Key, string? Value)[] settings) => Build(null, [], settings);

    public OllamaEmbeddingGenerator Embeddings() =>
        new(Client, _services.GetRequiredService<IOptions<OllamaOptions>>(), _services.GetRequiredService<LlmMetrics>());

    public OllamaTopicExtractor Topics(ITopicExtractor fallback) =>
        new(Client, _services.GetRequiredService<IOptions<OllamaOptions>>(), fallback, _services.GetRequiredService<LlmMetrics>(),
            NullLogger<OllamaTopicExtractor>.Instance);

    public OllamaRelationScorer Relations(IRelationScorer fallback) =>
        new(Client, _services.GetRequiredService<IOptions<OllamaOptions>>(), fallback, _services.GetRequiredService<LlmMetrics>(),
            NullLogger<OllamaRelationScorer>.Instance);

    public IReadOnlyList<RecordedRequest> RequestsTo(string path) => [.. Emulator.Requests.Where(r => r.Path == path)];

    /// <summary>
    /// The requests to <paramref name="path"/> once there are <paramref name="count"/> (or after 5 s): a request the client
    /// has given up on may reach the emulator's handler a little after the client has returned.
    /// </summary>
    public async Task<IReadOnlyList<RecordedRequest>> RequestsToAsync(string path, int count)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (RequestsTo(path).Count < count && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        return RequestsTo(path);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _services.DisposeAsync();
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }

    // Retries without the production second of delay, and a chat model, so failure tests stay fast.
    private static readonly (string, string?)[] FastSettings =
    [
        ("ChatModel", "llama3.2"),
        ("RetryDelay", "00:00:00.010"),
        ("EmbedTimeout", "00:00:10"),
        ("ChatTimeout", "00:00:10"),
        ("MetadataTimeout", "00:00:10"),
    ];

    private static ServiceProvider Build(string? baseUrl, (string Key, string? Value)[] defaults, (string Key, string? Value)[] settings)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (baseUrl is not null)
        {
            values[OllamaOptions.Key("BaseUrl")] = baseUrl;
        }

        foreach (var (key, value) in defaults.Concat(settings))
        {
            values[OllamaOptions.Key(key)] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging();
        services.AddOllama();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }
}

/// <summary>Stands in for the embedded extractor: says when it was asked.</summary>
internal sealed class FakeTopicExtractor : ITopicExtractor
{
    public int Calls { get; private set; }

    public string Name => "keyphrase:fake";

    public Task<IReadOnlyList<ExtractedTopic>> ExtractAsync(TopicInput note, CancellationToken cancellationToken = default)
    {
        Calls++;
        return Task.FromResult<IReadOnlyList<ExtractedTopic>>([new ExtractedTopic("fallback topic", 1.0)]);
    }
}

/// <summary>Stands in for the embedding-similarity scorer.</summary>
internal sealed class FakeRelationScorer : IRelationScorer
{
    public int Pairs { get; private set; }

    public Task<IReadOnlyList<TopicRelation>> ScoreAsync(IReadOnlyList<TopicPair> pairs, CancellationToken cancellationToken = default)
    {
        Pairs += pairs.Count;
        return Task.FromResult<IReadOnlyList<TopicRelation>>([.. pairs.Select(p => new TopicRelation(p.A, p.B, 0.25, "embedding:fake"))]);
    }
}
