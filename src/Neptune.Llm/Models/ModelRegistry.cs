using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Neptune.Core;
using Neptune.Data;

namespace Neptune.Llm.Models;

/// <summary>A registered model and the generator that runs it.</summary>
public sealed record ResolvedModel(EmbeddingModel Model, IEmbeddingGenerator<string, Embedding<float>> Generator);

/// <summary>A model as `neptune models` and GET /llm/v1/models show it; <see cref="Id"/> is null for a configured model not yet registered.</summary>
public sealed record ModelState(long? Id, string Provider, string Name, string? Digest, int? Dimensions, bool Active, string Status, string? Detail)
{
    public string Reference => $"{Provider}/{Name}";
}

/// <summary>
/// Pins embedding models: which one is active, and the exact digest its vectors were made with. Search and indexing
/// use only the active model; a digest that changes under Neptune (someone pulled a newer Ollama model) is refused
/// until the user activates it, which re-embeds every note in the background. The embedded model changes only with a
/// Neptune update or its setting (<c>Neptune:Llm:Onnx:Model</c>: the int8 or the float build), and either re-activates it
/// automatically.
/// </summary>
public sealed class ModelRegistry(IEnumerable<IEmbeddingSource> sources, IModelStore store, IOptions<LlmOptions> options, TimeProvider time, ILogger<ModelRegistry> logger)
{
    private static readonly TimeSpan VerifyEvery = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, IEmbeddingSource> _sources = sources.ToDictionary(s => s.Provider, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, DateTimeOffset> _verified = new();

    /// <summary>At start: registers the configured model and activates it when nothing is active yet (or the embedded model was updated or switched to its other build).</summary>
    public async Task<EmbeddingModel> EnsureActiveAsync(CancellationToken ct)
    {
        var configured = Source(options.Value.Provider);
        var identity = await configured.DescribeAsync(configured.DefaultModel, ct);
        var model = await store.RegisterAsync(identity, ct);
        var active = await store.GetActiveAsync(ct);
        if (active is null || (active.Provider == "onnx" && model.Provider == "onnx" && active.Id != model.Id))
        {
            var activation = await store.ActivateAsync(model.Id, ct);
            logger.LogInformation("Active embedding model: {Model} ({Digest}); {Queued} notes queued for embedding", model.Reference, model.ShortDigest, activation.NotesQueued);
            return activation.Model;
        }

        if (active.Id != model.Id)
        {
            logger.LogWarning("Configured embedding model is {Configured} but {Active} is active (pinned). Run `neptune models activate {Configured}` to switch; it re-embeds every note.",
                model.Reference, active.Reference, model.Reference);
        }

        return active;
    }

    /// <summary>The model to embed with: <paramref name="reference"/> ("provider/name" or an id), or the active one when null.</summary>
    public async Task<ResolvedModel> ResolveAsync(string? reference, CancellationToken ct)
    {
        EmbeddingModel model;
        if (string.IsNullOrWhiteSpace(reference))
        {
            model = await store.GetActiveAsync(ct)
                ?? throw new LlmException(LlmErrorKind.InvalidRequest, options.Value.Provider, "No embedding model is active yet: start `neptune serve` once, or run `neptune models activate onnx/all-MiniLM-L6-v2`.");
        }
        else
        {
            model = await FindRegisteredAsync(reference, ct)
                ?? throw new LlmException(LlmErrorKind.ModelNotFound, ParseReference(reference).Provider ?? "onnx",
                    $"Model '{reference}' is not registered: run `neptune models activate {reference}` first (see `neptune models`).");
        }

        var source = Source(model.Provider);
        await VerifyPinnedAsync(source, model, ct);
        return new ResolvedModel(model, source.GetGenerator(model.Name));
    }

    /// <summary>Describes the model with its provider now, registers that exact digest and makes it active (re-embedding in the background).</summary>
    public async Task<ModelActivation> ActivateAsync(string reference, CancellationToken ct)
    {
        if (long.TryParse(reference, out var id))
        {
            var known = await store.GetAsync(id, ct);
            reference = known.Reference;
        }

        var (provider, name) = ParseReference(reference);
        var source = Source(provider ?? throw NeptuneException.Invalid("model", $"Name the provider too: onnx/{reference} or ollama/{reference}."));
        var identity = await source.DescribeAsync(name, ct);
        var model = await store.RegisterAsync(identity, ct);
        var activation = await store.ActivateAsync(model.Id, ct);
        _verified[model.Id] = time.GetUtcNow();
        return activation;
    }

    /// <summary>Every registered model with its state, plus each provider's default model when not registered yet.</summary>
    public async Task<IReadOnlyList<ModelState>> ListAsync(CancellationToken ct)
    {
        var registered = await store.ListAsync(ct);
        var states = new List<ModelState>();
        foreach (var model in registered)
        {
            var (status, detail) = await StatusAsync(model, ct);
            states.Add(new ModelState(model.Id, model.Provider, model.Name, model.Digest, model.Dimensions, model.Active, status, detail));
        }

        foreach (var source in _sources.Values)
        {
            if (!registered.Any(m => m.Provider == source.Provider && m.Name == source.DefaultModel))
            {
                var problem = await source.CheckAsync(source.DefaultModel, ct);
                states.Add(new ModelState(null, source.Provider, source.DefaultModel, null, null, false, problem is null ? "available" : "unavailable", problem));
            }
        }

        return states;
    }

    /// <summary>Null when the active model can embed now; else why not.</summary>
    public async Task<string?> CheckActiveAsync(CancellationToken ct)
    {
        var active = await store.GetActiveAsync(ct);
        if (active is null)
        {
            return "no embedding model is active yet";
        }

        var (status, detail) = await StatusAsync(active, ct);
        return status is "active" or "available" ? null : detail ?? status;
    }

    private async Task<(string Status, string? Detail)> StatusAsync(EmbeddingModel model, CancellationToken ct)
    {
        if (!_sources.TryGetValue(model.Provider, out var source))
        {
            return ("unavailable", $"the {model.Provider} provider is not configured");
        }

        try
        {
            // Describing the model is the availability check too: one round trip to Ollama, not two.
            var now = await source.DescribeAsync(model.Name, ct);
            if (now.Digest != model.Digest)
            {
                return ("changed", $"{model.Provider} now has digest {Short(now.Digest)}, vectors were made with {model.ShortDigest}");
            }
        }
        catch (LlmException e)
        {
            return ("unavailable", e.Message);
        }

        return (model.Active ? "active" : "available", null);
    }

    private async Task VerifyPinnedAsync(IEmbeddingSource source, EmbeddingModel model, CancellationToken ct)
    {
        if (_verified.TryGetValue(model.Id, out var at) && time.GetUtcNow() - at < VerifyEvery)
        {
            return;
        }

        var now = await source.DescribeAsync(model.Name, ct);
        if (now.Digest != model.Digest)
        {
            throw new LlmException(LlmErrorKind.ModelChanged, model.Provider,
                $"{model.Reference} changed: the provider now has digest {Short(now.Digest)}, but Neptune's vectors were made with {model.ShortDigest}. "
                + $"Run `neptune models activate {model.Reference}` to re-embed every note with the new version.");
        }

        _verified[model.Id] = time.GetUtcNow();
    }

    private async Task<EmbeddingModel?> FindRegisteredAsync(string reference, CancellationToken ct)
    {
        if (long.TryParse(reference, out var id))
        {
            return await store.GetAsync(id, ct);
        }

        var (provider, name) = ParseReference(reference);
        var candidates = (await store.ListAsync(ct)).Where(m => m.Name == name && (provider is null || m.Provider == provider)).ToList();
        return candidates.FirstOrDefault(m => m.Active) ?? candidates.OrderByDescending(m => m.ActivatedAt ?? m.CreatedAt).FirstOrDefault();
    }

    private IEmbeddingSource Source(string provider) =>
        _sources.TryGetValue(provider, out var source) ? source
        : throw new LlmException(LlmErrorKind.InvalidRequest, provider, provider == "ollama"
            ? "Ollama is not configured: set Neptune:Llm:Ollama:BaseUrl (e.g. Neptune__Llm__Ollama__BaseUrl=http://127.0.0.1:11434)."
            : $"Unknown model provider '{provider}': use onnx or ollama.");

    /// <summary>"ollama/nomic-embed-text" → ("ollama", "nomic-embed-text"); "nomic-embed-text:latest" → (null, …).</summary>
    public static (string? Provider, string Name) ParseReference(string reference)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        var head = slash > 0 ? reference[..slash] : null;
        return head is "onnx" or "ollama" ? (head, reference[(slash + 1)..]) : (null, reference);
    }

    private static string Short(string digest) => digest.Length > 12 ? digest[..12] : digest;
}
