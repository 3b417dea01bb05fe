using Neptune.Core.Topics;

namespace Neptune.Core.Tests.Topics;

public sealed class MmrTests
{
    private static float[] Unit(params float[] values) => UnitVectors.Normalized(values);

    // The query leans to x; "near" and "twin" are almost the same direction, "other" is relevant from another side.
    private static readonly float[] Query = Unit(1, 0.6f, 0);
    private static readonly float[][] Candidates = [Unit(1, 0.1f, 0), Unit(1, 0.05f, 0.1f), Unit(0.3f, 1, 0), Unit(0, 0, 1)];

    [Fact]
    public void Mmr_prefers_a_diverse_pick_over_a_near_duplicate()
    {
        var picks = Mmr.Select(Query, Candidates, count: 2, relevance: 0.6);

        Assert.Equal([0, 2], picks.Select(p => p.Index));
    }

    [Fact]
    public void With_relevance_alone_the_near_duplicate_wins()
    {
        var picks = Mmr.Select(Query, Candidates, count: 2, relevance: 1);

        Assert.Equal([0, 1], picks.Select(p => p.Index));
    }

    [Fact]
    public void Each_pick_carries_its_cosine_to_the_query_and_none_repeats()
    {
        var picks = Mmr.Select(Query, Candidates, count: 10, relevance: 0.5);

        Assert.Equal(4, picks.Count);
        Assert.Equal(4, picks.Select(p => p.Index).Distinct().Count());
        Assert.All(picks, p => Assert.Equal(UnitVectors.Dot(Query, Candidates[p.Index]), p.Relevance, 5));
    }

    [Fact]
    public void A_refused_candidate_is_skipped_without_counting_as_a_pick()
    {
        var picks = Mmr.Select(Query, Candidates, count: 2, relevance: 1, admit: (index, _) => index != 0);

        Assert.Equal([1, 2], picks.Select(p => p.Index));
    }

    [Fact]
    public void Ties_go_to_the_lower_index()
    {
        var same = Unit(1, 1, 0);

        var picks = Mmr.Select(Query, [same, same, same], count: 1, relevance: 0.6);

        Assert.Equal(0, picks.Single().Index);
    }
}
