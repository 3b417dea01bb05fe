using Microsoft.Extensions.Options;
using Neptune.Core;
using Neptune.Core.Search;
using Npgsql;

namespace Neptune.Data.Postgres;

/// <summary>
/// Full-text search over the notes' weighted tsvector (title A, body B) and its GIN index, ranked by ts_rank with
/// the title weighted above the body, with the same two passes as <see cref="Sqlite.SqliteNoteSearch"/>: notes
/// containing every word first; when there are too few, notes containing some words follow.
/// </summary>
public sealed class PostgresNoteSearch(PostgresDatabase db, IOptions<SearchOptions> options) : INoteSearch
{
    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken ct)
    {
        var query = FtsQuery.Parse(request.Query);
        var limit = Math.Clamp(request.Limit, 1, 200);
        return db.ReadAsync<IReadOnlyList<SearchHit>>(async c =>
        {
            var (common, rarestFirst) = await WordCountsAsync(c, query, ct);
            var singlePass = query.IsPlainWords && options.Value.FallbackToAnyTerm && query.Words.Count >= options.Value.SinglePassFromWords;
            var hits = singlePass ? [] : await RunAsync(c, query, query.BuildTsQuery(common, anyTerm: false), request, limit, ct);
            if (hits.Count < limit && options.Value.FallbackToAnyTerm && query.IsPlainWords)
            {
                var seen = hits.Select(h => h.Note.Id).ToHashSet();
                var left = rarestFirst.Skip(options.Value.FallbackMaxWords).ToHashSet(StringComparer.Ordinal);
                left.UnionWith(common);
                foreach (var hit in await RunAsync(c, query, query.BuildTsQuery(left, anyTerm: true), request, limit, ct))
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
    private async Task<(IReadOnlySet<string> Common, IReadOnlyList<string> RarestFirst)> WordCountsAsync(NpgsqlConnection c, FtsQuery query, CancellationToken ct)
    {
        var words = query.Words;
        var settings = options.Value;
        if (words.Count < 2)
        {
            return (EmptySet, words);
        }

        // Each count is answered from the GIN index.
        var counts = (await c.Sql("""
            SELECT w, (SELECT count(*) FROM notes n WHERE n.deleted_at IS NULL AND n.search @@ plainto_tsquery('neptune', w))
            FROM unnest(@words::text[]) AS w
            """).With("words", words.ToArray()).ListAsync(r => (Term: r.GetString(0), Docs: r.GetInt64(1)), ct))
            .ToDictionary(x => x.Term, x => x.Docs);
        var rarestFirst = words.OrderBy(w => counts.GetValueOrDefault(w)).ToList();
        var notes = await LiveNotesAsync(c, ct);
        if (notes < settings.CommonWordMinNotes || settings.CommonWordShare >= 1.0)
        {
            return (EmptySet, rarestFirst);
        }

        var common = words.Where(w => counts.GetValueOrDefault(w) > settings.CommonWordShare * notes).ToHashSet(StringComparer.Ordinal);
        common.Remove(rarestFirst[0]);
        return (common, rarestFirst);
    }

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();

    private (long Count, long AtMs) _liveNotes = (0, long.MinValue);

    /// <summary>How many live notes there are, counted at most every 10 s: the common-word share needs a rough size, and counting is O(n).</summary>
    private async Task<long> LiveNotesAsync(NpgsqlConnection c, CancellationToken ct)
    {
        var now = db.NowMs;
        var cached = _liveNotes;
        if (now - cached.AtMs < 10_000)
        {
            return cached.Count;
        }

        var count = await c.Sql("SELECT count(*) FROM notes WHERE deleted_at IS NULL").ScalarAsync<long>(ct);
        _liveNotes = (count, now);
        return count;
    }

    private async Task<List<SearchHit>> RunAsync(NpgsqlConnection c, FtsQuery query, string tsQuery, SearchRequest request, int limit, CancellationToken ct)
    {
        await using var command = c.Sql("");
        var filters = PostgresNoteFilter.Build(command, request.FolderId, request.Tag, request.From, request.To);

        // Rank first, then read the page's rows only. ts_rank weights are {D, C, B, A}, each at most 1: the title (A)
        // and body (B) keep the ratio TitleWeight : 1; normalization 1 divides by 1 + log(length), so long notes do not win by size.
        command.CommandText = $"""
            WITH top AS (
                SELECT n.id, ts_rank(@weights, n.search, q.q, 1) AS score
                FROM notes n, to_tsquery('neptune', @match) AS q(q)
                WHERE n.deleted_at IS NULL AND n.search @@ q.q{filters}
                ORDER BY score DESC, n.id
                LIMIT @limit
            )
            SELECT {PostgresNoteStore.SummaryColumns}, top.score, {(request.Snippets ? "n.content" : "''")}
            FROM top
            JOIN notes n ON n.id = top.id
            ORDER BY top.score DESC, n.id
            """;
        var scale = Math.Max(options.Value.TitleWeight, 1.0);
        command.With("weights", new[] { 0.1f, 0.2f, (float)(1.0 / scale), (float)(options.Value.TitleWeight / scale) }).With("match", tsQuery).With("limit", limit);
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
