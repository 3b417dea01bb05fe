using Microsoft.Data.Sqlite;
using Neptune.Core;
using Neptune.Core.Notes;

namespace Neptune.Data.Tests;

/// <summary>
/// What every note and folder store must do, whichever database holds it: run against SQLite
/// (<see cref="SqliteNoteStoreTests"/>) and PostgreSQL (<see cref="PostgresNoteStoreTests"/>) alike.
/// </summary>
public abstract class NoteStoreConformance(StoreProvider provider)
{
    protected static readonly CancellationToken Ct = CancellationToken.None;

    protected Task<StoreFixture> CreateStoreAsync(Dictionary<string, string?>? settings = null) =>
        StoreFixture.CreateAsync(settings, provider: provider);

    [Fact]
    public async Task Only_the_last_N_revisions_are_kept()
    {
        await using var store = await CreateStoreAsync(new() { ["Neptune:MaxRevisions"] = "3" });
        var note = await store.Notes.CreateAsync(UserId.Local, new NewNote(null, "n", "v1"), Ct);
        for (var v = 2; v <= 6; v++)
        {
            note = await store.Notes.UpdateAsync(UserId.Local, note.Id, note.Version, $"v{v}", null, Ct);
        }

        var revisions = await store.Notes.ListRevisionsAsync(UserId.Local, note.Id, Ct);

        Assert.Equal([5L, 4L, 3L], revisions.Select(r => r.Version));
        Assert.Equal("v5", (await store.Notes.GetRevisionAsync(UserId.Local, note.Id, 5, Ct)).Content);
    }

    [Fact]
    public async Task Saving_identical_content_creates_no_new_version()
    {
        await using var store = await CreateStoreAsync();
        var note = await store.Notes.CreateAsync(UserId.Local, new NewNote(null, "n", "same"), Ct);

        var again = await store.Notes.UpdateAsync(UserId.Local, note.Id, 1, "same", null, Ct);

        Assert.Equal(1, again.Version);
        Assert.Empty(await store.Notes.ListRevisionsAsync(UserId.Local, note.Id, Ct));
    }

    [Fact]
    public async Task Every_note_change_writes_an_index_job_in_the_same_transaction()
    {
        await using var store = await CreateStoreAsync();
        var note = await store.Notes.CreateAsync(UserId.Local, new NewNote(null, "n", "v1"), Ct);
        await store.Notes.UpdateAsync(UserId.Local, note.Id, 1, "v2", null, Ct);
        var other = await store.Notes.CreateAsync(UserId.Local, new NewNote(null, "m", "x"), Ct);
        await store.Notes.DeleteAsync(UserId.Local, other.Id, null, Ct);

        var jobs = await QueryAsync(store, "SELECT kind || ':' || note_id FROM jobs WHERE state = 'queued' ORDER BY note_id");

        // Edits of one note coalesce into one queued job; a delete replaces a pending index job.
        Assert.Equal([$"index_note:{note.Id}", $"remove_note:{other.Id}"], jobs);
    }

    [Fact]
    public async Task Names_collide_into_numbered_file_names_within_a_folder()
    {
        await using var store = await CreateStoreAsync();
        var a = await store.Notes.CreateAsync(UserId.Local, new NewNote(null, "printf", "section 1"), Ct);
        var b = await store.Notes.CreateAsync(UserId.Local, new NewNote(null, "printf", "section 3"), Ct);

        Assert.Equal("printf", a.Summary.FileName);
        Assert.Equal("printf (2)", b.Summary.FileName);
        Assert.Equal("printf", b.Summary.Title);
    }

    [Fact]
    public async Task Links_prefer_the_note_in_the_folder_the_link_names()
    {
        await using var store = await CreateStoreAsync();
        var work = await store.Folders.CreateAsync(UserId.Local, null, "Work", Ct);
        var home = await store.Folders.CreateAsync(UserId.Local, null, "Home", Ct);
        await store.Notes.CreateAsync(UserId.Local, new NewNote(work.Id, "Plan", "work plan"), Ct);
        var homePlan = await store.Notes.CreateAsync(UserId.Local, new NewNote(home.Id, "Plan", "home plan"), Ct);

        var source = await store.Notes.CreateAsync(UserId.Local, new NewNote(null, "src", "[[Home/Plan]]"), Ct);

        Assert.Equal(homePlan.Id, Assert.Single(await store.Notes.GetOutgoingLinksAsync(UserId.Local, source.Id, Ct)).TargetNoteId);
    }

    [Fact]
    public async Task Concurrent_writers_never_lose_an_acknowledged_update()
    {
        await using var store = await CreateStoreAsync();
        var notes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.Notes.CreateAsync(UserId.Local, new NewNote(null, $"n{i}", "0"), Ct)));

        await Task.WhenAll(notes.Select(n => Task.Run(async () =>
        {
            var version = n.Version;
            for (var i = 1; i <= 10; i++)
            {
                version = (await store.Notes.UpdateAsync(UserId.Local, n.Id, version, i.ToString(System.Globalization.CultureInfo.InvariantCulture), null, Ct)).Version;
            }
        })));

        foreach (var note in notes)
        {
            var current = await store.Notes.GetAsync(UserId.Local, note.Id, Ct);
            Assert.Equal("10", current.Content);
            Assert.Equal(11, current.Version);
        }
    }

    [Fact]
    public async Task A_failed_write_leaves_nothing_behind()
    {
        await using var store = await CreateStoreAsync(new() { ["Neptune:MaxNoteBytes"] = "2048" });
        var before = await store.Get<IDatabase>().GetCountsAsync(UserId.Local, Ct);

        await Assert.ThrowsAsync<NeptuneException>(() => store.Notes.ImportAsync(UserId.Local, 
            [new ImportedNote(null, "ok", "fine", null), new ImportedNote(null, "big", new string('x', 4096), null)], Ct));

        var after = await store.Get<IDatabase>().GetCountsAsync(UserId.Local, Ct);
        Assert.Equal(before.Notes, after.Notes);
        Assert.Equal(before.QueuedJobs, after.QueuedJobs);
    }

    [Fact]
    public async Task Migrations_are_idempotent_and_ready_reports_current_schema()
    {
        await using var store = await CreateStoreAsync();

        Assert.Empty(await store.Get<IDatabase>().MigrateAsync(Ct));
        Assert.Null(await store.Get<IDatabase>().CheckReadyAsync(Ct));
    }

    [Fact]
    public async Task Folder_restore_returns_to_top_level_when_its_parent_is_still_in_the_trash()
    {
        await using var store = await CreateStoreAsync();
        var parent = await store.Folders.CreateAsync(UserId.Local, null, "Parent", Ct);
        var child = await store.Folders.CreateAsync(UserId.Local, parent.Id, "Child", Ct);
        await store.Folders.DeleteAsync(UserId.Local, parent.Id, Ct);

        var restored = await store.Folders.RestoreAsync(UserId.Local, child.Id, Ct);

        Assert.Null(restored.ParentId);
        Assert.Null(restored.DeletedAt);
    }

    [Fact]
    public async Task Listing_sorted_by_title_pages_in_order()
    {
        await using var store = await CreateStoreAsync();
        foreach (var name in new[] { "delta", "Alpha", "charlie", "bravo", "echo" })
        {
            await store.Notes.CreateAsync(UserId.Local, new NewNote(null, name, name), Ct);
        }

        var titles = new List<string>();
        string? cursor = null;
        do
        {
            var page = await store.Notes.ListAsync(UserId.Local, new NoteQuery(null, null, NoteSort.Title, cursor, 2), Ct);
            titles.AddRange(page.Items.Select(n => n.Title));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(["Alpha", "bravo", "charlie", "delta", "echo"], titles);
    }

    private static Task<List<string>> QueryAsync(StoreFixture store, string sql) => store.RowsAsync(sql);
}

public sealed class SqliteNoteStoreTests() : NoteStoreConformance(StoreProvider.Sqlite)
{
    [Fact]
    public async Task Database_runs_in_wal_mode()
    {
        await using var store = await CreateStoreAsync();

        Assert.Equal(["wal"], await store.RowsAsync("PRAGMA journal_mode"));
    }
}

public sealed class PostgresNoteStoreTests() : NoteStoreConformance(StoreProvider.Postgres)
{
    [Fact]
    public async Task Notes_are_searchable_through_the_weighted_tsvector()
    {
        await using var store = await CreateStoreAsync();
        await store.Notes.CreateAsync(UserId.Local, new NewNote(null, "Tea", "Notes about the cafe downstairs."), Ct);
        await store.Notes.CreateAsync(UserId.Local, new NewNote(null, "Café recipes", "How to brew coffee."), Ct);

        // Accents fold, and a title word (weight A) ranks above a body word (weight B).
        var ranked = await store.RowsAsync("""
            SELECT title FROM notes
            WHERE deleted_at IS NULL AND search @@ to_tsquery('neptune', 'cafe')
            ORDER BY ts_rank(search, to_tsquery('neptune', 'cafe')) DESC
            """);

        Assert.Equal(["Café recipes", "Tea"], ranked);
    }
}
