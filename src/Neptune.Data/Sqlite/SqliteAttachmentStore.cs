using Neptune.Core;
using Neptune.Data.Storage;

namespace Neptune.Data.Sqlite;

/// <summary>Attachments indexed in the database so links can resolve to them; their bytes are files under &lt;data&gt;/attachments or S3 objects (<see cref="IAttachmentBytes"/>).</summary>
public sealed class SqliteAttachmentStore(SqliteDatabase db, IAttachmentBytes bytes) : IAttachmentStore
{
    public async Task<Attachment> SaveAsync(UserId user, string relativePath, Stream content, CancellationToken ct)
    {
        var (path, size, sha) = await bytes.WriteAsync(user, relativePath, content, ct);
        return await db.WriteAsync(async (c, tx) =>
        {
            var id = await c.Sql("""
                INSERT INTO attachments (user_id, path, file_key, content_type, size_bytes, sha256, created_at)
                VALUES ($u, $p, $k, $ct, $s, $h, $now)
                ON CONFLICT (user_id, path) DO UPDATE SET size_bytes = excluded.size_bytes, sha256 = excluded.sha256, content_type = excluded.content_type
                RETURNING id
                """, tx)
                .With("$u", user.Value).With("$p", path).With("$k", AttachmentPaths.FileKey(path)).With("$ct", ContentTypes.For(path))
                .With("$s", size).With("$h", sha).With("$now", db.NowMs).ScalarAsync<long>(ct);

            // Links written before the file arrived can resolve now.
            // Compared in .NET, not with SQLite's lower()/LIKE, which fold ASCII only ("Ärger.png").
            var key = AttachmentPaths.FileKey(path);
            var waiting = (await c.Sql("""
                SELECT l.id, l.target, n.folder_id FROM links l JOIN notes n ON n.id = l.source_note_id
                WHERE l.is_attachment = 1 AND l.target_attachment_id IS NULL AND n.user_id = $u
                """, tx).With("$u", user.Value).ListAsync(r => (Id: r.GetInt64(0), Target: r.GetString(1), Folder: r.GetNullableInt64(2)), ct))
                .Where(l => AttachmentPaths.FileKey(l.Target) == key);
            var resolver = new LinkResolver(c, tx, user.Value);
            foreach (var link in waiting)
            {
                var (_, attachmentId) = await resolver.ResolveAsync(link.Target, true, link.Folder, ct);
                await c.Sql("UPDATE links SET target_attachment_id = $a WHERE id = $id", tx).With("$a", attachmentId).With("$id", link.Id).ExecAsync(ct);
            }

            return new Attachment(id, path, ContentTypes.For(path), size, sha, user.Value);
        }, ct);
    }

    public Task<Attachment?> FindAsync(UserId user, string relativePath, CancellationToken ct) => db.ReadAsync(async c =>
    {
        if (AttachmentPaths.Normalize(relativePath) is not { } path)
        {
            return null;
        }

        var found = await c.Sql("SELECT id, path, content_type, size_bytes, sha256, user_id FROM attachments WHERE user_id = $u AND path = $p").With("$u", user.Value).With("$p", path)
            .FirstOrDefaultAsync(Map, ct);
        return found;
    }, ct);

    public Task<Stream> OpenReadAsync(Attachment attachment, CancellationToken ct) => bytes.OpenReadAsync(attachment, ct);

    public Task<IReadOnlyList<Attachment>> ListAsync(UserId user, CancellationToken ct) => db.ReadAsync<IReadOnlyList<Attachment>>(async c =>
        await c.Sql("SELECT id, path, content_type, size_bytes, sha256, user_id FROM attachments WHERE user_id = $u ORDER BY path").With("$u", user.Value)
            .ListAsync(Map, ct), ct);

    private static Attachment Map(Microsoft.Data.Sqlite.SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.GetInt64(5));
}

/// <summary>Content types for the attachment kinds notes usually carry; anything else is served as a download.</summary>
public static class ContentTypes
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png", [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".gif"] = "image/gif",
        [".webp"] = "image/webp", [".svg"] = "image/svg+xml", [".bmp"] = "image/bmp", [".avif"] = "image/avif",
        [".ico"] = "image/x-icon", [".pdf"] = "application/pdf", [".mp3"] = "audio/mpeg", [".wav"] = "audio/wav",
        [".ogg"] = "audio/ogg", [".m4a"] = "audio/mp4", [".flac"] = "audio/flac", [".mp4"] = "video/mp4",
        [".webm"] = "video/webm", [".mov"] = "video/quicktime", [".txt"] = "text/plain", [".csv"] = "text/csv",
        [".json"] = "application/json", [".zip"] = "application/zip",
    };

    public static string For(string path) =>
        Known.TryGetValue(Path.GetExtension(path), out var type) ? type : "application/octet-stream";
}
