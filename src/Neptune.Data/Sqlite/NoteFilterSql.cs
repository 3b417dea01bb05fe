using System.Text;
using Microsoft.Data.Sqlite;

namespace Neptune.Data.Sqlite;

/// <summary>The folder, tag and date filters of search, as " AND …" clauses over notes aliased n, for every search mode alike.</summary>
internal static class NoteFilterSql
{
    /// <summary>Adds the parameters to <paramref name="command"/> and returns the clauses ("" when there is no filter).</summary>
    public static string Build(SqliteCommand command, long? folderId, string? tag, DateTimeOffset? from, DateTimeOffset? to)
    {
        var filters = new StringBuilder();
        if (folderId == 0)
        {
            filters.Append(" AND n.folder_id IS NULL");  // 0 is the top level, as in the note listing
        }
        else if (folderId is { } folder)
        {
            // A folder filter includes its subfolders.
            filters.Append("""
                 AND n.folder_id IN (
                    WITH RECURSIVE sub(id) AS (SELECT $folder UNION SELECT f.id FROM folders f JOIN sub ON f.parent_id = sub.id WHERE f.deleted_at IS NULL)
                    SELECT id FROM sub)
                """);
            command.With("$folder", folder);
        }

        if (!string.IsNullOrWhiteSpace(tag))
        {
            filters.Append(TagFilter.Sql);
            command.With("$tag", TagFilter.Normalize(tag));
        }

        if (from is { } start)
        {
            filters.Append(" AND n.updated_at >= $from");
            command.With("$from", start.ToUnixTimeMilliseconds());
        }

        if (to is { } end)
        {
            filters.Append(" AND n.updated_at < $to");
            command.With("$to", end.ToUnixTimeMilliseconds());
        }

        return filters.ToString();
    }

    /// <summary>Whether any note (live or trashed) belongs to another user than <paramref name="user"/>; false on the desktop.</summary>
    public static async Task<bool> HasOtherOwnersAsync(SqliteConnection c, UserId user, CancellationToken ct) =>
        await c.Sql("SELECT EXISTS (SELECT 1 FROM notes WHERE user_id < $u) OR EXISTS (SELECT 1 FROM notes WHERE user_id > $u)").With("$u", user.Value).ScalarAsync<long>(ct) == 1;
}
