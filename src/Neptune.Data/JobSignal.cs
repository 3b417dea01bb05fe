namespace Neptune.Data;

/// <summary>
/// Wakes an idle indexer in this process as soon as a write commits, instead of at its next poll: every committed write
/// transaction may have queued outbox jobs. On PostgreSQL, jobs queued by another process pulse it too, through
/// NOTIFY (<see cref="Postgres.PostgresJobListener"/>); the poll remains the fallback.
/// </summary>
public sealed class JobSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the first <see cref="Pulse"/> after it was read: read it before checking for work, so no pulse is missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Pulse() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Waits for <paramref name="next"/> (from <see cref="Next"/>) or <paramref name="timeout"/>, whichever comes first.</summary>
    public static async Task WaitAsync(Task next, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var delay = Task.Delay(timeout, time, stopDelay.Token);
        await Task.WhenAny(next, delay);
        await stopDelay.CancelAsync();
        ct.ThrowIfCancellationRequested();
    }
}
