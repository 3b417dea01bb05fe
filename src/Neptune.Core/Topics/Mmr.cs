namespace Neptune.Core.Topics;

/// <summary>One pick of <see cref="Mmr.Select"/>: the candidate's index and its cosine to the query.</summary>
public readonly record struct MmrPick(int Index, float Relevance);

/// <summary>
/// Maximal Marginal Relevance: picks candidates one at a time, each maximising
/// λ·sim(query, c) − (1−λ)·max sim(c, already picked), so the picks are relevant but not near-duplicates.
/// </summary>
public static class Mmr
{
    /// <param name="query">A unit vector (e.g. the note's).</param>
    /// <param name="candidates">Unit vectors of the same length.</param>
    /// <param name="count">How many to pick at most.</param>
    /// <param name="relevance">λ in [0, 1]: 1 ranks by relevance alone, 0 by novelty alone.</param>
    /// <param name="admit">
    /// Asked about each best candidate with the picks so far; a refused candidate is dropped without counting as picked
    /// (e.g. a phrase inside one already picked).
    /// </param>
    /// <returns>Picks in the order chosen; ties go to the lower index, so the result is deterministic.</returns>
    public static IReadOnlyList<MmrPick> Select(
        ReadOnlySpan<float> query, IReadOnlyList<float[]> candidates, int count, double relevance, Func<int, IReadOnlyList<MmrPick>, bool>? admit = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(relevance, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(relevance, 1);
        var n = candidates.Count;
        var similarity = new float[n];
        var closestPicked = new float[n];  // max similarity to any pick so far
        var picked = new bool[n];
        for (var i = 0; i < n; i++)
        {
            similarity[i] = UnitVectors.Dot(query, candidates[i]);
            closestPicked[i] = float.NegativeInfinity;
        }

        var picks = new List<MmrPick>(Math.Min(count, n));
        var left = n;
        while (picks.Count < count && left > 0)
        {
            var best = -1;
            var bestScore = double.NegativeInfinity;
            for (var i = 0; i < n; i++)
            {
                if (picked[i])
                {
                    continue;
                }

                // The first pick has nothing to differ from: relevance alone decides it.
                var score = picks.Count == 0 ? similarity[i] : (relevance * similarity[i]) - ((1 - relevance) * closestPicked[i]);
                if (score > bestScore)
                {
                    best = i;
                    bestScore = score;
                }
            }

            if (best < 0)
            {
                break;  // only NaN scores left
            }

            picked[best] = true;
            left--;
            if (admit is not null && !admit(best, picks))
            {
                continue;
            }

            picks.Add(new MmrPick(best, similarity[best]));
            for (var i = 0; i < n; i++)
            {
                if (!picked[i])
                {
                    closestPicked[i] = Math.Max(closestPicked[i], UnitVectors.Dot(candidates[i], candidates[best]));
                }
            }
        }

        return picks;
    }
}
