using Microsoft.Data.Sqlite;

namespace Neptune.Data.Sqlite;

/// <summary>Statements on the index tables that note writes, the job queue and the indexer share.</summary>
internal static class IndexRows
{
    /// <summary>The note waits for its job; the model and version it was last indexed with stay for reference.</summary>
    public static Task MarkPendingAsync(SqliteConnection c, SqliteTransaction tx, long noteId, long now, CancellationToken ct) =>
        c.Sql("""
            INSERT INTO note_index (note_id, state, updated_at) VALUES ($n, 'pending', $now)
            ON CONFLICT (note_id) DO UPDATE SET state = 'pending', error = NULL, updated_at = excluded.updated_at
            """, tx).With("$n", noteId).With("$now", now).ExecAsync(ct);

    /// <summary>Removes the note's topic memberships, adjusting only the statistics of its topics; topics left with no note go.</summary>
    public static async Task DropTopicsAsync(SqliteConnection c, SqliteTransaction tx, long noteId, long now, CancellationToken ct)
    {
        var touched = await c.Sql("""
            UPDATE topics SET note_count = note_count - 1, weight_sum = weight_sum - nt.weight, updated_at = $now
            FROM note_topics nt WHERE nt.note_id = $n AND nt.topic_id = topics.id
            RETURNING topics.id
            """, tx).With("$n", noteId).With("$now", now).ListAsync(r => r.GetInt64(0), ct);
        await c.Sql("DELETE FROM note_topics WHERE note_id = $n", tx).With("$n", noteId).ExecAsync(ct);
        await DeleteEmptyTopicsAsync(c, tx, touched, ct);
    }

    public static async Task DeleteEmptyTopicsAsync(SqliteConnection c, SqliteTransaction tx, IEnumerable<long> topicIds, CancellationToken ct)
    {
        foreach (var id in topicIds)
        {
            await c.Sql("DELETE FROM topics WHERE id = $id AND note_count <= 0", tx).With("$id", id).ExecAsync(ct);
        }
    }

    /// <summary>Everything the indexer derived from the note: chunks and their vectors, topics, edges and its index state.</summary>
    public static async Task RemoveDerivedAsync(SqliteConnection c, SqliteTransaction tx, long noteId, long now, CancellationToken ct)
    {
        await DropTopicsAsync(c, tx, noteId, now, ct);
        await c.Sql("""
            DELETE FROM embeddings WHERE chunk_id IN (SELECT id FROM chunks WHERE note_id = $n);
            DELETE FROM chunks WHERE note_id = $n;
            DELETE FROM note_edges WHERE a = $n OR b = $n;
            DELETE FROM note_index WHERE note_id = $n;
            """, tx).With("$n", noteId).ExecAsync(ct);
    }
}
