namespace Neptune.Core.Topics;

/// <summary>Which old cluster each new cluster continues, by shared members, so that persisting topics keep their ids.</summary>
internal static class ClusterMatching
{
    /// <summary>
    /// Pairs are taken greedily by Jaccard similarity (highest first, ties to the lower old id); a pair counts only when
    /// the shared members are at least <paramref name="minOverlap"/> of the smaller cluster. Each id is used once.
    /// </summary>
    /// <returns>Per new cluster, the old id it keeps, or null when it is new.</returns>
    public static int?[] Match(IReadOnlyList<LiveCluster> old, IReadOnlyList<List<NoteEntry>> current, double minOverlap)
    {
        var sizes = old.ToDictionary(c => c.Id, c => c.Members.Count);
        var pairs = new List<(int New, int Old, double Jaccard)>();
        for (var g = 0; g < current.Count; g++)
        {
            // A note's ClusterId still names its cluster before the recluster.
            foreach (var shared in current[g].Where(n => n.ClusterId is not null).GroupBy(n => n.ClusterId!.Value))
            {
                var overlap = shared.Count();
                var smaller = Math.Min(current[g].Count, sizes[shared.Key]);
                if (overlap >= minOverlap * smaller)
                {
                    pairs.Add((g, shared.Key, (double)overlap / (current[g].Count + sizes[shared.Key] - overlap)));
                }
            }
        }

        var ids = new int?[current.Count];
        var taken = new HashSet<int>();
        foreach (var (g, id, _) in pairs.OrderByDescending(p => p.Jaccard).ThenBy(p => p.Old).ThenBy(p => p.New))
        {
            if (ids[g] is null && taken.Add(id))
            {
                ids[g] = id;
            }
        }

        return ids;
    }
}
