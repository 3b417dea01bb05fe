using Neptune.Core.Graph;

namespace Neptune.Data;

/// <summary>What a graph node shows: its label (note title or topic label), folder (notes), and strongest topic (for colour).</summary>
public sealed record GraphNodeInfo(NodeRef Node, string Label, long? FolderId, long? TopicId);

/// <summary>
/// The knowledge graph as stored: note↔note edges (links, semantic neighbours), note↔topic memberships and topic↔topic
/// relations, each with weight and provenance, plus what each node shows.
/// </summary>
public sealed record GraphSnapshot(IReadOnlyList<GraphEdge> Edges, IReadOnlyDictionary<NodeRef, GraphNodeInfo> Nodes);

/// <summary>A topic and how many live notes have it.</summary>
public sealed record TopicCount(long Id, string Label, int Count);

public interface IGraphStore
{
    /// <summary>The user's notes, their topics and every edge between them with weight ≥ <paramref name="minWeight"/>; with a folder, only edges whose notes are in it.</summary>
    Task<GraphSnapshot> LoadAsync(UserId user, double minWeight, long? folderId, CancellationToken ct);

    /// <summary>Topics that the user's live notes have, counted over those notes, most notes first (then by label), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<TopicCount>> ListTopicsAsync(UserId user, int limit, CancellationToken ct);

    /// <summary>
    /// A number that every write to the graph (edges, topics, memberships, relations, note titles, folders, trash)
    /// changes, in any process: a graph loaded after reading version v is current as long as the version is still v.
    /// </summary>
    Task<long> VersionAsync(CancellationToken ct);
}
