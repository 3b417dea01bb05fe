using System.Data.Common;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Neptune.Testing;

/// <summary>
/// The real `neptune` app (its own composition, in memory) on a real SQLite file in a fresh temp folder, deleted
/// afterwards — or, with NEPTUNE_TEST_PROVIDER=postgres, on a fresh database of the test PostgreSQL server.
/// Subclasses add their settings in <see cref="Configure"/>.
/// </summary>
public abstract class NeptuneAppFactory(string purpose) : WebApplicationFactory<Program>
{
    private readonly PostgresTestDatabase? _postgres = PostgresTestDatabase.ForAppTests();

    public string DataDir { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), purpose, Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>The store's provider under test: "sqlite", or "postgres" with NEPTUNE_TEST_PROVIDER=postgres.</summary>
    public string DatabaseProvider => _postgres is null ? "sqlite" : "postgres";

    /// <summary>The app's store settings (data dir, provider, connection): a second store built from them plays another process.</summary>
    public Dictionary<string, string?> StoreSettings => _postgres is null
        ? new() { ["Neptune:DataDir"] = DataDir }
        : new()
        {
            ["Neptune:DataDir"] = DataDir,
            ["Neptune:Database:Provider"] = "postgres",
            ["Neptune:Database:ConnectionString"] = _postgres.ConnectionString,
        };

    /// <summary>Runs <paramref name="sql"/> straight against the app's database (rows as the indexer would write them, say).</summary>
    public async Task ExecuteSqlAsync(string sql)
    {
        await using DbConnection connection = _postgres is null
            ? new SqliteConnection($"Data Source={Path.Combine(DataDir, "neptune.db")}")
            : new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_postgres.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    protected abstract void Configure(IWebHostBuilder builder);

    protected sealed override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in StoreSettings)
        {
            builder.UseSetting(key, value);
        }

        // Desktop behaviour even on PostgreSQL (where tokens are the default); the auth suites turn tokens on.
        builder.UseSetting("Neptune:Auth:Mode", "none");

        Configure(builder);
    }

    /// <summary>Polls /ready until it answers 200; false when it did not within <paramref name="limit"/>.</summary>
    public async Task<bool> WaitReadyAsync(TimeSpan limit)
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if ((await client.GetAsync("/ready")).StatusCode == HttpStatusCode.OK)
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDataDir.DeleteAsync(DataDir);
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
