using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Neptune.Data;
using Neptune.Data.Postgres;
using Neptune.Data.Sqlite;

namespace Neptune.Indexer.Worker;

/// <summary>
/// Wakes this process's idle worker when another process queues a job, so it need not wait for its poll. On PostgreSQL
/// through LISTEN/NOTIFY. On SQLite by watching the database's write-ahead log: every commit by any process appends to
/// it, and another process writing the same data dir is `neptune import` into a running app's folder. (This process's
/// own writes pulse <see cref="JobSignal"/> directly; their log events only cost the idle worker one more indexed read.)
/// A commit's frames reach the log before it is visible (SQLite publishes it in the shared-memory index after syncing
/// the log, which no file event reports), so each burst of events is also pulsed once more after it has been quiet
/// for <see cref="Settle"/>. Where the file cannot be watched, the poll (Neptune:Indexer:PollInterval) still finds the jobs.
/// </summary>
public sealed class JobNotifications(IServiceProvider services, IDatabase database, JobSignal signal, TimeProvider time, ILogger<JobNotifications> logger)
    : BackgroundService
{
    /// <summary>Quiet time after the last log event before the pulse that finds a commit made visible meanwhile.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(100);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => database switch
    {
        PostgresDatabase => services.GetRequiredService<PostgresJobListener>().RunAsync(stoppingToken),
        SqliteDatabase sqlite => WatchAsync(sqlite.Options.DatabasePath, stoppingToken),
        _ => Task.CompletedTask,
    };

    private async Task WatchAsync(string databasePath, CancellationToken stop)
    {
        var path = Path.GetFullPath(databasePath);
        // Every event pulses at once and pushes the settled pulse back: it comes once the log has been quiet for Settle.
        using var settled = time.CreateTimer(_ => signal.Pulse(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        void Written(object? _, FileSystemEventArgs e)
        {
            signal.Pulse();
            settled.Change(Settle, Timeout.InfiniteTimeSpan);
        }

        FileSystemWatcher watcher;
        try
        {
            watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "-wal")
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName,
            };
            watcher.Changed += Written;
            watcher.Created += Written;
            watcher.Error += (_, e) => logger.LogDebug(e.GetException(), "Watching {Path} failed; jobs other processes queue are found by the poll", path);
            watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            // Out of inotify watches, say: nothing is lost, the worker's poll finds the jobs.
            logger.LogDebug(e, "Cannot watch {Path}; jobs other processes queue are found by the poll", path);
            return;
        }

        using (watcher)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }
    }
}
