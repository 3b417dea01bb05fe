namespace Neptune.Core.Search;

/// <summary>A note in a fused ranking, with where it stood in each list (1-based; null when absent).</summary>
public sealed record FusedNote(long NoteId, double Score, int? FtsRank, int? SemanticRank);

/// <summary>Merges the full-text and semantic rankings of one query into one.</summary>
public static class RankFusion
{
    /// <summary>
    /// Reciprocal rank fusion: Σ weight / (k + rank) over the lists a note is in. Only ranks count, so bm25 and cosine
    /// need no common scale; k damps how much the very top of each list dominates.
    /// </summary>
    public static IReadOnlyList<FusedNote> Reciprocal(IReadOnlyList<long> fts, IReadOnlyList<long> semantic, double k = 60, double ftsWeight = 1, double semanticWeight = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        return Fuse(fts, semantic, (rank, _) => ftsWeight / (k + rank), (rank, _) => semanticWeight / (k + rank));
    }

    /// <summary>
    /// Convex combination: (1 − α) · fts + α · semantic, each list's scores min-max normalised to [0, 1] over that
    /// list (a list of one, or of equal scores, counts as 1); a note absent from a list gets 0 from it.
    /// </summary>
    public static IReadOnlyList<FusedNote> Convex(IReadOnlyList<(long NoteId, double Score)> fts, IReadOnlyList<(long NoteId, double Score)> semantic, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(alpha);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(alpha, 1);
        var ftsNorm = Normalise(fts);
        var semNorm = Normalise(semantic);
        return Fuse([.. fts.Select(f => f.NoteId)], [.. semantic.Select(s => s.NoteId)],
            (_, i) => (1 - alpha) * ftsNorm[i], (_, i) => alpha * semNorm[i]);
    }

    private static double[] Normalise(IReadOnlyList<(long NoteId, double Score)> list)
    {
        if (list.Count == 0)
        {
            return [];
        }

        var min = list.Min(x => x.Score);
        var max = list.Max(x => x.Score);
        return [.. list.Select(x => max > min ? (x.Score - min) / (max - min) : 1.0)];
    }

    /// <summary>Each part gets a note's 1-based rank and its index in its list; a note listed twice counts once (its first place).</summary>
    private static List<FusedNote> Fuse(IReadOnlyList<long> fts, IReadOnlyList<long> semantic, Func<int, int, double> ftsPart, Func<int, int, double> semanticPart)
    {
        var fused = new Dictionary<long, (double Score, int? Fts, int? Semantic)>();
        for (var i = 0; i < fts.Count; i++)
        {
            if (!fused.ContainsKey(fts[i]))
            {
                fused[fts[i]] = (ftsPart(i + 1, i), i + 1, null);
            }
        }

        for (var i = 0; i < semantic.Count; i++)
        {
            var id = semantic[i];
            var seen = fused.TryGetValue(id, out var s) ? s : (0, null, null);
            if (seen.Semantic is null)
            {
                fused[id] = (seen.Score + semanticPart(i + 1, i), seen.Fts, i + 1);
            }
        }

        // Ties: the note that stands higher in either list first, then the lower id, so the order is stable.
        return [.. fused
            .Select(f => new FusedNote(f.Key, f.Value.Score, f.Value.Fts, f.Value.Semantic))
            .OrderByDescending(f => f.Score)
            .ThenBy(f => Math.Min(f.FtsRank ?? int.MaxValue, f.SemanticRank ?? int.MaxValue))
            .ThenBy(f => f.NoteId)];
    }
}
