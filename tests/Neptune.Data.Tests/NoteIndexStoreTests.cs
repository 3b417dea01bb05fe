using Neptune.Core.Notes;

namespace Neptune.Data.Tests;

/// <summary>What the indexer writes and reads back — chunks, vectors, topics, edges, index state — against SQLite and PostgreSQL alike.</summary>
public abstract class NoteIndexStoreConformance(StoreProvider provider) : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private StoreFixture _store = null!;
    private long _model;

    public async ValueTask InitializeAsync()
    {
        _store = await StoreFixture.CreateAsync(provider: provider);
        var models = _store.Get<IModelStore>();
        _model = (await models.RegisterAsync(new ModelIdentity("onnx", "tiny", "sha256:00", 2), Ct)).Id;
        await models.ActivateAsync(_model, Ct);
    }

    public ValueTask DisposeAsync() => _store?.DisposeAsync() ?? ValueTask.CompletedTask;  // null when skipped in InitializeAsync

    private INoteIndexStore Index => _store.Get<INoteIndexStore>();

    [Fact]
    public async Task Written_vectors_read_back_and_load_into_the_vector_index_for_live_notes_only()
    {
        var kept = await CreateAsync("kept");
        var trashed = await CreateAsync("trashed");
        await WriteAsync(kept, [[1, 0], [0, 1]]);
        await WriteAsync(trashed, [[1, 0]]);
        await _store.Notes.DeleteAsync(UserId.Local, trashed.Id, null, Ct);

        Assert.Equal([[1f, 0f], [0f, 1f]], await Index.GetVectorsAsync(kept.Id, _model, Ct));
        var index = await _store.Get<IVectorIndexProvider>().GetAsync(_model, 2, Ct);
        Assert.Equal(2, index.Count);
        Assert.Equal(1, index.NoteCount);
        Assert.Equal(kept.Id, index.Search([1, 0], 5)[0].NoteId);
        var status = await _store.Get<IIndexStore>().GetStatusAsync(UserId.Local, 10, Ct);
        Assert.Equal((1L, 1L, 0L), (status.Notes, status.Indexed, status.Pending));
    }

    [Fact]
    public async Task A_note_trashed_while_it_was_embedded_gets_its_rows_removed_instead()
    {
        var note = await CreateAsync("n");
        await WriteAsync(note, [[1, 0]]);
        await _store.Notes.DeleteAsync(UserId.Local, note.Id, null, Ct);

        Assert.Null(await WriteAsync(note, [[0, 1]]));
        Assert.Equal(["0"], await _store.RowsAsync("SELECT count(*) FROM chunks"));
    }

    [Fact]
    public async Task Topics_keep_their_note_counts_as_memberships_change_and_relations_are_scored_once()
    {
        var a = await CreateAsync("a");
        var b = await CreateAsync("b");
        await WriteAsync(a, [[1, 0]], [new("kube", "Kube", 0.5), new("helm", "Helm", 0.3)], [new("helm", "kube", 0.7, "test")]);
        await WriteAsync(b, [[0, 1]], [new("kube", "Kube", 0.7)]);

        Assert.Equal([("helm", "kube")], await Index.GetScoredPairsAsync([("helm", "kube"), ("kube", "yaml")], Ct));
        await WriteAsync(a, [[1, 0]], [new("kube", "Kube", 0.6)]);

        Assert.Equal(["kube:2"], await _store.RowsAsync("SELECT key || ':' || note_count FROM topics ORDER BY key"));
    }

    [Fact]
    public async Task Semantic_edges_are_stored_once_per_pair_and_seen_from_either_note()
    {
        var a = await CreateAsync("a");
        var b = await CreateAsync("b");
        var c = await CreateAsync("c");

        await Index.WriteSemanticEdgesAsync(b.Id, [new NoteEdge(a.Id, 0.9, "knn"), new NoteEdge(c.Id, 0.8, "knn")], [], Ct);

        Assert.Equal([b.Id], (await Index.GetSemanticEdgesAsync(a.Id, Ct)).Select(e => e.Other));
        var degrees = await Index.GetSemanticDegreesAsync([a.Id, b.Id], except: c.Id, Ct);
        Assert.Equal(1, degrees[a.Id]);
        Assert.Equal(1, degrees[b.Id]);
    }

    [Fact]
    public async Task Rebuild_queues_every_live_note_and_backfill_only_those_not_indexed()
    {
        var indexed = await CreateAsync("indexed");
        await CreateAsync("waiting");
        await ClearJobsAsync();
        await WriteAsync(indexed, [[1, 0]]);

        Assert.Equal(1, await _store.Get<IIndexStore>().BackfillAsync(Ct));
        await ClearJobsAsync();
        Assert.Equal(2, await _store.Get<IIndexStore>().RebuildAsync(UserId.Local, Ct));
        Assert.Equal(["2"], await _store.RowsAsync("SELECT count(*) FROM jobs WHERE state = 'queued'"));
    }

    private async Task<Note> CreateAsync(string title) => await _store.Notes.CreateAsync(UserId.Local, new NewNote(null, title, $"{title} text"), Ct);

    private async Task ClearJobsAsync()
    {
        var queue = _store.Get<IJobQueue>();
        await queue.CompleteAsync([.. (await queue.LeaseAsync("test", 100, Ct)).Select(j => j.Id)], Ct);
    }

    private Task<IReadOnlyList<Neptune.Core.Vectors.ChunkVector>?> WriteAsync(
        Note note, float[][] vectors, TopicToStore[]? topics = null, RelationToStore[]? relations = null) =>
        Index.WriteAsync(new NoteIndexWrite(note.Id, note.Version, _model,
            [.. vectors.Select((v, i) => new ChunkToStore(i, 0, 3, 1, v))], "test", topics ?? [], [], relations ?? []), [], Ct);
}

public sealed class SqliteNoteIndexStoreTests() : NoteIndexStoreConformance(StoreProvider.Sqlite);

public sealed class PostgresNoteIndexStoreTests() : NoteIndexStoreConformance(StoreProvider.Postgres);
