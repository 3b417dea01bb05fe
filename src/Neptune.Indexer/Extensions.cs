using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Neptune.Indexer.Contract;
using Neptune.Indexer.Graph;
using Neptune.Indexer.Pipeline;
using Neptune.Indexer.Worker;
using Neptune.Llm;
using Neptune.Llm.Onnx;

namespace Neptune.Indexer;

public static class Extensions
{
    /// <summary>
    /// The indexer role in this process: the worker (a hosted service; Neptune:Indexer:Enabled=false keeps it idle), the
    /// pipeline and the in-process contract. Needs the store and an <see cref="Llm.Contract.ILlmService"/> binding.
    /// </summary>
    public static IServiceCollection AddNeptuneIndexer(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IndexerMetrics>();
        services.AddOptions<GraphOptions>()
            .BindConfiguration(GraphOptions.Section)
            .Configure<IConfiguration>(ApplyAliases)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Request limits of the llm contract, and the MiniLM tokenizer the chunker budgets with, even when the llm runs elsewhere.
        services.AddOptions<LlmOptions>().BindConfiguration(LlmOptions.Section).ValidateDataAnnotations();
        services.AddOptions<MiniLmOptions>().BindConfiguration(MiniLmOptions.Section).ValidateDataAnnotations();
        services.TryAddSingleton<LlmMetrics>();
        services.TryAddSingleton<OnnxEmbeddingSource>();
        services.TryAddSingleton(sp =>
        {
            var onnx = sp.GetRequiredService<OnnxEmbeddingSource>();
            return new NoteChunker(text => onnx.Generator.CountTokens(text));
        });

        services.TryAddSingleton<SemanticEdges>();
        services.TryAddSingleton<IndexPipeline>();
        services.TryAddSingleton<IndexJobRunner>();
        services.TryAddSingleton<WorkerState>();
        services.TryAddSingleton<LocalIndexerService>();
        services.AddHostedService<IndexWorker>();
        services.TryAddSingleton<Data.Postgres.PostgresJobListener>();
        services.AddHostedService<JobNotifications>();
        return services;
    }

    /// <summary>How other roles reach the indexer: in-process when <c>Neptune:Services:Indexer</c> is unset, else over HTTP.</summary>
    public static IServiceCollection AddIndexerService(this IServiceCollection services, IConfiguration configuration)
    {
        var remote = configuration.GetValue<Uri?>("Neptune:Services:Indexer");
        if (remote is null)
        {
            services.TryAddSingleton<IIndexerService>(sp => sp.GetRequiredService<LocalIndexerService>());
            return services;
        }

        services.AddHttpClient<IIndexerService, IndexerHttpClient>(http =>
        {
            http.BaseAddress = remote;
            Neptune.Llm.Extensions.AddServiceToken(http, configuration);
        }).AddStandardResilienceHandler();
        return services;
    }

    /// <summary>
    /// KG_MIN_STRENGTH and KG_MAX_EDGES, the names the graph settings are known by, apply when the Neptune:Graph keys are
    /// absent. A value that is not a number becomes an out-of-range one, so validation stops the start naming both keys.
    /// </summary>
    private static void ApplyAliases(GraphOptions options, IConfiguration configuration)
    {
        if (configuration[$"{GraphOptions.Section}:{nameof(GraphOptions.MinStrength)}"] is null && configuration["KG_MIN_STRENGTH"] is { } strength)
        {
            options.MinStrength = double.TryParse(strength, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;
        }

        if (configuration[$"{GraphOptions.Section}:{nameof(GraphOptions.MaxEdges)}"] is null && configuration["KG_MAX_EDGES"] is { } edges)
        {
            options.MaxEdges = int.TryParse(edges, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : -1;
        }
    }
}
