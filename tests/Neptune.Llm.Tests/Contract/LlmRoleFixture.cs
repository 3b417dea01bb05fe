using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Llm.Contract;

namespace Neptune.Llm.Tests.Contract;

/// <summary>
/// One `neptune serve --role llm` app (in memory, real composition, real SQLite and model) for the contract suites, in
/// token mode as in server mode: the HTTP client authenticates with the roles' service token, as the backend's does.
/// </summary>
public sealed class LlmRoleFixture() : NeptuneAppFactory("neptune-llm-tests"), IAsyncLifetime
{
    public const string ServiceToken = "llm-role-service-token-0123456789abcdef";

    public ILlmService InProcess => Services.GetRequiredService<LocalLlmService>();

    public ILlmService OverHttp
    {
        get
        {
            var http = CreateClient();
            var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("Neptune:Auth:ServiceToken", (string?)ServiceToken)]).Build();
            Neptune.Llm.Extensions.AddServiceToken(http, configuration);
            return new LlmHttpClient(http);
        }
    }

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Neptune:Role", "llm");
        builder.UseSetting("Neptune:Auth:Mode", "token");
        builder.UseSetting("Neptune:Auth:ServiceToken", ServiceToken);
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
