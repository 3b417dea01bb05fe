using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Neptune.Core;
using Neptune.Core.Markdown;

namespace Neptune.Data.Sqlite;

/// <summary>
/// Every change to a note goes through here, inside the caller's transaction: the row, its
/// revision, names, tags, links (resolved both ways) and the indexer job. Keeping it in one
/// place is what makes "one transaction writes note + revision + links + FTS + job" true.
/// </summary>
public sealed class NoteWriter(StoreOptions options)
{
    internal sealed record Row(long Id, long UserId, long? FolderId, string Name, string FileName, string Title, string Content, string Hash, long Version, long? DeletedAt);

    public const string IndexJob = "index_note";
    public const string RemoveJob = "remove_note";

    internal static async Task<Row?> FindAsync(SqliteConnection c, SqliteTransaction tx, long id, CancellationToken ct) =>
        await c.Sql("SELECT id, user_id, folder_id, name, file_name, title, content, content_hash, version, deleted_at FROM notes WHERE id = $id", tx)
            .With("$id", id)
            .FirstOrDefaultAsync(r => new Row(r.GetInt64(0), r.GetInt64(1), r.GetNullableInt64(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7), r.GetInt64(8), r.GetNullableInt64(9)), ct);

    /// <summary>The note when <paramref name="user"/> owns it; another user's note is missing, exactly as an unknown id.</summary>
    internal static async Task<Row> GetOwnedAsync(SqliteConnection c, SqliteTransaction tx, UserId user, long id, CancellationToken ct) =>
        await FindAsync(c, tx, id, ct) is { } row && row.UserId == user.Value ? row : throw NeptuneException.NotFound("Note", id);

    internal static async Task<Row> GetLiveAsync(SqliteConnection c, SqliteTransaction tx, UserId user, long id, long? expectedVersion, CancellationToken ct)
    {
        var row = await GetOwnedAsync(c, tx, user, id, ct);
        if (row.DeletedAt is not null)
        {
            throw new NeptuneException(ErrorKind.Conflict, $"Note {id} is in the trash: restore it first.");
        }

        if (expectedVersion is { } expected && expected != row.Version)
        {
            throw new NeptuneException(ErrorKind.PreconditionFailed,
                $"Note {id} is at version {row.Version}, not {expected}: someone else changed it. Reload it, merge, and send the new ETag.");
        }

        return row;
    }

    public void CheckSize(string content)
    {
        var bytes = Encoding.UTF8.GetByteCount(content);
        if (bytes > options.MaxNoteBytes)
        {
            throw new NeptuneException(ErrorKind.TooLarge,
                $"The note is {bytes:N0} bytes; the limit is {options.MaxNoteBytes:N0} (Neptune:MaxNoteBytes). Split it into several notes.", "content");
        }
    }

    /// <summary>Creates a note. <paramref name="name"/> is its given title: the title when the content names none, and the stem of its file name.</summary>
    internal async Task<long> InsertAsync(SqliteConnection c, SqliteTransaction tx, UserId user, long? folderId, string name, string content, string? sourceId, long now, CancellationToken ct)
    {
        CheckSize(content);
        name = name.Trim();
        var fileName = await UniqueFileNameAsync(c, tx, user.Value, folderId, name, null, ct);
        var parsed = NoteParser.Parse(content, name);
        var id = await c.Sql("""
            INSERT INTO notes (user_id, folder_id, name, file_name, title, content, content_hash, size_bytes, version, source_id, created_at, updated_at)
            VALUES ($u, $f, $name, $fn, $t, $c, $h, $s, 1, $src, $now, $now)
            RETURNING id
            """, tx)
            .With("$u", user.Value).With("$f", folderId).With("$name", name).With("$fn", fileName).With("$t", parsed.Title).With("$c", content)
            .With("$h", Hash(content)).With("$s", Encoding.UTF8.GetByteCount(content)).With("$src", sourceId).With("$now", now)
            .ScalarAsync<long>(ct);
        await WriteDerivedAsync(c, tx, user.Value, id, folderId, name, fileName, parsed, ct);
        await EnqueueAsync(c, tx, IndexJob, id, now, ct);
        return id;
    }

    /// <summary>Writes new content and/or name as the next version, keeping the current one as a revision.</summary>
    internal async Task ReplaceAsync(SqliteConnection c, SqliteTransaction tx, Row current, string content, string? newName, long now, CancellationToken ct)
    {
        CheckSize(content);
        var name = newName?.Trim() ?? current.Name;
        var fileName = name == current.Name
            ? current.FileName
            : await UniqueFileNameAsync(c, tx, current.UserId, current.FolderId, name, current.Id, ct);
        var hash = Hash(content);
        if (hash == current.Hash && name == current.Name)
        {
            return;
        }

        await c.Sql("""
            INSERT INTO note_revisions (note_id, version, title, name, content, content_hash, size_bytes, created_at)
            SELECT id, version, title, name, content, content_hash, size_bytes, updated_at FROM notes WHERE id = $id
            """, tx).With("$id", current.Id).ExecAsync(ct);
        await c.Sql("""
            DELETE FROM note_revisions WHERE note_id = $id AND id NOT IN (
                SELECT id FROM note_revisions WHERE note_id = $id ORDER BY version DESC LIMIT $keep)
            """, tx).With("$id", current.Id).With("$keep", options.MaxRevisions).ExecAsync(ct);

        var parsed = NoteParser.Parse(content, name);
        await c.Sql("""
            UPDATE notes SET name = $name, file_name = $fn, title = $t, content = $c, content_hash = $h, size_bytes = $s,
                             version = version + 1, updated_at = $now
            WHERE id = $id
            """, tx)
            .With("$name", name).With("$fn", fileName).With("$t", parsed.Title).With("$c", content).With("$h", hash)
            .With("$s", Encoding.UTF8.GetByteCount(content)).With("$now", now).With("$id", current.Id).ExecAsync(ct);
        await WriteDerivedAsync(c, tx, current.UserId, current.Id, current.FolderId, name, fileName, parsed, ct);
        await EnqueueAsync(c, tx, IndexJob, current.Id, now, ct);
    }

    internal async Task MoveAsync(SqliteConnection c, SqliteTransaction tx, Row current, long? folderId, long now, CancellationToken ct)
    {
        var fileName = await UniqueFileNameAsync(c, tx, current.UserId, folderId, current.FileName, current.Id, ct);
        await c.Sql("UPDATE notes SET folder_id = $f, file_name = $fn, version = version + 1, updated_at = $now WHERE id = $id", tx)
            .With("$f", folderId).With("$fn", fileName).With("$now", now).With("$id", current.Id).ExecAsync(ct);
        var parsed = NoteParser.Parse(current.Content, current.Name);
        await WriteDerivedAsync(c, tx, current.UserId, current.Id, folderId, current.Name, fileName, parsed, ct);
        await EnqueueAsync(c, tx, IndexJob, current.Id, now, ct);
    }

    internal async Task TrashAsync(SqliteConnection c, SqliteTransaction tx, long id, long now, CancellationToken ct)
    {
        var owner = await c.Sql("UPDATE notes SET deleted_at = $now WHERE id = $id RETURNING user_id", tx).With("$now", now).With("$id", id).ScalarAsync<long>(ct);
        await new LinkResolver(c, tx, owner).ReresolveIncomingAsync(id, [], ct);
        await EnqueueAsync(c, tx, RemoveJob, id, now, ct);
    }

    internal async Task UntrashAsync(SqliteConnection c, SqliteTransaction tx, long id, long now, CancellationToken ct)
    {
        var row = await FindAsync(c, tx, id, ct) ?? throw NeptuneException.NotFound("Note", id);
        var folderId = row.FolderId;
        if (folderId is { } f && await c.Sql("SELECT deleted_at IS NOT NULL FROM folders WHERE id = $f", tx).With("$f", f).ScalarAsync<long>(ct) == 1)
        {
            folderId = null;  // its folder is still in the trash: bring the note back at the top level
        }

        var fileName = await UniqueFileNameAsync(c, tx, row.UserId, folderId, row.FileName, id, ct);
        // A re-import may have brought the same source item back as a new live note meanwhile: that one keeps the
        // source id (re-imports update it); the restored note comes back as a plain note, content untouched.
        await c.Sql("""
            UPDATE notes SET source_id = NULL
            WHERE id = $id AND EXISTS (SELECT 1 FROM notes o WHERE o.user_id = notes.user_id AND o.source_id = notes.source_id AND o.deleted_at IS NULL AND o.id <> $id)
            """, tx).With("$id", id).ExecAsync(ct);
        await c.Sql("UPDATE notes SET deleted_at = NULL, folder_id = $f, file_name = $fn, updated_at = $now WHERE id = $id", tx)
            .With("$f", folderId).With("$fn", fileName).With("$now", now).With("$id", id).ExecAsync(ct);
        var parsed = NoteParser.Parse(row.Content, row.Name);
        await WriteDerivedAsync(c, tx, row.UserId, id, folderId, row.Name, fileName, parsed, ct);
        await EnqueueAsync(c, tx, IndexJob, id, now, ct);
    }

    internal async Task PurgeAsync(SqliteConnection c, SqliteTransaction tx, long id, long now, CancellationToken ct)
    {
        await IndexRows.DropTopicsAsync(c, tx, id, now, ct);  // the cascade below would skip the topic statistics
        await c.Sql("DELETE FROM notes WHERE id = $id", tx).With("$id", id).ExecAsync(ct);
        await EnqueueAsync(c, tx, RemoveJob, id, now, ct);
    }

    private static async Task WriteDerivedAsync(SqliteConnection c, SqliteTransaction tx, long owner, long id, long? folderId, string name, string fileName, ParsedNote parsed, CancellationToken ct)
    {
        var keys = new List<(string Key, int Kind)> { (LinkKey.Normalize(fileName), 0), (LinkKey.Normalize(name), 0), (LinkKey.Normalize(parsed.Title), 1) };
        keys.AddRange(parsed.Aliases.Select(a => (LinkKey.Normalize(a), 2)));
        keys = [.. keys.Where(k => k.Key.Length > 0).Distinct()];

        await c.Sql("DELETE FROM note_names WHERE note_id = $id; DELETE FROM note_tags WHERE note_id = $id; DELETE FROM links WHERE source_note_id = $id;", tx)
            .With("$id", id).ExecAsync(ct);
        foreach (var (key, kind) in keys)
        {
            await c.Sql("INSERT OR IGNORE INTO note_names (note_id, key, kind) VALUES ($id, $k, $kind)", tx)
                .With("$id", id).With("$k", key).With("$kind", kind).ExecAsync(ct);
        }

        foreach (var tag in parsed.Tags)
        {
            await c.Sql("INSERT OR IGNORE INTO note_tags (note_id, tag) VALUES ($id, $tag)", tx).With("$id", id).With("$tag", tag).ExecAsync(ct);
        }

        var resolver = new LinkResolver(c, tx, owner);
        for (var i = 0; i < parsed.Links.Count; i++)
        {
            var link = parsed.Links[i];
            var (noteId, attachmentId) = await resolver.ResolveAsync(link.Target, link.IsAttachment, folderId, ct);
            await c.Sql("""
                INSERT INTO links (source_note_id, ordinal, kind, target, target_key, heading, alias, is_embed, is_attachment, target_note_id, target_attachment_id)
                VALUES ($src, $ord, $kind, $target, $key, $heading, $alias, $embed, $att, $tn, $ta)
                """, tx)
                .With("$src", id).With("$ord", i).With("$kind", link.Kind == LinkKind.Wiki ? "wiki" : "markdown")
                .With("$target", link.Target).With("$key", LinkKey.Normalize(link.Target)).With("$heading", link.Heading)
                .With("$alias", link.Alias).With("$embed", link.IsEmbed).With("$att", link.IsAttachment)
                .With("$tn", noteId).With("$ta", attachmentId).ExecAsync(ct);
        }

        await resolver.ReresolveIncomingAsync(id, keys.Select(k => k.Key).ToList(), ct);
    }

    internal static async Task EnqueueAsync(SqliteConnection c, SqliteTransaction tx, string kind, long noteId, long now, CancellationToken ct)
    {
        // A remove supersedes a pending index, and the other way round.
        await c.Sql("DELETE FROM jobs WHERE note_id = $n AND state = 'queued' AND kind <> $k", tx).With("$n", noteId).With("$k", kind).ExecAsync(ct);
        await c.Sql("""
            INSERT INTO jobs (kind, note_id, state, run_after, created_at, updated_at)
            VALUES ($k, $n, 'queued', $now, $now, $now)
            ON CONFLICT (kind, note_id) WHERE state = 'queued' DO UPDATE SET updated_at = excluded.updated_at
            """, tx).With("$k", kind).With("$n", noteId).With("$now", now).ExecAsync(ct);
        if (kind == IndexJob)
        {
            await IndexRows.MarkPendingAsync(c, tx, noteId, now, ct);
        }
    }

    internal static async Task<string> UniqueFileNameAsync(SqliteConnection c, SqliteTransaction tx, long owner, long? folderId, string stem, long? except, CancellationToken ct)
    {
        stem = NoteNames.ToFileName(stem);
        // "stem" and "stem (n)" only, as a range of the file-name index: a scan of the folder per insert made imports quadratic.
        var taken = (await c.Sql("""
            SELECT file_name FROM notes INDEXED BY ux_notes_folder_file
            WHERE user_id = $u AND ifnull(folder_id, 0) = ifnull($f, 0) AND deleted_at IS NULL AND id <> ifnull($x, 0)
              AND file_name >= $s AND file_name < $to
            """, tx)
            .With("$u", owner).With("$f", folderId).With("$x", except).With("$s", stem).With("$to", stem + " )")
            .ListAsync(r => r.GetString(0), ct)).ToHashSet(StringComparer.Ordinal);
        if (!taken.Contains(stem))
        {
            return stem;
        }

        for (var n = 2; ; n++)
        {
            var candidate = $"{stem} ({n})";
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    public static string Hash(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
}
