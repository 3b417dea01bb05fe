using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Neptune.Data;
using Neptune.Data.Postgres;

namespace Neptune.Indexer.Worker;

/// <summary>
/// On PostgreSQL, wakes this process's idle worker when any process queues a job (LISTEN/NOTIFY). SQLite needs nothing:
/// its one process already pulses <see cref="JobSignal"/> at each write.
/// </summary>
public sealed class JobNotifications(IServiceProvider services, IDatabase database) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        database is PostgresDatabase ? services.GetRequiredService<PostgresJobListener>().RunAsync(stoppingToken) : Task.CompletedTask;
}
