using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Neptune.Data;
using Neptune.Indexer.Pipeline;
using Neptune.Indexer.Worker;
using Neptune.Llm;
using Neptune.Llm.Contract;
using Neptune.Llm.Models;

namespace Neptune.Indexer.Tests;

/// <summary>A clock the tests move, so backoff delays pass instantly; it stands still otherwise, so timestamps repeat.</summary>
public sealed class ManualTime : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// The indexer as the app composes it, on a real SQLite file, without the host: tests run batches themselves. With a
/// <see cref="FakeLlm"/> it uses that (and a word-count chunker budget); without, the real embedded model.
/// </summary>
public sealed class IndexerHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly PostgresTestDatabase? _postgres;

    private IndexerHarness(string dataDir, ServiceProvider services, ManualTime time, PostgresTestDatabase? postgres)
    {
        DataDir = dataDir;
        _services = services;
        Time = time;
        _postgres = postgres;
    }

    public string DataDir { get; }

    public ManualTime Time { get; }

    /// <summary>Whether the store is PostgreSQL (NEPTUNE_TEST_PROVIDER=postgres), for the few checks whose SQL differs.</summary>
    public bool OnPostgres => _postgres is not null;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public INoteStore Notes => Get<INoteStore>();

    public IIndexStore Index => Get<IIndexStore>();

    public static async Task<IndexerHarness> CreateAsync(FakeLlm? llm = null, Dictionary<string, string?>? settings = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "neptune-indexer-tests", Guid.NewGuid().ToString("N"));
        var values = new Dictionary<string, string?>
        {
            ["Neptune:DataDir"] = dataDir,
            ["Neptune:Indexer:MaxAttempts"] = "3",
            ["Neptune:Indexer:BackoffBase"] = "00:00:01",
            ["Neptune:Indexer:BackoffMax"] = "00:00:04",
            ["Neptune:Llm:Onnx:Threads"] = "2",
        };
        var postgres = PostgresTestDatabase.ForAppTests();
        if (postgres is not null)
        {
            values["Neptune:Database:Provider"] = "postgres";
            values["Neptune:Database:ConnectionString"] = postgres.ConnectionString;
        }

        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var time = new ManualTime();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging(b => b.AddProvider(new TestOutputLoggerProvider()).SetMinimumLevel(LogLevel.Debug)).AddSingleton<TimeProvider>(time).AddNeptuneStore();
        if (llm is null)
        {
            services.AddNeptuneLlm(configuration).AddLlmService(configuration);
        }
        else
        {
            services.AddSingleton<ILlmService>(llm).AddSingleton(new NoteChunker(t => t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length));
        }

        // No host here: the tests run batches themselves, so the worker (a hosted service) is never built.
        var provider = services.AddNeptuneIndexer().BuildServiceProvider();
        var harness = new IndexerHarness(dataDir, provider, time, postgres);
        await harness.Get<IDatabase>().MigrateAsync(CancellationToken.None);
        if (llm is null)
        {
            await harness.Get<ModelRegistry>().EnsureActiveAsync(CancellationToken.None);
        }
        else
        {
            var models = harness.Get<IModelStore>();
            var model = await models.RegisterAsync(new ModelIdentity("onnx", "fake-words", "fake", FakeLlm.Dimensions), CancellationToken.None);
            await models.ActivateAsync(model.Id, CancellationToken.None);
            llm.ModelId = model.Id;
        }

        return harness;
    }

    public async Task<long> CreateNoteAsync(string title, string content) =>
        (await Notes.CreateAsync(UserId.Local, new NewNote(null, title, content), CancellationToken.None)).Id;

    /// <summary>Runs batches until no job is ready (jobs waiting for a later time stay); returns the batches' results.</summary>
    public async Task<List<BatchResult>> DrainAsync(int maxBatches = 50)
    {
        var queue = Get<IJobQueue>();
        var runner = Get<IndexJobRunner>();
        var results = new List<BatchResult>();
        while (results.Count < maxBatches && await queue.HasReadyAsync(CancellationToken.None))
        {
            results.Add(await runner.RunBatchAsync(TimeSpan.FromSeconds(2), CancellationToken.None));
        }

        return results;
    }

    /// <summary>The background worker as the host runs it (its host already started); the test starts and stops it.</summary>
    public IndexWorker Worker() => IndexWorker.Standalone(_services);

    /// <summary>Each row of a query as one string (columns joined by '|'), in the query's order.</summary>
    public Task<List<string>> RowsAsync(string sql) => _postgres?.RowsAsync(sql) ?? TestDataDir.RowsAsync(DataDir, sql);

    public async ValueTask DisposeAsync()
    {
        await TestDataDir.DeleteAsync(DataDir, _services);
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}

/// <summary>Sends log lines to the running test's output, so a failing or slow test shows what the indexer did.</summary>
public sealed class TestOutputLoggerProvider : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TestOutputLogger(categoryName);

    public void Dispose()
    {
    }

    private sealed class TestOutputLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug && category.StartsWith("Neptune", StringComparison.Ordinal);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"{logLevel} {category}: {formatter(state, exception)}");
            }
        }
    }
}
