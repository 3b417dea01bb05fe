using Microsoft.Data.Sqlite;
using Neptune.Core.Markdown;

namespace Neptune.Data.Sqlite;

/// <summary>
/// Resolves a link target to a live note (by file name, title or alias, in that order of
/// preference) or to an attachment (by path relative to the note, else by file name).
/// Ties go to the note in the folder the link names, then the linking note's folder, then the oldest.
/// Only <c>owner</c>'s notes and attachments are candidates, and only their links are re-resolved: links never cross users.
/// </summary>
internal sealed class LinkResolver(SqliteConnection c, SqliteTransaction tx, long owner)
{
    // "+n.user_id" keeps SQLite's planner off the owner index in both queries: without statistics it took user_id = ? for
    // a selective lookup and walked every note of the owner per link, so importing 20k notes took 31 s instead of 11.
    // The owner is checked on the few notes the names or links lead to.

    /// <summary>The notes a link key names, of the kind that names it best (file name or title, then alias).</summary>
    internal const string ResolveSql = """
        SELECT nn.note_id, n.folder_id FROM note_names nn JOIN notes n ON n.id = nn.note_id
        WHERE nn.key = $key AND n.deleted_at IS NULL AND +n.user_id = $u
          AND nn.kind = (SELECT min(k.kind) FROM note_names k JOIN notes m ON m.id = k.note_id WHERE k.key = $key AND m.deleted_at IS NULL AND +m.user_id = $u)
        ORDER BY n.id
        LIMIT 50
        """;

    private IReadOnlyDictionary<long, string>? _paths;

    /// <summary>Links of the owner's other notes that point at note $id or name one of $k0..$k{keys-1}.</summary>
    internal static string IncomingSql(int keys) => $"""
        SELECT l.id, l.target, l.target_note_id, n.folder_id
        FROM links l JOIN notes n ON n.id = l.source_note_id
        WHERE l.source_note_id <> $id AND l.is_attachment = 0 AND +n.user_id = $u
          AND (l.target_note_id = $id {(keys > 0 ? $"OR l.target_key IN ({string.Join(',', Enumerable.Range(0, keys).Select(i => $"$k{i}"))})" : "")})
        """;

    public async Task<(long? NoteId, long? AttachmentId)> ResolveAsync(string target, bool isAttachment, long? sourceFolderId, CancellationToken ct) =>
        isAttachment
            ? (null, await ResolveAttachmentAsync(target, sourceFolderId, ct))
            : (await ResolveNoteAsync(target, sourceFolderId, ct), null);

    /// <summary>Re-resolves links that point at <paramref name="noteId"/> or name one of <paramref name="keys"/>, after that note changed.</summary>
    public async Task ReresolveIncomingAsync(long noteId, IReadOnlyList<string> keys, CancellationToken ct)
    {
        var command = c.Sql(IncomingSql(keys.Count), tx).With("$id", noteId).With("$u", owner);
        for (var i = 0; i < keys.Count; i++)
        {
            command.With($"$k{i}", keys[i]);
        }

        var links = await command.ListAsync(r => (Id: r.GetInt64(0), Target: r.GetString(1), Current: r.GetNullableInt64(2), Folder: r.GetNullableInt64(3)), ct);
        foreach (var link in links)
        {
            var resolved = await ResolveNoteAsync(link.Target, link.Folder, ct);
            if (resolved != link.Current)
            {
                await c.Sql("UPDATE links SET target_note_id = $t WHERE id = $id", tx).With("$t", resolved).With("$id", link.Id).ExecAsync(ct);
            }
        }
    }

    private async Task<long?> ResolveNoteAsync(string target, long? sourceFolderId, CancellationToken ct)
    {
        var key = LinkKey.Normalize(target);
        if (key.Length == 0)
        {
            return null;
        }

        var candidates = await c.Sql(ResolveSql, tx).With("$key", key).With("$u", owner).ListAsync(r => (Id: r.GetInt64(0), Folder: r.GetNullableInt64(1)), ct);
        if (candidates.Count <= 1 || candidates.All(x => x.Id == candidates[0].Id))
        {
            return candidates.Count == 0 ? null : candidates[0].Id;
        }

        if (LinkKey.FolderHint(target) is { } hint)
        {
            var paths = await PathsAsync(ct);
            foreach (var candidate in candidates)
            {
                var path = candidate.Folder is { } f && paths.TryGetValue(f, out var p) ? NormalizePath(p) : "";
                if (path == hint || path.EndsWith("/" + hint, StringComparison.Ordinal))
                {
                    return candidate.Id;
                }
            }
        }

        foreach (var candidate in candidates)
        {
            if (candidate.Folder == sourceFolderId)
            {
                return candidate.Id;
            }
        }

        return candidates[0].Id;
    }

    private async Task<long?> ResolveAttachmentAsync(string target, long? sourceFolderId, CancellationToken ct)
    {
        var folderPath = sourceFolderId is { } f && (await PathsAsync(ct)).TryGetValue(f, out var p) ? p : "";
        if (AttachmentPaths.Combine(folderPath, target) is { } relative)
        {
            var exact = await c.Sql("SELECT id FROM attachments WHERE user_id = $u AND path = $p", tx).With("$u", owner).With("$p", relative).ScalarAsync<long?>(ct);
            if (exact is not null)
            {
                return exact;
            }
        }

        if (AttachmentPaths.Normalize(target) is { } fromRoot)
        {
            var rooted = await c.Sql("SELECT id FROM attachments WHERE user_id = $u AND path = $p", tx).With("$u", owner).With("$p", fromRoot).ScalarAsync<long?>(ct);
            if (rooted is not null)
            {
                return rooted;
            }
        }

        return await c.Sql("SELECT id FROM attachments WHERE user_id = $u AND file_key = $k ORDER BY id LIMIT 1", tx)
            .With("$u", owner).With("$k", AttachmentPaths.FileKey(target)).ScalarAsync<long?>(ct);
    }

    private async Task<IReadOnlyDictionary<long, string>> PathsAsync(CancellationToken ct) =>
        _paths ??= await FolderPaths.LoadAsync(c, tx, owner, ct);

    private static string NormalizePath(string path) =>
        string.Join('/', path.Split('/').Select(LinkKey.Normalize));
}
