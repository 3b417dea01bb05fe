using Microsoft.Extensions.Options;
using Neptune.Core.Graph;
using Neptune.Data;

namespace Neptune.Api.Graph;

/// <summary>A user's whole graph at one <see cref="IGraphStore.VersionAsync"/>, built for walking, with what walks from a note need.</summary>
public sealed record CachedGraph(long Version, GraphSnapshot Snapshot, KnowledgeGraph Graph, TopicStatistics Topics, double[] WalkWeights, TitleMentions Titles);

/// <summary>
/// The knowledge graph kept in memory between requests (loading and building 84k edges took ~300 ms a request). Each
/// use reads the store's graph version, one small query, and reloads only when it moved; the version lives in the
/// database, so a write by another process (server mode) is seen on the next request too. One graph per user (users
/// never share notes or edges); the version is global, so any user's write reloads the graph of the next reader.
/// </summary>
public sealed class GraphCache(IGraphStore graphs, IOptions<RelatedOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    // More users than this and the cache starts over: a graph is tens of MB at 100k notes.
    private const int MaxUsers = 16;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<UserId, CachedGraph> _graphs = new();

    public async Task<CachedGraph> GetAsync(UserId user, CancellationToken ct)
    {
        var version = await graphs.VersionAsync(ct);
        if (_graphs.TryGetValue(user, out var current) && current.Version == version)
        {
            return current;
        }

        await _reload.WaitAsync(ct);
        try
        {
            if (_graphs.TryGetValue(user, out var loaded) && loaded.Version == version)
            {
                return loaded;  // another request reloaded it meanwhile
            }

            // The version is read before the load: a write in between leaves a newer graph under the older number, which
            // the next request reloads; never an older graph under a newer number.
            var snapshot = await graphs.LoadAsync(user, 0, null, ct);
            var graph = new KnowledgeGraph(snapshot.Edges);
            var topics = new TopicStatistics(graph);
            var settings = options.Value;
            var walk = new WalkWeights(settings.WalkLink, settings.WalkSemantic, settings.WalkMembership, settings.WalkRelation, settings.HubDamping);
            var titles = new TitleMentions(snapshot.Nodes.Values.Where(n => n.Node.Kind == NodeKind.Note).Select(n => (n.Node.Id, n.Label)));
            var built = new CachedGraph(version, snapshot, graph, topics, walk.For(graph, topics), titles);
            if (_graphs.Count >= MaxUsers && !_graphs.ContainsKey(user))
            {
                _graphs.Clear();
            }

            _graphs[user] = built;
            return built;
        }
        finally
        {
            _reload.Release();
        }
    }

    public void Dispose() => _reload.Dispose();
}
