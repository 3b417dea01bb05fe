using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Neptune.Core;
using Neptune.Core.Topics;
using Neptune.Data;
using Neptune.Llm;
using Neptune.Llm.Contract;
using Neptune.Llm.Relations;
using Neptune.Llm.Topics;

namespace Neptune.Indexer.Pipeline;

/// <summary>
/// The model calls of a batch: every chunk of every note embedded and its topics extracted in as few requests as the llm
/// contract allows, then relations for new topic pairs. A batch call that fails for a reason other than the model being
/// unavailable is retried note by note, so one bad note fails alone.
/// </summary>
internal sealed class LlmSteps(ILlmService llm, INoteIndexStore store, IOptions<LlmOptions> llmOptions, ILogger logger)
{
    /// <summary>Model unavailability: jobs wait and retry, never dead-lettered for it.</summary>
    public static bool IsUnavailable(Exception e) => e is LlmException
    {
        Kind: LlmErrorKind.Unreachable or LlmErrorKind.CircuitOpen or LlmErrorKind.Timeout or LlmErrorKind.ModelChanged or LlmErrorKind.ModelNotFound,
    };

    /// <summary>Every note's chunk vectors and topics, in one pass over its text where the llm can (one request per slice of notes).</summary>
    public Task EmbedAndExtractAsync(IReadOnlyList<NoteWork> notes, CancellationToken ct) => IsolatedAsync(notes, IndexTogetherAsync, ct);

    /// <summary>Scores the new pairs among each note's topics (bounded per note); a failure only leaves relations for later.</summary>
    public async Task<IReadOnlyDictionary<(string A, string B), RelationToStore>> ScoreRelationsAsync(IReadOnlyList<NoteWork> notes, int maxPairsPerNote, CancellationToken ct)
    {
        var wanted = notes.SelectMany(n => Pairs(n.Topics).Take(maxPairsPerNote)).Distinct().ToList();
        if (wanted.Count == 0)
        {
            return new Dictionary<(string, string), RelationToStore>();
        }

        var scored = await store.GetScoredPairsAsync(wanted, ct);
        var labels = notes.SelectMany(n => n.Topics).GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.First().Label);
        var missing = wanted.Where(p => !scored.Contains(p)).ToList();
        var results = new Dictionary<(string A, string B), RelationToStore>();
        try
        {
            foreach (var slice in missing.Chunk(llmOptions.Value.MaxPairsPerRequest))
            {
                var response = await llm.ScoreRelationsAsync(new RelationsRequest([.. slice.Select(p => new TopicPair(labels[p.A], labels[p.B]))]), ct);
                for (var i = 0; i < slice.Length && i < response.Relations.Count; i++)
                {
                    var r = response.Relations[i];
                    results[slice[i]] = new RelationToStore(slice[i].A, slice[i].B, Math.Round(Math.Clamp(r.Strength, 0, 1), 4), r.Source);
                }
            }
        }
        catch (Exception e) when (e is LlmException or NeptuneException)
        {
            logger.LogWarning("Topic relations not scored this time ({Message}); they are scored when one of these notes is indexed again.", e.Message);
        }

        return results;
    }

    /// <summary>Topic pairs of a note, strongest topics first, each as (a, b) with a &lt; b.</summary>
    public static IEnumerable<(string A, string B)> Pairs(IReadOnlyList<TopicToStore> topics)
    {
        for (var i = 0; i < topics.Count; i++)
        {
            for (var j = i + 1; j < topics.Count; j++)
            {
                var (a, b) = (topics[i].Key, topics[j].Key);
                yield return string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);
            }
        }
    }

    /// <summary>
    /// Notes in requests of at most MaxNotesPerRequest notes and MaxInputsPerRequest chunks, so each note's chunks and
    /// topics come from one request; a note with more chunks than a request holds has them embedded in slices first,
    /// then its topics extracted.
    /// </summary>
    private async Task IndexTogetherAsync(IReadOnlyList<NoteWork> notes, CancellationToken ct)
    {
        var limits = llmOptions.Value;
        var large = notes.Where(n => n.Chunks.Count > limits.MaxInputsPerRequest).ToList();
        if (large.Count > 0)
        {
            await EmbedTogetherAsync(large, ct);
            await TopicsTogetherAsync(large, ct);
        }

        var slice = new List<NoteWork>();
        var chunks = 0;
        foreach (var note in notes.Where(n => n.Chunks.Count <= limits.MaxInputsPerRequest))
        {
            if (slice.Count == limits.MaxNotesPerRequest || chunks + note.Chunks.Count > limits.MaxInputsPerRequest)
            {
                await IndexSliceAsync(slice, ct);
                (slice, chunks) = ([], 0);
            }

            slice.Add(note);
            chunks += note.Chunks.Count;
        }

        if (slice.Count > 0)
        {
            await IndexSliceAsync(slice, ct);
        }
    }

    private async Task IndexSliceAsync(List<NoteWork> notes, CancellationToken ct)
    {
        var response = await llm.IndexNotesAsync(new NotesRequest([.. notes.Select(n => new NoteInput(n.Source.Title, n.Source.Content, [.. n.Chunks.Select(c => c.Text)]))]), ct);
        var chunks = notes.Sum(n => n.Chunks.Count);
        if (response.Notes.Count != notes.Count || response.Notes.Where((n, i) => n.Vectors.Count != notes[i].Chunks.Count).Any())
        {
            throw new LlmException(LlmErrorKind.MalformedResponse, "llm",
                $"The llm answered {response.Notes.Count} notes for {notes.Count}, or a note's vectors do not match its chunks; the batch is retried note by note.");
        }

        for (var i = 0; i < notes.Count; i++)
        {
            var (note, indexed) = (notes[i], response.Notes[i]);
            (note.ModelId, note.Dimensions, note.Model) = (response.ModelId, response.Dimensions, response.Model);
            note.Vectors = indexed.Vectors;
            note.Tokens = chunks == 0 ? 0 : response.Tokens * note.Chunks.Count / chunks;
            SetTopics(note, indexed.Topics);
        }
    }

    private async Task EmbedTogetherAsync(IReadOnlyList<NoteWork> notes, CancellationToken ct)
    {
        var inputs = notes.SelectMany(n => n.Chunks.Select(c => c.Text)).ToList();
        var vectors = new List<float[]>(inputs.Count);
        long? modelId = null;
        var dimensions = 0;
        string? model = null;
        long tokens = 0;
        foreach (var slice in inputs.Chunk(llmOptions.Value.MaxInputsPerRequest))
        {
            var response = await llm.EmbedAsync(new EmbeddingsRequest(slice), ct);
            if (modelId is { } first && first != response.ModelId)
            {
                throw new LlmException(LlmErrorKind.ModelChanged, "llm", $"The active model changed while this batch was embedded (model {first}, then {response.ModelId}); it is embedded again.");
            }

            (modelId, dimensions, model) = (response.ModelId, response.Dimensions, response.Model);
            vectors.AddRange(response.Vectors);
            tokens += response.Tokens;
        }

        var offset = 0;
        foreach (var note in notes)
        {
            note.Vectors = vectors.GetRange(offset, note.Chunks.Count);
            note.Tokens = inputs.Count == 0 ? 0 : tokens * note.Chunks.Count / inputs.Count;
            offset += note.Chunks.Count;
            if (modelId is { } id)
            {
                (note.ModelId, note.Dimensions, note.Model) = (id, dimensions, model);
            }
        }
    }

    private async Task TopicsTogetherAsync(IReadOnlyList<NoteWork> notes, CancellationToken ct)
    {
        foreach (var slice in notes.Chunk(llmOptions.Value.MaxNotesPerRequest))
        {
            // The lead chunk is the title and opening text the extractor would otherwise embed again to compare phrases with.
            var response = await llm.ExtractTopicsAsync(new TopicsRequest([.. slice.Select(n => new TopicInput(
                n.Source.Title, n.Source.Content, n.Vectors.Count > 0 ? n.Vectors[0] : null, n.Vectors.Count > 0 ? n.Model : null))]), ct);
            for (var i = 0; i < slice.Length; i++)
            {
                SetTopics(slice[i], response.Notes[i]);
            }
        }
    }

    /// <summary>The note's topics as stored: one per key (its heaviest spelling), weights in [0, 1], strongest first.</summary>
    private static void SetTopics(NoteWork note, NoteTopics topics)
    {
        note.TopicSource = topics.Extractor;
        note.Topics = [.. topics.Topics
            .Select(t => new TopicToStore(TopicLabel.Key(t.Label), TopicLabel.Normalize(t.Label), Math.Round(Math.Clamp(t.Weight, 0, 1), 4)))
            .Where(t => t.Key.Length > 0)
            .GroupBy(t => t.Key).Select(g => g.MaxBy(t => t.Weight)!)
            .OrderByDescending(t => t.Weight).ThenBy(t => t.Key, StringComparer.Ordinal)];
    }

    /// <summary>Runs <paramref name="step"/> on all notes at once; when that fails for a note-specific reason, on each note alone.</summary>
    private async Task IsolatedAsync(IReadOnlyList<NoteWork> notes, Func<IReadOnlyList<NoteWork>, CancellationToken, Task> step, CancellationToken ct)
    {
        var running = notes.Where(n => n.Stopped is null).ToList();
        if (running.Count == 0)
        {
            return;
        }

        try
        {
            await step(running, ct);
            return;
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            running.ForEach(n => n.Stopped = (JobResult.Unavailable, e.Message));
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException && running.Count > 1)
        {
            logger.LogInformation("A batch of {Count} notes failed ({Message}); trying each note alone.", running.Count, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            running[0].Stopped = (JobResult.Failed, e.Message);
            return;
        }

        foreach (var note in running)
        {
            try
            {
                await step([note], ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                note.Stopped = (IsUnavailable(e) ? JobResult.Unavailable : JobResult.Failed, e.Message);
            }
        }
    }
}
