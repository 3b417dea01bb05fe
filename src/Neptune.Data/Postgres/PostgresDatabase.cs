using Microsoft.Extensions.Options;
using Npgsql;
using Pgvector.Npgsql;

namespace Neptune.Data.Postgres;

/// <summary>
/// The server database: PostgreSQL 17 + pgvector through one pooled <see cref="NpgsqlDataSource"/>. Several
/// backend and indexer pods share it, so whatever must happen once (migrations) or one at a time (writes) is
/// guarded by PostgreSQL advisory locks, not by anything in-process.
/// </summary>
public sealed class PostgresDatabase : IDatabase, IAsyncDisposable
{
    // Advisory lock keys: 'NEPTUNE' + a suffix, so they do not collide with other applications' keys.
    private const long MigrationLock = 0x4E45_5054_554E_4501;
    private const long WriteLock = 0x4E45_5054_554E_4502;

    private readonly JobSignal? _jobs;

    public PostgresDatabase(IOptions<DatabaseOptions> database, IOptions<StoreOptions> options, TimeProvider time, JobSignal? jobs = null)
    {
        _jobs = jobs;
        Options = options.Value;
        Time = time;
        var builder = new NpgsqlDataSourceBuilder(database.Value.ConnectionString);
        builder.UseVector();
        DataSource = builder.Build();
    }

    public string Provider => "postgres";

    public NpgsqlDataSource DataSource { get; }

    public StoreOptions Options { get; }

    public TimeProvider Time { get; }

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken ct) => DataSource.OpenConnectionAsync(ct);

    public async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await work(connection);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a write transaction; commits only if it returns normally. Writes run one at a
    /// time across every pod (a transaction-scoped advisory lock), as SQLite's single writer does on the desktop: checks
    /// such as "is this file name free" and link re-resolution then see every earlier write, with no retry loops.
    /// Reads never wait for it.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.Sql("SELECT pg_advisory_xact_lock(@key)", transaction).With("key", WriteLock).ExecAsync(ct);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(ct);
        // As on SQLite: wake this process's idle indexer; other pods hear the jobs trigger's NOTIFY (PostgresJobListener).
        _jobs?.Pulse();
        return result;
    }

    /// <summary>
    /// Applies pending migrations. Pods that start together all call this: a session advisory lock lets one of them
    /// migrate while the others wait and then find nothing left to do; each migration commits with its version row.
    /// </summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await connection.Sql("SELECT pg_advisory_lock(@key)").With("key", MigrationLock).ExecAsync(ct);
        try
        {
            await connection.Sql("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    bigint PRIMARY KEY,
                    name       text   NOT NULL,
                    applied_at bigint NOT NULL
                )
                """).ExecAsync(ct);
            var applied = (await connection.Sql("SELECT version FROM schema_migrations").ListAsync(r => r.GetInt64(0), ct)).ToHashSet();
            var done = new List<string>();
            foreach (var migration in Migrations.Where(m => !applied.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await connection.Sql(migration.Sql, transaction).ExecAsync(ct);
                await connection.Sql("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)", transaction)
                    .With("v", migration.Version).With("n", migration.Name).With("t", NowMs).ExecAsync(ct);
                await transaction.CommitAsync(ct);
                done.Add(migration.Name);
            }

            if (done.Count > 0)
            {
                await connection.ReloadTypesAsync(ct);  // the vector type may be new to this data source
            }

            return done;
        }
        finally
        {
            await connection.Sql("SELECT pg_advisory_unlock(@key)").With("key", MigrationLock).ExecAsync(CancellationToken.None);
        }
    }

    public async Task<string?> CheckReadyAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = await OpenAsync(ct);
            var latest = await connection.Sql("SELECT max(version) FROM schema_migrations").ScalarAsync<long?>(ct);
            var expected = Migrations[^1].Version;
            return latest == expected ? null : $"database schema is at version {latest ?? 0}, expected {expected}: run 'neptune migrate'";
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return $"database schema is at version 0, expected {Migrations[^1].Version}: run 'neptune migrate'";
        }
        catch (NpgsqlException e)
        {
            return $"database unavailable: {e.Message}";
        }
    }

    public Task<StoreCounts> GetCountsAsync(UserId user, CancellationToken ct) => ReadAsync(async c =>
    {
        var counts = await c.Sql("""
            SELECT (SELECT count(*) FROM notes WHERE user_id = @u AND deleted_at IS NULL),
                   (SELECT count(*) FROM folders WHERE user_id = @u AND deleted_at IS NULL),
                   (SELECT count(*) FROM notes WHERE user_id = @u AND deleted_at IS NOT NULL) + (SELECT count(*) FROM folders WHERE user_id = @u AND deleted_at IS NOT NULL),
                   (SELECT count(*) FROM attachments WHERE user_id = @u),
                   (SELECT count(*) FROM links l JOIN notes s ON s.id = l.source_note_id WHERE s.user_id = @u),
                   (SELECT count(*) FROM links l JOIN notes s ON s.id = l.source_note_id WHERE s.user_id = @u AND l.target_note_id IS NULL AND l.target_attachment_id IS NULL),
                   (SELECT count(*) FROM jobs j WHERE j.state IN ('queued', 'leased') AND coalesce((SELECT n.user_id FROM notes n WHERE n.id = j.note_id), 1) = @u)
            """).With("u", user.Value).FirstOrDefaultAsync(r => new StoreCounts(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6)), ct);
        return counts!;
    }, ct);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    private static readonly Migration[] Migrations = Migration.Load("postgres");
}
