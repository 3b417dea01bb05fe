using Neptune.Core;
using Neptune.Core.Graph;

namespace Neptune.Data.Tests;

/// <summary>The model registry and the stored knowledge graph, against SQLite and PostgreSQL alike.</summary>
public abstract class ModelAndGraphStoreConformance(StoreProvider provider) : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private StoreFixture _store = null!;

    public async ValueTask InitializeAsync() => _store = await StoreFixture.CreateAsync(provider: provider);

    public ValueTask DisposeAsync() => _store?.DisposeAsync() ?? ValueTask.CompletedTask;  // null when skipped in InitializeAsync

    private IModelStore Models => _store.Get<IModelStore>();

    [Fact]
    public async Task Registering_a_model_twice_finds_it_and_a_changed_size_is_refused()
    {
        var first = await Models.RegisterAsync(new ModelIdentity("onnx", "mini", "sha256:aa", 384), Ct);
        var again = await Models.RegisterAsync(new ModelIdentity("onnx", "mini", "sha256:aa", 384), Ct);

        Assert.Equal(first.Id, again.Id);
        Assert.False(again.Active);
        var error = await Assert.ThrowsAsync<NeptuneException>(() => Models.RegisterAsync(new ModelIdentity("onnx", "mini", "sha256:aa", 768), Ct));
        Assert.Equal(ErrorKind.Conflict, error.Kind);
    }

    [Fact]
    public async Task Activating_a_model_deactivates_the_other_and_queues_every_live_note_once()
    {
        var a = await Models.RegisterAsync(new ModelIdentity("onnx", "mini", "sha256:aa", 384), Ct);
        var b = await Models.RegisterAsync(new ModelIdentity("ollama", "nomic-embed-text", "sha256:bb", 768), Ct);
        var kept = await _store.Notes.CreateAsync(UserId.Local, new NewNote(null, "kept", "x"), Ct);
        var trashed = await _store.Notes.CreateAsync(UserId.Local, new NewNote(null, "trashed", "y"), Ct);
        await _store.Notes.DeleteAsync(UserId.Local, trashed.Id, null, Ct);
        var queue = _store.Get<IJobQueue>();
        await queue.CompleteAsync([.. (await queue.LeaseAsync("w", 10, Ct)).Select(j => j.Id)], Ct);

        await Models.ActivateAsync(a.Id, Ct);
        var activation = await Models.ActivateAsync(b.Id, Ct);

        Assert.True(activation.Changed);
        Assert.Equal(b.Id, (await Models.GetActiveAsync(Ct))!.Id);
        Assert.Equal([$"index_note:{kept.Id}"], await _store.RowsAsync("SELECT kind || ':' || note_id FROM jobs WHERE state = 'queued'"));
        Assert.False((await Models.ActivateAsync(b.Id, Ct)).Changed);
    }

    [Fact]
    public async Task The_graph_holds_edges_of_live_notes_with_their_topics()
    {
        var a = await _store.Notes.CreateAsync(UserId.Local, new NewNote(null, "a", "x"), Ct);
        var b = await _store.Notes.CreateAsync(UserId.Local, new NewNote(null, "b", "y"), Ct);
        var gone = await _store.Notes.CreateAsync(UserId.Local, new NewNote(null, "gone", "z"), Ct);
        await _store.RowsAsync($"""
            INSERT INTO topics (id, key, label, note_count, weight_sum, created_at, updated_at) VALUES (1, 'kube', 'Kube', 1, 0.9, 0, 0);
            INSERT INTO note_topics (note_id, topic_id, weight, source) VALUES ({a.Id}, 1, 0.9, 'keyphrase');
            INSERT INTO note_edges (a, b, kind, weight, provenance) VALUES ({a.Id}, {b.Id}, 'link', 1.0, 'a→b');
            INSERT INTO note_edges (a, b, kind, weight, provenance) VALUES ({b.Id}, {gone.Id}, 'semantic', 0.8, 'knn');
            """);
        await _store.Notes.DeleteAsync(UserId.Local, gone.Id, null, Ct);

        var graph = await _store.Get<IGraphStore>().LoadAsync(UserId.Local, 0.5, null, Ct);

        Assert.Equal(["link", "membership"], graph.Edges.Select(e => e.Kind).Order(StringComparer.Ordinal));
        Assert.Equal(1, graph.Nodes[NodeRef.Note(a.Id)].TopicId);
        Assert.Equal("Kube", graph.Nodes[NodeRef.Topic(1)].Label);
        Assert.False(graph.Nodes.ContainsKey(NodeRef.Note(gone.Id)));
    }

    [Fact]
    public async Task Every_graph_write_moves_the_graph_version_and_other_writes_do_not()
    {
        var graphs = _store.Get<IGraphStore>();
        var a = await _store.Notes.CreateAsync(UserId.Local, new NewNote(null, "a", "x"), Ct);
        var b = await _store.Notes.CreateAsync(UserId.Local, new NewNote(null, "b", "y"), Ct);
        var versions = new List<long> { await graphs.VersionAsync(Ct) };
        async Task Moved(string what, Func<Task> write)
        {
            await write();
            var now = await graphs.VersionAsync(Ct);
            Assert.True(now != versions[^1], $"{what} left the graph version at {now}");
            versions.Add(now);
        }

        await Moved("an edge", () => _store.RowsAsync($"INSERT INTO note_edges (a, b, kind, weight, provenance) VALUES ({a.Id}, {b.Id}, 'link', 1.0, 'a→b')"));
        await Moved("a reweighed edge", () => _store.RowsAsync("UPDATE note_edges SET weight = 0.5"));
        await Moved("a topic", () => _store.RowsAsync("INSERT INTO topics (id, key, label, note_count, weight_sum, created_at, updated_at) VALUES (1, 'kube', 'Kube', 0, 0, 0, 0)"));
        await Moved("a membership", () => _store.RowsAsync($"INSERT INTO note_topics (note_id, topic_id, weight, source) VALUES ({a.Id}, 1, 0.9, 'keyphrase')"));
        await Moved("a relabelled topic", () => _store.RowsAsync("UPDATE topics SET label = 'Kubernetes' WHERE id = 1"));
        await Moved("a retitled note", () => _store.Notes.UpdateAsync(UserId.Local, b.Id, null, "# b2\n\ny", null, Ct));
        await Moved("a trashed note", () => _store.Notes.DeleteAsync(UserId.Local, b.Id, null, Ct));
        await Moved("a restored note", () => _store.Notes.RestoreAsync(UserId.Local, b.Id, Ct));
        await Moved("a removed edge", () => _store.RowsAsync("DELETE FROM note_edges"));

        // Statistics the graph does not show leave it alone, so readers keep their copy.
        var before = await graphs.VersionAsync(Ct);
        await _store.RowsAsync("UPDATE topics SET note_count = 5");
        Assert.Equal(before, await graphs.VersionAsync(Ct));
    }
}

public sealed class SqliteModelAndGraphStoreTests() : ModelAndGraphStoreConformance(StoreProvider.Sqlite);

public sealed class PostgresModelAndGraphStoreTests() : ModelAndGraphStoreConformance(StoreProvider.Postgres);
