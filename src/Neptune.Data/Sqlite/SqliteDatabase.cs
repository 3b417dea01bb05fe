using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Neptune.Data.Sqlite;

/// <summary>
/// The desktop database: one SQLite file in WAL mode. Reads use pooled connections in parallel;
/// writes are serialised in-process (SQLite has one writer) and run in BEGIN IMMEDIATE transactions
/// with synchronous=FULL, so a write acknowledged to a client survives a crash.
/// </summary>
public sealed class SqliteDatabase : IDatabase, IDisposable
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly string _connectionString;
    private readonly JobSignal? _jobs;

    public SqliteDatabase(IOptions<StoreOptions> options, TimeProvider time, JobSignal? jobs = null)
    {
        Options = options.Value;
        Time = time;
        _jobs = jobs;
        Directory.CreateDirectory(Options.DataDir);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Provider => "sqlite";

    public StoreOptions Options { get; }

    public TimeProvider Time { get; }

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await connection.Sql("PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000;").ExecAsync(ct);
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction; commits only if it returns normally.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct);
        try
        {
            await using var connection = await OpenAsync(ct);
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(ct);
            // Any write may have queued jobs (the outbox): a spurious wake-up costs the worker one indexed read.
            _jobs?.Pulse();
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await work(connection);
    }

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct);
        try
        {
            await using var connection = await OpenAsync(ct);
            await connection.Sql("PRAGMA journal_mode = WAL;").ExecAsync(ct);
            await connection.Sql("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    INTEGER PRIMARY KEY,
                    name       TEXT    NOT NULL,
                    applied_at INTEGER NOT NULL
                )
                """).ExecAsync(ct);
            var applied = (await connection.Sql("SELECT version FROM schema_migrations").ListAsync(r => r.GetInt64(0), ct)).ToHashSet();
            var done = new List<string>();
            foreach (var migration in Migrations.Where(m => !applied.Contains(m.Version)))
            {
                await using var transaction = connection.BeginTransaction(deferred: false);
                await connection.Sql(migration.Sql, transaction).ExecAsync(ct);
                await connection.Sql("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, $t)", transaction)
                    .With("$v", migration.Version).With("$n", migration.Name).With("$t", NowMs).ExecAsync(ct);
                await transaction.CommitAsync(ct);
                done.Add(migration.Name);
            }

            return done;
        }
        finally
        {
            _writeGate.Release();
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
        catch (SqliteException e)
        {
            return $"database unavailable: {e.Message}";
        }
    }

    public Task<StoreCounts> GetCountsAsync(UserId user, CancellationToken ct) => ReadAsync(async c =>
    {
        var counts = await c.Sql("""
            SELECT (SELECT count(*) FROM notes WHERE user_id = $u AND deleted_at IS NULL),
                   (SELECT count(*) FROM folders WHERE user_id = $u AND deleted_at IS NULL),
                   (SELECT count(*) FROM notes WHERE user_id = $u AND deleted_at IS NOT NULL) + (SELECT count(*) FROM folders WHERE user_id = $u AND deleted_at IS NOT NULL),
                   (SELECT count(*) FROM attachments WHERE user_id = $u),
                   (SELECT count(*) FROM links l JOIN notes s ON s.id = l.source_note_id WHERE s.user_id = $u),
                   (SELECT count(*) FROM links l JOIN notes s ON s.id = l.source_note_id WHERE s.user_id = $u AND l.target_note_id IS NULL AND l.target_attachment_id IS NULL),
                   (SELECT count(*) FROM jobs j WHERE j.state IN ('queued', 'leased') AND ifnull((SELECT n.user_id FROM notes n WHERE n.id = j.note_id), 1) = $u)
            """).With("$u", user.Value).FirstOrDefaultAsync(r => new StoreCounts(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6)), ct);
        return counts!;
    }, ct);

    public void Dispose() => _writeGate.Dispose();

    private static readonly Migration[] Migrations = Migration.Load("sqlite");
}
