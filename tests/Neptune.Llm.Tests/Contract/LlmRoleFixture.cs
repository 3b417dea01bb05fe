using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Llm.Contract;

namespace Neptune.Llm.Tests.Contract;

/// <summary>One `neptune serve --role llm` app (in memory, real composition, real SQLite and model) for the contract suites.</summary>
public sealed class LlmRoleFixture() : NeptuneAppFactory("neptune-llm-tests"), IAsyncLifetime
{
    public ILlmService InProcess => Services.GetRequiredService<LocalLlmService>();

    public ILlmService OverHttp => new LlmHttpClient(CreateClient());

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Neptune:Role", "llm");
        builder.UseSetting("Neptune:Llm:Onnx:Threads", "2");
    }

    public async ValueTask InitializeAsync()
    {
        if (!await WaitReadyAsync(TimeSpan.FromSeconds(60)))
        {
            using var client = CreateClient();
            throw new TimeoutException("The llm role did not become ready in 60 s: " + await client.GetStringAsync("/ready"));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LlmRoleCollection : ICollectionFixture<LlmRoleFixture>
{
    public const string Name = "llm role";
}
