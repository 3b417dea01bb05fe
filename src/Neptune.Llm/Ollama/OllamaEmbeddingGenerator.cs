using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Neptune.Llm.Ollama;

/// <summary>
/// Embeddings from Ollama's /api/embed, <see cref="OllamaOptions.EmbedBatchSize"/> inputs per call, with the
/// configured keep_alive and truncate. Every vector of a call must have the same size, one per input, or the call
/// fails as <see cref="LlmErrorKind.MalformedResponse"/>.
/// </summary>
public sealed class OllamaEmbeddingGenerator(OllamaClient client, IOptions<OllamaOptions> options, LlmMetrics metrics)
    : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly OllamaOptions _options = options.Value;
    private readonly OllamaFailures _failures = new(options.Value);
    private int _dimensions;  // 0 until the first answer tells

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values as IReadOnlyList<string> ?? [.. values];
        var model = options?.ModelId ?? _options.EmbeddingModel;
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        long tokens = 0;
        var dimensions = 0;
        for (var start = 0; start < inputs.Count; start += _options.EmbedBatchSize)
        {
            var batch = inputs.Skip(start).Take(_options.EmbedBatchSize).ToArray();
            var started = Stopwatch.GetTimestamp();
            var response = await client.EmbedAsync(
                new OllamaEmbedRequest(model, batch)
                {
                    Truncate = _options.Truncate,
                    KeepAlive = _options.KeepAlive,
                    Dimensions = options?.Dimensions,
                },
                cancellationToken);
            var vectors = Check(response, batch.Length, ref dimensions);
            var batchTokens = response.PromptEvalCount ?? 0;
            metrics.EmbeddingCompleted(OllamaFailures.Provider, model, batch.Length, batchTokens, Stopwatch.GetElapsedTime(started));
            tokens += batchTokens;
            var now = DateTimeOffset.UtcNow;
            result.AddRange(vectors.Select(v => new Embedding<float>(v) { ModelId = response.Model ?? model, CreatedAt = now }));
        }

        if (dimensions > 0 && options?.Dimensions is null && model == _options.EmbeddingModel)
        {
            _dimensions = dimensions;
        }

        result.Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens };
        return result;
    }

    /// <summary>One vector per input, all of one size (the size of the first batch for later batches too).</summary>
    private float[][] Check(OllamaEmbedResponse response, int expected, ref int dimensions)
    {
        var vectors = response.Embeddings;
        string? problem = null;
        if (vectors is null)
        {
            problem = "no \"embeddings\"";
        }
        else if (vectors.Count != expected)
        {
            problem = $"{vectors.Count} vectors for {expected} inputs";
        }
        else
        {
            foreach (var vector in vectors)
            {
                if (vector is null || vector.Length == 0)
                {
                    problem = "an empty vector";
                    break;
                }

                if (dimensions == 0)
                {
                    dimensions = vector.Length;
                }
                else if (vector.Length != dimensions)
                {
                    problem = $"vectors of {dimensions} and of {vector.Length} dimensions in one answer";
                    break;
                }
            }
        }

        if (problem is not null)
        {
            metrics.Failed(OllamaFailures.Provider, LlmErrorKind.MalformedResponse, OllamaCall.Embed.Operation);
            throw _failures.Malformed(OllamaCall.Embed, problem);
        }

        return [.. vectors!];
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata)
                ? new EmbeddingGeneratorMetadata(OllamaFailures.Provider, client.BaseUrl, _options.EmbeddingModel, _dimensions > 0 ? _dimensions : null)
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        // The HttpClient belongs to IHttpClientFactory.
    }
}
