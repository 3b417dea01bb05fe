using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Neptune.Data;
using Neptune.Indexer.Pipeline;

namespace Neptune.Indexer.Worker;

/// <summary>What one batch came to; <see cref="Unavailable"/> says why jobs were put back to wait for the model.</summary>
public sealed record BatchResult(int Jobs, int Done, int Failed, int DeadLettered, string? Unavailable);

/// <summary>Jobs leased together as one batch, and when the lease began.</summary>
public sealed record Lease(IReadOnlyList<LeasedJob> Jobs, long Started);

/// <summary>A leased batch after the model's work (every job failed when preparing it threw), and when its lease began.</summary>
public sealed record LeasedBatch(PreparedBatch Prepared, long Started);

/// <summary>
/// Leases one batch, runs it through the pipeline and settles every job: failures count an attempt (backoff, then the
/// dead letter), model unavailability puts jobs back uncounted, a stop mid-batch puts the unfinished ones back at once.
/// </summary>
public sealed class IndexJobRunner(IJobQueue queue, IndexPipeline pipeline, IOptions<IndexerOptions> options, IndexerMetrics metrics, ILogger<IndexJobRunner> logger)
{
    /// <summary>This worker's lease owner: "host/pid/random", so a restarted process can tell which leases died with their process.</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    // Halved while the model is unavailable, doubled back on success: a batch too large for the llm's timeout
    // would otherwise wait and time out forever.
    private int _batchNotes;

    private int BatchSize => _batchNotes > 0 ? Math.Min(_batchNotes, options.Value.BatchNotes) : options.Value.BatchNotes;

    /// <summary>Leases one batch and runs it to the end: model work, writes, every job settled.</summary>
    public async Task<BatchResult> RunBatchAsync(TimeSpan waitWhenUnavailable, CancellationToken ct) =>
        await PrepareAsync(ct) is { } batch ? await CommitAsync(batch, waitWhenUnavailable, ct) : new BatchResult(0, 0, 0, 0, null);

    /// <summary>
    /// Leases one batch and does the model's work on it (<see cref="IndexPipeline.PrepareAsync"/>); null when no job was
    /// ready. <see cref="CommitAsync"/> finishes it; the worker prepares the next batch while it does.
    /// </summary>
    public async Task<LeasedBatch?> PrepareAsync(CancellationToken ct) =>
        await LeaseAsync(ct) is { } lease ? await PrepareAsync(lease, ct) : null;

    /// <summary>Leases up to a batch of ready jobs; null when none was ready.</summary>
    public async Task<Lease?> LeaseAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var jobs = await queue.LeaseAsync(Owner, BatchSize, ct);
        return jobs.Count == 0 ? null : new Lease(jobs, started);
    }

    /// <summary>The model's work on a leased batch; a stop puts its jobs back, any other failure fails them all.</summary>
    public async Task<LeasedBatch> PrepareAsync(Lease lease, CancellationToken ct)
    {
        try
        {
            return new LeasedBatch(await pipeline.PrepareAsync(lease.Jobs, ct), lease.Started);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await ReleaseUnfinishedAsync(lease.Jobs);
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "A batch of {Count} jobs failed", lease.Jobs.Count);
            return new LeasedBatch(PreparedBatch.Failed(lease.Jobs, e.Message), lease.Started);
        }
    }

    /// <summary>A prepared batch that will not be written (the worker is stopping): its unfinished jobs go back now.</summary>
    public Task AbandonAsync(LeasedBatch batch) => ReleaseUnfinishedAsync(batch.Prepared.Jobs);

    /// <summary>Writes a prepared batch and settles every job: failures count an attempt, jobs waiting for the model go back uncounted.</summary>
    public async Task<BatchResult> CommitAsync(LeasedBatch batch, TimeSpan waitWhenUnavailable, CancellationToken ct)
    {
        var jobs = batch.Prepared.Jobs;
        IReadOnlyList<JobOutcome> outcomes;
        try
        {
            outcomes = await pipeline.CommitAsync(batch.Prepared, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await ReleaseUnfinishedAsync(jobs);
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "A batch of {Count} jobs failed", jobs.Count);
            outcomes = [.. jobs.Select(j => new JobOutcome(j, JobResult.Failed, e.Message))];
        }

        var dead = 0;
        foreach (var failed in outcomes.Where(o => o.Result == JobResult.Failed))
        {
            var failure = await queue.FailAsync(failed.Job, failed.Error ?? "unknown error", ct);
            dead += failure.Dead ? 1 : 0;
            logger.LogWarning("Job {Job} ({Kind} of note {Note}) failed, attempt {Attempt}: {Error}; {Next}",
                failed.Job.Id, failed.Job.Kind, failed.Job.NoteId, failure.Attempts, failed.Error,
                failure.Dead ? "dead-lettered" : failure.Superseded ? "a newer job replaces it" : $"retry at {failure.RetryAt?.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}");
        }

        var waiting = outcomes.Where(o => o.Result == JobResult.Unavailable).ToList();
        var reason = waiting.FirstOrDefault()?.Error;
        _batchNotes = waiting.Count > 0 ? Math.Max(1, jobs.Count / 2) : Math.Min(options.Value.BatchNotes, BatchSize * 2);
        if (waiting.Count > 0)
        {
            await queue.ReleaseAsync([.. waiting.Select(o => o.Job)], waitWhenUnavailable, $"waiting for the model: {reason}", ct);
        }

        metrics.Notes("dead", dead);
        var elapsed = Stopwatch.GetElapsedTime(batch.Started);
        metrics.Batch(elapsed);
        logger.Log(jobs.Count > 1 ? LogLevel.Information : LogLevel.Debug, "Indexer batch: {Done} of {Jobs} jobs done, {Failed} failed, {Waiting} waiting, in {Seconds:F2} s",
            outcomes.Count(o => o.Result == JobResult.Done), jobs.Count, outcomes.Count(o => o.Result == JobResult.Failed), waiting.Count, elapsed.TotalSeconds);
        return new BatchResult(jobs.Count, outcomes.Count(o => o.Result == JobResult.Done), outcomes.Count(o => o.Result == JobResult.Failed), dead, reason);
    }

    /// <summary>Completed jobs are gone already; the rest go back now instead of when their lease runs out.</summary>
    private Task ReleaseUnfinishedAsync(IReadOnlyList<LeasedJob> jobs) =>
        queue.ReleaseAsync(jobs, TimeSpan.Zero, "the worker stopped before finishing", CancellationToken.None);

    /// <summary>A lease owner whose process on this host has exited (a kill -9, a crash): its leases can end now.</summary>
    public static bool IsGone(string owner)
    {
        var parts = owner.Split('/');
        if (parts.Length != 3 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var pid)
            || pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
