namespace Neptune.Core.Graph;

/// <summary>A node reached by the walk, its PageRank score, and the strongest path from a seed that explains it.</summary>
public sealed record RankedNode(NodeRef Node, double Score, IReadOnlyList<GraphEdge> Path, NodeRef Seed);

/// <summary>
/// Graph retrieval: personalised PageRank (random walk with restart to the seeds, in proportion to their seed weights),
/// moving along edges in proportion to their weights. Each result is explained by the strongest path from any seed
/// (maximum product of normalised edge weights, at most <c>maxPathLength</c> hops), so every path shown exists in the
/// graph.
/// </summary>
public static class PersonalizedPageRank
{
    /// <param name="restart">Probability of jumping back to the seeds at each step (1 − damping).</param>
    /// <param name="edgeWeights">What the walk uses as each edge's weight, by index into <see cref="KnowledgeGraph.Edges"/>; the stored weights when null.</param>
    public static IReadOnlyList<RankedNode> Rank(
        KnowledgeGraph graph, IReadOnlyDictionary<NodeRef, double> seeds, int limit,
        double restart = 0.15, int iterations = 50, double tolerance = 1e-9, int maxPathLength = 4, Func<NodeRef, bool>? include = null,
        IReadOnlyList<double>? edgeWeights = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(seeds);
        var weightOf = edgeWeights is null ? graph.Edges.Select(e => e.Weight).ToArray() : [.. edgeWeights];
        var n = graph.NodeCount;
        var personal = new double[n];
        foreach (var (node, weight) in seeds)
        {
            if (graph.IndexOf(node) is var i and >= 0 && weight > 0)
            {
                personal[i] += weight;
            }
        }

        var total = personal.Sum();
        if (total <= 0)
        {
            return [];
        }

        for (var i = 0; i < n; i++)
        {
            personal[i] /= total;
        }

        var strength = new double[n];  // sum of edge weights at each node
        for (var i = 0; i < n; i++)
        {
            foreach (var e in graph.EdgesOf(i))
            {
                strength[i] += weightOf[e];
            }
        }

        var rank = (double[])personal.Clone();
        var next = new double[n];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            Array.Clear(next);
            var dangling = 0.0;
            for (var i = 0; i < n; i++)
            {
                if (strength[i] <= 0)
                {
                    dangling += rank[i];
                    continue;
                }

                var share = (1 - restart) * rank[i] / strength[i];
                var targets = graph.TargetsOf(i);
                var edges = graph.EdgesOf(i);
                for (var k = 0; k < targets.Length; k++)
                {
                    next[targets[k]] += share * weightOf[edges[k]];
                }
            }

            // Restart mass, plus what dead ends would lose, goes back to the seeds.
            var back = restart + ((1 - restart) * dangling);
            var change = 0.0;
            for (var i = 0; i < n; i++)
            {
                next[i] += back * personal[i];
                change += Math.Abs(next[i] - rank[i]);
            }

            (rank, next) = (next, rank);
            if (change < tolerance)
            {
                break;
            }
        }

        var (best, from) = StrongestPaths(graph, weightOf, personal, strength, maxPathLength);
        return [.. Enumerable.Range(0, n)
            .Where(i => rank[i] > 0 && !double.IsNegativeInfinity(best[i]) && (include?.Invoke(graph.NodeAt(i)) ?? true))
            .OrderByDescending(i => rank[i]).ThenBy(i => graph.NodeAt(i).Id)
            .Take(limit)
            .Select(i => Explain(graph, i, rank[i], from))];
    }

    /// <summary>
    /// Bellman-Ford style relaxation over at most <paramref name="maxLength"/> hops of log(weight / strength): the most
    /// probable walk from any seed to each node.
    /// </summary>
    private static (double[] Best, (int Node, int Edge)[] From) StrongestPaths(KnowledgeGraph graph, double[] weightOf, double[] personal, double[] strength, int maxLength)
    {
        var n = graph.NodeCount;
        var best = Enumerable.Repeat(double.NegativeInfinity, n).ToArray();
        var from = Enumerable.Repeat((-1, -1), n).ToArray();
        for (var i = 0; i < n; i++)
        {
            if (personal[i] > 0)
            {
                best[i] = 0;
            }
        }

        for (var hop = 0; hop < maxLength; hop++)
        {
            var changed = false;
            var snapshot = (double[])best.Clone();
            for (var i = 0; i < n; i++)
            {
                if (double.IsNegativeInfinity(snapshot[i]) || strength[i] <= 0)
                {
                    continue;
                }

                var targets = graph.TargetsOf(i);
                var edges = graph.EdgesOf(i);
                for (var k = 0; k < targets.Length; k++)
                {
                    var candidate = snapshot[i] + Math.Log(weightOf[edges[k]] / strength[i]);
                    if (candidate > best[targets[k]] + 1e-12)
                    {
                        best[targets[k]] = candidate;
                        from[targets[k]] = (i, edges[k]);
                        changed = true;
                    }
                }
            }

            if (!changed)
            {
                break;
            }
        }

        return (best, from);
    }

    private static RankedNode Explain(KnowledgeGraph graph, int node, double score, (int Node, int Edge)[] from)
    {
        var path = new List<GraphEdge>();
        var current = node;
        var guard = 0;
        while (from[current].Node >= 0 && guard++ < graph.NodeCount)
        {
            path.Add(graph.EdgeAt(from[current].Edge));
            current = from[current].Node;
        }

        path.Reverse();
        return new RankedNode(graph.NodeAt(node), score, path, graph.NodeAt(current));
    }
}
