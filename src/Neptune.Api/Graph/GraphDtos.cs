using Neptune.Core.Graph;
using Neptune.Data;

namespace Neptune.Api.Graph;

/// <summary>A node for visualisation: "note:12" or "topic:3"; <c>topicId</c> colours notes by their strongest topic.</summary>
public sealed record GraphNodeDto(string Id, string Kind, long RefId, string Label, long? FolderId, long? TopicId, int Degree);

public sealed record GraphLinkDto(string Source, string Target, string Kind, double Weight, string Provenance)
{
    public static GraphLinkDto From(GraphEdge e) => new(e.A.ToString(), e.B.ToString(), e.Kind, e.Weight, e.Provenance);
}

public sealed record GraphDto(IReadOnlyList<GraphNodeDto> Nodes, IReadOnlyList<GraphLinkDto> Links, int TotalLinks, bool Truncated);

public sealed record RetrieveRequest(string Query, int? K = null);

public sealed record RetrievedNote(long Id, string Title, double Score, bool Seed, long ReachedFrom, IReadOnlyList<GraphLinkDto> Path);

public sealed record RetrieveResponse(string Query, string SeedMode, IReadOnlyList<RetrievedNote> Results, GraphDto Subgraph);

internal static class GraphShapes
{
    /// <summary>The nodes touched by <paramref name="edges"/> (plus <paramref name="extra"/>), with their degree within them.</summary>
    public static GraphDto Build(IReadOnlyList<GraphEdge> edges, GraphSnapshot snapshot, int totalLinks, IEnumerable<NodeRef>? extra = null)
    {
        var degree = new Dictionary<NodeRef, int>();
        foreach (var node in extra ?? [])
        {
            degree.TryAdd(node, 0);
        }

        foreach (var e in edges)
        {
            degree[e.A] = degree.GetValueOrDefault(e.A) + 1;
            degree[e.B] = degree.GetValueOrDefault(e.B) + 1;
        }

        var nodes = degree.Select(kv =>
        {
            var info = snapshot.Nodes.GetValueOrDefault(kv.Key);
            return new GraphNodeDto(kv.Key.ToString(), kv.Key.Kind == NodeKind.Note ? "note" : "topic", kv.Key.Id,
                info?.Label ?? kv.Key.ToString(), info?.FolderId, info?.TopicId, kv.Value);
        }).OrderByDescending(n => n.Degree).ThenBy(n => n.Id, StringComparer.Ordinal).ToList();
        return new GraphDto(nodes, [.. edges.Select(GraphLinkDto.From)], totalLinks, totalLinks > edges.Count);
    }
}
