using Microsoft.Extensions.Options;
using Neptune.Core.Topics;
using Neptune.Core.Vectors;
using Neptune.Data;

namespace Neptune.Indexer.Graph;

/// <summary>
/// A note's semantic kNN edges. The note is its mean chunk vector (normalised); its neighbours are the notes whose best
/// chunk is nearest to it. Edges are stored once per pair, so an edge may have been chosen by the other note: when this
/// note changes, such an edge is kept only if the other note would still choose it, re-scored against this note's new
/// chunks. Only edges touching this note change, never another note's.
/// </summary>
public sealed class SemanticEdges(INoteIndexStore store, IVectorSearch search, IOptions<GraphOptions> options)
{
    public async Task<IReadOnlyList<NoteEdge>> ComputeAsync(long noteId, IReadOnlyList<float[]> vectors, long modelId, CancellationToken ct)
    {
        var o = options.Value;
        var mean = UnitMean(vectors);
        if (mean is null)
        {
            return [];
        }

        var choices = new Dictionary<long, List<KnnChoice>>();
        foreach (var (other, score) in await NearestAsync(noteId, mean, modelId, o, ct))
        {
            choices[other] = [new KnnChoice(noteId, other, score)];
        }

        foreach (var edge in await store.GetSemanticEdgesAsync(noteId, ct))
        {
            if (!EdgeProvenance.Parse(edge.Provenance).Any(c => c.From == edge.Other && c.To == noteId))
            {
                continue;
            }

            var theirs = UnitMean(await store.GetVectorsAsync(edge.Other, modelId, ct));
            var score = theirs is null ? 0 : BestChunkScore(theirs, vectors);
            if (score >= o.MinStrength)
            {
                choices.TryAdd(edge.Other, []);
                choices[edge.Other].Add(new KnnChoice(edge.Other, noteId, score));
            }
        }

        return [.. choices.OrderBy(c => c.Key).Select(c => new NoteEdge(c.Key, c.Value.Max(k => k.Score), EdgeProvenance.Format(c.Value)))];
    }

    /// <summary>An edge's weight: the cosine of <paramref name="unit"/> to the nearest of <paramref name="chunks"/>, to 4 decimals (0 without chunks).</summary>
    private static double BestChunkScore(float[] unit, IReadOnlyList<float[]> chunks) =>
        chunks.Count == 0 ? 0 : Math.Round(chunks.Max(v => UnitVectors.Dot(unit, v)), 4);

    /// <summary>The mean of unit vectors, normalised; null for a note without vectors.</summary>
    public static float[]? UnitMean(IReadOnlyList<float[]> vectors)
    {
        if (vectors.Count == 0)
        {
            return null;
        }

        var mean = new float[vectors[0].Length];
        foreach (var vector in vectors)
        {
            UnitVectors.AddScaled(mean, vector);
        }

        UnitVectors.Normalize(mean);
        return mean;
    }

    private async Task<List<(long Other, double Score)>> NearestAsync(long noteId, float[] mean, long modelId, GraphOptions o, CancellationToken ct)
    {
        // Enough chunks that k distinct notes remain after keeping each note's best chunk.
        // The vectors hold every user's notes: neighbours come from the note owner's only (null: all notes are theirs).
        var owned = await store.SameOwnerNotesAsync(noteId, ct);
        var hits = await search.SearchAsync(new VectorQuery(modelId, mean.Length, mean, (o.SemanticK * 4) + 16, owned, ExceptNote: noteId), ct);
        var best = new Dictionary<long, double>();
        foreach (var hit in hits)
        {
            best.TryAdd(hit.NoteId, Math.Round(hit.Score, 4));
        }

        var chosen = best.Where(b => b.Value >= o.MinStrength)
            .OrderByDescending(b => b.Value).ThenBy(b => b.Key).Take(o.SemanticK).ToList();
        if (chosen.Count == 0)
        {
            return [];
        }

        // The search picks the neighbours; their weights are scored again on the stored float32 vectors, as the edges
        // another note chose are (ComputeAsync): the desktop index re-ranks from float16 copies, whose scores can differ
        // in the 4th decimal, and then running a note's job again would not leave its edges as they were.
        var candidates = new List<KeyValuePair<long, double>>(chosen.Count);
        foreach (var (other, _) in chosen)
        {
            var score = BestChunkScore(mean, await store.GetVectorsAsync(other, modelId, ct));
            if (score >= o.MinStrength)
            {
                candidates.Add(new(other, score));
            }
        }

        candidates = [.. candidates.OrderByDescending(c => c.Value).ThenBy(c => c.Key)];

        var degrees = await store.GetSemanticDegreesAsync([.. candidates.Select(c => c.Key)], noteId, ct);
        return [.. candidates.Where(c => degrees.GetValueOrDefault(c.Key) < o.MaxEdges).Take(o.MaxEdges).Select(c => (c.Key, c.Value))];
    }
}
