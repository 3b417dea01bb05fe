using Npgsql;

namespace Neptune.Testing;

/// <summary>A fresh, empty database of its own on the test PostgreSQL server (scripts/services.sh), dropped at the end.</summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    /// <summary>Set to "postgres" to run the app-level suites (API, indexer, llm) on PostgreSQL instead of SQLite.</summary>
    public const string AppProviderVariable = "NEPTUNE_TEST_PROVIDER";

    private readonly string _adminConnectionString;

    private PostgresTestDatabase(string adminConnectionString)
    {
        _adminConnectionString = adminConnectionString;
        Name = $"neptune_test_{Guid.NewGuid():N}";
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = Name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<PostgresTestDatabase> CreateAsync(string adminConnectionString)
    {
        var database = new PostgresTestDatabase(adminConnectionString);
        await database.AdminAsync($"CREATE DATABASE {database.Name}");
        return database;
    }

    /// <summary>A database for an app factory when <see cref="AppProviderVariable"/> asks for PostgreSQL, else null (SQLite).</summary>
    public static PostgresTestDatabase? ForAppTests()
    {
        if (!string.Equals(Environment.GetEnvironmentVariable(AppProviderVariable), "postgres", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var admin = Environment.GetEnvironmentVariable("Neptune__Database__ConnectionString")
            ?? throw new InvalidOperationException($"{AppProviderVariable}=postgres needs the test server: eval \"$(scripts/services.sh up)\" first.");
        return CreateAsync(admin).GetAwaiter().GetResult();
    }

    /// <summary>Each row of <paramref name="sql"/> as one string (columns joined by '|', NULL as ∅), as <see cref="TestDataDir.RowsAsync"/> gives them for SQLite.</summary>
    public async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount)
                .Select(i => reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    public async ValueTask DisposeAsync() => await AdminAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");

    private async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
