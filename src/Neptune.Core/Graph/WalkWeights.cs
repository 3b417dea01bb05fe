namespace Neptune.Core.Graph;

/// <summary>
/// How the walk from a note weighs each kind of edge, and how much it damps topics many notes share: a membership
/// edge's weight is divided by (notes with the topic)^<see cref="HubDamping"/>, so a walk into a hub topic does not
/// spread its mass over hundreds of loosely related notes.
/// </summary>
public sealed record WalkWeights(double Link = 1, double Semantic = 1, double Membership = 1, double Relation = 1, double HubDamping = 0)
{
    /// <summary>The walk's weight of every edge of <paramref name="graph"/>, by index into <see cref="KnowledgeGraph.Edges"/>.</summary>
    public double[] For(KnowledgeGraph graph, TopicStatistics topics)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(topics);
        var weights = new double[graph.EdgeCount];
        for (var i = 0; i < weights.Length; i++)
        {
            var e = graph.Edges[i];
            var factor = e.Kind switch
            {
                "link" => Link,
                "semantic" => Semantic,
                "membership" => Membership / Math.Pow(Math.Max(1, topics.NotesWith(e.A.Kind == NodeKind.Topic ? e.A.Id : e.B.Id)), HubDamping),
                "relation" => Relation,
                _ => 1,
            };
            weights[i] = e.Weight * factor;
        }

        return weights;
    }
}
