using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;

namespace Neptune.Data.Tests;

/// <summary>A real SQLite store in a fresh temp folder, wired as the app wires it.</summary>
public sealed class StoreFixture : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private StoreFixture(string dataDir, ServiceProvider services)
    {
        DataDir = dataDir;
        _services = services;
    }

    public string DataDir { get; }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public INoteStore Notes => Get<INoteStore>();

    public IFolderStore Folders => Get<IFolderStore>();

    public static async Task<StoreFixture> CreateAsync(Dictionary<string, string?>? settings = null, string? dataDir = null, Action<IServiceCollection>? configure = null)
    {
        dataDir ??= Path.Combine(Path.GetTempPath(), "neptune-data-tests", Guid.NewGuid().ToString("N"));
        var values = new Dictionary<string, string?> { ["Neptune:DataDir"] = dataDir };
        foreach (var (k, v) in settings ?? [])
        {
            values[k] = v;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var collection = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        configure?.Invoke(collection);
        var services = collection.AddNeptuneStore().BuildServiceProvider();
        var fixture = new StoreFixture(dataDir, services);
        await fixture.Get<IDatabase>().MigrateAsync(CancellationToken.None);
        return fixture;
    }

    public async ValueTask DisposeAsync()
    {
        await TestDataDir.DeleteAsync(DataDir, _services);
    }
}
