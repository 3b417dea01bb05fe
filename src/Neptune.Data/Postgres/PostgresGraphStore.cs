using Neptune.Core.Graph;

namespace Neptune.Data.Postgres;

public sealed class PostgresGraphStore(PostgresDatabase db) : IGraphStore
{
    public Task<GraphSnapshot> LoadAsync(UserId user, double minWeight, long? folderId, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var notes = (await c.Sql("""
            SELECT n.id, n.title, n.folder_id,
                   (SELECT topic_id FROM note_topics t WHERE t.note_id = n.id ORDER BY weight DESC, topic_id LIMIT 1)
            FROM notes n
            WHERE n.user_id = @u AND n.deleted_at IS NULL AND (@f::bigint IS NULL OR n.folder_id = @f)
            """).With("u", user.Value).With("f", folderId).ListAsync(r => new GraphNodeInfo(NodeRef.Note(r.GetInt64(0)), r.GetString(1), r.GetNullableInt64(2), r.GetNullableInt64(3)), ct))
            .ToDictionary(n => n.Node);

        var edges = new List<GraphEdge>();
        edges.AddRange(await c.Sql("SELECT a, b, kind, weight, provenance FROM note_edges WHERE weight >= @w")
            .With("w", minWeight)
            .ListAsync(r => new GraphEdge(NodeRef.Note(r.GetInt64(0)), NodeRef.Note(r.GetInt64(1)), r.GetString(2), r.GetDouble(3), r.GetString(4)), ct));
        edges.AddRange(await c.Sql("SELECT note_id, topic_id, weight, source FROM note_topics WHERE weight >= @w")
            .With("w", minWeight)
            .ListAsync(r => new GraphEdge(NodeRef.Note(r.GetInt64(0)), NodeRef.Topic(r.GetInt64(1)), "membership", r.GetDouble(2), r.GetString(3)), ct));
        edges.AddRange(await c.Sql("SELECT a, b, strength, source FROM topic_relations WHERE strength >= @w")
            .With("w", minWeight)
            .ListAsync(r => new GraphEdge(NodeRef.Topic(r.GetInt64(0)), NodeRef.Topic(r.GetInt64(1)), "relation", r.GetDouble(2), r.GetString(3)), ct));

        // Keep edges whose notes are the user's live notes (in the folder); topics (shared by key across users) stay
        // only when one of those notes reaches them, so another user's topics and relations never show.
        edges = [.. edges.Where(e => (e.A.Kind == NodeKind.Topic || notes.ContainsKey(e.A)) && (e.B.Kind == NodeKind.Topic || notes.ContainsKey(e.B)))];
        var reached = edges.Where(e => e.A.Kind == NodeKind.Note || e.B.Kind == NodeKind.Note)
            .SelectMany(e => new[] { e.A, e.B }).Where(n => n.Kind == NodeKind.Topic).ToHashSet();
        edges = [.. edges.Where(e => e.A.Kind == NodeKind.Note || (reached.Contains(e.A) && reached.Contains(e.B)))];

        var topics = await c.Sql("SELECT id, label FROM topics").ListAsync(r => (Id: r.GetInt64(0), Label: r.GetString(1)), ct);
        var nodes = new Dictionary<NodeRef, GraphNodeInfo>(notes);
        foreach (var (id, label) in topics.Where(t => reached.Contains(NodeRef.Topic(t.Id))))
        {
            nodes[NodeRef.Topic(id)] = new GraphNodeInfo(NodeRef.Topic(id), label, null, id);
        }

        return new GraphSnapshot(edges, nodes);
    }, ct);

    public Task<IReadOnlyList<TopicCount>> ListTopicsAsync(UserId user, int limit, CancellationToken ct) => db.ReadAsync<IReadOnlyList<TopicCount>>(async c =>
        await c.Sql("""
            SELECT t.id, t.label, count(*)::int FROM topics t
            JOIN note_topics nt ON nt.topic_id = t.id
            JOIN notes n ON n.id = nt.note_id AND n.deleted_at IS NULL AND n.user_id = @u
            GROUP BY t.id, t.label ORDER BY count(*) DESC, t.label, t.id LIMIT @limit
            """).With("u", user.Value).With("limit", limit).ListAsync(r => new TopicCount(r.GetInt64(0), r.GetString(1), r.GetInt32(2)), ct), ct);

    public Task<long> VersionAsync(CancellationToken ct) => db.ReadAsync(async c => await c.Sql("SELECT version FROM graph_version WHERE id = 1").ScalarAsync<long>(ct), ct);
}
