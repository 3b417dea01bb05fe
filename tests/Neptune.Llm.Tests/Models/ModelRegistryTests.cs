using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Data;
using Neptune.Data.Sqlite;
using Neptune.Llm.Models;
using Neptune.Llm.Onnx;
using Neptune.OllamaEmulator;

namespace Neptune.Llm.Tests.Models;

/// <summary>A clock the tests move, so the registry's re-verification interval can pass instantly.</summary>
public sealed class ManualTime : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Pinning against a real SQLite store and the Ollama emulator (which can "pull" a newer model under Neptune).</summary>
public sealed class ModelRegistryTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "neptune-registry-tests", Guid.NewGuid().ToString("N"));
    private readonly ManualTime _time = new();
    private OllamaEmulator.OllamaEmulator _ollama = null!;
    private ServiceProvider _services = null!;

    private ModelRegistry Registry => _services.GetRequiredService<ModelRegistry>();

    public async ValueTask InitializeAsync()
    {
        _ollama = await OllamaEmulator.OllamaEmulator.StartAsync(Ct);
        _services = Build("ollama");
        await _services.GetRequiredService<IDatabase>().MigrateAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _ollama.DisposeAsync();
        await TestDataDir.DeleteAsync(_dataDir, _services);
    }

    private ServiceProvider Build(string provider, string? embedded = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Neptune:DataDir"] = _dataDir,
            ["Neptune:Llm:Provider"] = provider,
            ["Neptune:Llm:Ollama:BaseUrl"] = _ollama.BaseUrl.ToString(),
            ["Neptune:Llm:Ollama:MaxRetries"] = "0",
        };
        if (embedded is not null)
        {
            settings["Neptune:Llm:Onnx:Model"] = embedded;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddNeptuneStore()
            .AddSingleton<TimeProvider>(_time)
            .AddNeptuneLlm(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    private async Task<int> CreateNotesWithNoPendingWorkAsync(int count)
    {
        var notes = _services.GetRequiredService<INoteStore>();
        for (var i = 0; i < count; i++)
        {
            await notes.CreateAsync(UserId.Local, new NewNote(null, $"Note {i}", $"Body {i}"), Ct);
        }

        // As if the indexer had embedded them all already.
        await _services.GetRequiredService<SqliteDatabase>().WriteAsync(async (c, tx) =>
        {
            using var command = c.CreateCommand();
            command.Transaction = tx;
            command.CommandText = "UPDATE jobs SET state = 'done'";
            return await command.ExecuteNonQueryAsync(Ct);
        }, Ct);
        return count;
    }

    private Task<long> QueuedJobsAsync() =>
        _services.GetRequiredService<SqliteDatabase>().WriteAsync(async (c, tx) =>
        {
            using var command = c.CreateCommand();
            command.Transaction = tx;
            command.CommandText = "SELECT count(*) FROM jobs WHERE state = 'queued'";
            return (long)(await command.ExecuteScalarAsync(Ct))!;
        }, Ct);

    [Fact]
    public async Task The_configured_model_is_pinned_with_its_digest_and_dimensions_on_first_start()
    {
        var active = await Registry.EnsureActiveAsync(Ct);

        Assert.Equal("ollama/nomic-embed-text", active.Reference);
        Assert.Equal(EmulatedModel.NomicEmbedText.Digest, active.Digest);
        Assert.Equal(768, active.Dimensions);
        Assert.True(active.Active);
    }

    [Fact]
    public async Task Embedding_with_the_active_model_names_it()
    {
        await Registry.EnsureActiveAsync(Ct);

        var (model, generator) = await Registry.ResolveAsync(null, Ct);
        var vectors = await generator.GenerateAsync(["ssh into a remote machine"]);

        Assert.Equal("ollama/nomic-embed-text", model.Reference);
        Assert.Equal(768, vectors[0].Vector.Length);
    }

    [Fact]
    public async Task A_model_that_changed_under_neptune_is_refused_until_activated_and_activation_queues_every_note()
    {
        await Registry.EnsureActiveAsync(Ct);
        var notes = await CreateNotesWithNoPendingWorkAsync(3);
        _ollama.AddModel(EmulatedModel.NomicEmbedText with { Revision = 1 });  // someone ran `ollama pull nomic-embed-text`
        _time.Now += TimeSpan.FromMinutes(5);

        var refused = await Assert.ThrowsAsync<LlmException>(() => Registry.ResolveAsync(null, Ct));
        Assert.Equal(LlmErrorKind.ModelChanged, refused.Kind);
        Assert.Contains("neptune models activate ollama/nomic-embed-text", refused.Message, StringComparison.Ordinal);
        Assert.Contains(await Registry.ListAsync(Ct), m => m.Active && m.Status == "changed");

        var activation = await Registry.ActivateAsync("ollama/nomic-embed-text", Ct);

        Assert.True(activation.Changed);
        Assert.Equal(notes, activation.NotesQueued);
        Assert.Equal((EmulatedModel.NomicEmbedText with { Revision = 1 }).Digest, activation.Model.Digest);
        var (model, _) = await Registry.ResolveAsync(null, Ct);
        Assert.Equal(activation.Model.Id, model.Id);
        Assert.Equal(2, (await _services.GetRequiredService<IModelStore>().ListAsync(Ct)).Count);
    }

    [Fact]
    public async Task Switching_providers_is_explicit_and_reembeds_in_the_background()
    {
        await Registry.EnsureActiveAsync(Ct);
        await CreateNotesWithNoPendingWorkAsync(2);

        var activation = await Registry.ActivateAsync("onnx/all-MiniLM-L6-v2-int8", Ct);
        var again = await Registry.ActivateAsync("onnx/all-MiniLM-L6-v2-int8", Ct);

        Assert.Equal(384, activation.Model.Dimensions);
        Assert.Equal(2, activation.NotesQueued);
        Assert.False(again.Changed);
        Assert.Equal(0, again.NotesQueued);
        var models = await Registry.ListAsync(Ct);
        Assert.Equal("onnx/all-MiniLM-L6-v2-int8", Assert.Single(models, m => m.Active).Reference);
    }

    [Fact]
    public async Task A_restart_with_another_configured_model_keeps_the_pinned_one()
    {
        await Registry.EnsureActiveAsync(Ct);
        await using var restarted = Build("onnx");

        var active = await restarted.GetRequiredService<ModelRegistry>().EnsureActiveAsync(Ct);

        Assert.Equal("ollama/nomic-embed-text", active.Reference);
    }

    [Fact]
    public async Task A_restart_with_the_embedded_model_switched_to_its_other_build_activates_it_and_reembeds()
    {
        await using var int8 = Build("onnx");
        var first = await int8.GetRequiredService<ModelRegistry>().EnsureActiveAsync(Ct);
        var notes = await CreateNotesWithNoPendingWorkAsync(3);
        await using var original = Build("onnx", MiniLmEmbeddingGenerator.ModelName);

        var active = await original.GetRequiredService<ModelRegistry>().EnsureActiveAsync(Ct);

        Assert.Equal("onnx/all-MiniLM-L6-v2-int8", first.Reference);
        Assert.Equal("onnx/all-MiniLM-L6-v2", active.Reference);
        Assert.NotEqual(first.Digest, active.Digest);
        Assert.Equal(notes, await QueuedJobsAsync());
    }

    [Fact]
    public async Task Activating_a_model_ollama_does_not_have_says_which_pull_to_run()
    {
        var error = await Assert.ThrowsAsync<LlmException>(() => Registry.ActivateAsync("ollama/mxbai-embed-large", Ct));

        Assert.Equal(LlmErrorKind.ModelNotFound, error.Kind);
        Assert.Contains("ollama pull mxbai-embed-large", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reference_without_a_provider_is_refused_with_both_spellings()
    {
        var error = await Assert.ThrowsAsync<Neptune.Core.NeptuneException>(() => Registry.ActivateAsync("nomic-embed-text", Ct));

        Assert.Contains("ollama/nomic-embed-text", error.Message, StringComparison.Ordinal);
    }
}
