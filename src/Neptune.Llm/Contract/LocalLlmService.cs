using Microsoft.Extensions.Options;
using Neptune.Core;
using Neptune.Llm.Models;
using Neptune.Llm.Relations;
using Neptune.Llm.Topics;

namespace Neptune.Llm.Contract;

/// <summary>The llm role in-process: validates requests, resolves the pinned model and calls the providers.</summary>
public sealed class LocalLlmService(
    ModelRegistry registry, ITopicExtractor topics, IRelationScorer relations, IOptions<LlmOptions> options) : ILlmService
{
    public async Task<EmbeddingsResponse> EmbedAsync(EmbeddingsRequest request, CancellationToken ct)
    {
        Validate(request.Inputs, "inputs", options.Value.MaxInputsPerRequest, "texts");
        for (var i = 0; i < request.Inputs.Count; i++)
        {
            if (request.Inputs[i] is null)
            {
                throw NeptuneException.Invalid($"inputs[{i}]", $"inputs[{i}] is null: send a string (it may be empty).");
            }
        }

        var (model, generator) = await registry.ResolveAsync(request.Model, ct);
        var embeddings = await generator.GenerateAsync(request.Inputs, cancellationToken: ct);
        var vectors = embeddings.Select(e => e.Vector.ToArray()).ToList();
        if (vectors.Count != request.Inputs.Count || vectors.Any(v => v.Length != model.Dimensions))
        {
            throw new LlmException(LlmErrorKind.MalformedResponse, model.Provider,
                $"{model.Reference} returned {vectors.Count} vectors for {request.Inputs.Count} inputs, or vectors that are not {model.Dimensions}-dimensional.");
        }

        return new EmbeddingsResponse(model.Reference, model.Id, model.Digest, model.Dimensions, vectors, embeddings.Usage?.InputTokenCount ?? 0);
    }

    public async Task<TopicsResponse> ExtractTopicsAsync(TopicsRequest request, CancellationToken ct)
    {
        Validate(request.Notes, "notes", options.Value.MaxNotesPerRequest, "notes");
        var extracted = await topics.ExtractAsync(request.Notes, ct);
        return new TopicsResponse([.. extracted.Select(t => new NoteTopics(topics.Name, t))]);
    }

    public async Task<RelationsResponse> ScoreRelationsAsync(RelationsRequest request, CancellationToken ct)
    {
        Validate(request.Pairs, "pairs", options.Value.MaxPairsPerRequest, "pairs");
        for (var i = 0; i < request.Pairs.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(request.Pairs[i].A) || string.IsNullOrWhiteSpace(request.Pairs[i].B))
            {
                throw NeptuneException.Invalid($"pairs[{i}]", $"pairs[{i}] needs two non-empty topic labels, a and b.");
            }
        }

        return new RelationsResponse(await relations.ScoreAsync(request.Pairs, ct));
    }

    public async Task<ModelsResponse> GetModelsAsync(CancellationToken ct) => new(await registry.ListAsync(ct));

    private static void Validate<T>(IReadOnlyList<T>? items, string field, int max, string what)
    {
        if (items is null || items.Count == 0)
        {
            throw NeptuneException.Invalid(field, $"{field} is empty: send at least one of the {what} to process.");
        }

        if (items.Count > max)
        {
            throw new NeptuneException(ErrorKind.TooLarge, $"{field} has {items.Count} {what}; send at most {max} per request (split the batch).", field);
        }
    }
}
