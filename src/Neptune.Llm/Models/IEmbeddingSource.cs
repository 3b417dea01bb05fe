using Microsoft.Extensions.AI;
using Neptune.Data;

namespace Neptune.Llm.Models;

/// <summary>A provider that can run embedding models: the embedded ONNX runtime, or an Ollama server.</summary>
public interface IEmbeddingSource
{
    /// <summary>"onnx" or "ollama", as stored in the models table.</summary>
    string Provider { get; }

    /// <summary>The model this provider runs when none is named (the configured default).</summary>
    string DefaultModel { get; }

    /// <summary>Digest and dimensions of <paramref name="name"/> as the provider has it now; throws <see cref="LlmException"/> when it cannot.</summary>
    Task<ModelIdentity> DescribeAsync(string name, CancellationToken ct);

    /// <summary>A generator for <paramref name="name"/>; created on first use and kept.</summary>
    IEmbeddingGenerator<string, Embedding<float>> GetGenerator(string name);

    /// <summary>Null when the provider can serve <paramref name="name"/> right now, else why not (for /ready and `neptune models`).</summary>
    Task<string?> CheckAsync(string name, CancellationToken ct);
}
