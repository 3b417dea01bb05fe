namespace Neptune.Data;

/// <summary>
/// An embedding model as the registry pins it: provider ("onnx" or "ollama"), name, digest (SHA-256 of the ONNX file,
/// or Ollama's digest) and dimensions. Exactly one model is active: the one whose vectors search reads.
/// </summary>
public sealed record EmbeddingModel(
    long Id, string Provider, string Name, string Digest, int Dimensions, bool Active, DateTimeOffset CreatedAt, DateTimeOffset? ActivatedAt)
{
    /// <summary>How people name a model on the command line: "provider/name", e.g. "onnx/all-MiniLM-L6-v2".</summary>
    public string Reference => $"{Provider}/{Name}";

    /// <summary>First 12 hex digits of the digest, as Ollama shows them.</summary>
    public string ShortDigest => Digest.Length > 12 ? Digest[..12] : Digest;
}

/// <summary>What a provider reports about a model it can run right now.</summary>
public sealed record ModelIdentity(string Provider, string Name, string Digest, int Dimensions);

/// <summary>The outcome of activating a model: the model, whether it changed, and how many notes were queued to re-embed.</summary>
public sealed record ModelActivation(EmbeddingModel Model, bool Changed, int NotesQueued);

public interface IModelStore
{
    Task<IReadOnlyList<EmbeddingModel>> ListAsync(CancellationToken ct);

    Task<EmbeddingModel?> GetActiveAsync(CancellationToken ct);

    Task<EmbeddingModel> GetAsync(long id, CancellationToken ct);

    /// <summary>Finds the row for this exact provider, name and digest, or records it (inactive).</summary>
    Task<EmbeddingModel> RegisterAsync(ModelIdentity model, CancellationToken ct);

    /// <summary>
    /// Makes <paramref name="id"/> the active model. When it was not active, every live note is queued for indexing in the
    /// same transaction, so the new model's vectors are built in the background (the outbox; nothing is lost on a crash).
    /// </summary>
    Task<ModelActivation> ActivateAsync(long id, CancellationToken ct);
}
