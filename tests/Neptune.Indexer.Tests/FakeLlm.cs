using Neptune.Llm;
using Neptune.Llm.Contract;
using Neptune.Llm.Relations;
using Neptune.Llm.Topics;

namespace Neptune.Indexer.Tests;

/// <summary>
/// A deterministic stand-in for the llm role: bag-of-words vectors (each word hashed into one of 32 dimensions), the
/// three most frequent long words as topics, and faults on demand.
/// </summary>
public sealed class FakeLlm : ILlmService
{
    public const int Dimensions = 32;

    public long ModelId { get; set; }

    /// <summary>Throws this for any input it returns an exception for (a note the model chokes on).</summary>
    public Func<string, Exception?> Fault { get; set; } = _ => null;

    /// <summary>Every call fails as the model being unreachable.</summary>
    public bool Down { get; set; }

    public int EmbedCalls { get; private set; }

    /// <summary>Answers notes requests with one vector too few for the first note, as a broken llm role might.</summary>
    public bool DropsAVector { get; set; }

    /// <summary>Every note sent to be indexed in one pass (chunks and topics in one request), as sent.</summary>
    public List<NoteInput> NoteInputs { get; } = [];

    /// <summary>
    /// Awaited at the start of every notes request, with its token: a test holds batches with the model. Calls that get
    /// past it must come one at a time (the fake records them without locks).
    /// </summary>
    public Func<CancellationToken, Task> BeforeNotes { get; set; } = _ => Task.CompletedTask;

    /// <summary>Every note topics were asked for, as sent.</summary>
    public List<TopicInput> TopicInputs { get; } = [];

    public Task<EmbeddingsResponse> EmbedAsync(EmbeddingsRequest request, CancellationToken ct)
    {
        ThrowIfDown();
        EmbedCalls++;
        foreach (var input in request.Inputs)
        {
            if (Fault(input) is { } fault)
            {
                throw fault;
            }
        }

        var vectors = request.Inputs.Select(Vector).ToList();
        return Task.FromResult(new EmbeddingsResponse("onnx/fake-words", ModelId, "fake", Dimensions, vectors, request.Inputs.Sum(i => Words(i).Count)));
    }

    public Task<TopicsResponse> ExtractTopicsAsync(TopicsRequest request, CancellationToken ct)
    {
        ThrowIfDown();
        TopicInputs.AddRange(request.Notes);
        return Task.FromResult(new TopicsResponse([.. request.Notes.Select(n =>
        {
            var counts = Words(n.Content).Where(w => w.Length >= 5).GroupBy(w => w).Select(g => (Word: g.Key, Count: g.Count()))
                .OrderByDescending(g => g.Count).ThenBy(g => g.Word, StringComparer.Ordinal).Take(3).ToList();
            var max = counts.Count == 0 ? 1 : counts[0].Count;
            return new NoteTopics("fake:words", [.. counts.Select(c => new ExtractedTopic(c.Word, Math.Round((double)c.Count / max, 4)))]);
        })]));
    }

    /// <summary>As the llm role does for another model than its extractor's: the chunks embedded, then topics with each note's lead vector.</summary>
    public async Task<NotesResponse> IndexNotesAsync(NotesRequest request, CancellationToken ct)
    {
        await BeforeNotes(ct);
        NoteInputs.AddRange(request.Notes);
        var embedded = await EmbedAsync(new EmbeddingsRequest([.. request.Notes.SelectMany(n => n.Chunks)]), ct);
        var vectors = new List<IReadOnlyList<float[]>>();
        foreach (var note in request.Notes)
        {
            vectors.Add([.. embedded.Vectors.Skip(vectors.Sum(v => v.Count)).Take(note.Chunks.Count)]);
        }

        var topics = await ExtractTopicsAsync(new TopicsRequest([.. request.Notes.Select((n, i) =>
            new TopicInput(n.Title, n.Content, vectors[i].Count > 0 ? vectors[i][0] : null, vectors[i].Count > 0 ? embedded.Model : null))]), ct);
        return new NotesResponse(embedded.Model, embedded.ModelId, embedded.Digest, embedded.Dimensions,
            [.. vectors.Select((v, i) => new IndexedNote(DropsAVector && i == 0 ? [.. v.Skip(1)] : v, topics.Notes[i]))], embedded.Tokens);
    }

    public Task<RelationsResponse> ScoreRelationsAsync(RelationsRequest request, CancellationToken ct)
    {
        ThrowIfDown();
        return Task.FromResult(new RelationsResponse([.. request.Pairs.Select(p => new TopicRelation(p.A, p.B, 0.5, "fake"))]));
    }

    public Task<ModelsResponse> GetModelsAsync(CancellationToken ct) => Task.FromResult(new ModelsResponse([]));

    public static float[] Vector(string text)
    {
        var vector = new float[Dimensions];
        foreach (var word in Words(text))
        {
            vector[word.Aggregate(17, (h, c) => unchecked((h * 31) + c)) & (Dimensions - 1)] += 1;
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        if (norm == 0)
        {
            vector[0] = 1;
            return vector;
        }

        return [.. vector.Select(v => v / norm)];
    }

    private static List<string> Words(string text) =>
        [.. text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => new string([.. w.Where(char.IsLetter)])).Where(w => w.Length > 0)];

    private void ThrowIfDown()
    {
        if (Down)
        {
            throw new LlmException(LlmErrorKind.Unreachable, "llm", "The llm service at http://127.0.0.1:1 is not reachable (connection refused).");
        }
    }
}
