using Neptune.Data.Tests.Servers;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Neptune.Data.Tests;

/// <summary>Where a store under test keeps its data: the desktop's SQLite file, or PostgreSQL (server mode).</summary>
public enum StoreProvider
{
    Sqlite,
    Postgres,
}

/// <summary>A real store — SQLite in a fresh temp folder, or a fresh PostgreSQL database — wired as the app wires it.</summary>
public sealed class StoreFixture : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly PostgresTestDatabase? _postgres;

    private StoreFixture(string dataDir, ServiceProvider services, PostgresTestDatabase? postgres)
    {
        DataDir = dataDir;
        _services = services;
        _postgres = postgres;
    }

    public string DataDir { get; }

    /// <summary>The PostgreSQL database's connection string (null on SQLite): a second store on it plays another process.</summary>
    public string? ConnectionString => _postgres?.ConnectionString;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public INoteStore Notes => Get<INoteStore>();

    public IFolderStore Folders => Get<IFolderStore>();

    public static async Task<StoreFixture> CreateAsync(
        Dictionary<string, string?>? settings = null, string? dataDir = null, Action<IServiceCollection>? configure = null,
        StoreProvider provider = StoreProvider.Sqlite)
    {
        dataDir ??= Path.Combine(Path.GetTempPath(), "neptune-data-tests", Guid.NewGuid().ToString("N"));
        var values = new Dictionary<string, string?> { ["Neptune:DataDir"] = dataDir };
        var postgres = provider == StoreProvider.Postgres ? await PostgresTestDatabase.CreateAsync(TestServers.PostgresConnectionString) : null;
        if (postgres is not null)
        {
            values["Neptune:Database:Provider"] = "postgres";
            values["Neptune:Database:ConnectionString"] = postgres.ConnectionString;
        }

        foreach (var (k, v) in settings ?? [])
        {
            values[k] = v;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var collection = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        configure?.Invoke(collection);
        var services = collection.AddNeptuneStore().BuildServiceProvider();
        var fixture = new StoreFixture(dataDir, services, postgres);
        await fixture.Get<IDatabase>().MigrateAsync(CancellationToken.None);
        return fixture;
    }

    /// <summary>Each row of <paramref name="sql"/>, read directly from the store's database, as one string (columns joined by '|', NULL as ∅).</summary>
    public async Task<List<string>> RowsAsync(string sql) => await QueryAsync(sql, r => string.Join('|', Enumerable.Range(0, r.FieldCount)
        .Select(i => r.IsDBNull(i) ? "∅" : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture))));

    /// <summary>The first column of each row of <paramref name="sql"/>, read directly from the store's database.</summary>
    public Task<List<T>> ScalarsAsync<T>(string sql) => QueryAsync(sql, r => r.GetFieldValue<T>(0));

    private async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map)
    {
        await using DbConnection connection = _postgres is null
            ? new SqliteConnection($"Data Source={Path.Combine(DataDir, "neptune.db")}")
            : new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_postgres.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await TestDataDir.DeleteAsync(DataDir, _services);
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
