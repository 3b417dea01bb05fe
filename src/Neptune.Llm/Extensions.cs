using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Neptune.Core;
using Neptune.Llm.Contract;
using Neptune.Llm.Models;
using Neptune.Llm.Ollama;
using Neptune.Llm.Onnx;
using Neptune.Llm.Relations;
using Neptune.Llm.Topics;
using Microsoft.Extensions.Options;

namespace Neptune.Llm;

public static class Extensions
{
    /// <summary>The llm role in this process: providers, model registry, topic extraction, relation scoring and metrics.</summary>
    public static IServiceCollection AddNeptuneLlm(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LlmMetrics>();
        services.TryAddSingleton<ForegroundWork>();
        services.AddOptions<LlmOptions>().BindConfiguration(LlmOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MiniLmOptions>().BindConfiguration(MiniLmOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton<OnnxEmbeddingSource>();
        services.AddSingleton<IEmbeddingSource>(sp => sp.GetRequiredService<OnnxEmbeddingSource>());
        services.AddOptions<TopicOptions>().BindConfiguration(TopicOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // The embedded extractor and scorer always use the embedded model, whatever model the vectors come from.
        services.TryAddSingleton(sp => new PhraseVectors(sp.GetRequiredService<OnnxEmbeddingSource>(), sp.GetRequiredService<IOptions<TopicOptions>>().Value.CachedPhrases));
        services.TryAddSingleton(sp => new KeyphraseTopicExtractor(
            sp.GetRequiredService<OnnxEmbeddingSource>(), sp.GetRequiredService<IOptions<TopicOptions>>().Value, sp.GetRequiredService<LlmMetrics>(),
            sp.GetService<Data.IWordCounts>(), sp.GetRequiredService<PhraseVectors>()));
        services.TryAddSingleton(sp => new EmbeddingRelationScorer(
            sp.GetRequiredService<OnnxEmbeddingSource>(), sp.GetRequiredService<LlmMetrics>(), sp.GetRequiredService<PhraseVectors>()));

        if (!string.IsNullOrWhiteSpace(configuration[OllamaOptions.Key(nameof(OllamaOptions.BaseUrl))]))
        {
            services.AddOllama();
            services.TryAddSingleton<OllamaEmbeddingGenerator>();
            services.TryAddSingleton<OllamaEmbeddingSource>();
            services.AddSingleton<IEmbeddingSource>(sp => sp.GetRequiredService<OllamaEmbeddingSource>());
            if (!string.IsNullOrWhiteSpace(configuration[OllamaOptions.Key(nameof(OllamaOptions.ChatModel))]))
            {
                // An LLM picks topics and scores relations; when it fails or answers nonsense, the embedded ones answer.
                services.TryAddSingleton<ITopicExtractor>(sp => ActivatorUtilities.CreateInstance<OllamaTopicExtractor>(
                    sp, (ITopicExtractor)sp.GetRequiredService<KeyphraseTopicExtractor>()));
                services.TryAddSingleton<IRelationScorer>(sp => ActivatorUtilities.CreateInstance<OllamaRelationScorer>(
                    sp, (IRelationScorer)sp.GetRequiredService<EmbeddingRelationScorer>()));
            }
        }

        services.TryAddSingleton<ITopicExtractor>(sp => sp.GetRequiredService<KeyphraseTopicExtractor>());
        services.TryAddSingleton<IRelationScorer>(sp => sp.GetRequiredService<EmbeddingRelationScorer>());
        services.TryAddSingleton<ModelRegistry>();
        services.TryAddSingleton<LocalLlmService>();
        return services;
    }

    /// <summary>
    /// How other roles reach the llm role: in-process when <c>Neptune:Services:Llm</c> is unset, else over HTTP with
    /// timeouts, retries and a circuit breaker.
    /// </summary>
    public static IServiceCollection AddLlmService(this IServiceCollection services, IConfiguration configuration)
    {
        var remote = configuration.GetValue<Uri?>("Neptune:Services:Llm");
        if (remote is null)
        {
            services.TryAddSingleton<ILlmService>(sp => sp.GetRequiredService<LocalLlmService>());
            return services;
        }

        // Embedding a large batch on a CPU can take minutes: the limits are configuration, never a hidden constant.
        var attempt = configuration.GetValue("Neptune:Services:LlmAttemptTimeout", TimeSpan.FromMinutes(5));
        var total = configuration.GetValue("Neptune:Services:LlmTimeout", TimeSpan.FromMinutes(15));
        services.AddHttpClient<ILlmService, LlmHttpClient>(http =>
        {
            http.BaseAddress = remote;
            http.Timeout = Timeout.InfiniteTimeSpan;
            AddServiceToken(http, configuration);
        }).AddStandardResilienceHandler(o =>
        {
            o.AttemptTimeout.Timeout = attempt;
            o.TotalRequestTimeout.Timeout = total;
            o.CircuitBreaker.SamplingDuration = attempt * 2;
        });
        return services;
    }

    /// <summary>Calls between roles carry the shared service token when tokens are on (Neptune:Auth:ServiceToken).</summary>
    public static void AddServiceToken(HttpClient http, IConfiguration configuration)
    {
        if (configuration["Neptune:Auth:ServiceToken"] is { Length: > 0 } token)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
    }
}
