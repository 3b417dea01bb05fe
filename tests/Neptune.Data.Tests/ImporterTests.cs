using System.Text;
using Neptune.Data.Transfer;

namespace Neptune.Data.Tests;

/// <summary>Importing vaults and JSONL, notes and attachments, against SQLite and PostgreSQL alike.</summary>
public abstract class ImporterConformance(StoreProvider provider) : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "neptune-import-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Write(string relative, string text) => Write(relative, Encoding.UTF8.GetBytes(text));

    private string Write(string relative, byte[] bytes)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task A_second_vault_never_overwrites_the_first_ones_notes_or_attachments()
    {
        await using var store = await StoreFixture.CreateAsync(provider: provider);
        Write("VaultA/Welcome.md", "from A");
        Write("VaultA/img.png", [1, 2, 3]);
        Write("VaultB/Welcome.md", "from B");
        Write("VaultB/img.png", [9, 9, 9]);
        var importer = store.Get<Importer>();

        await importer.ImportAsync(Path.Combine(_root, "VaultA"), null, Ct);
        var second = await importer.ImportAsync(Path.Combine(_root, "VaultB"), null, Ct);

        Assert.Equal(1, second.Created);
        Assert.Equal(0, second.Updated);
        Assert.Contains(second.Skipped, s => s.Path == "img.png" && s.Reason.Contains("not overwritten", StringComparison.Ordinal));
        var contents = new List<string>();
        await foreach (var note in store.Notes.ReadAllAsync(UserId.Local, Ct))
        {
            contents.Add(note.Content);
        }

        Assert.Equal(["from A", "from B"], contents.Order(StringComparer.Ordinal));
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(Path.Combine(store.DataDir, "attachments", "img.png"), Ct));
    }

    [Fact]
    public async Task Re_importing_a_changed_vault_updates_its_notes_and_keeps_the_old_text_as_a_revision()
    {
        await using var store = await StoreFixture.CreateAsync(provider: provider);
        Write("Vault/Plan.md", "v1");
        var importer = store.Get<Importer>();
        await importer.ImportAsync(Path.Combine(_root, "Vault"), null, Ct);
        Write("Vault/Plan.md", "v2");

        var again = await importer.ImportAsync(Path.Combine(_root, "Vault"), null, Ct);

        Assert.Equal((0, 1), (again.Created, again.Updated));
        var note = (await store.Notes.ListAsync(UserId.Local, new Core.Notes.NoteQuery(null, null, Core.Notes.NoteSort.Title, null, 10), Ct)).Items.Single();
        Assert.Equal("v1", (await store.Notes.GetRevisionAsync(UserId.Local, note.Id, 1, Ct)).Content);
    }

    [Fact]
    public async Task A_jsonl_line_with_invalid_utf8_is_skipped_and_reported_and_the_rest_imported()
    {
        await using var store = await StoreFixture.CreateAsync(provider: provider);
        var file = Write("notes.jsonl", [
            .. """{"id":"a","title":"A","text":"first"}"""u8, (byte)'\n',
            .. """{"id":"b","title":"B","text":"caf"""u8, 0xC3, 0x28, .. "\"}"u8, (byte)'\n',
            .. """{"id":"c","title":"C","text":"third"}"""u8, (byte)'\n',
            .. "not json"u8, (byte)'\n']);

        var summary = await store.Get<Importer>().ImportAsync(file, null, Ct);

        Assert.Equal(2, summary.Created);
        Assert.Equal(["notes.jsonl:2", "notes.jsonl:4"], summary.Skipped.Select(s => s.Path));
    }

    [Fact]
    public async Task A_trashed_note_restores_even_after_a_re_import_brought_its_source_item_back()
    {
        await using var store = await StoreFixture.CreateAsync(provider: provider);
        var file = Write("one.jsonl", """{"id":"x","title":"X","text":"hello"}""" + "\n");
        var importer = store.Get<Importer>();
        await importer.ImportAsync(file, null, Ct);
        var first = (await store.Notes.ListAsync(UserId.Local, new Core.Notes.NoteQuery(null, null, Core.Notes.NoteSort.Title, null, 10), Ct)).Items.Single();
        await store.Notes.DeleteAsync(UserId.Local, first.Id, null, Ct);
        await importer.ImportAsync(file, null, Ct);

        var restored = await store.Notes.RestoreAsync(UserId.Local, first.Id, Ct);

        Assert.Null(restored.Summary.DeletedAt);
        Assert.Equal(2, (await store.Notes.ListAsync(UserId.Local, new Core.Notes.NoteQuery(null, null, Core.Notes.NoteSort.Title, null, 10), Ct)).Items.Count);
    }

    [Fact]
    public async Task Hidden_entries_and_unusable_folder_names_are_listed_as_skipped()
    {
        await using var store = await StoreFixture.CreateAsync(provider: provider);
        Write("Vault/.obsidian/app.json", "{}");
        Write("Vault/ok.md", "fine");

        var summary = await store.Get<Importer>().ImportAsync(Path.Combine(_root, "Vault"), null, Ct);

        Assert.Equal(1, summary.Created);
        Assert.Contains(summary.Skipped, s => s.Path == ".obsidian/" && s.Reason == "hidden");
    }

    [Fact]
    public async Task Export_never_writes_one_note_over_another_whose_name_differs_only_in_case()
    {
        await using var store = await StoreFixture.CreateAsync(provider: provider);
        await store.Notes.CreateAsync(UserId.Local, new NewNote(null, "Plan", "upper"), Ct);
        await store.Notes.CreateAsync(UserId.Local, new NewNote(null, "plan", "lower"), Ct);
        var target = Path.Combine(_root, "export");

        await store.Get<Exporter>().ExportAsync(target, Ct);

        var written = Directory.GetFiles(target).Select(f => File.ReadAllText(f)).Order(StringComparer.Ordinal);
        Assert.Equal(["lower", "upper"], written);
    }
}

public sealed class SqliteImporterTests() : ImporterConformance(StoreProvider.Sqlite);

public sealed class PostgresImporterTests() : ImporterConformance(StoreProvider.Postgres);
