using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Neptune.Core;
using Neptune.Core.Graph;
using Neptune.Data;
using Neptune.Api.Search;
using Neptune.Core.Search;

namespace Neptune.Api.Graph;

/// <summary>The knowledge graph: the whole (capped) graph for drawing, a note's neighbourhood, and graph retrieval.</summary>
public static class GraphApi
{
    private const int MaxLinks = 20_000;

    public static RouteGroupBuilder MapGraphApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/graph").WithTags("Graph");

        group.MapGet("/", async Task<Ok<GraphDto>> (int? limit, double? minWeight, long? folderId, IGraphStore graphs, CancellationToken ct) =>
        {
            var cap = Check(limit ?? 2000, 1, MaxLinks, "limit");
            var snapshot = await graphs.LoadAsync(CheckWeight(minWeight), folderId, ct);
            var strongest = snapshot.Edges.OrderByDescending(e => e.Weight).ThenBy(e => e.A.ToString(), StringComparer.Ordinal).Take(cap).ToList();
            return TypedResults.Ok(GraphShapes.Build(strongest, snapshot, snapshot.Edges.Count));
        }).WithSummary("Nodes (notes, topics) and links for drawing, strongest links first, at most `limit` links");

        group.MapGet("/notes/{id:long}/neighborhood", async Task<Ok<GraphDto>> (long id, int? depth, double? minWeight, INoteStore notes, IGraphStore graphs, CancellationToken ct) =>
        {
            var hops = Check(depth ?? 1, 1, 3, "depth");
            await notes.GetAsync(id, ct);  // 404 for a note that does not exist
            var snapshot = await graphs.LoadAsync(CheckWeight(minWeight), null, ct);
            var graph = new KnowledgeGraph(snapshot.Edges);
            var near = graph.Neighbourhood(NodeRef.Note(id), hops).Select(n => n.Node).ToHashSet();
            var edges = snapshot.Edges.Where(e => near.Contains(e.A) && near.Contains(e.B)).Take(MaxLinks).ToList();
            return TypedResults.Ok(GraphShapes.Build(edges, snapshot, edges.Count, [NodeRef.Note(id)]));
        }).WithSummary("The notes and topics within `depth` hops (1–3) of a note, and the links among them");

        group.MapPost("/retrieve", async Task<Ok<RetrieveResponse>> (RetrieveRequest request, SearchEngine search, IGraphStore graphs, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.Query))
            {
                throw NeptuneException.Invalid("query", "query is empty: send the question or words to retrieve notes for.");
            }

            var k = Check(request.K ?? 10, 1, 100, "k");
            // Seeds come from the best search Neptune can run now (hybrid when vectors exist, else full text).
            var found = await search.SearchAsync(new SearchQuery(request.Query, SearchMode.Auto, 10), ct);
            var seeds = found.Results;
            var snapshot = await graphs.LoadAsync(0, null, ct);
            var graph = new KnowledgeGraph(snapshot.Edges);
            // Seeds weigh by rank (1/rank), so the best matches start most walks.
            var weights = seeds.Select((h, i) => (Node: NodeRef.Note(h.Note.Id), Weight: 1.0 / (i + 1)))
                .ToDictionary(s => s.Node, s => s.Weight);
            var ranked = PersonalizedPageRank.Rank(graph, weights, k, include: n => n.Kind == NodeKind.Note);
            if (ranked.Count == 0)
            {
                // Seeds without edges (nothing indexed yet): the seeds alone, in search order.
                ranked = [.. weights.Take(k).Select(s => new RankedNode(s.Key, s.Value, [], s.Key))];
            }

            var results = ranked.Select(r => new RetrievedNote(r.Node.Id, snapshot.Nodes.GetValueOrDefault(r.Node)?.Label ?? seeds.FirstOrDefault(h => h.Note.Id == r.Node.Id)?.Note.Title ?? "",
                r.Score, weights.ContainsKey(r.Node), r.Seed.Id, [.. r.Path.Select(GraphLinkDto.From)])).ToList();
            var pathEdges = ranked.SelectMany(r => r.Path).Distinct().ToList();
            return TypedResults.Ok(new RetrieveResponse(request.Query, found.Mode.ToString().ToLowerInvariant(), results,
                GraphShapes.Build(pathEdges, snapshot, pathEdges.Count, ranked.Select(r => r.Node))));
        }).WithSummary("Graph retrieval: search seeds, personalised PageRank over links, topics and neighbours, with the path that explains each result");

        routes.MapGet("/api/topics", async Task<Ok<IReadOnlyList<TopicCount>>> (int? limit, IGraphStore graphs, CancellationToken ct) =>
            TypedResults.Ok(await graphs.ListTopicsAsync(Check(limit ?? 100, 1, 1000, "limit"), ct)))
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
