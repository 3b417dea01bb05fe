using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Neptune.Llm;
using Neptune.Llm.Contract;
using Neptune.Testing;

namespace Neptune.Api.Tests.Search;

/// <summary>
/// One app with a small hand-written vault, chunked and embedded with the real model by the indexer stand-in, shared by
/// the semantic search tests (read-only; the llm switch is flipped only inside <see cref="WithModelDownAsync"/>).
/// Notes get fixed update dates from a test clock so date filters have something to bite on.
/// </summary>
public sealed class IndexedNotesFixture : IAsyncLifetime
{
    public const string Everyone = "care";  // a word in every vault note, so full text matches them all

    private readonly StubClock _clock = new();
    private readonly SwitchableLlm _llm = new();

    public NeptuneFactory Factory { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public Dictionary<string, long> Notes { get; } = [];

    public long PetsFolder { get; private set; }

    public long KitchenFolder { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Factory.TestServices = services =>
        {
            services.AddSingleton<TimeProvider>(_clock);
            services.RemoveAll<ILlmService>();
            services.AddSingleton<ILlmService>(sp => _llm.Over(sp.GetRequiredService<LocalLlmService>()));
        };
        Client = Factory.CreateClient();
        PetsFolder = (await Client.CreateFolderAsync("Pets")).Id;
        KitchenFolder = (await Client.CreateFolderAsync("Kitchen")).Id;
        var baking = (await Client.CreateFolderAsync("Baking", KitchenFolder)).Id;

        await AddAsync("Dogs", "2024-02-20", PetsFolder, "# Dogs\nDogs are loyal companions that need daily walks, training and a good leash. Puppies chew everything; take care of their teeth. #animals");
        await AddAsync("Cats", "2024-01-10", PetsFolder, "# Cats\nCats are small domesticated felines. They purr, sleep most of the day and hunt mice. Kittens need vaccinations and gentle care. See [[Dogs]]. #animals");
        await AddAsync("Aquarium", "2024-06-01", PetsFolder, "# Aquarium\nTropical fish need a filtered tank, a heater and weekly water changes; snails take care of the algae.");
        await AddAsync("Sourdough", "2024-03-15", baking, "# Sourdough\nA sourdough loaf rises with a wild yeast starter. Feed the starter flour and water with care, knead the dough and bake it in a hot Dutch oven. #food");
        await AddAsync("Pasta", "2024-04-01", KitchenFolder, "# Pasta\nBoil salted water, cook the spaghetti until al dente and toss it with tomato sauce and basil; take care not to overcook it. #food");
        await AddAsync("Kubernetes", "2024-05-05", null, "# Kubernetes\nPods run containers on a cluster; deployments roll out new versions with care and services route traffic to them. #ops");
        await AddAsync("Travel journal", "2024-05-20", null, "# Travel journal\n\n## Day one\nWe visited the city museum, its paintings and its old library, and took care to see the cathedral.\n\n"
            + "## Day two\nA long hike up the mountain trail to a glacier lake, with a picnic at the summit and a steep descent at dusk.");
        await AddAsync("Lighthouse", "2024-07-01", null, "# Lighthouse\nA lighthouse keeper tends the lamp on a rocky coast every night.");
        await AddAsync("Shipwreck", "2024-07-02", null, "# Shipwreck\nDivers explore a sunken galleon full of barnacles and rusted cannons.");

        await new IndexerStandIn(Factory.Services).IndexAsync([.. Notes.Values], TestContext.Current.CancellationToken);

        // After indexing: an edited note (its chunks no longer fit its content), a trashed one, and one never indexed.
        _clock.Now = DateTimeOffset.Parse("2024-07-03T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True((await Client.PutNoteAsync(Notes["Lighthouse"], "# Lighthouse\nThe old lighthouse keeper retired; an automatic lamp now guards the coast.", 1)).IsSuccessStatusCode);
        Assert.True((await Client.DeleteAsync($"/api/notes/{Notes["Shipwreck"]}")).IsSuccessStatusCode);
        Notes["Unindexed"] = (await Client.CreateNoteAsync("# Unindexed\nWritten a moment ago; the indexer has not seen it yet.")).Id;
    }

    /// <summary>Runs <paramref name="test"/> while every call to the model fails as if the llm service were down.</summary>
    public async Task WithModelDownAsync(Func<Task> test)
    {
        _llm.Down = true;
        try
        {
            await test();
        }
        finally
        {
            _llm.Down = false;
        }
    }

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();

    private async Task AddAsync(string title, string day, long? folderId, string content)
    {
        _clock.Now = DateTimeOffset.Parse($"{day}T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Notes[title] = (await Client.CreateNoteAsync(content, folderId: folderId)).Id;
    }

    private sealed class StubClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>The real in-process llm, or — while <see cref="Down"/> — failures like an unreachable llm role.</summary>
    private sealed class SwitchableLlm
    {
        public volatile bool Down;

        public ILlmService Over(ILlmService inner) => new Switched(this, inner);

        private sealed class Switched(SwitchableLlm state, ILlmService inner) : ILlmService
        {
            public Task<EmbeddingsResponse> EmbedAsync(EmbeddingsRequest request, CancellationToken ct) =>
                state.Down ? throw Unreachable() : inner.EmbedAsync(request, ct);

            public Task<TopicsResponse> ExtractTopicsAsync(TopicsRequest request, CancellationToken ct) =>
                state.Down ? throw Unreachable() : inner.ExtractTopicsAsync(request, ct);

            public Task<NotesResponse> IndexNotesAsync(NotesRequest request, CancellationToken ct) =>
                state.Down ? throw Unreachable() : inner.IndexNotesAsync(request, ct);

            public Task<RelationsResponse> ScoreRelationsAsync(RelationsRequest request, CancellationToken ct) =>
                state.Down ? throw Unreachable() : inner.ScoreRelationsAsync(request, ct);

            public Task<ModelsResponse> GetModelsAsync(CancellationToken ct) => state.Down ? throw Unreachable() : inner.GetModelsAsync(ct);

            private static LlmException Unreachable() =>
                new(LlmErrorKind.Unreachable, "llm", "The llm service at http://127.0.0.1:1/ is not reachable (connection refused).");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class IndexedNotesCollection : ICollectionFixture<IndexedNotesFixture>
{
    public const string Name = "indexed notes";
}
