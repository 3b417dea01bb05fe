using Microsoft.Extensions.Options;
using Neptune.Core;
using Neptune.Data;
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
        ValidateTexts(request.Inputs, "inputs");
        var (model, generator) = await registry.ResolveAsync(request.Model, ct);
        var embeddings = await generator.GenerateAsync(request.Inputs, cancellationToken: ct);
        var vectors = Checked(model, embeddings.Select(e => e.Vector.ToArray()).ToList(), request.Inputs.Count);
        return new EmbeddingsResponse(model.Reference, model.Id, model.Digest, model.Dimensions, vectors, embeddings.Usage?.InputTokenCount ?? 0);
    }

    public async Task<TopicsResponse> ExtractTopicsAsync(TopicsRequest request, CancellationToken ct)
    {
        Validate(request.Notes, "notes", options.Value.MaxNotesPerRequest, "notes");
        var extracted = await topics.ExtractAsync(request.Notes, ct);
        return new TopicsResponse([.. extracted.Select(t => new NoteTopics(topics.Name, t))]);
    }

    public async Task<NotesResponse> IndexNotesAsync(NotesRequest request, CancellationToken ct)
    {
        Validate(request.Notes, "notes", options.Value.MaxNotesPerRequest, "notes");
        for (var i = 0; i < request.Notes.Count; i++)
        {
            if (request.Notes[i] is not { Title: not null, Content: not null, Chunks: not null } note)
            {
                throw NeptuneException.Invalid($"notes[{i}]", $"notes[{i}] needs a title, content and chunks (strings; they may be empty).");
            }

            ValidateTexts(note.Chunks, $"notes[{i}].chunks");
        }

        var chunks = request.Notes.Sum(n => n.Chunks.Count);
        if (chunks > options.Value.MaxInputsPerRequest)
        {
            throw new NeptuneException(ErrorKind.TooLarge,
                $"notes hold {chunks} chunks; send at most {options.Value.MaxInputsPerRequest} per request (split the batch, or embed a larger note's chunks with /embeddings).", "notes");
        }

        var (model, generator) = await registry.ResolveAsync(null, ct);
        if (topics is KeyphraseTopicExtractor keyphrase && keyphrase.PoolsWith(generator) is { } pooling)
        {
            var pass = await keyphrase.EmbedAndExtractAsync(pooling, [.. request.Notes.Select(n => (new TopicInput(n.Title, n.Content), n.Chunks))], ct);
            _ = Checked(model, [.. pass.Vectors.SelectMany(v => v)], chunks);
            return new NotesResponse(model.Reference, model.Id, model.Digest, model.Dimensions,
                [.. pass.Vectors.Select((v, i) => new IndexedNote(v, new NoteTopics(keyphrase.Name, pass.Topics[i])))], pass.Tokens);
        }

        // Another model or extractor: the chunks first, then topics compared with each note's lead chunk.
        var embeddings = await generator.GenerateAsync([.. request.Notes.SelectMany(n => n.Chunks)], cancellationToken: ct);
        var vectors = Checked(model, embeddings.Select(e => e.Vector.ToArray()).ToList(), chunks);
        var perNote = new List<IReadOnlyList<float[]>>(request.Notes.Count);
        for (int i = 0, offset = 0; i < request.Notes.Count; offset += request.Notes[i].Chunks.Count, i++)
        {
            perNote.Add(vectors.GetRange(offset, request.Notes[i].Chunks.Count));
        }

        var extracted = await topics.ExtractAsync(
            [.. request.Notes.Select((n, i) => new TopicInput(n.Title, n.Content, perNote[i].Count > 0 ? perNote[i][0] : null, perNote[i].Count > 0 ? model.Reference : null))], ct);
        return new NotesResponse(model.Reference, model.Id, model.Digest, model.Dimensions,
            [.. perNote.Select((v, i) => new IndexedNote(v, new NoteTopics(topics.Name, extracted[i])))], embeddings.Usage?.InputTokenCount ?? 0);
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

    private static void ValidateTexts(IReadOnlyList<string> texts, string field)
    {
        for (var i = 0; i < texts.Count; i++)
        {
            if (texts[i] is null)
            {
                throw NeptuneException.Invalid($"{field}[{i}]", $"{field}[{i}] is null: send a string (it may be empty).");
            }
        }
    }

    /// <summary>The provider's vectors, after checking it gave one of the model's length per input.</summary>
    private static List<float[]> Checked(EmbeddingModel model, List<float[]> vectors, int inputs) =>
        vectors.Count == inputs && vectors.All(v => v.Length == model.Dimensions)
            ? vectors
            : throw new LlmException(LlmErrorKind.MalformedResponse, model.Provider,
                $"{model.Reference} returned {vectors.Count} vectors for {inputs} inputs, or vectors that are not {model.Dimensions}-dimensional.");

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
