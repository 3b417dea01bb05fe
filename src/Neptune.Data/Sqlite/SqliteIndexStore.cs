using Neptune.Core;

namespace Neptune.Data.Sqlite;

public sealed class SqliteIndexStore(SqliteDatabase db) : IIndexStore
{
    public Task<IndexStatus> GetStatusAsync(UserId? user, int maxFailures, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var model = await c.Sql("SELECT id, provider || '/' || name FROM models WHERE active = 1")
            .FirstOrDefaultAsync(r => new { Id = r.GetInt64(0), Reference = r.GetString(1) }, ct);
        // Jobs are counted per owner by looking up each job's note (70 ms for 40k queued jobs, and the UI polls every 2 s
        // while indexing runs); the built-in user with no other owner around owns every job, so they are counted off the index.
        var jobOwner = user is { } u && (u != UserId.Local || await NoteFilterSql.HasOtherOwnersAsync(c, u, ct)) ? user : null;
        var totals = await c.Sql("""
            SELECT count(*),
                   count(*) FILTER (WHERE i.state = 'indexed' AND i.model_id = $m),
                   count(*) FILTER (WHERE i.state = 'failed'),
                   (SELECT count(*) FROM jobs j WHERE j.state IN ('queued', 'leased') AND ($ju IS NULL OR ifnull((SELECT o.user_id FROM notes o WHERE o.id = j.note_id), 1) = $ju)),
                   (SELECT count(*) FROM jobs j WHERE j.state = 'dead' AND ($ju IS NULL OR ifnull((SELECT o.user_id FROM notes o WHERE o.id = j.note_id), 1) = $ju))
            FROM notes n LEFT JOIN note_index i ON i.note_id = n.id
            -- A purged note's jobs have no owner left: they count as the built-in user's (the operator's).
            WHERE n.deleted_at IS NULL AND ($u IS NULL OR n.user_id = $u)
            """).With("$m", model?.Id).With("$u", user?.Value).With("$ju", jobOwner?.Value).FirstOrDefaultAsync(r => new long[] { r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4) }, ct);
        var failures = await c.Sql("""
            SELECT n.id, n.title, ifnull(i.error, 'unknown error'), i.updated_at
            FROM note_index i JOIN notes n ON n.id = i.note_id
            WHERE i.state = 'failed' AND n.deleted_at IS NULL AND ($u IS NULL OR n.user_id = $u)
            ORDER BY i.updated_at DESC, n.id
            LIMIT $limit
            """).With("$u", user?.Value).With("$limit", Math.Clamp(maxFailures, 0, 10_000))
            .ListAsync(r => new IndexFailure(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetTime(3)), ct);
        var (notes, indexed, failed) = (totals![0], totals[1], totals[2]);
        var pending = notes - indexed - failed;
        return new IndexStatus(notes, indexed, pending, failed, model?.Reference, model?.Id, totals[3], totals[4],
            IndexStatus.Summarise(notes, indexed, failed, pending), failures);
    }, ct);

    public Task<int> RetryFailedAsync(UserId user, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var now = db.NowMs;
        // A purged note's dead job has no owner left to ask: only the operator's (built-in) user retries those.
        var notes = await c.Sql("""
            SELECT i.note_id FROM note_index i JOIN notes n ON n.id = i.note_id WHERE i.state = 'failed' AND n.user_id = $u
            UNION SELECT j.note_id FROM jobs j LEFT JOIN notes n ON n.id = j.note_id
            WHERE j.state = 'dead' AND j.note_id IS NOT NULL AND ifnull(n.user_id, 1) = $u
            """, tx).With("$u", user.Value).ListAsync(r => r.GetInt64(0), ct);
        await c.Sql("""
            DELETE FROM jobs WHERE state = 'dead'
              AND (note_id IS NULL AND $u = 1 OR ifnull((SELECT n.user_id FROM notes n WHERE n.id = jobs.note_id), 1) = $u)
            """, tx).With("$u", user.Value).ExecAsync(ct);
        var queued = 0;
        foreach (var noteId in notes)
        {
            var row = await NoteWriter.FindAsync(c, tx, noteId, ct);
            await NoteWriter.EnqueueAsync(c, tx, row is { DeletedAt: null } ? NoteWriter.IndexJob : NoteWriter.RemoveJob, noteId, now, ct);
            queued += row is { DeletedAt: null } ? 1 : 0;
        }

        return queued;
    }, ct);

    public Task ReindexAsync(UserId? user, long noteId, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        // The operator (the indexer contract) names any note; a user only their own.
        var owner = user ?? new UserId((await NoteWriter.FindAsync(c, tx, noteId, ct))?.UserId ?? 0);
        await NoteWriter.GetLiveAsync(c, tx, owner, noteId, null, ct);
        await c.Sql("DELETE FROM jobs WHERE note_id = $n AND state = 'dead'", tx).With("$n", noteId).ExecAsync(ct);
        await NoteWriter.EnqueueAsync(c, tx, NoteWriter.IndexJob, noteId, db.NowMs, ct);
        return true;
    }, ct);

    public Task<int> RebuildAsync(UserId user, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var now = db.NowMs;
        // Pending (not indexed) is what makes the worker re-embed a note whose version it has already indexed.
        await c.Sql("""
            INSERT INTO note_index (note_id, state, updated_at) SELECT id, 'pending', $now FROM notes WHERE deleted_at IS NULL AND user_id = $u
            ON CONFLICT (note_id) DO UPDATE SET state = 'pending', error = NULL, updated_at = excluded.updated_at
            """, tx).With("$now", now).With("$u", user.Value).ExecAsync(ct);
        await c.Sql("""
            DELETE FROM jobs WHERE ((state = 'dead' AND kind = 'index_note') OR (state = 'queued' AND kind = $refresh))
              AND note_id IN (SELECT id FROM notes WHERE user_id = $u)
            """, tx).With("$refresh", JobKinds.RefreshEdges).With("$u", user.Value).ExecAsync(ct);
        await c.Sql("""
            INSERT INTO jobs (kind, note_id, state, run_after, created_at, updated_at)
            SELECT 'index_note', id, 'queued', $now, $now, $now FROM notes WHERE deleted_at IS NULL AND user_id = $u
            ON CONFLICT (kind, note_id) WHERE state = 'queued' DO NOTHING
            """, tx).With("$now", now).With("$u", user.Value).ExecAsync(ct);
        return (int)(await c.Sql("SELECT count(*) FROM notes WHERE deleted_at IS NULL AND user_id = $u", tx).With("$u", user.Value).ScalarAsync<long>(ct));
    }, ct);

    public Task<int> BackfillAsync(CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var now = db.NowMs;
        var notes = await c.Sql("""
            SELECT n.id FROM notes n LEFT JOIN note_index i ON i.note_id = n.id
            WHERE n.deleted_at IS NULL
              AND NOT (ifnull(i.state, '') = 'indexed' AND i.model_id IS (SELECT id FROM models WHERE active = 1))
              AND ifnull(i.state, '') <> 'failed'
              AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.note_id = n.id AND j.kind = 'index_note' AND j.state IN ('queued', 'leased'))
            """, tx).ListAsync(r => r.GetInt64(0), ct);
        foreach (var noteId in notes)
        {
            await NoteWriter.EnqueueAsync(c, tx, NoteWriter.IndexJob, noteId, now, ct);
        }

        return notes.Count;
    }, ct);

    public Task<int> RefreshEdgesAsync(CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var now = db.NowMs;
        var model = await c.Sql("SELECT id FROM models WHERE active = 1", tx).ScalarAsync<long?>(ct)
            ?? throw new NeptuneException(ErrorKind.Conflict, "No embedding model is active yet, so no note has vectors to link: start the llm role first.");
        return await c.Sql("""
            INSERT INTO jobs (kind, note_id, state, run_after, created_at, updated_at)
            SELECT $kind, i.note_id, 'queued', $now, $now, $now
            FROM note_index i JOIN notes n ON n.id = i.note_id
            WHERE n.deleted_at IS NULL AND i.state = 'indexed' AND i.model_id = $m
            ON CONFLICT (kind, note_id) WHERE state = 'queued' DO NOTHING
            """, tx).With("$kind", JobKinds.RefreshEdges).With("$now", now).With("$m", model).ExecAsync(ct);
    }, ct);
}
