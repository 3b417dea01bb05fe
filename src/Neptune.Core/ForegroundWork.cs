namespace Neptune.Core;

/// <summary>
/// Interactive work in flight in this process (a search, a query being embedded), so that bulk work (the indexer's
/// embedding batches) can yield the CPU to it: on 2 cores a query that shares them with a batch run takes twice as long.
/// Bulk work waits for <see cref="WaitIdleAsync"/> before each run and may stop a run that <see cref="Entered"/> interrupts.
/// </summary>
public sealed class ForegroundWork
{
    private readonly Lock _lock = new();
    private int _active;
    private TaskCompletionSource _idle = Completed();

    /// <summary>Raised (on the entering thread) each time interactive work starts; a handler must be quick.</summary>
    public event Action? Entered;

    public bool IsActive => Volatile.Read(ref _active) > 0;

    /// <summary>Marks interactive work in flight until the result is disposed.</summary>
    public Scope Enter()
    {
        lock (_lock)
        {
            if (_active++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        Entered?.Invoke();
        return new Scope(this);
    }

    /// <summary>Completes once no interactive work is in flight, or after <paramref name="atMost"/>, whichever comes first.</summary>
    public async Task WaitIdleAsync(TimeSpan atMost, CancellationToken ct)
    {
        Task idle;
        lock (_lock)
        {
            idle = _idle.Task;
        }

        if (!idle.IsCompleted && atMost > TimeSpan.Zero)
        {
            await Task.WhenAny(idle, Task.Delay(atMost, ct));
            ct.ThrowIfCancellationRequested();
        }
    }

    private void Exit()
    {
        lock (_lock)
        {
            if (--_active == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    /// <summary>One piece of interactive work; disposing it ends it (once).</summary>
    public sealed class Scope(ForegroundWork owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Exit();
            }
        }
    }
}
