using System.Globalization;
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
    public Task<IReadOnlyList<SearchHit>> SearchAsync(UserId user, SearchRequest request, CancellationToken ct)
    {
        var query = FtsQuery.Parse(request.Query);
        var limit = Math.Clamp(request.Limit, 1, 200);
        return db.ReadAsync<IReadOnlyList<SearchHit>>(async c =>
        {
            var (common, rarestFirst) = await WordCountsAsync(c, query, ct);
            var singlePass = query.IsPlainWords && options.Value.FallbackToAnyTerm && query.Words.Count >= options.Value.SinglePassFromWords;
            var hits = singlePass ? [] : await RunAsync(c, user, query, query.Build(common, anyTerm: false), request, limit, ct);
            if (hits.Count < limit && options.Value.FallbackToAnyTerm && query.IsPlainWords)
            {
                var seen = hits.Select(h => h.Note.Id).ToHashSet();
                var left = rarestFirst.Skip(options.Value.FallbackMaxWords).ToHashSet(StringComparer.Ordinal);
                left.UnionWith(common);
                foreach (var hit in await RunAsync(c, user, query, query.Build(left, anyTerm: true), request, limit, ct))
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

    /// <summary>
    /// The query's bare words that occur in more than CommonWordShare of the notes (the rarest word is always kept),
    /// and all its bare words ordered from rarest to most common.
    /// </summary>
    private async Task<(IReadOnlySet<string> Common, IReadOnlyList<string> RarestFirst)> WordCountsAsync(SqliteConnection c, FtsQuery query, CancellationToken ct)
    {
        var words = query.Words;
        var settings = options.Value;
        if (words.Count < 2)
        {
            return (EmptySet, words);
        }

        var counts = await FtsVocabulary.DocumentCountsAsync(c, words, ct);
        var rarestFirst = words.OrderBy(w => counts.GetValueOrDefault(w)).ToList();
        var notes = await IndexedNotesAsync(c, ct);
        if (notes < settings.CommonWordMinNotes || settings.CommonWordShare >= 1.0)
        {
            return (EmptySet, rarestFirst);
        }

        var common = words.Where(w => counts.GetValueOrDefault(w) > settings.CommonWordShare * notes).ToHashSet(StringComparer.Ordinal);
        common.Remove(rarestFirst[0]);
        return (common, rarestFirst);
    }

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();

    /// <summary>The owner clause, left out while every note is the user's (the desktop): then ranking needs no join with notes.</summary>
    private static async Task<string> OwnerFilterAsync(SqliteConnection c, SqliteCommand command, UserId user, CancellationToken ct)
    {
        if (!await NoteFilterSql.HasOtherOwnersAsync(c, user, ct))
        {
            return "";
        }

        command.With("$owner", user.Value);
        return " AND n.user_id = $owner";
    }

    private (long Count, long AtMs) _indexedNotes = (0, long.MinValue);

    /// <summary>How many notes the index holds, counted at most every 10 s: the common-word share needs a rough size, and counting is O(n).</summary>
    private async Task<long> IndexedNotesAsync(SqliteConnection c, CancellationToken ct)
    {
        var now = db.NowMs;
        var cached = _indexedNotes;
        if (now - cached.AtMs < 10_000)
        {
            return cached.Count;
        }

        var count = await c.Sql("SELECT count(*) FROM notes_fts_docsize").ScalarAsync<long>(ct);
        _indexedNotes = (count, now);
        return count;
    }

    private async Task<List<SearchHit>> RunAsync(SqliteConnection c, UserId user, FtsQuery query, string match, SearchRequest request, int limit, CancellationToken ct)
    {
        var command = c.Sql("");
        var filters = NoteFilterSql.Build(command, request.FolderId, request.Tag, request.From, request.To) + await OwnerFilterAsync(c, command, user, ct);

        // Rank first, then read the page's rows only. Trashed notes are never in notes_fts (see the triggers),
        // so the ranking pass touches the notes table only to filter by folder or tag.
        command.CommandText = $"""
            WITH top AS (
                SELECT notes_fts.rowid AS id, bm25(notes_fts, {options.Value.TitleWeight.ToString(CultureInfo.InvariantCulture)}, 1.0) AS score
                FROM notes_fts
                {(filters.Length > 0 ? "JOIN notes n ON n.id = notes_fts.rowid" : "")}
                WHERE notes_fts MATCH $match{filters}
                ORDER BY score
                LIMIT $limit
            )
            SELECT {SqliteNoteStore.SummaryColumns}, top.score, {(request.Snippets ? "n.content" : "''")}
            FROM top
            JOIN notes n ON n.id = top.id
            ORDER BY top.score
            """;
        command.With("$match", match).With("$limit", limit);
        var rank = 0;
        try
        {
            return await command.ListAsync(r => new SearchHit(
                SqliteNoteStore.MapSummary(r), -r.GetDouble(11), ++rank, request.Snippets ? Snippet.Build(r.GetString(12), query) : ""), ct);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1)
        {
            // FtsQuery quotes every term, so this is a safety net, not a path users should meet.
            throw NeptuneException.Invalid("q", $"The search engine could not read this query ({e.Message}): remove special characters and try again.");
        }
    }
}
