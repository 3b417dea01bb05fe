using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Neptune.Data.Sqlite;

/// <summary>
/// The job queue on SQLite. Every change runs in one short write transaction through <see cref="SqliteDatabase.WriteAsync{T}"/>
/// (SQLite has one writer); PostgreSQL will lease with <c>FOR UPDATE SKIP LOCKED</c> instead.
/// </summary>
public sealed class SqliteJobQueue(SqliteDatabase db, IOptions<IndexerOptions> options) : IJobQueue
{
    private const string LeaseExpired = "the worker holding it stopped before finishing (lease expired)";

    public Task<bool> HasReadyAsync(CancellationToken ct) => db.ReadAsync(async c => await c.Sql("""
        SELECT EXISTS (SELECT 1 FROM jobs WHERE state = 'queued' AND run_after <= $now)
            OR EXISTS (SELECT 1 FROM jobs WHERE state = 'leased' AND lease_until <= $now)
        """).With("$now", db.NowMs).ScalarAsync<long>(ct) == 1, ct);

    public Task<IReadOnlyList<LeasedJob>> LeaseAsync(string owner, int max, CancellationToken ct) => db.WriteAsync<IReadOnlyList<LeasedJob>>(async (c, tx) =>
    {
        var now = db.NowMs;
        await ExpireLeasesAsync(c, tx, now, ct);
        var until = now + (long)options.Value.LeaseDuration.TotalMilliseconds;
        return await c.Sql("""
            UPDATE jobs SET state = 'leased', lease_owner = $owner, lease_until = $until, updated_at = $now
            WHERE id IN (SELECT id FROM jobs WHERE state = 'queued' AND run_after <= $now ORDER BY run_after, id LIMIT $max)
            RETURNING id, kind, note_id, attempts, lease_until
            """, tx).With("$owner", owner).With("$until", until).With("$now", now).With("$max", max)
            .ListAsync(r => new LeasedJob(r.GetInt64(0), r.GetString(1), r.GetNullableInt64(2), r.GetInt32(3), r.GetTime(4)), ct);
    }, ct);

    public Task CompleteAsync(IReadOnlyCollection<long> jobIds, CancellationToken ct) =>
        jobIds.Count == 0 ? Task.CompletedTask : db.WriteAsync(async (c, tx) =>
        {
            await CompleteAsync(c, tx, jobIds, ct);
            return true;
        }, ct);

    public Task<JobFailure> FailAsync(LeasedJob job, string error, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var now = db.NowMs;
        if (await DropIfSupersededAsync(c, tx, job.Id, ct))
        {
            return new JobFailure(job.Attempts + 1, Dead: false, Superseded: true, RetryAt: null);
        }

        var o = options.Value;
        var attempts = job.Attempts + 1;
        var dead = attempts >= o.MaxAttempts;
        var runAfter = now + (long)JobBackoff.Delay(attempts, o.BackoffBase, o.BackoffMax, Random.Shared.NextDouble()).TotalMilliseconds;
        var updated = await c.Sql("""
            UPDATE jobs SET state = $state, attempts = $attempts, last_error = $error, run_after = $after,
                            lease_owner = NULL, lease_until = NULL, updated_at = $now
            WHERE id = $id AND state = 'leased'
            """, tx).With("$state", dead ? "dead" : "queued").With("$attempts", attempts).With("$error", error)
            .With("$after", runAfter).With("$now", now).With("$id", job.Id).ExecAsync(ct);
        if (updated == 0)
        {
            // Completed (or taken back) meanwhile: nothing left to fail.
            return new JobFailure(job.Attempts, Dead: false, Superseded: true, RetryAt: null);
        }

        if (dead && job.NoteId is { } noteId)
        {
            await MarkFailedAsync(c, tx, noteId, error, now, ct);
        }

        return new JobFailure(attempts, dead, Superseded: false, dead ? null : DateTimeOffset.FromUnixTimeMilliseconds(runAfter));
    }, ct);

    public Task ReleaseAsync(IReadOnlyCollection<LeasedJob> jobs, TimeSpan delay, string reason, CancellationToken ct) =>
        jobs.Count == 0 ? Task.CompletedTask : db.WriteAsync(async (c, tx) =>
        {
            var now = db.NowMs;
            foreach (var job in jobs)
            {
                if (await DropIfSupersededAsync(c, tx, job.Id, ct))
                {
                    continue;
                }

                await c.Sql("""
                    UPDATE jobs SET state = 'queued', run_after = $after, last_error = $reason, lease_owner = NULL, lease_until = NULL, updated_at = $now
                    WHERE id = $id AND state = 'leased'
                    """, tx).With("$after", now + (long)delay.TotalMilliseconds).With("$reason", reason).With("$now", now).With("$id", job.Id).ExecAsync(ct);
            }

            return 0;
        }, ct);

    public Task<int> RecoverAsync(Func<string, bool> ownerIsGone, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var owners = await c.Sql("SELECT DISTINCT lease_owner FROM jobs WHERE state = 'leased' AND lease_owner IS NOT NULL", tx)
            .ListAsync(r => r.GetString(0), ct);
        var recovered = 0;
        foreach (var owner in owners.Where(ownerIsGone))
        {
            recovered += await c.Sql("UPDATE jobs SET lease_until = 0 WHERE state = 'leased' AND lease_owner = $owner", tx)
                .With("$owner", owner).ExecAsync(ct);
        }

        if (recovered > 0)
        {
            await ExpireLeasesAsync(c, tx, db.NowMs, ct);
        }

        return recovered;
    }, ct);

    internal static async Task CompleteAsync(SqliteConnection c, SqliteTransaction tx, IReadOnlyCollection<long> jobIds, CancellationToken ct)
    {
        foreach (var id in jobIds)
        {
            await c.Sql("DELETE FROM jobs WHERE id = $id", tx).With("$id", id).ExecAsync(ct);
        }
    }

    /// <summary>Expired leases count as a failed attempt: a job that keeps killing its worker is dead-lettered, not retried forever.</summary>
    private async Task ExpireLeasesAsync(SqliteConnection c, SqliteTransaction tx, long now, CancellationToken ct)
    {
        // A newer job for the same note and kind (queued, or expired too) covers an expired one; keep one row per kind and note.
        await c.Sql("""
            DELETE FROM jobs WHERE state = 'leased' AND lease_until <= $now AND EXISTS (
                SELECT 1 FROM jobs o WHERE o.kind = jobs.kind AND o.note_id IS jobs.note_id AND o.id <> jobs.id
                  AND (o.state = 'queued' OR (o.state = 'leased' AND o.lease_until <= $now AND o.id > jobs.id)))
            """, tx).With("$now", now).ExecAsync(ct);
        var expired = await c.Sql("""
            UPDATE jobs SET state = CASE WHEN attempts + 1 >= $max THEN 'dead' ELSE 'queued' END, attempts = attempts + 1,
                            last_error = $error, run_after = $now, lease_owner = NULL, lease_until = NULL, updated_at = $now
            WHERE state = 'leased' AND lease_until <= $now
            RETURNING note_id, state
            """, tx).With("$max", options.Value.MaxAttempts).With("$error", LeaseExpired).With("$now", now)
            .ListAsync(r => (NoteId: r.GetNullableInt64(0), State: r.GetString(1)), ct);
        foreach (var (noteId, _) in expired.Where(e => e.State == "dead" && e.NoteId is not null))
        {
            await MarkFailedAsync(c, tx, noteId!.Value, LeaseExpired, now, ct);
        }
    }

    /// <summary>Deletes the job when a queued job for the same note and kind exists: that newer one does the work.</summary>
    private static async Task<bool> DropIfSupersededAsync(SqliteConnection c, SqliteTransaction tx, long id, CancellationToken ct) =>
        await c.Sql("""
            DELETE FROM jobs WHERE id = $id AND EXISTS (
                SELECT 1 FROM jobs q WHERE q.state = 'queued' AND q.kind = jobs.kind AND q.note_id IS jobs.note_id AND q.id <> jobs.id)
            """, tx).With("$id", id).ExecAsync(ct) > 0;

    internal static Task MarkFailedAsync(SqliteConnection c, SqliteTransaction tx, long noteId, string error, long now, CancellationToken ct) =>
        c.Sql("""
            INSERT INTO note_index (note_id, state, error, updated_at)
            SELECT $n, 'failed', $error, $now WHERE EXISTS (SELECT 1 FROM notes WHERE id = $n)
            ON CONFLICT (note_id) DO UPDATE SET state = 'failed', error = excluded.error, updated_at = excluded.updated_at
            """, tx).With("$n", noteId).With("$error", error).With("$now", now).ExecAsync(ct);
}
