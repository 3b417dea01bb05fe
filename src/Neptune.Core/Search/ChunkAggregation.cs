using Neptune.Core.Vectors;

namespace Neptune.Core.Search;

/// <summary>A note found through its chunks: its score, the chunk that matched best (and that chunk's cosine), and how many of its chunks matched.</summary>
public sealed record NoteMatch(long NoteId, double Score, long ChunkId, float ChunkScore, int Chunks);

/// <summary>
/// How chunk scores become a note's. <see cref="LeadChunkBonus"/> is added to the cosine of a note's first chunk
/// (title and opening, which usually say what the note is about); <see cref="ExtraChunkBonus"/> for each other chunk
/// of the note among the hits, at most <see cref="MaxExtraChunks"/> times.
/// </summary>
public sealed record ChunkScoring(double LeadChunkBonus = 0, double ExtraChunkBonus = 0, int MaxExtraChunks = 3);

/// <summary>Chunk hits → a ranking of notes.</summary>
public static class ChunkAggregation
{
    /// <summary>
    /// A note scores as its best chunk (after any lead bonus), plus the extra-chunk bonus. Best first; ties go to the
    /// note whose first hit came first. <paramref name="isLeadChunk"/> tells a note's first chunk by its id.
    /// </summary>
    public static IReadOnlyList<NoteMatch> ByNote(IReadOnlyList<VectorHit> hits, ChunkScoring? scoring = null, Func<long, bool>? isLeadChunk = null)
    {
        scoring ??= new ChunkScoring();
        var notes = new Dictionary<long, (int First, VectorHit Best, double BestScore, int Chunks)>();
        for (var i = 0; i < hits.Count; i++)
        {
            var hit = hits[i];
            var score = hit.Score + (scoring.LeadChunkBonus != 0 && isLeadChunk?.Invoke(hit.ChunkId) == true ? scoring.LeadChunkBonus : 0);
            if (notes.TryGetValue(hit.NoteId, out var seen))
            {
                notes[hit.NoteId] = score > seen.BestScore ? (seen.First, hit, score, seen.Chunks + 1) : seen with { Chunks = seen.Chunks + 1 };
            }
            else
            {
                notes[hit.NoteId] = (i, hit, score, 1);
            }
        }

        return [.. notes.Values
            .Select(n => (n.First, Match: new NoteMatch(
                n.Best.NoteId, n.BestScore + (scoring.ExtraChunkBonus * Math.Min(n.Chunks - 1, scoring.MaxExtraChunks)), n.Best.ChunkId, n.Best.Score, n.Chunks)))
            .OrderByDescending(n => n.Match.Score)
            .ThenBy(n => n.First)
            .Select(n => n.Match)];
    }
}
