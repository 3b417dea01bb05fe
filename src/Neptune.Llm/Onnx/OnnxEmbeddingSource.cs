using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Neptune.Core;
using Neptune.Data;
using Neptune.Llm.Models;

namespace Neptune.Llm.Onnx;

/// <summary>
/// The embedded provider: one model, all-MiniLM-L6-v2 in the build <see cref="MiniLmOptions.Model"/> names (int8 unless
/// configured otherwise), loaded on first use (about a second) and kept. It is also that model's generator, so the
/// keyphrase extractor and the relation scorer can hold it without loading it at start.
/// </summary>
public sealed class OnnxEmbeddingSource(IOptions<MiniLmOptions> options, LlmMetrics metrics, ForegroundWork? foreground = null)
    : IEmbeddingSource, IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata = new("onnx", null, options.Value.Model, MiniLmEmbeddingGenerator.Dimensions);
    private readonly Lazy<MiniLmEmbeddingGenerator> _generator = new(() => new MiniLmEmbeddingGenerator(options.Value, metrics, foreground));
    private readonly Lazy<string> _digest = new(() => MiniLmEmbeddingGenerator.UnpackModel(options.Value.CacheDir, options.Value.Model).Sha256);

    public string Provider => "onnx";

    public string DefaultModel => options.Value.Model;

    /// <summary>The loaded generator (loads it when needed): the chunker counts tokens with its tokenizer.</summary>
    public MiniLmEmbeddingGenerator Generator => _generator.Value;

    public Task<ModelIdentity> DescribeAsync(string name, CancellationToken ct)
    {
        Require(name);
        return Task.Run(() => new ModelIdentity(Provider, DefaultModel, _digest.Value, MiniLmEmbeddingGenerator.Dimensions), ct);
    }

    public IEmbeddingGenerator<string, Embedding<float>> GetGenerator(string name)
    {
        Require(name);
        return _generator.Value;
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        _generator.Value.GenerateAsync(values, options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public Task<string?> CheckAsync(string name, CancellationToken ct) =>
        Task.FromResult(name == DefaultModel ? null : $"the embedded provider is set to run {DefaultModel}");

    public void Dispose()
    {
        if (_generator.IsValueCreated)
        {
            _generator.Value.Dispose();
        }
    }

    private void Require(string name)
    {
        if (name != DefaultModel)
        {
            throw new LlmException(LlmErrorKind.ModelNotFound, Provider,
                $"The embedded provider is set to run '{DefaultModel}', not '{name}'. Use onnx/{DefaultModel}, set {MiniLmOptions.Section}:Model to {name} if it is the other build of all-MiniLM-L6-v2 ({MiniLmEmbeddingGenerator.Int8ModelName} or {MiniLmEmbeddingGenerator.ModelName}), or use an Ollama model as ollama/<name>.");
        }
    }
}
