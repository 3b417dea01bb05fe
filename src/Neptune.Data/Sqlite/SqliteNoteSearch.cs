using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Neptune.Core;
using Neptune.Core.Search;

namespace Neptune.Data.Sqlite;

/// <summary>
/// FTS5 search: bm25 with the title weighted above the body, snippets with highlight marks.
/// Notes containing every word come first; when there are too few, notes containing some words follow.
/// </summary>
public sealed class SqliteNoteSearch(SqliteDatabase db, IOptions<SearchOptions> options) : INoteSearch
{
    private const char MarkOpen = '\u0002';
    private const char MarkClose = '\u0003';

    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken ct)
    {
        var query = FtsQuery.Parse(request.Query);
        var limit = Math.Clamp(request.Limit, 1, 200);
        return db.ReadAsync<IReadOnlyList<SearchHit>>(async c =>
        {
            var hits = await RunAsync(c, query.MatchExpression, request, limit, ct);
            if (hits.Count < limit && options.Value.FallbackToAnyTerm && query.AnyTermExpression is { } any)
            {
                var seen = hits.Select(h => h.Note.Id).ToHashSet();
                foreach (var hit in await RunAsync(c, any, request, limit, ct))
                {
                    if (hits.Count == limit)
                    {
                        break;
                    }

                    if (seen.Add(hit.Note.Id))
                    {
                        hits.Add(hit with { FtsRank = hits.Count + 1 });
                    }
                }
            }

            return hits;
        }, ct);
    }

    private async Task<List<SearchHit>> RunAsync(SqliteConnection c, string match, SearchRequest request, int limit, CancellationToken ct)
    {
        var filters = new StringBuilder();
        var command = c.Sql("");
        if (request.FolderId is { } folderId)
        {
            // A folder filter includes its subfolders.
            filters.Append("""
                 AND n.folder_id IN (
                    WITH RECURSIVE sub(id) AS (SELECT $folder UNION SELECT f.id FROM folders f JOIN sub ON f.parent_id = sub.id WHERE f.deleted_at IS NULL)
                    SELECT id FROM sub)
                """);
            command.With("$folder", folderId);
        }

        if (!string.IsNullOrWhiteSpace(request.Tag))
        {
            var tag = request.Tag.Trim().TrimStart('#').ToLowerInvariant();
            filters.Append(" AND EXISTS (SELECT 1 FROM note_tags t WHERE t.note_id = n.id AND (t.tag = $tag OR substr(t.tag, 1, length($tag) + 1) = $tag || '/'))");
            command.With("$tag", tag);
        }

        // Rank first, then build snippets for the page only: snippet() on every match is the expensive part.
        command.CommandText = $"""
            WITH top AS (
                SELECT notes_fts.rowid AS id, bm25(notes_fts, {options.Value.TitleWeight.ToString(CultureInfo.InvariantCulture)}, 1.0) AS score
                FROM notes_fts
                JOIN notes n ON n.id = notes_fts.rowid
                WHERE notes_fts MATCH $match AND n.deleted_at IS NULL{filters}
                ORDER BY score
                LIMIT $limit
            )
            SELECT {SqliteNoteStore.SummaryColumns}, top.score, snippet(notes_fts, -1, char(2), char(3), '…', 16)
            FROM top
            JOIN notes_fts ON notes_fts.rowid = top.id
            JOIN notes n ON n.id = top.id
            WHERE notes_fts MATCH $match
            ORDER BY top.score
            """;
        command.With("$match", match).With("$limit", limit);
        var rank = 0;
        try
        {
            return await command.ListAsync(r => new SearchHit(
                SqliteNoteStore.MapSummary(r), -r.GetDouble(11), ++rank, HighlightedHtml(r.GetString(12))), ct);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1)
        {
            // FtsQuery quotes every term, so this is a safety net, not a path users should meet.
            throw NeptuneException.Invalid("q", $"The search engine could not read this query ({e.Message}): remove special characters and try again.");
        }
    }

    /// <summary>HTML-escapes the snippet, then turns the FTS5 markers into &lt;mark&gt; tags, so note text can never inject markup.</summary>
    public static string HighlightedHtml(string snippet) =>
        System.Net.WebUtility.HtmlEncode(snippet)
            .Replace(MarkOpen.ToString(), "<mark>", StringComparison.Ordinal)
            .Replace(MarkClose.ToString(), "</mark>", StringComparison.Ordinal);
}
