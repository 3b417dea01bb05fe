using System.Text;
using Npgsql;

namespace Neptune.Data.Postgres;

/// <summary>The folder, tag and date filters of search and listings, as " AND …" clauses over notes aliased n (see <see cref="Sqlite.NoteFilterSql"/>).</summary>
internal static class PostgresNoteFilter
{
    /// <summary>"tag" matches the tag itself and its nested tags ("tag/sub").</summary>
    public const string TagSql = " AND EXISTS (SELECT 1 FROM note_tags t WHERE t.note_id = n.id AND (t.tag = @tag OR starts_with(t.tag, @tag || '/')))";

    /// <summary>Adds the parameters to <paramref name="command"/> and returns the clauses ("" when there is no filter).</summary>
    public static string Build(NpgsqlCommand command, long? folderId, string? tag, DateTimeOffset? from, DateTimeOffset? to)
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
                    WITH RECURSIVE sub(id) AS (SELECT @folder::bigint UNION SELECT f.id FROM folders f JOIN sub ON f.parent_id = sub.id WHERE f.deleted_at IS NULL)
                    SELECT id FROM sub)
                """);
            command.With("folder", folder);
        }

        if (!string.IsNullOrWhiteSpace(tag))
        {
            filters.Append(TagSql);
            command.With("tag", Sqlite.TagFilter.Normalize(tag));
        }

        if (from is { } start)
        {
            filters.Append(" AND n.updated_at >= @from");
            command.With("from", start.ToUnixTimeMilliseconds());
        }

        if (to is { } end)
        {
            filters.Append(" AND n.updated_at < @to");
            command.With("to", end.ToUnixTimeMilliseconds());
        }

        return filters.ToString();
    }
}
