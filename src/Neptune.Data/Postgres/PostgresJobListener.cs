using Microsoft.Extensions.Logging;
using Npgsql;

namespace Neptune.Data.Postgres;

/// <summary>
/// Turns PostgreSQL's NOTIFY neptune_jobs (sent by a trigger on the jobs table, whatever process queued the job) into a
/// <see cref="JobSignal"/> pulse in this process, so an idle indexer starts at once rather than at its next poll. It holds
/// one pooled connection for as long as it listens; when that drops it reconnects with backoff and pulses once, since a
/// notification may have been missed meanwhile. The poll stays the fallback: a notification is only a hint.
/// </summary>
public sealed class PostgresJobListener(PostgresDatabase db, JobSignal signal, ILogger<PostgresJobListener> logger)
{
    public const string Channel = "neptune_jobs";

    /// <summary>How often an idle connection is checked, so a dead one is noticed without a notification to carry it.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);

    /// <summary>Runs until <paramref name="ct"/> is cancelled; <paramref name="listening"/> is called each time LISTEN is in place.</summary>
    public async Task RunAsync(CancellationToken ct, Action? listening = null)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await OpenAsync(ct);
                connection.Notification += (_, _) => signal.Pulse();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }

                if (failures > 0)
                {
                    logger.LogInformation("Listening for queued jobs again after the connection was lost");
                    signal.Pulse();  // jobs queued while no one listened
                }

                failures = 0;
                listening?.Invoke();
                while (true)
                {
                    // Returns on a notification, or after KeepAlive with nothing: then a round trip proves the connection alive.
                    if (!await connection.WaitAsync(KeepAlive, ct))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(ct);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or TimeoutException)
            {
                failures++;
                var wait = TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(failures - 1, 5)));
                logger.LogWarning("Lost the job notification connection ({Error}); reconnecting in {Wait}; until then the poll finds new jobs", e.Message, wait);
                try
                {
                    await Task.Delay(wait, db.Time, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    // Held from the pool for as long as it listens; returned, it is reset (DISCARD ALL ends the LISTEN), or dropped if broken.
    private ValueTask<NpgsqlConnection> OpenAsync(CancellationToken ct) => db.OpenAsync(ct);
}
