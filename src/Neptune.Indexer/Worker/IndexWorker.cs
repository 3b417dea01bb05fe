using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Neptune.Data;

namespace Neptune.Indexer.Worker;

/// <summary>
/// The indexer's background loop. It starts only once the host has started (never delaying start-up or /ready), takes
/// back the leases of processes that died, then runs one batch at a time while jobs are ready. Idle, it sleeps until a
/// write in this process (or a job another process queued: <see cref="JobNotifications"/>) wakes it
/// (<see cref="JobSignal"/>) or its poll interval passes, then checks with a cheap read.
/// While the model is unavailable it waits with exponential backoff, and the jobs wait with it, uncounted.
/// </summary>
public sealed class IndexWorker(
    IndexJobRunner runner, IJobQueue queue, JobSignal signal, WorkerState state, IOptions<IndexerOptions> options, IHostApplicationLifetime lifetime,
    TimeProvider time, ILogger<IndexWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            state.Stopped("disabled (Neptune:Indexer:Enabled is false)");
            return;
        }

        try
        {
            await WhenStartedAsync(stoppingToken);
            await LoopAsync(o, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        state.Stopped("stopped");
    }

    private async Task LoopAsync(IndexerOptions o, CancellationToken stop)
    {
        var recovered = false;
        var unavailableStreak = 0;
        state.Running();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (!recovered)
                {
                    var count = await queue.RecoverAsync(IndexJobRunner.IsGone, stop);
                    recovered = true;
                    if (count > 0)
                    {
                        logger.LogInformation("Took back {Count} jobs leased by a process that stopped", count);
                    }
                }

                var wake = signal.Next;
                if (!await queue.HasReadyAsync(stop))
                {
                    await JobSignal.WaitAsync(wake, o.PollInterval, time, stop);
                    continue;
                }

                var wait = JobBackoff.Delay(unavailableStreak + 1, o.BackoffBase, o.BackoffMax, Random.Shared.NextDouble());
                var result = await runner.RunBatchAsync(wait, stop);
                if (result.Unavailable is { } reason)
                {
                    unavailableStreak++;
                    state.Waiting(reason, wait);
                    logger.LogWarning("Indexing waits {Wait} for the model: {Reason}", wait, reason);
                    await Task.Delay(wait, time, stop);
                }
                else
                {
                    unavailableStreak = 0;
                    state.Running();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                // A database error, say: nothing is lost (leases expire), so log, wait and go on rather than stop the host.
                var pause = TimeSpan.FromSeconds(5) < o.BackoffMax ? TimeSpan.FromSeconds(5) : o.BackoffMax;
                logger.LogError(e, "The indexer worker hit an error; retrying in {Pause}", pause);
                state.Waiting(e.Message, pause);
                await Task.Delay(pause, time, stop);
            }
        }
    }

    private async Task WhenStartedAsync(CancellationToken stop)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(started.SetResult))
        {
            await started.Task.WaitAsync(stop);
        }
    }
}
