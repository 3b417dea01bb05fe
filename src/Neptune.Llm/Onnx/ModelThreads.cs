using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Neptune.Llm.Onnx;

/// <summary>
/// Threads of their own for the model's bulk runs. ONNX Runtime's Run blocks its thread for tens of milliseconds; on the
/// thread pool two such runs hold both of its threads on 2 cores, and requests wait until the pool grows. On Linux the
/// threads also run at a lower CPU priority (<see cref="MiniLmOptions.IndexingNice"/>), so a request or a query takes a
/// core from indexing at once instead of sharing it; with nothing else to run they are as fast as any thread.
/// </summary>
internal sealed class ModelThreads : IDisposable
{
    private readonly BlockingCollection<Action> _work = new(new ConcurrentQueue<Action>());
    private readonly Thread[] _threads;
    private int _disposed;

    public ModelThreads(int count, int nice)
    {
        _threads = [.. Enumerable.Range(1, count).Select(i => new Thread(() => Loop(nice)) { IsBackground = true, Name = $"Neptune model {i}" })];
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>Runs <paramref name="work"/> on the first of these threads to be free (in the order given).</summary>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            if (ct.IsCancellationRequested)
            {
                done.TrySetCanceled(ct);
                return;
            }

            try
            {
                done.TrySetResult(work());
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        }, CancellationToken.None);  // the queue is unbounded: adding never waits
        return done.Task;
    }

    /// <summary>Lets the runs under way end, then the threads. Idempotent: the generator may be disposed by its owner and the container.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _work.CompleteAdding();
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _work.Dispose();
    }

    private void Loop(int nice)
    {
        if (nice > 0 && OperatingSystem.IsLinux())
        {
            // On Linux a thread is scheduled on its own: PRIO_PROCESS with who = 0 sets the calling thread's nice value
            // only (setpriority(2), "BUGS"). Raising it needs no privilege; if refused, the thread runs at the usual priority.
            _ = SetPriority(0, 0, nice);
        }

        foreach (var work in _work.GetConsumingEnumerable())
        {
            work();
        }
    }

    [DllImport("libc", EntryPoint = "setpriority")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetPriority(int which, int who, int priority);
}
