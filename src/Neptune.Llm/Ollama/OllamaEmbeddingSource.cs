using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Neptune.Data;
using Neptune.Llm.Models;

namespace Neptune.Llm.Ollama;

/// <summary>Ollama as a source of embedding models: any model the server has, pinned by the digest /api/tags reports.</summary>
public sealed class OllamaEmbeddingSource(OllamaClient client, OllamaEmbeddingGenerator generator, IOptions<OllamaOptions> options) : IEmbeddingSource
{
    private readonly ConcurrentDictionary<string, IEmbeddingGenerator<string, Embedding<float>>> _generators = new(StringComparer.Ordinal);

    public string Provider => "ollama";

    public string DefaultModel => options.Value.EmbeddingModel;

    public async Task<ModelIdentity> DescribeAsync(string name, CancellationToken ct)
    {
        var info = await client.GetModelInfoAsync(name, ct);
        var dimensions = info.EmbeddingDimensions
            ?? (await generator.GenerateAsync(["dimensions"], new EmbeddingGenerationOptions { ModelId = name }, ct))[0].Vector.Length;
        return new ModelIdentity(Provider, name, info.Digest, dimensions);
    }

    public IEmbeddingGenerator<string, Embedding<float>> GetGenerator(string name) =>
        name == DefaultModel ? generator : _generators.GetOrAdd(name, n => new NamedModel(generator, n));

    public async Task<string?> CheckAsync(string name, CancellationToken ct)
    {
        try
        {
            await client.GetModelInfoAsync(name, ct);
            return null;
        }
        catch (LlmException e)
        {
            return e.Message;
        }
    }

    /// <summary>The shared generator, asking for another model than the configured one.</summary>
    private sealed class NamedModel(IEmbeddingGenerator<string, Embedding<float>> inner, string model) : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
    {
        public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var named = options?.Clone() ?? new EmbeddingGenerationOptions();
            named.ModelId = model;
            return base.GenerateAsync(values, named, cancellationToken);
        }
    }
}
