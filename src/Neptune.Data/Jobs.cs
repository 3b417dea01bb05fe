namespace Neptune.Data;

/// <summary>Kinds of indexer jobs in the <c>jobs</c> table (the outbox).</summary>
public static class JobKinds
{
    /// <summary>Bring a note's chunks, vectors, topics and edges up to date with its current version.</summary>
    public const string IndexNote = Sqlite.NoteWriter.IndexJob;

    /// <summary>Drop what the indexer derived from a note that was trashed or purged.</summary>
    public const string RemoveNote = Sqlite.NoteWriter.RemoveJob;

    /// <summary>Recompute a note's semantic edges from its stored vectors (no embedding).</summary>
    public const string RefreshEdges = "refresh_edges";
}

/// <summary>A job a worker holds until <see cref="LeaseUntil"/>; <see cref="Attempts"/> counts earlier failed attempts.</summary>
public sealed record LeasedJob(long Id, string Kind, long? NoteId, int Attempts, DateTimeOffset LeaseUntil);

/// <summary>What became of a failed job: retried at <see cref="RetryAt"/>, dead-lettered, or superseded by a newer queued job.</summary>
public sealed record JobFailure(int Attempts, bool Dead, bool Superseded, DateTimeOffset? RetryAt);

/// <summary>
/// The indexer's side of the outbox: at-least-once delivery through leases. A job is leased (state leased, owner,
/// lease_until), then completed (its row deleted, so the table stays small), failed (attempts + 1, retried after an
/// exponential backoff with jitter, dead after MaxAttempts with its last error kept) or released (put back untouched,
/// for failures that are nobody's fault, such as the model being unavailable). A lease that runs out, because its
/// worker died, counts as a failed attempt and the job becomes ready again.
/// </summary>
public interface IJobQueue
{
    /// <summary>Whether any job is ready to lease: a cheap read for idle polling, no write transaction.</summary>
    Task<bool> HasReadyAsync(CancellationToken ct);

    /// <summary>Leases up to <paramref name="max"/> ready jobs (queued and due, or leased with an expired lease), oldest first.</summary>
    Task<IReadOnlyList<LeasedJob>> LeaseAsync(string owner, int max, CancellationToken ct);

    Task CompleteAsync(IReadOnlyCollection<long> jobIds, CancellationToken ct);

    Task<JobFailure> FailAsync(LeasedJob job, string error, CancellationToken ct);

    /// <summary>Puts leased jobs back without counting an attempt, ready again after <paramref name="delay"/>.</summary>
    Task ReleaseAsync(IReadOnlyCollection<LeasedJob> jobs, TimeSpan delay, string reason, CancellationToken ct);

    /// <summary>Ends the leases of owners <paramref name="ownerIsGone"/> says are dead, so their jobs come back now, not when the lease runs out.</summary>
    Task<int> RecoverAsync(Func<string, bool> ownerIsGone, CancellationToken ct);
}

/// <summary>Retry delays: BackoffBase × 2^(attempts − 1), capped at BackoffMax, of which the upper half is random (equal jitter).</summary>
public static class JobBackoff
{
    public static TimeSpan Delay(int attempts, TimeSpan baseDelay, TimeSpan max, double random)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var full = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, exponent), max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((full / 2) + (Math.Clamp(random, 0, 1) * full / 2));
    }
}
