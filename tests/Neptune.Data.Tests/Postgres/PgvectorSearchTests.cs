using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Neptune.Core.Notes;
using Neptune.Core.Topics;
using Neptune.Data.Postgres;

namespace Neptune.Data.Tests;

/// <summary>Semantic search through pgvector's HNSW index (Neptune:Search:Vectors = pgvector) on the real PostgreSQL server.</summary>
public sealed class PgvectorSearchTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Finds_what_exact_search_finds_on_a_small_corpus_through_the_hnsw_index()
    {
        await using var store = await StoreFixture.CreateAsync(provider: StoreProvider.Postgres);
        var model = await ActivateAsync(store, "small", 16);
        var random = new Random(7);
        for (var i = 0; i < 60; i++)
        {
            await WriteAsync(store, model, await CreateAsync(store, $"n{i}"), [.. Enumerable.Range(0, 10).Select(_ => RandomUnit(random, 16))]);
        }

        await store.RowsAsync("ANALYZE embeddings");
        var pgvector = store.Get<PgvectorSearch>();
        var exact = store.Get<InMemoryVectorSearch>();  // every vector in memory, scanned exactly
        Assert.Same(pgvector, store.Get<IVectorSearch>());  // the default on PostgreSQL
        int found = 0, expected = 0;
        for (var q = 0; q < 30; q++)
        {
            var query = new VectorQuery(model.Id, 16, RandomUnit(random, 16), 10);
            var truth = await exact.SearchAsync(query, Ct);
            var approximate = await pgvector.SearchAsync(query, Ct);
            Assert.Equal(10, approximate.Count);
            Assert.Equal(approximate.OrderByDescending(h => h.Score).Select(h => h.ChunkId), approximate.Select(h => h.ChunkId));  // best first
            expected += truth.Count;
            found += truth.Count(t => approximate.Any(a => a.ChunkId == t.ChunkId && a.NoteId == t.NoteId && Math.Abs(a.Score - t.Score) < 1e-4));
        }

        Assert.Equal(300, expected);
        Assert.True(found >= 0.95 * expected, $"recall@10 {found}/{expected}");

        var plan = await store.RowsAsync("BEGIN; " + PgvectorSearch.SettingsSql(40, onlyNotes: false) + " EXPLAIN (COSTS OFF) " + PgvectorSearch.NearestSql(model.Id, 16, onlyNotes: false, exceptNote: false)
            .Replace("@q", $"'{Literal(RandomUnit(random, 16))}'::vector", StringComparison.Ordinal).Replace("@k", "40", StringComparison.Ordinal));
        Assert.Contains(plan, line => line.Contains($"Index Scan using {PgvectorIndexes.Name(model.Id)}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(10, 40, 4, 40)]     // the least ef_search holds for small k
    [InlineData(60, 40, 4, 240)]    // semantic search's 15 notes × 4 chunks
    [InlineData(200, 40, 4, 800)]   // hybrid's 50 notes × 4 chunks
    [InlineData(400, 40, 4, 1000)]  // pgvector's largest
    [InlineData(60, 40, 1, 60)]     // ef_search = k, as before the per-chunk setting
    public void Ef_search_is_a_multiple_of_the_chunks_asked_for_within_bounds(int chunks, int least, int perChunk, int expected) =>
        Assert.Equal(expected, new SearchOptions { HnswEfSearch = least, HnswEfPerChunk = perChunk }.EfSearchFor(chunks));

    [Fact]
    public async Task Filters_trash_and_the_note_itself_are_left_out_and_note_vectors_match_the_in_memory_ones()
    {
        await using var store = await StoreFixture.CreateAsync(provider: StoreProvider.Postgres);
        var model = await ActivateAsync(store, "tiny", 2);
        var a = await CreateAsync(store, "a");
        var b = await CreateAsync(store, "b");
        var c = await CreateAsync(store, "c");
        var trashed = await CreateAsync(store, "trashed");
        await WriteAsync(store, model, a, [[1, 0], [0.8f, 0.6f]]);
        await WriteAsync(store, model, b, [[0.6f, 0.8f]]);
        await WriteAsync(store, model, c, [[0, 1]]);
        await WriteAsync(store, model, trashed, [[1, 0]]);
        await store.Notes.DeleteAsync(UserId.Local, trashed.Id, null, Ct);
        var search = store.Get<PgvectorSearch>();

        var all = await search.SearchAsync(new VectorQuery(model.Id, 2, [1, 0], 10), Ct);
        Assert.Equal([a.Id, a.Id, b.Id, c.Id], all.Select(h => h.NoteId));
        Assert.Equal(1f, all[0].Score, 4);
        Assert.Equal(0.6f, all[2].Score, 4);
        Assert.Equal([b.Id, c.Id], (await search.SearchAsync(new VectorQuery(model.Id, 2, [1, 0], 10, ExceptNote: a.Id), Ct)).Select(h => h.NoteId));
        Assert.Equal([c.Id], (await search.SearchAsync(new VectorQuery(model.Id, 2, [1, 0], 10, new HashSet<long> { c.Id, trashed.Id }), Ct)).Select(h => h.NoteId));

        var inPostgres = await search.NoteVectorsAsync(model.Id, 2, [a.Id, b.Id, trashed.Id, 999_999], Ct);
        var inMemory = await store.Get<InMemoryVectorSearch>().NoteVectorsAsync(model.Id, 2, [a.Id, b.Id], Ct);
        Assert.Equal([a.Id, b.Id], inPostgres.Keys.Order());  // not the trashed one, nor one that does not exist
        Assert.Equal(1f, UnitVectors.Dot(inMemory[a.Id], inPostgres[a.Id]), 4);
        Assert.Equal(1f, UnitVectors.Dot(inMemory[b.Id], inPostgres[b.Id]), 4);
        Assert.Equal(1f, UnitVectors.Dot(inPostgres[a.Id], inPostgres[a.Id]), 4);  // unit length
        Assert.True(await search.HasVectorsAsync(model.Id, 2, Ct));
    }

    [Fact]
    public async Task Activating_a_model_creates_its_index_and_after_a_switch_search_answers_from_the_new_models_vectors()
    {
        await using var store = await StoreFixture.CreateAsync(provider: StoreProvider.Postgres);
        var first = await ActivateAsync(store, "first", 2);
        Assert.Equal([PgvectorIndexes.Name(first.Id)], await HnswIndexesAsync(store));
        var a = await CreateAsync(store, "a");
        var b = await CreateAsync(store, "b");
        await WriteAsync(store, first, a, [[1, 0]]);
        await WriteAsync(store, first, b, [[0, 1]]);
        var search = store.Get<IVectorSearch>();

        var second = await ActivateAsync(store, "second", 3);
        Assert.False(await search.HasVectorsAsync(second.Id, 3, Ct));  // nothing embedded with it yet
        Assert.Equal([PgvectorIndexes.Name(first.Id), PgvectorIndexes.Name(second.Id)], await HnswIndexesAsync(store));
        Assert.Equal([a.Id, b.Id], (await search.SearchAsync(new VectorQuery(first.Id, 2, [1, 0], 5), Ct)).Select(h => h.NoteId));  // until re-embedded
        await WriteAsync(store, second, a, [[0, 0, 1]]);
        await WriteAsync(store, second, b, [[1, 0, 0]]);

        Assert.Equal([b.Id, a.Id], (await search.SearchAsync(new VectorQuery(second.Id, 3, [1, 0, 0], 5), Ct)).Select(h => h.NoteId));
        Assert.Empty(await search.SearchAsync(new VectorQuery(first.Id, 2, [1, 0], 5), Ct));  // re-embedding replaced the old model's vectors
        var definition = await store.ScalarsAsync<string>($"SELECT indexdef FROM pg_indexes WHERE indexname = '{PgvectorIndexes.Name(second.Id)}'");
        Assert.Contains("USING hnsw (((vector)::vector(3)) vector_cosine_ops)", definition.Single(), StringComparison.Ordinal);

        // Switching back to a model that has vectors (and an index) keeps its index.
        await store.Get<IModelStore>().ActivateAsync(first.Id, Ct);
        Assert.Equal([PgvectorIndexes.Name(first.Id), PgvectorIndexes.Name(second.Id)], await HnswIndexesAsync(store));
    }

    [Fact]
    public async Task Migration_009_indexes_the_model_that_was_active_before_it()
    {
        await using var store = await StoreFixture.CreateAsync(provider: StoreProvider.Postgres);
        var model = await ActivateAsync(store, "old", 2);
        await WriteAsync(store, model, await CreateAsync(store, "a"), [[1, 0]]);
        // As a store migrated before 009: no HNSW index, 009 not applied.
        await store.RowsAsync($"DROP INDEX {PgvectorIndexes.Name(model.Id)}");
        await store.RowsAsync("DELETE FROM schema_migrations WHERE version = 9");
        Assert.Empty(await HnswIndexesAsync(store));

        Assert.Equal(["009_hnsw"], await store.Get<IDatabase>().MigrateAsync(Ct));
        Assert.Equal([PgvectorIndexes.Name(model.Id)], await HnswIndexesAsync(store));
    }

    [Theory]
    [InlineData(null, StoreProvider.Sqlite, typeof(InMemoryVectorSearch))]
    [InlineData("memory", StoreProvider.Postgres, typeof(InMemoryVectorSearch))]
    [InlineData("pgvector", StoreProvider.Postgres, typeof(PgvectorSearch))]
    public async Task The_vector_search_follows_the_setting_and_the_database(string? setting, StoreProvider provider, Type expected)
    {
        await using var store = await StoreFixture.CreateAsync(new() { ["Neptune:Search:Vectors"] = setting }, provider: provider);
        Assert.IsType(expected, store.Get<IVectorSearch>());
    }

    [Fact]
    public async Task Pgvector_on_sqlite_stops_the_start_naming_the_key()
    {
        await using var store = await StoreFixture.CreateAsync(new() { ["Neptune:Search:Vectors"] = "pgvector" });
        var error = Assert.Throws<OptionsValidationException>(() => store.Get<IOptions<SearchOptions>>().Value);
        Assert.Contains("Neptune:Search:Vectors = pgvector needs Neptune:Database:Provider = postgres", error.Message, StringComparison.Ordinal);
    }

    private static async Task<EmbeddingModel> ActivateAsync(StoreFixture store, string name, int dims)
    {
        var models = store.Get<IModelStore>();
        var model = await models.RegisterAsync(new ModelIdentity("onnx", name, "sha256:" + name, dims), Ct);
        return (await models.ActivateAsync(model.Id, Ct)).Model;
    }

    private static async Task<List<string>> HnswIndexesAsync(StoreFixture store) =>
        await store.ScalarsAsync<string>("SELECT indexname FROM pg_indexes WHERE tablename = 'embeddings' AND indexdef LIKE '%USING hnsw%' ORDER BY indexname");

    private static async Task<Note> CreateAsync(StoreFixture store, string title) => await store.Notes.CreateAsync(UserId.Local, new NewNote(null, title, $"{title} text"), Ct);

    private static async Task WriteAsync(StoreFixture store, EmbeddingModel model, Note note, float[][] vectors)
    {
        var stored = await store.Get<INoteIndexStore>().WriteAsync(new NoteIndexWrite(note.Id, note.Version, model.Id,
            [.. vectors.Select((v, i) => new ChunkToStore(i, 0, 3, 1, v))], "test", [], [], []), [], Ct);
        await store.Get<InMemoryVectorSearch>().NoteChangedAsync(model.Id, model.Dimensions, note.Id, stored ?? [], Ct);  // as the indexer does
    }

    private static float[] RandomUnit(Random random, int dims) =>
        UnitVectors.Normalized([.. Enumerable.Range(0, dims).Select(_ => (float)((random.NextDouble() * 2) - 1))]);

    private static string Literal(float[] vector) => "[" + string.Join(',', vector.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";
}
