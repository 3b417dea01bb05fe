namespace Neptune.Core.Evaluation;

/// <summary>Standard ranking metrics for one query: what `neptune eval` and the benchmarks average over queries.</summary>
public static class RankingMetrics
{
    /// <summary>1 / rank of the first relevant result within the top <paramref name="k"/>, else 0.</summary>
    public static double ReciprocalRank<T>(IReadOnlyList<T> ranked, IReadOnlySet<T> relevant, int k)
    {
        for (var i = 0; i < Math.Min(k, ranked.Count); i++)
        {
            if (relevant.Contains(ranked[i]))
            {
                return 1.0 / (i + 1);
            }
        }

        return 0;
    }

    /// <summary>Share of the relevant items found in the top <paramref name="k"/> (0 when nothing is relevant).</summary>
    public static double Recall<T>(IReadOnlyList<T> ranked, IReadOnlySet<T> relevant, int k) =>
        relevant.Count == 0 ? 0 : (double)ranked.Take(k).Distinct().Count(relevant.Contains) / relevant.Count;

    /// <summary>nDCG@k with binary relevance: DCG = Σ 1/log2(rank + 1) over relevant hits, divided by the ideal DCG.</summary>
    public static double Ndcg<T>(IReadOnlyList<T> ranked, IReadOnlySet<T> relevant, int k)
    {
        if (relevant.Count == 0)
        {
            return 0;
        }

        var dcg = 0.0;
        var seen = new HashSet<T>();
        for (var i = 0; i < Math.Min(k, ranked.Count); i++)
        {
            if (relevant.Contains(ranked[i]) && seen.Add(ranked[i]))
            {
                dcg += 1 / Math.Log2(i + 2);
            }
        }

        var ideal = 0.0;
        for (var i = 0; i < Math.Min(k, relevant.Count); i++)
        {
            ideal += 1 / Math.Log2(i + 2);
        }

        return dcg / ideal;
    }

    /// <summary>The p-th percentile (nearest rank) of <paramref name="values"/>, NaN when empty.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
