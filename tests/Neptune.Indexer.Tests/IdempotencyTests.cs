using Neptune.Data;

namespace Neptune.Indexer.Tests;

/// <summary>At-least-once delivery is safe: a job run again, or several jobs of one note at once, leave the same rows.</summary>
public sealed class IdempotencyTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly FakeLlm _llm = new();
    private IndexerHarness _harness = null!;
    private long[] _notes = [];

    public async ValueTask InitializeAsync()
    {
        _harness = await IndexerHarness.CreateAsync(_llm);
        _notes =
        [
            await _harness.CreateNoteAsync("Archives", "Archives bundle files. Compression shrinks archives; see [[Compression]] and [[Tapes]]."),
            await _harness.CreateNoteAsync("Compression", "Compression shrinks files and archives. Archives of files compress well."),
            await _harness.CreateNoteAsync("Tapes", "Tapes stored archives of files long before disks. See [[Archives]]."),
            await _harness.CreateNoteAsync("Networking", "Sockets carry packets between hosts; routers forward packets."),
            await _harness.CreateNoteAsync("Routing", "Routers forward packets between networks of hosts using routing tables."),
        ];
        await _harness.DrainAsync();
        // The first notes of a batch found no neighbours yet; one more pass and every note has chosen among all the others.
        await ReindexAllAsync();
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private async Task ReindexAllAsync()
    {
        foreach (var note in _notes)
        {
            await _harness.Index.ReindexAsync(UserId.Local, note, Ct);
        }

        await _harness.DrainAsync();
    }

    [Fact]
    public async Task Indexing_builds_chunks_vectors_topics_and_both_kinds_of_edges()
    {
        var tables = await IndexTables.ReadAsync(_harness);

        Assert.Equal(5, tables.NoteIndex.Count(r => r.Contains("|indexed|", StringComparison.Ordinal)));
        Assert.All(_notes, n => Assert.Contains(tables.Chunks, c => IndexTables.First(c) == n));
        Assert.Equal(tables.Chunks.Count, tables.Embeddings.Count);
        Assert.Contains($"{_notes[0]}|{_notes[1]}|link|1|link:{_notes[0]}->{_notes[1]}", tables.Edges);
        Assert.Contains($"{_notes[0]}|{_notes[2]}|link|1|link:{_notes[0]}->{_notes[2]}; link:{_notes[2]}->{_notes[0]}", tables.Edges);
        Assert.Contains(tables.Edges, e => e.Contains("|semantic|", StringComparison.Ordinal));
        Assert.All(tables.Edges, e => Assert.True(IndexTables.Column(e, 0) < IndexTables.Column(e, 1), e));
        Assert.Contains(tables.Topics, t => t.Contains("|archive|archives|", StringComparison.Ordinal));
        Assert.NotEmpty(tables.Relations);
        Assert.Empty(await _harness.RowsAsync("SELECT * FROM jobs"));
    }

    [Fact]
    public async Task Each_note_goes_to_the_llm_once_with_its_chunks_for_vectors_and_topics_together()
    {
        var sent = _llm.NoteInputs.Last(t => t.Title == "Routing");

        Assert.Equal("Routers forward packets between networks of hosts using routing tables.", sent.Content);
        Assert.Equal(["Routing\n\nRouters forward packets between networks of hosts using routing tables."], sent.Chunks);
    }

    [Fact]
    public async Task Running_a_note_job_again_leaves_every_row_as_it_was()
    {
        foreach (var note in _notes)
        {
            var before = await IndexTables.ReadAsync(_harness);
            var embedCalls = _llm.EmbedCalls;

            await _harness.Index.ReindexAsync(UserId.Local, note, Ct);  // pending: forces a full run, not the up-to-date skip
            await _harness.DrainAsync();

            Assert.Equal(embedCalls + 1, _llm.EmbedCalls);
            Assert.Equivalent(before, await IndexTables.ReadAsync(_harness), strict: true);
        }
    }

    [Fact]
    public async Task Running_every_job_again_in_one_batch_leaves_every_row_as_it_was()
    {
        var before = await IndexTables.ReadAsync(_harness);

        await ReindexAllAsync();

        Assert.Equivalent(before, await IndexTables.ReadAsync(_harness), strict: true);
    }

    [Fact]
    public async Task An_index_a_refresh_and_a_stale_remove_job_of_one_note_in_one_batch_converge_on_its_state()
    {
        var before = await IndexTables.ReadAsync(_harness);
        await _harness.Index.RefreshEdgesAsync(Ct);
        await _harness.Index.ReindexAsync(UserId.Local, _notes[1], Ct);
        var now = _harness.Time.Now.ToUnixTimeMilliseconds();
        await _harness.RowsAsync($"INSERT INTO jobs (kind, note_id, state, run_after, created_at, updated_at) VALUES ('remove_note', {_notes[1]}, 'queued', {now}, {now}, {now}) RETURNING id");

        await _harness.DrainAsync();

        Assert.Equivalent(before, await IndexTables.ReadAsync(_harness), strict: true);
        Assert.Empty(await _harness.RowsAsync("SELECT * FROM jobs"));
    }

    [Fact]
    public async Task An_up_to_date_note_is_skipped_without_embedding()
    {
        var now = _harness.Time.Now.ToUnixTimeMilliseconds();
        await _harness.RowsAsync($"INSERT INTO jobs (kind, note_id, state, run_after, created_at, updated_at) VALUES ('index_note', {_notes[3]}, 'queued', {now}, {now}, {now}) RETURNING id");
        var embedCalls = _llm.EmbedCalls;

        var batch = Assert.Single(await _harness.DrainAsync());

        Assert.Equal(1, batch.Done);
        Assert.Equal(embedCalls, _llm.EmbedCalls);
    }

    [Fact]
    public async Task Trashing_removes_every_derived_row_and_restoring_brings_them_back()
    {
        var before = await IndexTables.ReadAsync(_harness);
        await _harness.Notes.DeleteAsync(UserId.Local, _notes[2], null, Ct);
        await _harness.DrainAsync();

        var trashed = await IndexTables.ReadAsync(_harness);
        Assert.DoesNotContain(trashed.Chunks, c => IndexTables.First(c) == _notes[2]);
        Assert.DoesNotContain(trashed.Edges, e => IndexTables.Column(e, 0) == _notes[2] || IndexTables.Column(e, 1) == _notes[2]);
        Assert.DoesNotContain(trashed.NoteIndex, r => IndexTables.First(r) == _notes[2]);
        Assert.Equal(4, (await _harness.Index.GetStatusAsync(UserId.Local, 10, Ct)).Notes);

        await _harness.Notes.RestoreAsync(UserId.Local, _notes[2], Ct);
        await _harness.DrainAsync();
        var restored = await IndexTables.ReadAsync(_harness);
        Assert.Equal(before.Chunks.Count, restored.Chunks.Count);
        Assert.Equal(before.Edges.Where(e => e.Contains("|link|", StringComparison.Ordinal)), restored.Edges.Where(e => e.Contains("|link|", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Purging_a_note_before_its_remove_job_runs_keeps_topic_statistics_right()
    {
        await _harness.Notes.DeleteAsync(UserId.Local, _notes[1], null, Ct);
        await _harness.Notes.PurgeNoteAsync(UserId.Local, _notes[1], Ct);
        await _harness.DrainAsync();

        Assert.Empty(await _harness.RowsAsync("""
            SELECT t.id FROM topics t LEFT JOIN note_topics nt ON nt.topic_id = t.id
            GROUP BY t.id HAVING t.note_count <> count(nt.note_id) OR abs(t.weight_sum - coalesce(sum(nt.weight), 0)) > 1e-9 OR t.note_count = 0
            """));
    }

    [Fact]
    public async Task A_batch_prepared_while_the_one_before_is_unwritten_ends_with_the_newest_version_of_a_note_in_both()
    {
        // The worker prepares a batch while the previous one is written; an edit in between puts the note in both.
        var runner = _harness.Get<Worker.IndexJobRunner>();
        var note = _notes[3];
        await _harness.Index.ReindexAsync(UserId.Local, note, Ct);
        var first = await runner.PrepareAsync(Ct);
        var edited = await _harness.Notes.UpdateAsync(UserId.Local, note, null, "Sockets carry datagrams; firewalls drop packets between hosts.", null, Ct);
        var second = await runner.PrepareAsync(Ct);

        Assert.Equal(1, (await runner.CommitAsync(first!, TimeSpan.Zero, Ct)).Done);
        Assert.Equal(1, (await runner.CommitAsync(second!, TimeSpan.Zero, Ct)).Done);

        Assert.Equal([$"{note}|indexed|{edited.Version}"], await _harness.RowsAsync($"SELECT note_id, state, version FROM note_index WHERE note_id = {note}"));
        Assert.Contains(_llm.NoteInputs, n => n.Content.Contains("firewalls", StringComparison.Ordinal));
        Assert.Empty(await _harness.RowsAsync("SELECT * FROM jobs"));
    }

    [Fact]
    public async Task A_note_trashed_while_its_batch_is_unwritten_keeps_no_rows()
    {
        var runner = _harness.Get<Worker.IndexJobRunner>();
        var note = _notes[4];
        await _harness.Index.ReindexAsync(UserId.Local, note, Ct);
        var first = await runner.PrepareAsync(Ct);
        await _harness.Notes.DeleteAsync(UserId.Local, note, null, Ct);
        var second = await runner.PrepareAsync(Ct);  // removes the note's rows right away

        await runner.CommitAsync(first!, TimeSpan.Zero, Ct);
        await runner.CommitAsync(second!, TimeSpan.Zero, Ct);

        var tables = await IndexTables.ReadAsync(_harness);
        Assert.DoesNotContain(tables.Chunks, c => IndexTables.First(c) == note);
        Assert.DoesNotContain(tables.NoteIndex, r => IndexTables.First(r) == note);
        Assert.DoesNotContain(tables.Edges, e => IndexTables.Column(e, 0) == note || IndexTables.Column(e, 1) == note);
        Assert.Empty(await _harness.RowsAsync("SELECT * FROM jobs"));
    }
}
