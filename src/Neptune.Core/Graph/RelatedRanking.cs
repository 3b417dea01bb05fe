namespace Neptune.Core.Graph;

/// <summary>How much each kind of evidence adds to a candidate's vector similarity when ranking a note's related notes.</summary>
/// <param name="Link">An explicit link between the two notes.</param>
/// <param name="Semantic">Times the weight of a semantic (kNN) edge between them.</param>
/// <param name="Topic">Times the shared topics' evidence: Σ min(membership weights) × idf of the topic, over shared topics.</param>
public sealed record RelatedWeights(double Link = 0.1, double Semantic = 0, double Topic = 0.02);

/// <summary>
/// Related notes: vector neighbours re-ranked with the graph's evidence about the pair (links, semantic edges, shared
/// topics weighted by how specific they are). Candidates are the vector
/// neighbours plus the note's graph neighbours (linked, semantic, sharing a topic), so the graph can bring in a note
/// the vectors missed, plus any other evidence the caller has (<c>extra</c>: mentions of one note's title in the other).
/// </summary>
public static class RelatedRanking
{
    /// <summary>Notes with graph evidence that join the vector neighbours as candidates, strongest evidence first.</summary>
    public const int MaxJoining = 30;

    /// <param name="similarity">Vector similarity of a candidate to the note (0 when unknown).</param>
    /// <param name="extra">More evidence per note, added as it is.</param>
    public static IReadOnlyList<(long NoteId, double Score)> Rank(
        KnowledgeGraph graph, TopicStatistics topics, long noteId, IReadOnlyList<(long NoteId, double Similarity)> neighbours,
        Func<long, double> similarity, RelatedWeights weights, int limit, IReadOnlyDictionary<long, double>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(weights);
        var evidence = Evidence(graph, topics, noteId, weights, extra);
        var joining = Joining(evidence);
        var candidates = new Dictionary<long, double>();
        foreach (var (id, sim) in neighbours)
        {
            if (id != noteId)
            {
                candidates.TryAdd(id, sim);
            }
        }

        foreach (var id in joining)
        {
            if (id != noteId && !candidates.ContainsKey(id))
            {
                candidates[id] = similarity(id);
            }
        }

        return [.. candidates
            .Select(c => (NoteId: c.Key, Score: c.Value + evidence.GetValueOrDefault(c.Key)))
            .OrderByDescending(c => c.Score).ThenBy(c => c.NoteId)
            .Take(limit)];
    }

    /// <summary>The notes <see cref="Rank"/> asks a similarity of, unless they are among the vector neighbours already.</summary>
    public static IReadOnlyList<long> Joining(
        KnowledgeGraph graph, TopicStatistics topics, long noteId, RelatedWeights weights, IReadOnlyDictionary<long, double>? extra = null) =>
        Joining(Evidence(graph, topics, noteId, weights, extra));

    // Computing a similarity costs a vector read: only the notes with the most evidence join the vector neighbours.
    private static List<long> Joining(Dictionary<long, double> evidence) =>
        [.. evidence.Where(e => e.Value > 0).OrderByDescending(e => e.Value).ThenBy(e => e.Key).Take(MaxJoining).Select(e => e.Key)];

    private static Dictionary<long, double> Evidence(
        KnowledgeGraph graph, TopicStatistics topics, long noteId, RelatedWeights weights, IReadOnlyDictionary<long, double>? extra)
    {
        var evidence = Evidence(graph, topics, noteId, weights);
        foreach (var (id, more) in extra ?? new Dictionary<long, double>())
        {
            evidence[id] = evidence.GetValueOrDefault(id) + more;
        }

        return evidence;
    }

    /// <summary>What the graph says about each note next to <paramref name="noteId"/> (one hop, or two through a topic).</summary>
    public static Dictionary<long, double> Evidence(KnowledgeGraph graph, TopicStatistics topics, long noteId, RelatedWeights weights)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var evidence = new Dictionary<long, double>();
        var seed = graph.IndexOf(NodeRef.Note(noteId));
        if (seed < 0)
        {
            return evidence;
        }

        var targets = graph.TargetsOf(seed);
        var edges = graph.EdgesOf(seed);
        for (var i = 0; i < targets.Length; i++)
        {
            var edge = graph.EdgeAt(edges[i]);
            var other = graph.NodeAt(targets[i]);
            if (other.Kind == NodeKind.Note)
            {
                var add = edge.Kind switch
                {
                    "link" => weights.Link,
                    "semantic" => weights.Semantic * edge.Weight,
                    _ => 0,
                };
                evidence[other.Id] = evidence.GetValueOrDefault(other.Id) + add;
                continue;
            }

            if (weights.Topic <= 0 || edge.Kind != "membership")
            {
                continue;
            }

            // A topic few notes share says more than one half the vault has.
            var idf = topics.Idf(other.Id);
            var topicTargets = graph.TargetsOf(targets[i]);
            var topicEdges = graph.EdgesOf(targets[i]);
            for (var j = 0; j < topicTargets.Length; j++)
            {
                var member = graph.NodeAt(topicTargets[j]);
                var membership = graph.EdgeAt(topicEdges[j]);
                if (member.Kind == NodeKind.Note && member.Id != noteId && membership.Kind == "membership")
                {
                    evidence[member.Id] = evidence.GetValueOrDefault(member.Id) + (weights.Topic * Math.Min(edge.Weight, membership.Weight) * idf);
                }
            }
        }

        return evidence;
    }
}

/// <summary>How many notes each topic has in a graph, and the idf that follows: log(1 + notes / notes with the topic).</summary>
public sealed class TopicStatistics
{
    private readonly Dictionary<long, int> _notes = [];

    public TopicStatistics(KnowledgeGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var notes = new HashSet<long>();
        foreach (var e in graph.Edges)
        {
            if (e.Kind == "membership")
            {
                var topic = e.A.Kind == NodeKind.Topic ? e.A : e.B;
                var note = e.A.Kind == NodeKind.Note ? e.A : e.B;
                _notes[topic.Id] = _notes.GetValueOrDefault(topic.Id) + 1;
                notes.Add(note.Id);
            }
        }

        NoteCount = notes.Count;
    }

    /// <summary>Notes with at least one topic.</summary>
    public int NoteCount { get; }

    public int NotesWith(long topicId) => _notes.GetValueOrDefault(topicId);

    public double Idf(long topicId) => Math.Log(1 + ((double)NoteCount / Math.Max(1, NotesWith(topicId))));
}
