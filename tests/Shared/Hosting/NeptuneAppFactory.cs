using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Neptune.Testing;

/// <summary>
/// The real `neptune` app (its own composition, in memory) on a real SQLite file in a fresh temp folder, deleted
/// afterwards. Subclasses add their settings in <see cref="Configure"/>.
/// </summary>
public abstract class NeptuneAppFactory(string purpose) : WebApplicationFactory<Program>
{
    public string DataDir { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), purpose, Guid.NewGuid().ToString("N"))).FullName;

    protected abstract void Configure(IWebHostBuilder builder);

    protected sealed override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Neptune:DataDir", DataDir);
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

        GC.SuppressFinalize(this);
    }
}
