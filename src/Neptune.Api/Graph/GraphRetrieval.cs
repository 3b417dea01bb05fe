using Microsoft.Extensions.Options;
using Neptune.Api.Search;
using Neptune.Core;
using Neptune.Core.Graph;
using Neptune.Core.Search;
using Neptune.Data;

namespace Neptune.Api.Graph;

/// <summary>
/// Graph retrieval: personalised PageRank over links, topics and semantic neighbours, seeded by search results (for a
/// query) or by one note (the notes the graph puts nearest to it). POST /api/graph/retrieve and `neptune eval` use it.
/// </summary>
public sealed class GraphRetrieval(SearchEngine search, GraphCache graphs, RelatedNotes related, IOptions<RelatedOptions> options)
{
    public const int MaxK = 100;

    public async Task<RetrieveResponse> RetrieveAsync(UserId user, string query, int k, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            throw NeptuneException.Invalid("query", "query is empty: send the question or words to retrieve notes for.");
        }

        // Seeds come from the best search Neptune can run now (hybrid when vectors exist, else full text).
        var found = await search.SearchAsync(user, new SearchQuery(query, SearchMode.Auto, 10), ct);
        var seeds = found.Results;
        var cached = await graphs.GetAsync(user, ct);
        var (snapshot, graph) = (cached.Snapshot, cached.Graph);
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
        return new RetrieveResponse(query, found.Mode.Name(), results,
            GraphShapes.Build(pathEdges, snapshot, pathEdges.Count, ranked.Select(r => r.Node)));
    }

    /// <summary>
    /// The <paramref name="k"/> notes the walk from <paramref name="noteId"/> alone reaches most, itself excluded; empty
    /// when it has no edges. The walk weighs edges by kind and damps hub topics (<see cref="RelatedOptions"/>); the notes
    /// it ranks highest are then re-ranked by PageRank relative to the best one plus <see cref="RelatedOptions.WalkRelated"/>
    /// times their related-notes score; related notes the walk did not rank join with their related score alone and an
    /// empty path.
    /// </summary>
    public async Task<IReadOnlyList<RankedNode>> NearNoteAsync(UserId user, long noteId, int k, CancellationToken ct)
    {
        var settings = options.Value;
        var cached = await graphs.GetAsync(user, ct);
        var seed = NodeRef.Note(noteId);
        var walked = PersonalizedPageRank.Rank(cached.Graph, new Dictionary<NodeRef, double> { [seed] = 1 }, Math.Max(k, settings.WalkCandidates),
            restart: settings.Restart, include: n => n.Kind == NodeKind.Note && n != seed, edgeWeights: cached.WalkWeights);
        if (settings.WalkRelated <= 0 || walked.Count == 0)
        {
            return [.. walked.Take(k)];
        }

        var scores = (await related.RankAsync(user, noteId, settings.Candidates, ct)).ToDictionary(r => r.NoteId, r => r.Score);
        var top = walked[0].Score;
        var blended = walked.Select(r => r with { Score = (r.Score / top) + (settings.WalkRelated * scores.GetValueOrDefault(r.Node.Id)) }).ToList();
        // Related notes the walk did not rank (no edge path near the note: found by meaning or a mention) compete on that alone, with no path.
        var reached = walked.Select(r => r.Node.Id).ToHashSet();
        blended.AddRange(scores.Where(s => !reached.Contains(s.Key)).Select(s => new RankedNode(NodeRef.Note(s.Key), settings.WalkRelated * s.Value, [], seed)));
        return [.. blended.OrderByDescending(r => r.Score).ThenBy(r => r.Node.Id).Take(k)];
    }
}
