using Neptune.Core.Search;

namespace Neptune.Core.Tests.Search;

public sealed class RankFusionTests
{
    private const long A = 1, B = 2, C = 3, D = 4;

    [Fact]
    public void Reciprocal_rank_fusion_sums_one_over_k_plus_rank()
    {
        var fused = RankFusion.Reciprocal([A, B, C], [C, A, D], k: 60);

        Assert.Equal([A, C, B, D], fused.Select(f => f.NoteId));
        Assert.Equal((1 / 61.0) + (1 / 62.0), fused[0].Score, 12);
        Assert.Equal((1 / 63.0) + (1 / 61.0), fused[1].Score, 12);
        Assert.Equal(1 / 62.0, fused[2].Score, 12);
        Assert.Equal(1 / 63.0, fused[3].Score, 12);
    }

    [Fact]
    public void Fused_notes_keep_their_rank_in_each_list()
    {
        var fused = RankFusion.Reciprocal([A, B, C], [C, A, D]).ToDictionary(f => f.NoteId);

        Assert.Equal((1, 2), (fused[A].FtsRank, fused[A].SemanticRank));
        Assert.Equal((2, (int?)null), (fused[B].FtsRank, fused[B].SemanticRank));
        Assert.Equal(((int?)null, 3), (fused[D].FtsRank, fused[D].SemanticRank));
    }

    [Fact]
    public void Weights_and_a_small_k_let_one_list_lead()
    {
        // k = 0, semantic counts double: A 1/1 + 2/2 = 2, C 1/3 + 2/1 ≈ 2.33, D 2/3, B 1/2.
        var fused = RankFusion.Reciprocal([A, B, C], [C, A, D], k: 0, semanticWeight: 2);

        Assert.Equal([C, A, D, B], fused.Select(f => f.NoteId));
        Assert.Equal(7 / 3.0, fused[0].Score, 12);
    }

    [Fact]
    public void Ties_go_to_the_better_placed_note_then_the_lower_id()
    {
        Assert.Equal([A, B], RankFusion.Reciprocal([A], [B]).Select(f => f.NoteId));
        Assert.Equal([A, B], RankFusion.Reciprocal([B], [A]).Select(f => f.NoteId));
    }

    [Fact]
    public void A_note_listed_twice_counts_once()
    {
        var fused = RankFusion.Reciprocal([A, A], [], k: 0);

        Assert.Equal(1.0, Assert.Single(fused).Score);
    }

    [Fact]
    public void Convex_combination_min_max_normalises_each_list()
    {
        // fts 10, 6, 2 → 1, 0.5, 0; semantic 0.9, 0.7, 0.5 → 1, 0.5, 0.
        (long, double)[] fts = [(A, 10), (B, 6), (C, 2)];
        (long, double)[] semantic = [(C, 0.9), (A, 0.7), (D, 0.5)];

        var even = RankFusion.Convex(fts, semantic, alpha: 0.5);
        var leaning = RankFusion.Convex(fts, semantic, alpha: 0.8);

        Assert.Equal([A, C, B, D], even.Select(f => f.NoteId));
        Assert.Equal([0.75, 0.5, 0.25, 0], even.Select(f => Math.Round(f.Score, 12)));
        Assert.Equal([C, A, B, D], leaning.Select(f => f.NoteId));
        Assert.Equal([0.8, 0.6, 0.1, 0], leaning.Select(f => Math.Round(f.Score, 12)));
    }

    [Fact]
    public void Convex_counts_a_single_result_or_equal_scores_as_full_marks()
    {
        var fused = RankFusion.Convex([(A, 3)], [(B, 0.4), (C, 0.4)], alpha: 0.5);

        Assert.All(fused, f => Assert.Equal(0.5, f.Score));
        Assert.Equal([A, B, C], fused.Select(f => f.NoteId));
    }

    [Fact]
    public void Empty_lists_fuse_to_nothing() => Assert.Empty(RankFusion.Reciprocal([], []));
}
