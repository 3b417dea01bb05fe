using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Llm.Contract;

namespace Neptune.Llm.Tests.Contract;

/// <summary>One `neptune serve --role llm` app (in memory, real composition, real SQLite and model) for the contract suites.</summary>
public sealed class LlmRoleFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "neptune-llm-tests", Guid.NewGuid().ToString("N"));

    public ILlmService InProcess => Services.GetRequiredService<LocalLlmService>();

    public ILlmService OverHttp => new LlmHttpClient(CreateClient());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(DataDir);
        builder.UseSetting("Neptune:DataDir", DataDir);
        builder.UseSetting("Neptune:Role", "llm");
        builder.UseSetting("Neptune:Llm:Onnx:Threads", "2");
    }

    public async ValueTask InitializeAsync()
    {
        using var client = CreateClient();
        for (var i = 0; i < 600; i++)
        {
            if ((await client.GetAsync("/ready")).StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The llm role did not become ready in 60 s: " + await client.GetStringAsync("/ready"));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LlmRoleCollection : ICollectionFixture<LlmRoleFixture>
{
    public const string Name = "llm role";
}
