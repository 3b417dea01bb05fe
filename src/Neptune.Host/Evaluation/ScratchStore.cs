using Microsoft.Data.Sqlite;
using Neptune.Core;
using Neptune.Data;
using Npgsql;

namespace Neptune.Host.Evaluation;

/// <summary>
/// A fresh, empty store that exists for one evaluation and is removed afterwards. <see cref="Settings"/> is the
/// configuration that points Neptune's store at it; the evaluation builds its services from them and disposes those
/// before this. SQLite: a temporary data dir. PostgreSQL (issue 6): a temporary database, dropped at the end.
/// </summary>
public interface IScratchStore : IAsyncDisposable
{
    /// <summary>"sqlite", "postgres".</summary>
    string Provider { get; }

    /// <summary>Where it is, for the report: a folder, or a database name.</summary>
    string Location { get; }

    IReadOnlyDictionary<string, string?> Settings { get; }
}

public static class ScratchStore
{
    /// <summary>A temporary PostgreSQL database when the configuration selects PostgreSQL (its connection string names the server), else a temporary SQLite data dir.</summary>
    public static async Task<IScratchStore> CreateAsync(IConfiguration configuration, CancellationToken ct) =>
        PostgresServer(configuration) is { } server ? await PostgresScratchStore.CreateAsync(server, ct) : new SqliteScratchStore();

    /// <summary>
    /// `--keep NAME`: a store that outlives the evaluation, so a later run can score the same index again: a data dir for
    /// SQLite, a database named after NAME's last segment on the configured PostgreSQL server.
    /// </summary>
    public static async Task<IScratchStore> KeepAsync(string keep, IConfiguration configuration, CancellationToken ct) =>
        PostgresServer(configuration) is { } server ? await KeptPostgresStore.OpenAsync(server, keep, ct) : new KeptSqliteStore(keep);

    private static string? PostgresServer(IConfiguration configuration)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (!options.IsPostgres)
        {
            return null;
        }

        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? throw NeptuneException.Invalid("Neptune:Database:ConnectionString", "eval on PostgreSQL needs Neptune:Database:ConnectionString (Neptune__Database__ConnectionString): it creates a temporary database on that server.")
            : options.ConnectionString;
    }
}

/// <summary>A store that already holds an index from an earlier run (--keep), which eval reuses rather than re-importing.</summary>
public interface IReusableStore
{
    bool HasDatabase { get; }
}

/// <summary>
/// A database of its own on the configured server (CREATE DATABASE needs that right), dropped at the end, also when
/// the evaluation fails or is cancelled: the drop runs with no cancellation and forces out connections left open.
/// </summary>
public sealed class PostgresScratchStore : IScratchStore
{
    private readonly string _server;

    private PostgresScratchStore(string server, string name)
    {
        _server = server;
        Location = name;
        Settings = PostgresStore.Settings(server, name);
    }

    public string Provider => DatabaseOptions.Postgres;

    public string Location { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public static async Task<PostgresScratchStore> CreateAsync(string server, CancellationToken ct)
    {
        var store = new PostgresScratchStore(server, $"neptune_eval_{Guid.NewGuid():N}");
        await PostgresStore.AdminAsync(server, $"CREATE DATABASE {store.Location}", ct);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await PostgresStore.AdminAsync(_server, $"DROP DATABASE IF EXISTS {Location} WITH (FORCE)", CancellationToken.None);
    }
}

/// <summary>A database chosen by the user (--keep) and left in place: created when missing, never dropped.</summary>
public sealed class KeptPostgresStore : IScratchStore, IReusableStore
{
    private KeptPostgresStore(string server, string name, bool existed)
    {
        Location = name;
        Settings = PostgresStore.Settings(server, name);
        HasDatabase = existed;
    }

    public string Provider => DatabaseOptions.Postgres;

    public string Location { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public bool HasDatabase { get; }

    public static async Task<KeptPostgresStore> OpenAsync(string server, string keep, CancellationToken ct)
    {
        var name = PostgresStore.KeptName(keep);
        await using var connection = new NpgsqlConnection(PostgresStore.Admin(server));
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", name);
        var existed = await exists.ExecuteScalarAsync(ct) is not null;
        if (!existed)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync(ct);
        }

        return new KeptPostgresStore(server, name, existed);
    }

    public ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}

internal static class PostgresStore
{
    public static IReadOnlyDictionary<string, string?> Settings(string server, string database) => new Dictionary<string, string?>
    {
        ["Neptune:Database:Provider"] = DatabaseOptions.Postgres,
        ["Neptune:Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString,
    };

    /// <summary>The server's maintenance database: CREATE and DROP DATABASE cannot run inside the database they name.</summary>
    public static string Admin(string server) => new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;

    public static async Task AdminAsync(string server, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(Admin(server));
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>neptune_eval_keep_ and NAME's last path segment, lower-cased, anything but [a-z0-9_] as '_' (an identifier that needs no quoting).</summary>
    public static string KeptName(string keep)
    {
        var segment = Path.GetFileName(Path.TrimEndingDirectorySeparator(keep));
        var safe = new string([.. segment.ToLowerInvariant().Select(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? ch : '_')]);
        return safe.Length == 0 ? throw NeptuneException.Invalid("--keep", $"--keep: '{keep}' does not name a database; give a name such as eval500.") : $"neptune_eval_keep_{safe}"[..Math.Min(63, 18 + safe.Length)];
    }
}

/// <summary>A data dir chosen by the user and left in place: created when missing, never deleted.</summary>
public sealed class KeptSqliteStore(string dataDir) : IScratchStore, IReusableStore
{
    public string Provider => "sqlite";

    public string Location { get; } = Directory.CreateDirectory(dataDir).FullName;

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Neptune:DataDir"] = Location };

    /// <summary>Whether an earlier run left a database here.</summary>
    public bool HasDatabase => File.Exists(Path.Combine(Location, "neptune.db"));

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A data dir under the system temp folder, deleted with everything in it.</summary>
public sealed class SqliteScratchStore : IScratchStore
{
    public SqliteScratchStore()
    {
        Location = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"neptune-eval-{Guid.NewGuid():N}")).FullName;
        Settings = new Dictionary<string, string?> { ["Neptune:DataDir"] = Location };
    }

    public string Provider => "sqlite";

    public string Location { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the database file open.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Location, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the system cleans its temp folder later.
        }

        return ValueTask.CompletedTask;
    }
}
