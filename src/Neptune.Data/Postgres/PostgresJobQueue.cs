using Microsoft.Extensions.Options;
using Npgsql;

namespace Neptune.Data.Postgres;

/// <summary>
/// The job queue on PostgreSQL, with the semantics of <see cref="Sqlite.SqliteJobQueue"/>. Leasing takes rows with
/// <c>FOR UPDATE SKIP LOCKED</c> and no store-wide lock, so indexer pods lease side by side and never wait for note
/// writers; the rarer failure, release and recovery paths run as ordinary writes (<see cref="PostgresDatabase.WriteAsync{T}"/>).
/// </summary>
public sealed class PostgresJobQueue(PostgresDatabase db, IOptions<IndexerOptions> options) : IJobQueue
{
    private const string LeaseExpired = "the worker holding it stopped before finishing (lease expired)";

    public Task<bool> HasReadyAsync(CancellationToken ct) => db.ReadAsync(async c => await c.Sql("""
        SELECT EXISTS (SELECT 1 FROM jobs WHERE state = 'queued' AND run_after <= @now)
            OR EXISTS (SELECT 1 FROM jobs WHERE state = 'leased' AND lease_until <= @now)
        """).With("now", db.NowMs).ScalarAsync<bool>(ct), ct);

    public async Task<IReadOnlyList<LeasedJob>> LeaseAsync(string owner, int max, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var now = db.NowMs;
        await ExpireLeasesAsync(c, tx, now, ct);
        var until = now + (long)options.Value.LeaseDuration.TotalMilliseconds;
        var jobs = await c.Sql("""
            WITH picked AS (
                SELECT id, run_after FROM jobs WHERE state = 'queued' AND run_after <= @now
                ORDER BY run_after, id LIMIT @max
                FOR UPDATE SKIP LOCKED),
            leased AS (
                UPDATE jobs SET state = 'leased', lease_owner = @owner, lease_until = @until, updated_at = @now
                FROM picked WHERE jobs.id = picked.id
                RETURNING jobs.id, jobs.kind, jobs.note_id, jobs.attempts, jobs.lease_until, picked.run_after)
            SELECT id, kind, note_id, attempts, lease_until FROM leased ORDER BY run_after, id
            """, tx).With("owner", owner).With("until", until).With("now", now).With("max", max)
            .ListAsync(r => new LeasedJob(r.GetInt64(0), r.GetString(1), r.GetNullableInt64(2), r.GetInt32(3), r.GetTime(4)), ct);
        await tx.CommitAsync(ct);
        return jobs;
    }

    public async Task CompleteAsync(IReadOnlyCollection<long> jobIds, CancellationToken ct)
    {
        if (jobIds.Count > 0)
        {
            await using var c = await db.OpenAsync(ct);
            await c.Sql("DELETE FROM jobs WHERE id = ANY (@ids)").With("ids", jobIds.ToArray()).ExecAsync(ct);
        }
    }

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
            UPDATE jobs SET state = @state, attempts = @attempts, last_error = @error, run_after = @after,
                            lease_owner = NULL, lease_until = NULL, updated_at = @now
            WHERE id = @id AND state = 'leased'
            """, tx).With("state", dead ? "dead" : "queued").With("attempts", attempts).With("error", error)
            .With("after", runAfter).With("now", now).With("id", job.Id).ExecAsync(ct);
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
                    UPDATE jobs SET state = 'queued', run_after = @after, last_error = @reason, lease_owner = NULL, lease_until = NULL, updated_at = @now
                    WHERE id = @id AND state = 'leased'
                    """, tx).With("after", now + (long)delay.TotalMilliseconds).With("reason", reason).With("now", now).With("id", job.Id).ExecAsync(ct);
            }

            return 0;
        }, ct);

    public Task<int> RecoverAsync(Func<string, bool> ownerIsGone, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var owners = await c.Sql("SELECT DISTINCT lease_owner FROM jobs WHERE state = 'leased' AND lease_owner IS NOT NULL", tx)
            .ListAsync(r => r.GetString(0), ct);
        var gone = owners.Where(ownerIsGone).ToArray();
        var recovered = gone.Length == 0 ? 0
            : await c.Sql("UPDATE jobs SET lease_until = 0 WHERE state = 'leased' AND lease_owner = ANY (@owners)", tx).With("owners", gone).ExecAsync(ct);
        if (recovered > 0)
        {
            await ExpireLeasesAsync(c, tx, db.NowMs, ct);
        }

        return recovered;
    }, ct);

    /// <summary>Expired leases count as a failed attempt: a job that keeps killing its worker is dead-lettered, not retried forever.</summary>
    private async Task ExpireLeasesAsync(NpgsqlConnection c, NpgsqlTransaction tx, long now, CancellationToken ct)
    {
        // A newer job for the same note and kind (queued, or expired too) covers an expired one; keep one row per kind and note.
        await c.Sql("""
            DELETE FROM jobs WHERE state = 'leased' AND lease_until <= @now AND EXISTS (
                SELECT 1 FROM jobs o WHERE o.kind = jobs.kind AND o.note_id IS NOT DISTINCT FROM jobs.note_id AND o.id <> jobs.id
                  AND (o.state = 'queued' OR (o.state = 'leased' AND o.lease_until <= @now AND o.id > jobs.id)))
            """, tx).With("now", now).ExecAsync(ct);
        var expired = await c.Sql("""
            UPDATE jobs SET state = CASE WHEN attempts + 1 >= @max THEN 'dead' ELSE 'queued' END, attempts = attempts + 1,
                            last_error = @error, run_after = @now, lease_owner = NULL, lease_until = NULL, updated_at = @now
            WHERE state = 'leased' AND lease_until <= @now
            RETURNING note_id, state
            """, tx).With("max", options.Value.MaxAttempts).With("error", LeaseExpired).With("now", now)
            .ListAsync(r => (NoteId: r.GetNullableInt64(0), State: r.GetString(1)), ct);
        foreach (var (noteId, _) in expired.Where(e => e.State == "dead" && e.NoteId is not null))
        {
            await MarkFailedAsync(c, tx, noteId!.Value, LeaseExpired, now, ct);
        }
    }

    /// <summary>Deletes the job when a queued job for the same note and kind exists: that newer one does the work.</summary>
    private static async Task<bool> DropIfSupersededAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        await c.Sql("""
            DELETE FROM jobs WHERE id = @id AND EXISTS (
                SELECT 1 FROM jobs q WHERE q.state = 'queued' AND q.kind = jobs.kind AND q.note_id IS NOT DISTINCT FROM jobs.note_id AND q.id <> jobs.id)
            """, tx).With("id", id).ExecAsync(ct) > 0;

    internal static Task MarkFailedAsync(NpgsqlConnection c, NpgsqlTransaction tx, long noteId, string error, long now, CancellationToken ct) =>
        c.Sql("""
            INSERT INTO note_index (note_id, state, error, updated_at)
            SELECT @n, 'failed', @error, @now WHERE EXISTS (SELECT 1 FROM notes WHERE id = @n)
            ON CONFLICT (note_id) DO UPDATE SET state = 'failed', error = excluded.error, updated_at = excluded.updated_at
            """, tx).With("n", noteId).With("error", error).With("now", now).ExecAsync(ct);
}
