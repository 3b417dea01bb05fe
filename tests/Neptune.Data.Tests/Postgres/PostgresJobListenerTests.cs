using Microsoft.Extensions.Logging.Abstractions;
using Neptune.Data.Postgres;
using Npgsql;

namespace Neptune.Data.Tests.Postgres;

/// <summary>
/// Jobs queued by one process wake the indexer of another through NOTIFY. Two stores on one database, each with its own
/// data source and <see cref="JobSignal"/>, play the backend and the indexer.
/// </summary>
public sealed class PostgresJobListenerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 60_000)]
    public async Task A_job_queued_by_another_process_wakes_the_listening_one()
    {
        await using var indexer = await StoreFixture.CreateAsync(provider: StoreProvider.Postgres);
        await using var backend = await OtherProcessAsync(indexer);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var listening = new SemaphoreSlim(0);
        var run = Listener(indexer).RunAsync(stop.Token, () => listening.Release());
        await listening.WaitAsync(Ct);

        var next = indexer.Get<JobSignal>().Next;
        await backend.Notes.CreateAsync(UserId.Local, new NewNote(null, "Queued elsewhere", "its index job is written by the backend"), Ct);

        await next.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await stop.CancelAsync();
        await run;
    }

    [Fact(Timeout = 60_000)]
    public async Task A_write_that_queues_no_job_wakes_no_one()
    {
        await using var indexer = await StoreFixture.CreateAsync(provider: StoreProvider.Postgres);
        await using var backend = await OtherProcessAsync(indexer);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var listening = new SemaphoreSlim(0);
        var run = Listener(indexer).RunAsync(stop.Token, () => listening.Release());
        await listening.WaitAsync(Ct);

        var next = indexer.Get<JobSignal>().Next;
        await backend.Folders.CreateAsync(UserId.Local, null, "Inbox", Ct);
        await Task.Delay(500, Ct);

        Assert.False(next.IsCompleted);
        await stop.CancelAsync();
        await run;
    }

    [Fact(Timeout = 60_000)]
    public async Task After_its_connection_is_killed_the_listener_reconnects_and_hears_new_jobs()
    {
        await using var indexer = await StoreFixture.CreateAsync(provider: StoreProvider.Postgres);
        await using var backend = await OtherProcessAsync(indexer);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var listening = new SemaphoreSlim(0);
        var run = Listener(indexer).RunAsync(stop.Token, () => listening.Release());
        await listening.WaitAsync(Ct);

        // The server ends the listening session, as a failover or an idle-session killer would.
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(indexer.ConnectionString) { Pooling = false }.ConnectionString))
        {
            await admin.OpenAsync(Ct);
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()", admin);
            Assert.Equal(1L, await kill.ExecuteScalarAsync(Ct));
        }

        await listening.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        var next = indexer.Get<JobSignal>().Next;
        await backend.Notes.CreateAsync(UserId.Local, new NewNote(null, "After the reconnect", "heard by the new session"), Ct);

        await next.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await stop.CancelAsync();
        await run;
    }

    private static PostgresJobListener Listener(StoreFixture store) =>
        new(store.Get<PostgresDatabase>(), store.Get<JobSignal>(), NullLogger<PostgresJobListener>.Instance);

    /// <summary>A second store on the same database: its own data source and signal, as in another process.</summary>
    private static Task<StoreFixture> OtherProcessAsync(StoreFixture store) => StoreFixture.CreateAsync(new Dictionary<string, string?>
    {
        ["Neptune:Database:Provider"] = "postgres",
        ["Neptune:Database:ConnectionString"] = store.ConnectionString,
    });
}
