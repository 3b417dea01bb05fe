using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Neptune.Testing;

/// <summary>A test's own data folder: its SQLite file read directly, and the whole folder removed at the end.</summary>
public static class TestDataDir
{
    /// <summary>Each row of <paramref name="sql"/> against the folder's neptune.db as one string (columns joined by '|', NULL as ∅).</summary>
    public static async Task<List<string>> RowsAsync(string dataDir, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "neptune.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount)
                .Select(i => reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    /// <summary>Disposes the services that hold the database, closes pooled connections and deletes the folder.</summary>
    public static async ValueTask DeleteAsync(string dataDir, IAsyncDisposable? services = null)
    {
        if (services is not null)
        {
            await services.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temp folder is cleaned up by the OS later.
        }
    }
}
