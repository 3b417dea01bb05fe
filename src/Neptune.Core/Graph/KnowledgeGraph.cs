namespace Neptune.Core.Graph;

/// <summary>What a graph node stands for: a note or a topic.</summary>
public enum NodeKind
{
    Note,
    Topic,
}

/// <summary>A node by what it stands for; <see cref="Id"/> is the note's or topic's id.</summary>
public readonly record struct NodeRef(NodeKind Kind, long Id)
{
    public static NodeRef Note(long id) => new(NodeKind.Note, id);

    public static NodeRef Topic(long id) => new(NodeKind.Topic, id);

    public override string ToString() => $"{(Kind == NodeKind.Note ? "note" : "topic")}:{Id}";
}

/// <summary>
/// An undirected weighted edge with its kind ("link", "semantic", "membership", "relation") and where it came from.
/// </summary>
public sealed record GraphEdge(NodeRef A, NodeRef B, string Kind, double Weight, string Provenance);

/// <summary>
/// The knowledge graph in memory for walking it: nodes numbered densely, adjacency in compressed rows (CSR), each
/// undirected edge stored in both directions. Parallel edges between the same pair (a link and a semantic edge) stay
/// separate, so explanations can name the kind.
/// </summary>
public sealed class KnowledgeGraph
{
    private readonly NodeRef[] _nodes;
    private readonly Dictionary<NodeRef, int> _index;
    private readonly int[] _rowStart;   // node i's neighbours are _targets[_rowStart[i].._rowStart[i+1]]
    private readonly int[] _targets;
    private readonly int[] _edgeOf;     // which GraphEdge each adjacency entry came from
    private readonly GraphEdge[] _edges;

    public KnowledgeGraph(IEnumerable<GraphEdge> edges)
    {
        _edges = [.. edges.Where(e => e.Weight > 0 && e.A != e.B)];
        _index = [];
        var nodes = new List<NodeRef>();
        int Number(NodeRef node)
        {
            if (!_index.TryGetValue(node, out var i))
            {
                i = nodes.Count;
                _index[node] = i;
                nodes.Add(node);
            }

            return i;
        }

        var ends = _edges.Select(e => (A: Number(e.A), B: Number(e.B))).ToArray();
        _nodes = [.. nodes];
        var degree = new int[_nodes.Length + 1];
        foreach (var (a, b) in ends)
        {
            degree[a + 1]++;
            degree[b + 1]++;
        }

        for (var i = 1; i < degree.Length; i++)
        {
            degree[i] += degree[i - 1];
        }

        _rowStart = degree;
        _targets = new int[ends.Length * 2];
        _edgeOf = new int[ends.Length * 2];
        var fill = (int[])_rowStart.Clone();
        for (var e = 0; e < ends.Length; e++)
        {
            var (a, b) = ends[e];
            _targets[fill[a]] = b;
            _edgeOf[fill[a]++] = e;
            _targets[fill[b]] = a;
            _edgeOf[fill[b]++] = e;
        }
    }

    public int NodeCount => _nodes.Length;

    public int EdgeCount => _edges.Length;

    public IReadOnlyList<GraphEdge> Edges => _edges;

    internal int IndexOf(NodeRef node) => _index.TryGetValue(node, out var i) ? i : -1;

    internal NodeRef NodeAt(int index) => _nodes[index];

    internal ReadOnlySpan<int> TargetsOf(int index) => _targets.AsSpan(_rowStart[index], _rowStart[index + 1] - _rowStart[index]);

    internal ReadOnlySpan<int> EdgesOf(int index) => _edgeOf.AsSpan(_rowStart[index], _rowStart[index + 1] - _rowStart[index]);

    internal GraphEdge EdgeAt(int edge) => _edges[edge];

    /// <summary>Nodes within <paramref name="depth"/> hops of <paramref name="start"/>, with the hop count, nearest first.</summary>
    public IReadOnlyList<(NodeRef Node, int Depth)> Neighbourhood(NodeRef start, int depth)
    {
        var origin = IndexOf(start);
        if (origin < 0)
        {
            return [];
        }

        var seen = new Dictionary<int, int> { [origin] = 0 };
        var frontier = new Queue<int>([origin]);
        while (frontier.TryDequeue(out var node))
        {
            var d = seen[node];
            if (d == depth)
            {
                continue;
            }

            foreach (var next in TargetsOf(node))
            {
                if (seen.TryAdd(next, d + 1))
                {
                    frontier.Enqueue(next);
                }
            }
        }

        return [.. seen.OrderBy(kv => kv.Value).ThenBy(kv => kv.Key).Select(kv => (_nodes[kv.Key], kv.Value))];
    }
}
