using Neptune.Core.Graph;

namespace Neptune.Core.Tests.Graph;

public sealed class PersonalizedPageRankTests
{
    private static GraphEdge Link(long a, long b, double w = 1) => new(NodeRef.Note(a), NodeRef.Note(b), "link", w, $"note {a} links to {b}");

    private static GraphEdge Member(long note, long topic, double w) => new(NodeRef.Note(note), NodeRef.Topic(topic), "membership", w, "keyphrase");

    // Two communities: notes 1–3 around topic 100, notes 4–6 around topic 200, one weak bridge 3–4.
    private static KnowledgeGraph TwoCommunities() => new(
    [
        Link(1, 2), Link(2, 3), Link(1, 3), Member(1, 100, 0.9), Member(2, 100, 0.8), Member(3, 100, 0.7),
        Link(4, 5), Link(5, 6), Link(4, 6), Member(4, 200, 0.9), Member(5, 200, 0.8), Member(6, 200, 0.7),
        new(NodeRef.Note(3), NodeRef.Note(4), "semantic", 0.1, "cosine 0.1"),
    ]);

    [Fact]
    public void The_walk_stays_near_its_seeds()
    {
        var ranked = PersonalizedPageRank.Rank(TwoCommunities(), new Dictionary<NodeRef, double> { [NodeRef.Note(1)] = 1 }, 20,
            include: n => n.Kind == NodeKind.Note);

        var order = ranked.Select(r => r.Node.Id).ToList();
        Assert.Equal(1, order[0]);
        Assert.True(order.IndexOf(2) < order.IndexOf(5));
        Assert.True(order.IndexOf(3) < order.IndexOf(6));
    }

    [Fact]
    public void Scores_form_a_probability_distribution()
    {
        var ranked = PersonalizedPageRank.Rank(TwoCommunities(), new Dictionary<NodeRef, double> { [NodeRef.Note(2)] = 1, [NodeRef.Note(5)] = 1 }, 100);

        Assert.Equal(1.0, ranked.Sum(r => r.Score), 6);
    }

    [Fact]
    public void Every_explanation_is_a_path_of_edges_that_exist_from_a_seed()
    {
        var graph = TwoCommunities();
        var seeds = new Dictionary<NodeRef, double> { [NodeRef.Note(1)] = 1 };

        var ranked = PersonalizedPageRank.Rank(graph, seeds, 100);

        foreach (var result in ranked)
        {
            Assert.True(seeds.ContainsKey(result.Seed));
            var at = result.Seed;
            foreach (var edge in result.Path)
            {
                Assert.Contains(edge, graph.Edges);
                Assert.True(edge.A == at || edge.B == at, $"{edge} does not continue from {at}");
                at = edge.A == at ? edge.B : edge.A;
            }

            Assert.Equal(result.Node, at);
        }
    }

    [Fact]
    public void The_explanation_prefers_strong_edges()
    {
        var graph = new KnowledgeGraph(
        [
            Link(1, 2, 1.0), Link(2, 4, 1.0),
            Link(1, 3, 0.05), Link(3, 4, 0.05),
        ]);

        var four = PersonalizedPageRank.Rank(graph, new Dictionary<NodeRef, double> { [NodeRef.Note(1)] = 1 }, 10).Single(r => r.Node == NodeRef.Note(4));

        Assert.Equal([2L, 4L], four.Path.Select(e => e.B.Id));
    }

    [Fact]
    public void Unknown_seeds_give_no_results() =>
        Assert.Empty(PersonalizedPageRank.Rank(TwoCommunities(), new Dictionary<NodeRef, double> { [NodeRef.Note(99)] = 1 }, 10));

    [Fact]
    public void Neighbourhood_lists_nodes_by_hops()
    {
        var around = TwoCommunities().Neighbourhood(NodeRef.Note(1), 1);

        Assert.Equal((NodeRef.Note(1), 0), around[0]);
        Assert.Contains((NodeRef.Topic(100), 1), around);
        Assert.DoesNotContain(around, n => n.Node == NodeRef.Note(4));
    }
}
