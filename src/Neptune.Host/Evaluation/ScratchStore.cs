using Microsoft.Data.Sqlite;

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
    /// <summary>SQLite, the only store so far; issue 6 chooses a temporary PostgreSQL database here when the configuration names a server.</summary>
    public static IScratchStore Create() => new SqliteScratchStore();

    /// <summary>`--keep DIR`: a data dir that outlives the evaluation, so a later run can score the same index again.</summary>
    public static IScratchStore Keep(string dataDir) => new KeptSqliteStore(dataDir);
}

/// <summary>A data dir chosen by the user and left in place: created when missing, never deleted.</summary>
public sealed class KeptSqliteStore(string dataDir) : IScratchStore
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
