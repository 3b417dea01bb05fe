using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Neptune.Data;

namespace Neptune.Indexer.Worker;

/// <summary>
/// The indexer's background loop. It starts only once the host has started (never delaying start-up or /ready), takes
/// back the leases of processes that died, then runs batches while jobs are ready: up to
/// <see cref="IndexerOptions.BatchesInFlight"/> batches are with the model at once (<see cref="IndexJobRunner.PrepareAsync(Lease, CancellationToken)"/>),
/// and each is written (<see cref="IndexJobRunner.CommitAsync"/>) once the one leased before it is, so a note in two
/// batches is written in order, while the model works on the next. Idle, it sleeps until a write in this
/// process (or a job another process queued: <see cref="JobNotifications"/>) wakes it (<see cref="JobSignal"/>) or its
/// poll interval passes, then checks with a cheap read.
/// While the model is unavailable it waits with exponential backoff, and the jobs wait with it, uncounted.
/// </summary>
public sealed class IndexWorker(
    IndexJobRunner runner, IJobQueue queue, JobSignal signal, WorkerState state, IOptions<IndexerOptions> options, IHostApplicationLifetime lifetime,
    TimeProvider time, ILogger<IndexWorker> logger) : BackgroundService
{
    // The previous batch's writes, under way while the model works on the next batch (on 2 cores the model's runs would
    // leave a core idle while the worker waits for its own writes), and the backoff it would wait if the model was away.
    private (Task<BatchResult> Task, TimeSpan Wait)? _writing;
    private int _unavailableStreak;

    // Batches with the model, oldest first: each ends in short runs (its topic phrases, its longest chunks) and works
    // between its model calls, and the runs of the next one fill the cores meanwhile.
    private readonly Queue<Task<LeasedBatch>> _preparing = new();

    /// <summary>The worker outside a host (`neptune eval`, tests): it begins at <see cref="BackgroundService.StartAsync"/>, as if its host had started.</summary>
    public static IndexWorker Standalone(IServiceProvider services) => ActivatorUtilities.CreateInstance<IndexWorker>(services, new StartedLifetime());

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
        finally
        {
            // Their unwritten jobs go back before the host stops: a batch stopped while with the model puts its own back.
            while (_preparing.TryDequeue(out var preparing))
            {
                await ((Task)preparing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (preparing.IsCompletedSuccessfully)
                {
                    await runner.AbandonAsync(preparing.Result);
                }
            }

            if (_writing is { } unfinished)
            {
                await ((Task)unfinished.Task).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        state.Stopped("stopped");
    }

    private async Task LoopAsync(IndexerOptions o, CancellationToken stop)
    {
        var recovered = false;
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
                // Each lease is taken once the one before has its jobs, so two never find the same ones ready.
                while (_preparing.Count < o.BatchesInFlight && await queue.HasReadyAsync(stop) && await runner.LeaseAsync(stop) is { } lease)
                {
                    _preparing.Enqueue(runner.PrepareAsync(lease, stop));
                }

                if (!_preparing.TryDequeue(out var preparing))
                {
                    await (_writing is { } last ? SettleAsync(last, stop) : JobSignal.WaitAsync(wake, o.PollInterval, time, stop));
                    continue;
                }

                var next = await preparing;
                if (_writing is { } previous)
                {
                    await SettleAsync(previous, stop);
                }

                var wait = JobBackoff.Delay(_unavailableStreak + 1, o.BackoffBase, o.BackoffMax, Random.Shared.NextDouble());
                _writing = (runner.CommitAsync(next, wait, stop), wait);
                if (next.Prepared.WaitsForModel)
                {
                    // Nothing to overlap: the backoff decides when the next batch is tried.
                    await SettleAsync(_writing.Value, stop);
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

    /// <summary>
    /// How a batch ended: back to running, or wait (with backoff) while the model is unavailable. A batch that could not
    /// be settled (a database error) is logged, and its jobs are taken up again when their leases run out; the next batch goes on.
    /// </summary>
    private async Task SettleAsync((Task<BatchResult> Task, TimeSpan Wait) batch, CancellationToken stop)
    {
        _writing = null;
        BatchResult result;
        try
        {
            result = await batch.Task;
        }
        catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            logger.LogError(e, "The indexer worker could not finish a batch; its jobs are taken up again when their leases run out");
            return;
        }

        if (result.Unavailable is { } reason)
        {
            _unavailableStreak++;
            state.Waiting(reason, batch.Wait);
            logger.LogWarning("Indexing waits {Wait} for the model: {Reason}", batch.Wait, reason);
            await Task.Delay(batch.Wait, time, stop);
        }
        else
        {
            _unavailableStreak = 0;
            state.Running();
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

    /// <summary>A host that has started and is not stopping.</summary>
    private sealed class StartedLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted { get; } = new(canceled: true);

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
