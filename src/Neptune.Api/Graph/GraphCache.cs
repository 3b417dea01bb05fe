using Microsoft.Extensions.Options;
using Neptune.Core.Graph;
using Neptune.Data;

namespace Neptune.Api.Graph;

/// <summary>The whole graph at one <see cref="IGraphStore.VersionAsync"/>, built for walking, with what walks from a note need.</summary>
public sealed record CachedGraph(long Version, GraphSnapshot Snapshot, KnowledgeGraph Graph, TopicStatistics Topics, double[] WalkWeights, TitleMentions Titles);

/// <summary>
/// The knowledge graph kept in memory between requests (loading and building 84k edges took ~300 ms a request). Each
/// use reads the store's graph version, one small query, and reloads only when it moved; the version lives in the
/// database, so a write by another process (server mode) is seen on the next request too.
/// </summary>
public sealed class GraphCache(IGraphStore graphs, IOptions<RelatedOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private CachedGraph? _current;

    public async Task<CachedGraph> GetAsync(CancellationToken ct)
    {
        var version = await graphs.VersionAsync(ct);
        if (Volatile.Read(ref _current) is { } current && current.Version == version)
        {
            return current;
        }

        await _reload.WaitAsync(ct);
        try
        {
            if (_current is { } loaded && loaded.Version == version)
            {
                return loaded;  // another request reloaded it meanwhile
            }

            // The version is read before the load: a write in between leaves a newer graph under the older number, which
            // the next request reloads; never an older graph under a newer number.
            var snapshot = await graphs.LoadAsync(0, null, ct);
            var graph = new KnowledgeGraph(snapshot.Edges);
            var topics = new TopicStatistics(graph);
            var settings = options.Value;
            var walk = new WalkWeights(settings.WalkLink, settings.WalkSemantic, settings.WalkMembership, settings.WalkRelation, settings.HubDamping);
            var titles = new TitleMentions(snapshot.Nodes.Values.Where(n => n.Node.Kind == NodeKind.Note).Select(n => (n.Node.Id, n.Label)));
            var built = new CachedGraph(version, snapshot, graph, topics, walk.For(graph, topics), titles);
            Volatile.Write(ref _current, built);
            return built;
        }
        finally
        {
            _reload.Release();
        }
    }

    public void Dispose() => _reload.Dispose();
}
