using Microsoft.Extensions.Options;
using Neptune.Core;
using Neptune.Core.Search;
using Npgsql;

namespace Neptune.Data.Postgres;

/// <summary>
/// Full-text search over the notes' weighted tsvector (title A, body B) and its GIN index, ranked by BM25 computed in
/// SQL with the title weighted above the body (as FTS5's bm25 on the desktop), with the same two passes as <see cref="Sqlite.SqliteNoteSearch"/>: notes
/// containing every word first; when there are too few, notes containing some words follow.
/// </summary>
public sealed class PostgresNoteSearch(PostgresDatabase db, IOptions<SearchOptions> options) : INoteSearch
{
    public Task<IReadOnlyList<SearchHit>> SearchAsync(UserId user, SearchRequest request, CancellationToken ct)
    {
        var query = FtsQuery.Parse(request.Query);
        var limit = Math.Clamp(request.Limit, 1, 200);
        return db.ReadAsync<IReadOnlyList<SearchHit>>(async c =>
        {
            var words = await MatchWordsAsync(c, query, ct);
            var singlePass = query.IsPlainWords && options.Value.FallbackToAnyTerm && query.Words.Count >= options.Value.SinglePassFromWords;
            var hits = singlePass ? [] : await RunAsync(c, user, query, query.BuildTsQuery(words.LeftOutOfAllWords, anyTerm: false), request, limit, ct);
            if (hits.Count < limit && options.Value.FallbackToAnyTerm && query.IsPlainWords)
            {
                var seen = hits.Select(h => h.Note.Id).ToHashSet();
                // Every query word found in a note counts in its score (see RunAsync), so narrowing the match narrows the candidates only.
                foreach (var hit in await RunAsync(c, user, query, query.BuildTsQuery(words.LeftOutOfCandidates, anyTerm: true), request, limit, ct))
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

    private async Task<MatchWords> MatchWordsAsync(NpgsqlConnection c, FtsQuery query, CancellationToken ct)
    {
        if (query.Words.Count < 2)
        {
            return MatchWords.All;
        }

        // Each count is answered from the GIN index.
        var documents = await _counts.DocumentsAsync(query.Words, async words => (await c.Sql("""
            SELECT w, (SELECT count(*) FROM notes n WHERE n.deleted_at IS NULL AND n.search @@ plainto_tsquery('neptune', w))
            FROM unnest(@words::text[]) AS w
            """).With("words", words.ToArray()).ListAsync(r => (Term: r.GetString(0), Docs: r.GetInt64(1)), ct))
            .ToDictionary(x => x.Term, x => x.Docs));
        var notes = await _counts.NotesAsync(() => c.Sql("SELECT count(*) FROM notes WHERE deleted_at IS NULL").ScalarAsync<long>(ct));
        return MatchWords.Choose(query.Words, documents, notes, options.Value);
    }

    private (long Notes, double AverageLength, long AtMs) _corpus = (0, 1, long.MinValue);

    /// <summary>
    /// Live notes (counted each time: idf needs the true N) and their average distinct-word count for BM25, read again
    /// when the count changed or after 10 s: reading every tsvector is O(n), and the average moves slowly.
    /// </summary>
    private async Task<(long Notes, double AverageLength)> CorpusSizeAsync(NpgsqlConnection c, CancellationToken ct)
    {
        var now = db.NowMs;
        var notes = await c.Sql("SELECT count(*) FROM notes WHERE deleted_at IS NULL").ScalarAsync<long>(ct);
        var cached = _corpus;
        if (cached.Notes == notes && now - cached.AtMs < 10_000)
        {
            return (notes, cached.AverageLength);
        }

        var average = await c.Sql("SELECT coalesce(avg(length(search)), 1)::float8 FROM notes WHERE deleted_at IS NULL").ScalarAsync<double>(ct);
        _corpus = (notes, Math.Max(average, 1), now);
        return (notes, Math.Max(average, 1));
    }

    private async Task<List<SearchHit>> RunAsync(NpgsqlConnection c, UserId user, FtsQuery query, string tsQuery, SearchRequest request, int limit, CancellationToken ct)
    {
        await using var command = c.Sql("");
        var filters = PostgresNoteFilter.Build(command, request.FolderId, request.Tag, request.From, request.To) + " AND n.user_id = @owner";
        command.With("owner", user.Value);
        var (notes, averageLength) = await CorpusSizeAsync(c, ct);

        // BM25 as FTS5 computes it (k1 1.2, b 0.75, idf ln((N - n + 0.5) / (n + 0.5)), at least 1e-6; a title hit counts
        // TitleWeight body hits), from the matching notes' tsvectors: ts_rank has no idf and ranked far below bm25 on the
        // man-page queries. A note's length is its count of distinct words (length(tsvector)); tsvector keeps no token
        // count, and the ratio to the average is what matters. Prefix and phrase terms select notes but add no score.
        command.CommandText = $"""
            WITH terms AS (
                SELECT DISTINCT t.term FROM unnest(tsvector_to_array(to_tsvector('neptune', @words))) AS t(term)
            ),
            idf AS (
                SELECT t.term, greatest(ln((@notes - d.df + 0.5) / (d.df + 0.5)), 1e-6) AS idf
                FROM terms t
                CROSS JOIN LATERAL (
                    SELECT count(*)::float8 AS df FROM notes n
                    WHERE n.deleted_at IS NULL AND n.search @@ to_tsquery('simple', quote_literal(t.term))) d
            ),
            matched AS (
                SELECT n.id, n.search, length(n.search) AS len
                FROM notes n, to_tsquery('neptune', @match) AS q(q)
                WHERE n.deleted_at IS NULL AND n.search @@ q.q{filters}
            ),
            top AS (
                SELECT m.id, coalesce(sum(i.idf * f.tf * 2.2 / (f.tf + 1.2 * (0.25 + 0.75 * m.len / @avglen))), 0)::real AS score
                FROM matched m
                LEFT JOIN LATERAL (
                    SELECT u.lexeme, cardinality(u.weights) + (@titleWeight - 1) * cardinality(array_positions(u.weights, 'A')) AS tf
                    FROM unnest(m.search) AS u
                    WHERE u.lexeme = ANY (ARRAY(SELECT term FROM terms))) f ON true
                LEFT JOIN idf i ON i.term = f.lexeme
                GROUP BY m.id
                ORDER BY score DESC, m.id
                LIMIT @limit
            )
            SELECT {PostgresNoteStore.SummaryColumns}, top.score, {(request.Snippets ? "n.content" : "''")}
            FROM top
            JOIN notes n ON n.id = top.id
            ORDER BY top.score DESC, n.id
            """;
        command.With("words", string.Join(' ', query.HighlightTokens.Where(t => !t.Prefix).Select(t => t.Token)))
            .With("notes", (double)notes).With("avglen", averageLength).With("titleWeight", options.Value.TitleWeight)
            .With("match", tsQuery).With("limit", limit);
        var rank = 0;
        try
        {
            var hits = new List<SearchHit>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                hits.Add(new SearchHit(PostgresNoteStore.MapSummary(reader), reader.GetFloat(11), ++rank,
                    request.Snippets ? Snippet.Build(reader.GetString(12), query) : ""));
            }

            return hits;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.SyntaxError)
        {
            // FtsQuery quotes every term, so this is a safety net, not a path users should meet.
            throw NeptuneException.Invalid("q", $"The search engine could not read this query ({e.MessageText}): remove special characters and try again.");
        }
    }
}
