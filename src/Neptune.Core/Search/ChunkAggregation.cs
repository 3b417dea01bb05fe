using Neptune.Core.Vectors;

namespace Neptune.Core.Search;

/// <summary>A note found through its chunks: its score, the chunk that matched best, and how many of its chunks matched.</summary>
public sealed record NoteMatch(long NoteId, double Score, long ChunkId, float ChunkScore, int Chunks);

/// <summary>Chunk hits → a ranking of notes.</summary>
public static class ChunkAggregation
{
    /// <summary>
    /// A note scores as its best chunk, plus <paramref name="extraChunkBonus"/> for each other chunk of it among the
    /// hits (at most <paramref name="maxExtraChunks"/>): a page that matches in several places is a little more likely
    /// to be about the query. Best first; ties go to the note whose best chunk came first.
    /// </summary>
    public static IReadOnlyList<NoteMatch> ByNote(IReadOnlyList<VectorHit> hits, double extraChunkBonus = 0, int maxExtraChunks = 3)
    {
        var notes = new Dictionary<long, (int First, VectorHit Best, int Chunks)>();
        for (var i = 0; i < hits.Count; i++)
        {
            var hit = hits[i];
            if (notes.TryGetValue(hit.NoteId, out var seen))
            {
                notes[hit.NoteId] = (seen.First, hit.Score > seen.Best.Score ? hit : seen.Best, seen.Chunks + 1);
            }
            else
            {
                notes[hit.NoteId] = (i, hit, 1);
            }
        }

        return [.. notes.Values
            .Select(n => (n.First, Match: new NoteMatch(n.Best.NoteId, n.Best.Score + (extraChunkBonus * Math.Min(n.Chunks - 1, maxExtraChunks)), n.Best.ChunkId, n.Best.Score, n.Chunks)))
            .OrderByDescending(n => n.Match.Score)
            .ThenBy(n => n.First)
            .Select(n => n.Match)];
    }
}
