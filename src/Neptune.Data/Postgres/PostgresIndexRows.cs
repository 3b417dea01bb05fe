using Npgsql;

namespace Neptune.Data.Postgres;

/// <summary>Statements on the index tables that note writes share (see <see cref="Sqlite.IndexRows"/>).</summary>
internal static class PostgresIndexRows
{
    /// <summary>The note waits for its job; the model and version it was last indexed with stay for reference.</summary>
    public static Task MarkPendingAsync(NpgsqlConnection c, NpgsqlTransaction tx, long noteId, long now, CancellationToken ct) =>
        c.Sql("""
            INSERT INTO note_index (note_id, state, updated_at) VALUES (@n, 'pending', @now)
            ON CONFLICT (note_id) DO UPDATE SET state = 'pending', error = NULL, updated_at = excluded.updated_at
            """, tx).With("n", noteId).With("now", now).ExecAsync(ct);

    /// <summary>Removes the note's topic memberships, adjusting only the statistics of its topics; topics left with no note go.</summary>
    public static async Task DropTopicsAsync(NpgsqlConnection c, NpgsqlTransaction tx, long noteId, long now, CancellationToken ct)
    {
        var touched = await c.Sql("""
            WITH dropped AS (DELETE FROM note_topics WHERE note_id = @n RETURNING topic_id, weight)
            UPDATE topics SET note_count = note_count - 1, weight_sum = weight_sum - d.weight, updated_at = @now
            FROM dropped d WHERE d.topic_id = topics.id
            RETURNING topics.id
            """, tx).With("n", noteId).With("now", now).ListAsync(r => r.GetInt64(0), ct);
        if (touched.Count > 0)
        {
            await c.Sql("DELETE FROM topics WHERE id = ANY (@ids) AND note_count <= 0", tx).With("ids", touched.ToArray()).ExecAsync(ct);
        }
    }
}
