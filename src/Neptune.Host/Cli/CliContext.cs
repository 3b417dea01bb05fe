using System.Text.Json;
using Neptune.Api;
using Neptune.Data;
using Neptune.Llm;

namespace Neptune.Host.Cli;

/// <summary>What every verb shares: the configuration (appsettings &lt; environment &lt; --data), the store, and how to print.</summary>
public sealed class CliContext : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = CreateJsonOptions();

    private CliContext(ServiceProvider services, bool json)
    {
        Services = services;
        JsonOutput = json;
    }

    public ServiceProvider Services { get; }

    public bool JsonOutput { get; }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public static async Task<CliContext> OpenAsync(string? dataDir, bool json, CancellationToken ct)
    {
        var configuration = BuildConfiguration(Overrides(dataDir));
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddNeptuneStore()
            .AddLogging()
            .AddNeptuneLlm(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var context = new CliContext(services, json);
        await context.Get<IDatabase>().MigrateAsync(ct);
        return context;
    }

    /// <summary>appsettings.json &lt; environment &lt; <paramref name="overrides"/> (the command line).</summary>
    public static IConfigurationRoot BuildConfiguration(IReadOnlyDictionary<string, string?> overrides) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides)
            .Build();

    public static Dictionary<string, string?> Overrides(string? dataDir) =>
        dataDir is null ? [] : new() { ["Neptune:DataDir"] = Path.GetFullPath(dataDir) };

    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));

    public ValueTask DisposeAsync() => Services.DisposeAsync();

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Neptune.Api.Extensions.ConfigureJson(options);
        return options;
    }
}
