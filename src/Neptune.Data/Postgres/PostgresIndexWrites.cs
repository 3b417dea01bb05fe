using Npgsql;

namespace Neptune.Data.Postgres;

/// <summary>The per-note replacements of the index writer (see <see cref="Sqlite.IndexWrites"/>): topics with incremental statistics, link and semantic edges, relations.</summary>
internal static class PostgresIndexWrites
{
    /// <summary>Diffs the note's memberships against <paramref name="topics"/>; only the topics that gain, lose or reweigh the note are updated.</summary>
    public static async Task ReplaceTopicsAsync(NpgsqlConnection c, NpgsqlTransaction tx, long noteId, IReadOnlyList<TopicToStore> topics, string source, long now, CancellationToken ct)
    {
        var old = (await c.Sql("SELECT topic_id, weight, source FROM note_topics WHERE note_id = @n", tx).With("n", noteId)
            .ListAsync(r => (Id: r.GetInt64(0), Weight: r.GetDouble(1), Source: r.GetString(2)), ct)).ToDictionary(t => t.Id);
        var touched = new List<long>();
        foreach (var topic in topics)
        {
            var id = await c.Sql("""
                INSERT INTO topics (key, label, note_count, weight_sum, created_at, updated_at) VALUES (@k, @l, 0, 0, @now, @now)
                ON CONFLICT (key) DO UPDATE SET label = topics.label
                RETURNING id
                """, tx).With("k", topic.Key).With("l", topic.Label).With("now", now).ScalarAsync<long>(ct);
            if (old.Remove(id, out var was))
            {
                if (was.Weight != topic.Weight || was.Source != source)
                {
                    await c.Sql("UPDATE note_topics SET weight = @w, source = @s WHERE note_id = @n AND topic_id = @t", tx)
                        .With("w", topic.Weight).With("s", source).With("n", noteId).With("t", id).ExecAsync(ct);
                }

                if (was.Weight != topic.Weight)
                {
                    await AdjustAsync(c, tx, id, 0, topic.Weight - was.Weight, now, ct);
                }

                continue;
            }

            await c.Sql("INSERT INTO note_topics (note_id, topic_id, weight, source) VALUES (@n, @t, @w, @s)", tx)
                .With("n", noteId).With("t", id).With("w", topic.Weight).With("s", source).ExecAsync(ct);
            await AdjustAsync(c, tx, id, 1, topic.Weight, now, ct);
        }

        foreach (var (id, weight, _) in old.Values)
        {
            await c.Sql("DELETE FROM note_topics WHERE note_id = @n AND topic_id = @t", tx).With("n", noteId).With("t", id).ExecAsync(ct);
            await AdjustAsync(c, tx, id, -1, -weight, now, ct);
            touched.Add(id);
        }

        if (touched.Count > 0)
        {
            await c.Sql("DELETE FROM topics WHERE id = ANY (@ids) AND note_count <= 0", tx).With("ids", touched.ToArray()).ExecAsync(ct);
        }
    }

    /// <summary>Link edges of every pair the note is in, from the resolved links in either direction; provenance lists the directions.</summary>
    public static async Task ReplaceLinkEdgesAsync(NpgsqlConnection c, NpgsqlTransaction tx, long noteId, CancellationToken ct)
    {
        await c.Sql("DELETE FROM note_edges WHERE kind = 'link' AND (a = @n OR b = @n)", tx).With("n", noteId).ExecAsync(ct);
        var links = await c.Sql("""
            SELECT DISTINCT l.source_note_id, l.target_note_id FROM links l
            JOIN notes s ON s.id = l.source_note_id AND s.deleted_at IS NULL
            JOIN notes t ON t.id = l.target_note_id AND t.deleted_at IS NULL
            WHERE l.source_note_id <> l.target_note_id AND (l.source_note_id = @n OR l.target_note_id = @n)
            ORDER BY 1, 2
            """, tx).With("n", noteId).ListAsync(r => (From: r.GetInt64(0), To: r.GetInt64(1)), ct);
        foreach (var pair in links.GroupBy(l => l.From == noteId ? l.To : l.From))
        {
            var provenance = string.Join("; ", pair.Select(l => $"link:{l.From}->{l.To}"));
            await InsertEdgeAsync(c, tx, noteId, pair.Key, "link", 1.0, provenance, ct);
        }
    }

    public static async Task ReplaceSemanticEdgesAsync(NpgsqlConnection c, NpgsqlTransaction tx, long noteId, IReadOnlyList<NoteEdge> edges, CancellationToken ct)
    {
        await c.Sql("DELETE FROM note_edges WHERE kind = 'semantic' AND (a = @n OR b = @n)", tx).With("n", noteId).ExecAsync(ct);
        foreach (var edge in edges.Where(e => e.Other != noteId))
        {
            await InsertEdgeAsync(c, tx, noteId, edge.Other, "semantic", edge.Weight, edge.Provenance, ct);
        }
    }

    /// <summary>Relations are scored once per pair: a pair already stored keeps its score.</summary>
    public static async Task AddRelationsAsync(NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyList<RelationToStore> relations, long now, CancellationToken ct)
    {
        foreach (var relation in relations)
        {
            await c.Sql("""
                INSERT INTO topic_relations (a, b, strength, source, updated_at)
                SELECT least(ta.id, tb.id), greatest(ta.id, tb.id), @s, @src, @now FROM topics ta JOIN topics tb ON tb.key = @b
                WHERE ta.key = @a AND ta.id <> tb.id
                ON CONFLICT (a, b) DO NOTHING
                """, tx).With("a", relation.KeyA).With("b", relation.KeyB).With("s", relation.Strength).With("src", relation.Source)
                .With("now", now).ExecAsync(ct);
        }
    }

    /// <summary>Everything the indexer derived from the note: chunks and their vectors, topics, edges and its index state.</summary>
    public static async Task RemoveDerivedAsync(NpgsqlConnection c, NpgsqlTransaction tx, long noteId, long now, CancellationToken ct)
    {
        await PostgresIndexRows.DropTopicsAsync(c, tx, noteId, now, ct);
        await c.Sql("""
            DELETE FROM embeddings WHERE chunk_id IN (SELECT id FROM chunks WHERE note_id = @n);
            DELETE FROM chunks WHERE note_id = @n;
            DELETE FROM note_edges WHERE a = @n OR b = @n;
            DELETE FROM note_index WHERE note_id = @n;
            """, tx).With("n", noteId).ExecAsync(ct);
    }

    private static Task<int> AdjustAsync(NpgsqlConnection c, NpgsqlTransaction tx, long topicId, int count, double weight, long now, CancellationToken ct) =>
        c.Sql("UPDATE topics SET note_count = note_count + @c, weight_sum = weight_sum + @w, updated_at = @now WHERE id = @t", tx)
            .With("c", count).With("w", weight).With("now", now).With("t", topicId).ExecAsync(ct);

    /// <summary>Stored once per pair (a &lt; b); an edge to a note that is gone or in the trash is skipped.</summary>
    private static Task<int> InsertEdgeAsync(NpgsqlConnection c, NpgsqlTransaction tx, long noteId, long other, string kind, double weight, string provenance, CancellationToken ct) =>
        c.Sql("""
            INSERT INTO note_edges (a, b, kind, weight, provenance)
            SELECT @a, @b, @kind, @w, @p WHERE EXISTS (SELECT 1 FROM notes WHERE id = @o AND deleted_at IS NULL)
            ON CONFLICT (a, b, kind) DO UPDATE SET weight = excluded.weight, provenance = excluded.provenance
            """, tx).With("a", Math.Min(noteId, other)).With("b", Math.Max(noteId, other)).With("kind", kind).With("w", weight)
            .With("p", provenance).With("o", other).ExecAsync(ct);
}
