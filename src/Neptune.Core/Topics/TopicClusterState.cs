namespace Neptune.Core.Topics;

/// <summary>
/// One corpus-level topic: a stable <paramref name="Id"/>, its c-TF-IDF <paramref name="Label"/>, the unit
/// <paramref name="Centroid"/> of its notes' vectors, its members (ascending) and the summed term counts of its
/// members, keyed by <see cref="TopicLabel.Key"/>.
/// </summary>
public sealed record TopicCluster(int Id, string Label, float[] Centroid, IReadOnlyList<long> Members, IReadOnlyDictionary<string, int> TermCounts);

/// <summary>A note as the clusters know it: what <see cref="TopicClusters.Assign"/> was given and where it went (null: unclustered).</summary>
public sealed record ClusteredNote(long NoteId, float[] Vector, IReadOnlyDictionary<string, int> Terms, int? ClusterId);

/// <summary>Everything <see cref="TopicClusters"/> holds, as plain records to persist and restore; <paramref name="NextId"/> is never reused.</summary>
public sealed record TopicClustersState(int NextId, IReadOnlyList<TopicCluster> Clusters, IReadOnlyList<ClusteredNote> Notes);

/// <summary>Where <see cref="TopicClusters.Assign"/> put a note: its cluster (null: unclustered) and the cosine to that cluster's centroid.</summary>
public sealed record TopicAssignment(long NoteId, int? ClusterId, float Similarity);

/// <summary>What <see cref="TopicClusters.Remove"/> changed: the cluster the note left, and whether that emptied and retired it.</summary>
public sealed record TopicRemoval(long NoteId, int? ClusterId, bool ClusterRetired);

/// <summary>
/// What a <see cref="TopicClusters.Recluster"/> changed: ids that persist, ids of new clusters, ids retired, the notes
/// whose cluster changed (including into or out of "unclustered") and how many notes are left unclustered.
/// </summary>
public sealed record ReclusterReport(
    IReadOnlyList<int> Kept, IReadOnlyList<int> Created, IReadOnlyList<int> Retired, IReadOnlyList<long> MovedNotes, int Unclustered);

/// <summary>How <see cref="TopicClusters"/> groups notes. Cosines are between unit vectors (e.g. all-MiniLM-L6-v2's).</summary>
public sealed record TopicClusterOptions
{
    /// <summary>Least cosine between a note and a centroid for the note to belong to that cluster.</summary>
    public float JoinThreshold { get; init; } = 0.5f;

    /// <summary>Smaller groups are not topics: a recluster dissolves them and their notes join another cluster or wait unclustered.</summary>
    public int MinClusterSize { get; init; } = 3;

    /// <summary>Clusters whose centroids are at least this close are one topic: a recluster merges them.</summary>
    public float MergeThreshold { get; init; } = 0.8f;

    /// <summary>A cluster whose two halves (by 2-means) have centroids less alike than this holds two topics: a recluster splits it.</summary>
    public float SplitThreshold { get; init; } = 0.7f;

    /// <summary>
    /// A new cluster keeps an old id when at least this share of the smaller of the two is common to both
    /// (pairs are matched greedily by Jaccard similarity, highest first).
    /// </summary>
    public double MinOverlap { get; init; } = 0.5;

    /// <summary>Bound on k-means rounds per recluster; it usually settles in a few.</summary>
    public int MaxIterations { get; init; } = 20;

    /// <summary>Most terms in a label ("ssh, port forwarding, tunnel").</summary>
    public int LabelTerms { get; init; } = 3;
}
