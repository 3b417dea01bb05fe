using System.Runtime.CompilerServices;
using System.Text;
using Neptune.Core;
using Neptune.Core.Markdown;
using Neptune.Core.Notes;
using Npgsql;

namespace Neptune.Data.Postgres;

public sealed class PostgresNoteStore(PostgresDatabase db, PostgresNoteWriter writer) : INoteStore
{
    internal const string SummaryColumns =
        "n.id, n.folder_id, n.title, n.file_name, n.version, n.size_bytes, n.source_id, n.created_at, n.updated_at, n.deleted_at, " +
        "array(SELECT tag FROM note_tags t WHERE t.note_id = n.id ORDER BY tag)";

    public Task<Note> GetAsync(UserId user, long id, CancellationToken ct) => db.ReadAsync(c => GetAsync(c, null, user, id, ct), ct);

    public Task<Page<NoteSummary>> ListAsync(UserId user, NoteQuery query, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var limit = Math.Clamp(query.Limit, 1, 500);
        var (orderBy, keyColumn, descending) = query.Sort switch
        {
            NoteSort.Title => ("lower(n.title) ASC, n.id ASC", "lower(n.title)", false),
            NoteSort.Created => ("n.created_at DESC, n.id DESC", "n.created_at", true),
            _ => ("n.updated_at DESC, n.id DESC", "n.updated_at", true),
        };
        var where = new StringBuilder("n.user_id = @u AND n.deleted_at IS NULL");
        await using var command = c.Sql("").With("u", user.Value);
        if (query.FolderId is { } folderId)
        {
            where.Append(folderId == 0 ? " AND n.folder_id IS NULL" : " AND n.folder_id = @folder");
            command.With("folder", folderId);
        }

        if (!string.IsNullOrWhiteSpace(query.Tag))
        {
            where.Append(PostgresNoteFilter.TagSql);
            command.With("tag", Sqlite.TagFilter.Normalize(query.Tag));
        }

        if (query.TopicId is { } topicId)
        {
            where.Append(" AND EXISTS (SELECT 1 FROM note_topics t WHERE t.note_id = n.id AND t.topic_id = @topic)");
            command.With("topic", topicId);
        }

        if (query.Cursor is not null)
        {
            var (key, id) = NoteCursor.Decode(query.Cursor, query.Sort);
            var op = descending ? "<" : ">";
            var ck = query.Sort == NoteSort.Title ? "lower(@ck)" : "@ck";
            where.Append($" AND ({keyColumn} {op} {ck} OR ({keyColumn} = {ck} AND n.id {op} @cid))");
            command.With("ck", key).With("cid", id);
        }

        command.CommandText = $"SELECT {SummaryColumns} FROM notes n WHERE {where} ORDER BY {orderBy} LIMIT @limit";
        command.With("limit", limit + 1);
        var items = new List<NoteSummary>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                items.Add(MapSummary(reader));
            }
        }

        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(limit);
            next = NoteCursor.Encode(items[^1], query.Sort);
        }

        return new Page<NoteSummary>(items, next);
    }, ct);

    public Task<Note> CreateAsync(UserId user, NewNote note, CancellationToken ct)
    {
        writer.CheckSize(note.Content);
        if (note.Title is not null && NoteNames.ValidateName(note.Title.Trim()) is { } problem)
        {
            throw NeptuneException.Invalid("title", problem);
        }

        return db.WriteAsync(async (c, tx) =>
        {
            await PostgresFolderStore.RequireLiveFolderAsync(c, tx, user, note.FolderId, "folderId", ct);
            var stem = note.Title?.Trim() ?? NoteParser.Parse(note.Content, "Untitled").Title;
            var id = await writer.InsertAsync(c, tx, user, note.FolderId, stem, note.Content, note.SourceId, db.NowMs, ct);
            return await GetAsync(c, tx, user, id, ct);
        }, ct);
    }

    public Task<Note> UpdateAsync(UserId user, long id, long? expectedVersion, string content, string? title, CancellationToken ct)
    {
        writer.CheckSize(content);
        if (title is not null && NoteNames.ValidateName(title.Trim()) is { } problem)
        {
            throw NeptuneException.Invalid("title", problem);
        }

        return db.WriteAsync(async (c, tx) =>
        {
            var row = await PostgresNoteWriter.GetLiveAsync(c, tx, user, id, expectedVersion, ct);
            await writer.ReplaceAsync(c, tx, row, content, title?.Trim(), db.NowMs, ct);
            return await GetAsync(c, tx, user, id, ct);
        }, ct);
    }

    public Task<Note> MoveAsync(UserId user, long id, long? expectedVersion, long? folderId, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var row = await PostgresNoteWriter.GetLiveAsync(c, tx, user, id, expectedVersion, ct);
        if (row.FolderId != folderId)
        {
            await PostgresFolderStore.RequireLiveFolderAsync(c, tx, user, folderId, "folderId", ct);
            await writer.MoveAsync(c, tx, row, folderId, db.NowMs, ct);
        }

        return await GetAsync(c, tx, user, id, ct);
    }, ct);

    public Task DeleteAsync(UserId user, long id, long? expectedVersion, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var row = await PostgresNoteWriter.GetOwnedAsync(c, tx, user, id, ct);
        if (row.DeletedAt is not null)
        {
            return true;  // already in the trash: deleting is idempotent
        }

        await PostgresNoteWriter.GetLiveAsync(c, tx, user, id, expectedVersion, ct);
        await writer.TrashAsync(c, tx, id, db.NowMs, ct);
        return true;
    }, ct);

    public Task<Note> RestoreAsync(UserId user, long id, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var row = await PostgresNoteWriter.GetOwnedAsync(c, tx, user, id, ct);
        if (row.DeletedAt is not null)
        {
            await writer.UntrashAsync(c, tx, id, db.NowMs, ct);
        }

        return await GetAsync(c, tx, user, id, ct);
    }, ct);

    public Task<IReadOnlyList<NoteRevision>> ListRevisionsAsync(UserId user, long id, CancellationToken ct) => db.ReadAsync<IReadOnlyList<NoteRevision>>(async c =>
    {
        await GetAsync(c, null, user, id, ct);
        return await c.Sql("SELECT note_id, version, title, size_bytes, created_at FROM note_revisions WHERE note_id = @id ORDER BY version DESC")
            .With("id", id)
            .ListAsync(r => new NoteRevision(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetInt64(3), r.GetTime(4), null), ct);
    }, ct);

    public Task<NoteRevision> GetRevisionAsync(UserId user, long id, long version, CancellationToken ct) => db.ReadAsync(async c =>
    {
        await GetAsync(c, null, user, id, ct);
        return await GetRevisionAsync(c, null, id, version, ct);
    }, ct);

    public Task<Note> RestoreRevisionAsync(UserId user, long id, long version, long? expectedVersion, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var row = await PostgresNoteWriter.GetLiveAsync(c, tx, user, id, expectedVersion, ct);
        var revision = await GetRevisionAsync(c, tx, id, version, ct);
        var name = await c.Sql("SELECT name FROM note_revisions WHERE note_id = @id AND version = @v", tx)
            .With("id", id).With("v", version).ScalarAsync<string>(ct);
        await writer.ReplaceAsync(c, tx, row, revision.Content!, name, db.NowMs, ct);
        return await GetAsync(c, tx, user, id, ct);
    }, ct);

    public Task<IReadOnlyList<ResolvedLink>> GetBacklinksAsync(UserId user, long id, CancellationToken ct) => db.ReadAsync(async c =>
    {
        await GetAsync(c, null, user, id, ct);
        return await QueryLinksAsync(c, user, "l.target_note_id = @id AND s.deleted_at IS NULL", id, 10_000, ct);
    }, ct);

    public Task<IReadOnlyList<ResolvedLink>> GetOutgoingLinksAsync(UserId user, long id, CancellationToken ct) => db.ReadAsync(async c =>
    {
        await GetAsync(c, null, user, id, ct);
        return await QueryLinksAsync(c, user, "l.source_note_id = @id", id, 10_000, ct);
    }, ct);

    public Task<IReadOnlyList<ResolvedLink>> GetDanglingLinksAsync(UserId user, int limit, CancellationToken ct) => db.ReadAsync(c =>
        QueryLinksAsync(c, user, "l.target_note_id IS NULL AND l.target_attachment_id IS NULL AND s.deleted_at IS NULL", null, Math.Clamp(limit, 1, 10_000), ct), ct);

    public Task<IReadOnlyList<TagCount>> ListTagsAsync(UserId user, CancellationToken ct) => db.ReadAsync<IReadOnlyList<TagCount>>(async c =>
        await c.Sql("""
            SELECT t.tag, count(*)::int FROM note_tags t JOIN notes n ON n.id = t.note_id
            WHERE n.user_id = @u AND n.deleted_at IS NULL GROUP BY t.tag ORDER BY count(*) DESC, t.tag
            """).With("u", user.Value).ListAsync(r => new TagCount(r.GetString(0), r.GetInt32(1)), ct), ct);

    public Task<TrashContents> GetTrashAsync(UserId user, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var folders = await c.Sql("SELECT id, parent_id, name, created_at, updated_at, deleted_at FROM folders WHERE user_id = @u AND deleted_at IS NOT NULL ORDER BY deleted_at DESC, id")
            .With("u", user.Value).ListAsync(PostgresFolderStore.Map, ct);
        var notes = await c.Sql($"SELECT {SummaryColumns} FROM notes n WHERE n.user_id = @u AND n.deleted_at IS NOT NULL ORDER BY n.deleted_at DESC, n.id")
            .With("u", user.Value).ListAsync(MapSummary, ct);
        return new TrashContents(folders, notes);
    }, ct);

    public Task PurgeNoteAsync(UserId user, long id, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var row = await PostgresNoteWriter.GetOwnedAsync(c, tx, user, id, ct);
        if (row.DeletedAt is null)
        {
            throw new NeptuneException(ErrorKind.Conflict, $"Note {id} is not in the trash: delete it first, then purge it.");
        }

        await writer.PurgeAsync(c, tx, id, db.NowMs, ct);
        return true;
    }, ct);

    public Task<int> PurgeTrashAsync(UserId user, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var now = db.NowMs;
        // Only trashed notes: a live note is never purged, even if it somehow sits in a trashed folder
        // (then the folder delete below fails on its foreign key instead of taking the note with it).
        var notes = await c.Sql("SELECT id FROM notes WHERE user_id = @u AND deleted_at IS NOT NULL", tx).With("u", user.Value).ListAsync(r => r.GetInt64(0), ct);
        foreach (var id in notes)
        {
            await writer.PurgeAsync(c, tx, id, now, ct);
        }

        var folders = await c.Sql("DELETE FROM folders WHERE user_id = @u AND deleted_at IS NOT NULL", tx).With("u", user.Value).ExecAsync(ct);
        return notes.Count + folders;
    }, ct);

    public Task<IReadOnlyList<ImportOutcome>> ImportAsync(UserId user, IReadOnlyList<ImportedNote> notes, CancellationToken ct)
    {
        foreach (var note in notes)
        {
            writer.CheckSize(note.Content);
        }

        return db.WriteAsync<IReadOnlyList<ImportOutcome>>(async (c, tx) =>
        {
            var now = db.NowMs;
            var outcomes = new List<ImportOutcome>(notes.Count);
            var created = new List<long>(notes.Count);
            // The new notes' full-text postings are added together at the end, in key order (see migration 010).
            await c.Sql("SELECT set_config('neptune.defer_postings', 'on', true)", tx).ExecAsync(ct);
            foreach (var folderId in notes.Select(n => n.FolderId).Distinct())
            {
                await PostgresFolderStore.RequireLiveFolderAsync(c, tx, user, folderId, "folderId", ct);  // trashed while the import ran
            }

            foreach (var note in notes)
            {
                // Only the source id identifies an imported note: matching by name would let one vault overwrite another's notes.
                var existingId = note.SourceId is null ? null
                    : await c.Sql("SELECT id FROM notes WHERE user_id = @u AND source_id = @s AND deleted_at IS NULL", tx).With("u", user.Value).With("s", note.SourceId).ScalarAsync<long?>(ct);
                if (existingId is not { } id)
                {
                    created.Add(await writer.InsertAsync(c, tx, user, note.FolderId, note.FileName, note.Content, note.SourceId, now, ct));
                    outcomes.Add(ImportOutcome.Created);
                    continue;
                }

                var row = (await PostgresNoteWriter.FindAsync(c, tx, id, ct))!;
                if (row.Hash == Sqlite.NoteWriter.Hash(note.Content))
                {
                    outcomes.Add(ImportOutcome.Unchanged);
                    continue;
                }

                await writer.ReplaceAsync(c, tx, row, note.Content, null, now, ct);
                outcomes.Add(ImportOutcome.Updated);
            }

            await c.Sql("SELECT note_terms_add_notes(@ids)", tx).With("ids", created.ToArray()).ExecAsync(ct);
            return outcomes;
        }, ct);
    }

    public async IAsyncEnumerable<Note> ReadAllAsync(UserId user, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var command = connection.Sql($"SELECT {SummaryColumns}, n.content FROM notes n WHERE n.user_id = @u AND n.deleted_at IS NULL ORDER BY n.id").With("u", user.Value);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return new Note(MapSummary(reader), reader.GetString(11), []);
        }
    }

    private static async Task<Note> GetAsync(NpgsqlConnection c, NpgsqlTransaction? tx, UserId user, long id, CancellationToken ct) =>
        await c.Sql($"SELECT {SummaryColumns}, n.content FROM notes n WHERE n.id = @id AND n.user_id = @u", tx).With("id", id).With("u", user.Value)
            .FirstOrDefaultAsync(r => new Note(MapSummary(r), r.GetString(11), NoteParser.Parse(r.GetString(11), r.GetString(2)).Aliases), ct)
        ?? throw NeptuneException.NotFound("Note", id);

    private static async Task<NoteRevision> GetRevisionAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long id, long version, CancellationToken ct) =>
        await c.Sql("SELECT note_id, version, title, size_bytes, created_at, content FROM note_revisions WHERE note_id = @id AND version = @v", tx)
            .With("id", id).With("v", version)
            .FirstOrDefaultAsync(r => new NoteRevision(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetInt64(3), r.GetTime(4), r.GetString(5)), ct)
        ?? throw new NeptuneException(ErrorKind.NotFound, $"Note {id} has no revision {version}: list them at /api/notes/{id}/revisions.");

    private static async Task<IReadOnlyList<ResolvedLink>> QueryLinksAsync(NpgsqlConnection c, UserId user, string where, long? id, int limit, CancellationToken ct)
    {
        var command = c.Sql($"""
            SELECT l.source_note_id, s.title, l.kind, l.target, l.heading, l.alias, l.is_embed, l.target_note_id, t.title, a.path
            FROM links l
            JOIN notes s ON s.id = l.source_note_id
            LEFT JOIN notes t ON t.id = l.target_note_id
            LEFT JOIN attachments a ON a.id = l.target_attachment_id
            WHERE s.user_id = @u AND {where}
            ORDER BY l.source_note_id, l.ordinal
            LIMIT @limit
            """).With("u", user.Value).With("limit", limit);
        if (id is { } noteId)
        {
            command.With("id", noteId);
        }

        return await command.ListAsync(r => new ResolvedLink(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetNullableString(4),
            r.GetNullableString(5), r.GetBoolean(6), r.GetNullableInt64(7), r.GetNullableString(8), r.GetNullableString(9)), ct);
    }

    internal static NoteSummary MapSummary(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetNullableInt64(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetInt64(5), r.GetNullableString(6),
        r.GetFieldValue<string[]>(10), r.GetTime(7), r.GetTime(8), r.GetNullableTime(9));
}
