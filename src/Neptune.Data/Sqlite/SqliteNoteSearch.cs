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
            var words = await MatchWordsAsync(c, query, ct);
            // The owner clause is left out while every note is the user's (the desktop): then ranking needs no join with notes.
            UserId? owner = await NoteFilterSql.HasOtherOwnersAsync(c, user, ct) ? user : null;
            var singlePass = query.IsPlainWords && options.Value.FallbackToAnyTerm && query.Words.Count >= options.Value.SinglePassFromWords;
            var hits = singlePass ? [] : await RunAsync(c, owner, query, query.Build(words.LeftOutOfAllWords, anyTerm: false), null, request, limit, ct);
            if (hits.Count < limit && options.Value.FallbackToAnyTerm && query.IsPlainWords)
            {
                var seen = hits.Select(h => h.Note.Id).ToHashSet();
                var candidates = words.NarrowsCandidates ? query.Build(words.LeftOutOfCandidates, anyTerm: true) : null;
                foreach (var hit in await RunAsync(c, owner, query, query.Build(words.LeftOutOfAnyWord, anyTerm: true), candidates, request, limit, ct))
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

    private readonly DocumentCountCache _counts = new(() => db.NowMs);

    private async Task<MatchWords> MatchWordsAsync(SqliteConnection c, FtsQuery query, CancellationToken ct)
    {
        if (query.Words.Count < 2)
        {
            return MatchWords.All;
        }

        var documents = await _counts.DocumentsAsync(query.Words, words => FtsVocabulary.DocumentCountsAsync(c, words, ct));
        var notes = await _counts.NotesAsync(() => c.Sql("SELECT count(*) FROM notes_fts_docsize").ScalarAsync<long>(ct));
        return MatchWords.Choose(query.Words, documents, notes, options.Value);
    }

    /// <summary>
    /// The notes matching <paramref name="match"/>, best first; with <paramref name="candidates"/>, only those that also
    /// match it are scored (every phrase of <paramref name="match"/> still counts in their score).
    /// </summary>
    private async Task<List<SearchHit>> RunAsync(
        SqliteConnection c, UserId? owner, FtsQuery query, string match, string? candidates, SearchRequest request, int limit, CancellationToken ct)
    {
        var command = c.Sql("");
        var filters = NoteFilterSql.Build(command, request.FolderId, request.Tag, request.From, request.To);
        if (owner is { } user)
        {
            command.With("$owner", user.Value);
            filters += " AND n.user_id = $owner";
        }


        // Rank first, then read the page's rows only. Trashed notes are never in notes_fts (see the triggers),
        // so the ranking pass touches the notes table only to filter by folder or tag. The candidates' rowids are
        // checked while the match is walked ("+" keeps SQLite from turning the IN into one FTS5 lookup per rowid,
        // each of which would count every phrase's notes again for bm25's idf).
        command.CommandText = $"""
            WITH top AS (
                SELECT notes_fts.rowid AS id, bm25(notes_fts, {options.Value.TitleWeight.ToString(CultureInfo.InvariantCulture)}, 1.0) AS score
                FROM notes_fts
                {(filters.Length > 0 ? "JOIN notes n ON n.id = notes_fts.rowid" : "")}
                WHERE notes_fts MATCH $match{filters}{(candidates is null ? "" : " AND +notes_fts.rowid IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH $candidates)")}
                ORDER BY score
                LIMIT $limit
            )
            SELECT {SqliteNoteStore.SummaryColumns}, top.score, {(request.Snippets ? "n.content" : "''")}
            FROM top
            JOIN notes n ON n.id = top.id
            ORDER BY top.score
            """;
        command.With("$match", match).With("$limit", limit);
        if (candidates is not null)
        {
            command.With("$candidates", candidates);
        }

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
