using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Neptune.Api.Security;
using Neptune.Core;
using Neptune.Core.Graph;
using Neptune.Data;

namespace Neptune.Api.Graph;

/// <summary>The knowledge graph: the whole (capped) graph for drawing, a note's neighbourhood, and graph retrieval.</summary>
public static class GraphApi
{
    private const int MaxLinks = 20_000;

    public static RouteGroupBuilder MapGraphApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/graph").WithTags("Graph");

        group.MapGet("/", async Task<Ok<GraphDto>> (int? limit, double? minWeight, long? folderId, IGraphStore graphs, GraphCache cache, Caller caller, CancellationToken ct) =>
        {
            var cap = Check(limit ?? 2000, 1, MaxLinks, "limit");
            var weight = CheckWeight(minWeight);
            // The whole graph comes from memory; a folder's subgraph (whose topics depend on the folder) from the store.
            var snapshot = folderId is null ? (await cache.GetAsync(caller.Id, ct)).Snapshot : await graphs.LoadAsync(caller.Id, weight, folderId, ct);
            var edges = snapshot.Edges.Where(e => e.Weight >= weight).ToList();
            var strongest = edges.OrderByDescending(e => e.Weight).ThenBy(e => e.A.ToString(), StringComparer.Ordinal).Take(cap).ToList();
            return TypedResults.Ok(GraphShapes.Build(strongest, snapshot, edges.Count));
        }).WithSummary("Nodes (notes, topics) and links for drawing, strongest links first, at most `limit` links");

        group.MapGet("/notes/{id:long}/neighborhood", async Task<Ok<GraphDto>> (long id, int? depth, double? minWeight, INoteStore notes, GraphCache cache, Caller caller, CancellationToken ct) =>
        {
            var hops = Check(depth ?? 1, 1, 3, "depth");
            var weight = CheckWeight(minWeight);
            await notes.GetAsync(caller.Id, id, ct);  // 404 for a note that does not exist (or is another user's)
            var cached = await cache.GetAsync(caller.Id, ct);
            var graph = weight > 0 ? new KnowledgeGraph(cached.Snapshot.Edges.Where(e => e.Weight >= weight)) : cached.Graph;
            var near = graph.Neighbourhood(NodeRef.Note(id), hops).Select(n => n.Node).ToHashSet();
            var edges = cached.Snapshot.Edges.Where(e => e.Weight >= weight && near.Contains(e.A) && near.Contains(e.B)).Take(MaxLinks).ToList();
            return TypedResults.Ok(GraphShapes.Build(edges, cached.Snapshot, edges.Count, [NodeRef.Note(id)]));
        }).WithSummary("The notes and topics within `depth` hops (1–3) of a note, and the links among them");

        group.MapPost("/retrieve", async Task<Ok<RetrieveResponse>> (RetrieveRequest request, GraphRetrieval retrieval, Caller caller, CancellationToken ct) =>
            TypedResults.Ok(await retrieval.RetrieveAsync(caller.Id, request.Query, Check(request.K ?? 10, 1, GraphRetrieval.MaxK, "k"), ct)))
            .WithSummary("Graph retrieval: search seeds, personalised PageRank over links, topics and neighbours, with the path that explains each result");

        routes.MapGet("/api/topics", async Task<Ok<IReadOnlyList<TopicCount>>> (int? limit, IGraphStore graphs, Caller caller, CancellationToken ct) =>
            TypedResults.Ok(await graphs.ListTopicsAsync(caller.Id, Check(limit ?? 100, 1, 1000, "limit"), ct)))
            .WithTags("Graph").WithSummary("Topics with their count of live notes, most notes first; list a topic's notes with /api/notes?topicId=");
        return group;
    }

    private static int Check(int value, int min, int max, string field) =>
        value >= min && value <= max ? value : throw NeptuneException.Invalid(field, $"{field} must be between {min} and {max}; it was {value}.");

    private static double CheckWeight(double? minWeight) =>
        minWeight is null ? 0
        : minWeight is >= 0 and <= 1 ? minWeight.Value
        : throw NeptuneException.Invalid("minWeight", $"minWeight must be between 0 and 1; it was {minWeight}.");
}
