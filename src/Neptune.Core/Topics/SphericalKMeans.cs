namespace Neptune.Core.Topics;

/// <summary>
/// k-means on the unit sphere (cosine instead of distance, centroids re-normalised) where a note joins its nearest
/// centroid only within the join threshold. Between rounds of k-means, groups smaller than the minimum size are
/// dissolved, groups whose centroids nearly coincide are merged and groups holding two distinct halves are split,
/// until a round changes nothing.
/// </summary>
internal static class SphericalKMeans
{
    // Each further round follows a dissolve, merge or split, so few are needed; the bound only guards against cycles.
    private const int MaxRounds = 8;

    /// <returns>The groups found, each as ascending indices into <paramref name="vectors"/>, in seed order.</returns>
    public static List<List<int>> Run(IReadOnlyList<float[]> vectors, IReadOnlyList<float[]> seeds, TopicClusterOptions options)
    {
        var centroids = seeds.Select(s => (float[])s.Clone()).ToList();
        var labels = new int[vectors.Count];
        List<List<int>> groups = [];
        for (var round = 0; round < MaxRounds; round++)
        {
            for (var pass = 0; pass < options.MaxIterations; pass++)
            {
                var changed = AssignAll(vectors, centroids, options.JoinThreshold, labels);
                groups = Groups(labels, centroids.Count);
                centroids = [.. groups.Select(g => Centroid(vectors, g))];
                Renumber(labels, groups);
                if (!changed && groups.All(g => g.Count > 0))
                {
                    break;
                }

                groups.RemoveAll(g => g.Count == 0);
                centroids.RemoveAll(c => c.Length == 0);
            }

            var small = groups.Count(g => g.Count < options.MinClusterSize);
            var merged = MergeClosest(vectors, groups, centroids, options.MergeThreshold);
            var split = !merged && SplitLoose(vectors, groups, centroids, options);
            if (small == 0 && !merged && !split)
            {
                break;
            }

            for (var g = groups.Count - 1; g >= 0; g--)
            {
                if (groups[g].Count < options.MinClusterSize)
                {
                    groups.RemoveAt(g);
                    centroids.RemoveAt(g);
                }
            }

            // Group numbers changed: the next pass must not take stale labels for "nothing moved".
            Array.Fill(labels, -2);
        }

        return [.. groups.Where(g => g.Count >= options.MinClusterSize)];
    }

    private static bool AssignAll(IReadOnlyList<float[]> vectors, List<float[]> centroids, float threshold, int[] labels)
    {
        var changed = false;
        for (var i = 0; i < vectors.Count; i++)
        {
            var best = -1;
            var bestSimilarity = threshold;
            for (var c = 0; c < centroids.Count; c++)
            {
                var similarity = UnitVectors.Dot(vectors[i], centroids[c]);
                if (similarity >= bestSimilarity && (best < 0 || similarity > bestSimilarity))
                {
                    (best, bestSimilarity) = (c, similarity);
                }
            }

            changed |= labels[i] != best;
            labels[i] = best;
        }

        return changed;
    }

    private static List<List<int>> Groups(int[] labels, int count)
    {
        var groups = Enumerable.Range(0, count).Select(_ => new List<int>()).ToList();
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= 0)
            {
                groups[labels[i]].Add(i);
            }
        }

        return groups;
    }

    /// <summary>Points labels at the group indices that remain once empty groups are dropped.</summary>
    private static void Renumber(int[] labels, List<List<int>> groups)
    {
        var next = 0;
        foreach (var group in groups.Where(g => g.Count > 0))
        {
            foreach (var i in group)
            {
                labels[i] = next;
            }

            next++;
        }
    }

    /// <summary>An empty array for an empty group, so that group and centroid can be dropped together.</summary>
    private static float[] Centroid(IReadOnlyList<float[]> vectors, List<int> group)
    {
        if (group.Count == 0)
        {
            return [];
        }

        var sum = new float[vectors[group[0]].Length];
        foreach (var i in group)
        {
            UnitVectors.AddScaled(sum, vectors[i]);
        }

        UnitVectors.Normalize(sum);
        return sum;
    }

    /// <summary>
    /// Bisects each group that holds two sub-topics: 2-means from its two most distant members, kept when both halves
    /// reach the minimum size and their centroids are less alike than <see cref="TopicClusterOptions.SplitThreshold"/>
    /// (below the merge threshold, so a split is never merged straight back).
    /// </summary>
    private static bool SplitLoose(IReadOnlyList<float[]> vectors, List<List<int>> groups, List<float[]> centroids, TopicClusterOptions options)
    {
        var split = false;
        for (var g = groups.Count - 1; g >= 0; g--)
        {
            if (groups[g].Count < 2 * options.MinClusterSize)
            {
                continue;
            }

            var group = groups[g];
            var centroid = centroids[g];
            var first = group.MinBy(i => UnitVectors.Dot(vectors[i], centroid));
            var second = group.MinBy(i => UnitVectors.Dot(vectors[i], vectors[first]));
            var halves = Bisect(vectors, group, vectors[first], vectors[second]);
            if (halves is var (a, b) && a.Count >= options.MinClusterSize && b.Count >= options.MinClusterSize
                && UnitVectors.Dot(Centroid(vectors, a), Centroid(vectors, b)) < options.SplitThreshold)
            {
                (groups[g], centroids[g]) = (a, Centroid(vectors, a));
                groups.Add(b);
                centroids.Add(Centroid(vectors, b));
                split = true;
            }
        }

        return split;
    }

    private static (List<int> A, List<int> B) Bisect(IReadOnlyList<float[]> vectors, List<int> group, float[] seedA, float[] seedB)
    {
        var (a, b) = (new List<int>(), new List<int>());
        for (var pass = 0; pass < 10; pass++)
        {
            var (nextA, nextB) = (new List<int>(), new List<int>());
            foreach (var i in group)
            {
                (UnitVectors.Dot(vectors[i], seedA) >= UnitVectors.Dot(vectors[i], seedB) ? nextA : nextB).Add(i);
            }

            if (nextA.SequenceEqual(a) || nextA.Count == 0 || nextB.Count == 0)
            {
                return (nextA, nextB);
            }

            (a, b) = (nextA, nextB);
            (seedA, seedB) = (Centroid(vectors, a), Centroid(vectors, b));
        }

        return (a, b);
    }

    /// <summary>Merges, closest first, each pair of groups whose centroids reach the threshold (a group merges once per call).</summary>
    private static bool MergeClosest(IReadOnlyList<float[]> vectors, List<List<int>> groups, List<float[]> centroids, float threshold)
    {
        var pairs = new List<(int A, int B, float Similarity)>();
        for (var a = 0; a < groups.Count; a++)
        {
            for (var b = a + 1; b < groups.Count; b++)
            {
                var similarity = UnitVectors.Dot(centroids[a], centroids[b]);
                if (similarity >= threshold)
                {
                    pairs.Add((a, b, similarity));
                }
            }
        }

        var used = new HashSet<int>();
        var removed = new List<int>();
        foreach (var (a, b, _) in pairs.OrderByDescending(p => p.Similarity).ThenBy(p => p.A).ThenBy(p => p.B))
        {
            if (!used.Contains(a) && !used.Contains(b))
            {
                used.UnionWith([a, b]);
                groups[a] = [.. groups[a].Concat(groups[b]).Order()];
                centroids[a] = Centroid(vectors, groups[a]);
                removed.Add(b);
            }
        }

        foreach (var b in removed.OrderDescending())
        {
            groups.RemoveAt(b);
            centroids.RemoveAt(b);
        }

        return removed.Count > 0;
    }
}
