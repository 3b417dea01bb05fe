using Neptune.Core;
using Neptune.Core.Notes;
using Neptune.Data.Sqlite;
using Neptune.Data.Storage;

namespace Neptune.Data.Tests.Storage;

/// <summary>Note text in modes db, dual and s3 on the real S3 server (radosgw), for both databases.</summary>
public sealed class NoteContentStorageTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    public static TheoryData<string, StoreProvider> Modes => new()
    {
        { "db", StoreProvider.Sqlite }, { "dual", StoreProvider.Sqlite }, { "s3", StoreProvider.Sqlite },
        { "db", StoreProvider.Postgres }, { "dual", StoreProvider.Postgres }, { "s3", StoreProvider.Postgres },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Each_mode_round_trips_note_text_and_keeps_every_version_where_it_says(string mode, StoreProvider provider)
    {
        await using var s3 = await S3Store.CreateAsync(mode, provider);
        var notes = s3.Store.Notes;

        var created = await notes.CreateAsync(UserId.Local, new NewNote(null, "Plan", "# Plan\nfirst ✓ ünïcode"), Ct);
        var updated = await notes.UpdateAsync(UserId.Local, created.Id, created.Version, "# Plan\nsecond", null, Ct);
        var restored = await notes.RestoreRevisionAsync(UserId.Local, created.Id, 1, updated.Version, Ct);

        Assert.Equal("# Plan\nfirst ✓ ünïcode", (await notes.GetAsync(UserId.Local, created.Id, Ct)).Content);
        Assert.Equal(3, restored.Version);
        var keys = await s3.KeysAsync();
        if (mode == "db")
        {
            Assert.Empty(keys);
            return;
        }

        var first = $"{s3.Prefix}/notes/{NoteWriter.Hash("# Plan\nfirst ✓ ünïcode")}.md";
        var second = $"{s3.Prefix}/notes/{NoteWriter.Hash("# Plan\nsecond")}.md";
        Assert.Equal([first, second], keys.Order(StringComparer.Ordinal));
        Assert.Equal("# Plan\nfirst ✓ ünïcode", await s3.ReadAsync(first));
        Assert.Equal("# Plan\nsecond", await s3.ReadAsync(second));
    }

    [Theory]
    [InlineData("dual")]
    [InlineData("s3")]
    public async Task A_read_repairs_an_object_deleted_or_changed_behind_neptunes_back(string mode)
    {
        await using var s3 = await S3Store.CreateAsync(mode, StoreProvider.Postgres);
        var note = await s3.Store.Notes.CreateAsync(UserId.Local, new NewNote(null, "Keep", "the words the user wrote"), Ct);
        var key = $"{s3.Prefix}/notes/{NoteWriter.Hash(note.Content)}.md";

        await s3.DeleteAsync(key);
        Assert.Equal("the words the user wrote", (await s3.Store.Notes.GetAsync(UserId.Local, note.Id, Ct)).Content);
        Assert.Equal("the words the user wrote", await s3.ReadAsync(key));

        await s3.WriteAsync(key, "tampered");
        Assert.Equal("the words the user wrote", (await s3.Store.Notes.GetAsync(UserId.Local, note.Id, Ct)).Content);
        Assert.Equal("the words the user wrote", await s3.ReadAsync(key));
    }

    [Fact]
    public async Task Mode_s3_refuses_a_write_object_storage_did_not_take_and_commits_nothing()
    {
        await using var s3 = await S3Store.CreateAsync("s3", StoreProvider.Sqlite, endpoint: "http://127.0.0.1:1");

        var failure = await Assert.ThrowsAsync<NeptuneException>(() => s3.Store.Notes.CreateAsync(UserId.Local, new NewNote(null, "Lost?", "not lost"), Ct));

        Assert.Equal(ErrorKind.Unavailable, failure.Kind);
        Assert.Contains("Nothing was written", failure.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1", failure.Message, StringComparison.Ordinal);
        Assert.Empty((await s3.Store.Notes.ListAsync(UserId.Local, new NoteQuery(null, null, NoteSort.Updated, null, 10), Ct)).Items);
    }

    [Fact]
    public async Task Mode_s3_reads_degrade_to_the_database_copy_when_object_storage_is_down()
    {
        await using var s3 = await S3Store.CreateAsync("s3");
        var note = await s3.Store.Notes.CreateAsync(UserId.Local, new NewNote(null, "Note", "still readable"), Ct);

        var down = Over(s3, StorageMode.S3, "http://127.0.0.1:1");

        Assert.Equal("still readable", (await down.GetAsync(UserId.Local, note.Id, Ct)).Content);
    }

    [Fact]
    public async Task Mode_dual_saves_while_object_storage_is_down_and_the_next_read_mirrors_the_note()
    {
        await using var s3 = await S3Store.CreateAsync("dual");
        var down = Over(s3, StorageMode.Dual, "http://127.0.0.1:1");

        var note = await down.CreateAsync(UserId.Local, new NewNote(null, "Saved", "saved in the database"), Ct);
        Assert.Equal("saved in the database", (await down.GetAsync(UserId.Local, note.Id, Ct)).Content);
        Assert.Empty(await s3.KeysAsync());

        // Object storage is back: the next read mirrors what the outage missed.
        Assert.Equal("saved in the database", (await s3.Store.Notes.GetAsync(UserId.Local, note.Id, Ct)).Content);
        Assert.Equal("saved in the database", await s3.ReadAsync($"{s3.Prefix}/notes/{NoteWriter.Hash("saved in the database")}.md"));
    }

    /// <summary>The same database, seen through object storage at <paramref name="endpoint"/> (a port nobody listens on: down).</summary>
    private static ObjectStoredNotes Over(S3Store s3, StorageMode mode, string endpoint)
    {
        var options = new StorageOptions
        {
            Mode = mode.ToString(),
            S3 = new S3Settings { Endpoint = endpoint, AccessKey = "a", SecretKey = "b", Bucket = s3.Bucket, Prefix = s3.Prefix, MaxRetries = 0, TimeoutSeconds = 5 },
        };
        return new ObjectStoredNotes(s3.Store.Get<SqliteNoteStore>(), new S3ObjectStore(options), mode, s3.Store.Get<StoreOptions>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ObjectStoredNotes>.Instance);
    }
}
