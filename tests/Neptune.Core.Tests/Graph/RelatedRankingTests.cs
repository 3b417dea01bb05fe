using Neptune.Core.Graph;

namespace Neptune.Core.Tests.Graph;

public sealed class RelatedRankingTests
{
    private static GraphEdge Link(long a, long b) => new(NodeRef.Note(a), NodeRef.Note(b), "link", 1, $"note {a} links to {b}");

    private static GraphEdge Member(long note, long topic, double w = 1) => new(NodeRef.Note(note), NodeRef.Topic(topic), "membership", w, "keyphrase");

    // Note 1 shares the rare topic 100 with note 3 and the hub topic 200 (notes 1–8) with everyone; it links to note 4.
    private static KnowledgeGraph Vault() => new(
    [
        Member(1, 100), Member(3, 100),
        .. Enumerable.Range(1, 8).Select(n => Member(n, 200)),
        Link(1, 4),
        Member(9, 300), Member(10, 300),
    ]);

    private static IReadOnlyList<long> Rank(KnowledgeGraph graph, RelatedWeights weights, params (long, double)[] neighbours) =>
        [.. RelatedRanking.Rank(graph, new TopicStatistics(graph), 1, neighbours, _ => 0.5, weights, 10).Select(r => r.NoteId)];

    [Fact]
    public void Without_graph_weights_the_vector_order_stands()
    {
        var order = Rank(Vault(), new RelatedWeights(0, 0, 0), (2, 0.9), (3, 0.8), (4, 0.7));

        Assert.Equal([2L, 3, 4], order.Take(3));
    }

    [Fact]
    public void A_link_lifts_a_slightly_less_similar_note_over_the_others()
    {
        var order = Rank(Vault(), new RelatedWeights(Link: 0.3, Semantic: 0, Topic: 0), (2, 0.9), (3, 0.8), (4, 0.7));

        Assert.Equal(4, order[0]);
    }

    [Fact]
    public void A_rare_shared_topic_counts_for_more_than_a_topic_everyone_has()
    {
        var graph = Vault();
        var evidence = RelatedRanking.Evidence(graph, new TopicStatistics(graph), 1, new RelatedWeights(Link: 0, Semantic: 0, Topic: 1));

        Assert.True(evidence[3] > evidence[2], $"rare + hub {evidence[3]:F3} against hub alone {evidence[2]:F3}");
        Assert.False(evidence.ContainsKey(1), "the note is not its own evidence");
        Assert.False(evidence.ContainsKey(9), "notes sharing no topic get none");
    }

    [Fact]
    public void A_graph_neighbour_the_vectors_missed_becomes_a_candidate_with_its_similarity()
    {
        var graph = Vault();
        var ranked = RelatedRanking.Rank(graph, new TopicStatistics(graph), 1, [(2, 0.9)], id => id == 4 ? 0.6 : 0, new RelatedWeights(Link: 0.1, Topic: 0), 10);

        Assert.Equal(0.7, ranked.Single(r => r.NoteId == 4).Score, 6);
        Assert.DoesNotContain(ranked, r => r.NoteId == 1);
    }

    [Fact]
    public void Hub_damping_weakens_memberships_of_topics_many_notes_share()
    {
        var graph = Vault();
        var walk = new WalkWeights(HubDamping: 1).For(graph, new TopicStatistics(graph));
        var edges = graph.Edges.Select((e, i) => (e, w: walk[i])).ToList();

        Assert.Equal(0.5, edges.Single(x => x.e == Member(1, 100)).w, 6);
        Assert.Equal(1.0 / 8, edges.Single(x => x.e == Member(1, 200)).w, 6);
        Assert.Equal(1.0, edges.Single(x => x.e.Kind == "link").w, 6);
    }

    [Fact]
    public void The_walk_follows_the_weights_it_is_given()
    {
        var graph = Vault();
        var seed = new Dictionary<NodeRef, double> { [NodeRef.Note(1)] = 1 };
        var topics = new TopicStatistics(graph);
        var plain = PersonalizedPageRank.Rank(graph, seed, 10, include: n => n.Kind == NodeKind.Note && n.Id != 1);
        var noLinks = PersonalizedPageRank.Rank(graph, seed, 10, include: n => n.Kind == NodeKind.Note && n.Id != 1,
            edgeWeights: new WalkWeights(Link: 0).For(graph, topics));

        Assert.Equal(4, plain[0].Node.Id);
        Assert.Equal(3, noLinks[0].Node.Id);
    }
}
