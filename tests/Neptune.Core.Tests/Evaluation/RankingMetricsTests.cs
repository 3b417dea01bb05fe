using Neptune.Core.Evaluation;

namespace Neptune.Core.Tests.Evaluation;

public sealed class RankingMetricsTests
{
    private static readonly HashSet<string> OneRelevant = ["b"];
    private static readonly HashSet<string> TwoRelevant = ["b", "d"];

    [Fact]
    public void Reciprocal_rank_is_one_over_the_first_relevant_rank_within_k()
    {
        Assert.Equal(0.5, RankingMetrics.ReciprocalRank(["a", "b", "c"], OneRelevant, 10));
        Assert.Equal(0, RankingMetrics.ReciprocalRank(["a", "b", "c"], OneRelevant, 1));
        Assert.Equal(0, RankingMetrics.ReciprocalRank(["a", "c"], OneRelevant, 10));
    }

    [Fact]
    public void Recall_counts_the_share_of_relevant_items_in_the_top_k()
    {
        Assert.Equal(0.5, RankingMetrics.Recall(["b", "a", "c", "d"], TwoRelevant, 3));
        Assert.Equal(1.0, RankingMetrics.Recall(["b", "a", "c", "d"], TwoRelevant, 4));
        Assert.Equal(0.5, RankingMetrics.Recall(["b", "b", "c"], TwoRelevant, 3));  // a duplicate counts once
    }

    [Fact]
    public void Ndcg_matches_hand_computed_values()
    {
        // Relevant at ranks 2 and 4: DCG = 1/log2(3) + 1/log2(5) = 0.63093 + 0.43068 = 1.06161; ideal = 1 + 0.63093.
        Assert.Equal(1.06161 / 1.63093, RankingMetrics.Ndcg(["a", "b", "c", "d"], TwoRelevant, 10), 4);
        Assert.Equal(1.0, RankingMetrics.Ndcg(["b", "d", "a"], TwoRelevant, 10), 10);
        Assert.Equal(0.63093, RankingMetrics.Ndcg(["a", "b"], OneRelevant, 10), 4);
    }

    [Fact]
    public void Percentile_uses_the_nearest_rank()
    {
        double[] values = [5, 1, 4, 2, 3];

        Assert.Equal(3, RankingMetrics.Percentile(values, 50));
        Assert.Equal(5, RankingMetrics.Percentile(values, 95));
        Assert.True(double.IsNaN(RankingMetrics.Percentile([], 50)));
    }
}
