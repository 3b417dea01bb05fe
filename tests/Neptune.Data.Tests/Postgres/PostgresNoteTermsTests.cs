namespace Neptune.Data.Tests;

/// <summary>The full-text postings PostgreSQL ranks bare words from (note_terms), kept by triggers on notes.</summary>
public sealed class PostgresNoteTermsTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    // What the postings must be: one row per live note and word of its tsvector.
    private const string Drift = """
        SELECT 'missing', count(*) FROM (
            SELECT n.user_id, u.lexeme COLLATE "C", n.id, length(n.search),
                   cardinality(u.weights) - cardinality(array_positions(u.weights, 'A')), cardinality(array_positions(u.weights, 'A'))
            FROM notes n CROSS JOIN LATERAL unnest(n.search) AS u WHERE n.deleted_at IS NULL
            EXCEPT SELECT user_id, lexeme, note_id, len, tf, title_tf FROM note_terms) AS d
        UNION ALL
        SELECT 'stale', count(*) FROM (
            SELECT user_id, lexeme, note_id, len, tf, title_tf FROM note_terms
            EXCEPT SELECT n.user_id, u.lexeme COLLATE "C", n.id, length(n.search),
                   cardinality(u.weights) - cardinality(array_positions(u.weights, 'A')), cardinality(array_positions(u.weights, 'A'))
            FROM notes n CROSS JOIN LATERAL unnest(n.search) AS u WHERE n.deleted_at IS NULL) AS d
        """;

    private StoreFixture _store = null!;

    public async ValueTask InitializeAsync() => _store = await StoreFixture.CreateAsync(provider: StoreProvider.Postgres);

    public ValueTask DisposeAsync() => _store?.DisposeAsync() ?? ValueTask.CompletedTask;

    [Fact]
    public async Task Postings_follow_every_write_of_a_note()
    {
        var notes = _store.Notes;
        var deploy = await notes.CreateAsync(UserId.Local, new NewNote(null, "Deploy", "Deploy, deploy and deploy again."), Ct);
        Assert.Equal(["3|1"], await _store.RowsAsync($"SELECT tf, title_tf FROM note_terms WHERE note_id = {deploy.Id} AND lexeme = 'deploy'"));
        await AssertInSyncAsync(notes: 1);

        var other = await notes.CreateAsync(UserId.Local, new NewNote(null, "Other", "Some other words."), Ct);
        deploy = await notes.UpdateAsync(UserId.Local, deploy.Id, deploy.Version, "Now it is about rollbacks.", "Rollback", Ct);
        Assert.Empty(await _store.RowsAsync($"SELECT 1 FROM note_terms WHERE note_id = {deploy.Id} AND lexeme = 'deploy'"));
        await AssertInSyncAsync(notes: 2);

        var folder = await _store.Folders.CreateAsync(UserId.Local, null, "Ops", Ct);
        await notes.MoveAsync(UserId.Local, deploy.Id, null, folder.Id, Ct);
        await notes.DeleteAsync(UserId.Local, other.Id, null, Ct);
        await AssertInSyncAsync(notes: 1);

        await notes.RestoreAsync(UserId.Local, other.Id, Ct);
        await AssertInSyncAsync(notes: 2);

        await _store.Folders.DeleteAsync(UserId.Local, folder.Id, Ct);
        await AssertInSyncAsync(notes: 1);
        await _store.Folders.PurgeAsync(UserId.Local, folder.Id, Ct);
        await notes.DeleteAsync(UserId.Local, other.Id, null, Ct);
        await notes.PurgeNoteAsync(UserId.Local, other.Id, Ct);
        await AssertInSyncAsync(notes: 0);

        // An import adds its new notes' postings at the end of its batch; a note it also updates in that batch keeps one set.
        await notes.ImportAsync(UserId.Local, [new ImportedNote(null, "imported", "# Imported\n\nBody words.", "a.md")], Ct);
        await notes.ImportAsync(UserId.Local, [new ImportedNote(null, "imported", "# Imported\n\nOther body words.", "a.md")], Ct);
        await AssertInSyncAsync(notes: 1);
        await notes.ImportAsync(UserId.Local, [
            new ImportedNote(null, "twice", "First words.", "b.md"),
            new ImportedNote(null, "twice", "Second words.", "b.md"),
            new ImportedNote(null, "once", "Only words.", "c.md")], Ct);
        await AssertInSyncAsync(notes: 3);
        await notes.CreateAsync(UserId.Local, new NewNote(null, "After", "Written after an import."), Ct);
        await AssertInSyncAsync(notes: 4);
    }

    [Fact]
    public async Task Each_user_ranks_by_their_own_notes()
    {
        // The same notes for the built-in user, with and without another user who writes "alpha" everywhere.
        await using var alone = await StoreFixture.CreateAsync(provider: StoreProvider.Postgres);
        foreach (var store in new[] { _store, alone })
        {
            await store.Notes.CreateAsync(UserId.Local, new NewNote(null, "Alpha", "alpha beta gamma"), Ct);
            await store.Notes.CreateAsync(UserId.Local, new NewNote(null, "Beta", "beta delta and a few more words"), Ct);
            await store.Notes.CreateAsync(UserId.Local, new NewNote(null, "Gamma", "nothing in common"), Ct);
        }

        var bob = new UserId((await _store.Get<IAccountStore>().AddUserAsync("bob", Ct)).Id);
        for (var i = 0; i < 20; i++)
        {
            await _store.Notes.CreateAsync(bob, new NewNote(null, $"Bob {i}", "alpha alpha alpha, a long note of bob's with many words in it"), Ct);
        }

        var request = new SearchRequest("alpha beta", 10, null, null);
        var shared = await _store.Get<INoteSearch>().SearchAsync(UserId.Local, request, Ct);
        var own = await alone.Get<INoteSearch>().SearchAsync(UserId.Local, request, Ct);

        Assert.Equal(["Alpha", "Beta"], shared.Select(h => h.Note.Title));
        Assert.Equal(own.Select(h => (h.Note.Title, h.Score)), shared.Select(h => (h.Note.Title, h.Score)));
        Assert.Equal(20, (await _store.Get<INoteSearch>().SearchAsync(bob, new SearchRequest("alpha", 50, null, null), Ct)).Count);
    }

    [Fact]
    public async Task A_word_counted_after_the_notes_were_counted_still_scores()
    {
        var search = _store.Get<INoteSearch>();
        await _store.Notes.CreateAsync(UserId.Local, new NewNote(null, "One", "alpha"), Ct);
        Assert.Single(await search.SearchAsync(UserId.Local, new SearchRequest("alpha", 10, null, null), Ct));  // 1 note, counted for 30 s
        for (var i = 0; i < 5; i++)
        {
            await _store.Notes.CreateAsync(UserId.Local, new NewNote(null, $"Bar {i}", "bar"), Ct);
        }

        // "bar" is counted now (5 notes) against the note count of before (1): its idf must not be the log of a negative number.
        var hits = await search.SearchAsync(UserId.Local, new SearchRequest("bar", 10, null, null), Ct);

        Assert.Equal(5, hits.Count);
        Assert.All(hits, h => Assert.True(double.IsFinite(h.Score), $"score {h.Score}"));
    }

    [Fact]
    public async Task Migration_010_fills_the_postings_of_the_notes_already_there()
    {
        await _store.Notes.CreateAsync(UserId.Local, new NewNote(null, "Deploy", "Deploy on kubernetes."), Ct);
        var trashed = await _store.Notes.CreateAsync(UserId.Local, new NewNote(null, "Trashed", "Not searched."), Ct);
        await _store.Notes.DeleteAsync(UserId.Local, trashed.Id, null, Ct);
        // As a store migrated before 010.
        await _store.RowsAsync("""
            DROP FUNCTION note_terms_sync() CASCADE;
            DROP FUNCTION note_terms_add_notes(bigint[]);
            DROP FUNCTION note_terms_of(notes);
            DROP TABLE note_terms;
            DELETE FROM schema_migrations WHERE version = 10;
            """);

        Assert.Equal(["010_note_terms"], await _store.Get<IDatabase>().MigrateAsync(Ct));
        await AssertInSyncAsync(notes: 1);
        Assert.Single(await _store.Get<INoteSearch>().SearchAsync(UserId.Local, new SearchRequest("kubernetes", 10, null, null), Ct));
    }

    private async Task AssertInSyncAsync(int notes)
    {
        Assert.Equal(["missing|0", "stale|0"], await _store.RowsAsync(Drift));
        Assert.Equal([(long)notes], await _store.ScalarsAsync<long>("SELECT count(DISTINCT note_id) FROM note_terms"));
    }
}
