using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Neptune.Core;
using Neptune.Core.Search;
using Npgsql;

namespace Neptune.Data.Postgres;

/// <summary>
/// Full-text search ranked by BM25 with the title weighted above the body (as FTS5's bm25 on the desktop), with the same
/// two passes as <see cref="Sqlite.SqliteNoteSearch"/>: notes containing every word first; when there are too few, notes
/// containing some words follow. A query of bare words is answered from the postings in note_terms (one row per note and
/// word: its counts and the note's length), reading only the postings of its words, as FTS5 reads doclists; a query
/// with phrases, prefixes, OR, NOT or the title filter selects notes with the tsvector's GIN index and scores their
/// tsvectors. Statistics are the searching user's own: their live notes, their documents per word.
/// </summary>
public sealed class PostgresNoteSearch(PostgresDatabase db, IOptions<SearchOptions> options) : INoteSearch
{
    // BM25 as FTS5 computes it (k1 1.2, b 0.75), over a row t of note_terms with the word's idf as q.idf; a title hit
    // counts TitleWeight body hits.
    private const string Bm25 = "q.idf * (t.tf + @titleWeight * t.title_tf) * 2.2 / ((t.tf + @titleWeight * t.title_tf) + 1.2 * (0.25 + 0.75 * t.len / @avglen))";

    // Document counts keyed "user:lexeme" in one bounded cache; each user's note count and average length beside it.
    private readonly DocumentCountCache _documents = new(() => db.NowMs);
    private readonly ConcurrentDictionary<long, (long Notes, long AtMs)> _notes = new();
    private readonly ConcurrentDictionary<long, (long Notes, double AverageLength, long AtMs)> _lengths = new();
    private const int MaxUsersRemembered = 10_000;

    public Task<IReadOnlyList<SearchHit>> SearchAsync(UserId user, SearchRequest request, CancellationToken ct)
    {
        var query = FtsQuery.Parse(request.Query);
        var limit = Math.Clamp(request.Limit, 1, 200);
        return db.ReadAsync<IReadOnlyList<SearchHit>>(async c =>
        {
            var stats = await StatisticsAsync(c, user, query, ct);
            var words = query.Words.Count < 2
                ? MatchWords.All
                : MatchWords.Choose(query.Words, query.Words.ToDictionary(w => w, stats.Documents), stats.Notes, options.Value);
            var singlePass = query.IsPlainWords && options.Value.FallbackToAnyTerm && query.Words.Count >= options.Value.SinglePassFromWords;
            var hits = singlePass ? [] : await RunAsync(c, user, query, stats, words.LeftOutOfAllWords, anyTerm: false, request, limit, ct);
            if (hits.Count < limit && options.Value.FallbackToAnyTerm && query.IsPlainWords)
            {
                var seen = hits.Select(h => h.Note.Id).ToHashSet();
                // Every query word found in a note counts in its score, so narrowing the match narrows the candidates only.
                foreach (var hit in await RunAsync(c, user, query, stats, words.LeftOutOfCandidates, anyTerm: true, request, limit, ct))
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

    /// <summary>The words' index terms (PostgreSQL's parser may split a word or drop it), their idf, N and the average length.</summary>
    private sealed record Statistics(long Notes, double AverageLength, IReadOnlyDictionary<string, string[]> Lexemes, IReadOnlyDictionary<string, long> LexemeDocuments)
    {
        /// <summary>Notes holding the word: those holding the rarest of its terms (0 for a word with none).</summary>
        public long Documents(string word) => Lexemes.GetValueOrDefault(word) is { Length: > 0 } terms ? terms.Min(t => LexemeDocuments[t]) : 0;

        public double Idf(string lexeme)
        {
            // Counts and N are cached apart: a count fresher than N may exceed it (a log of a negative number otherwise).
            var documents = LexemeDocuments.GetValueOrDefault(lexeme);
            return Math.Max(Math.Log((Math.Max(Notes, documents) - documents + 0.5) / (documents + 0.5)), 1e-6);
        }

        /// <summary>True when PostgreSQL's parser reads no bare word as several terms (to_tsquery makes those a phrase).</summary>
        public bool EachWordOneTerm => Lexemes.Values.All(t => t.Length <= 1);

        public string[] TermsOf(IEnumerable<string> words) => [.. words.SelectMany(w => Lexemes.GetValueOrDefault(w) ?? []).Distinct(StringComparer.Ordinal)];

        /// <summary>Every term of the query that scores (the words of <see cref="StatisticsAsync"/>).</summary>
        public string[] Scored => TermsOf(Lexemes.Keys);
    }

    private async Task<Statistics> StatisticsAsync(NpgsqlConnection c, UserId user, FtsQuery query, CancellationToken ct)
    {
        // Every word scores: the bare words and the words of phrases; prefixes select notes only.
        var words = query.Words.Concat(query.HighlightTokens.Where(t => !t.Prefix).Select(t => t.Token)).Distinct(StringComparer.Ordinal).ToArray();
        var lexemes = (await c.Sql("SELECT w, tsvector_to_array(to_tsvector('neptune', w)) FROM unnest(@words::text[]) AS w")
            .With("words", words).ListAsync(r => (Word: r.GetString(0), Terms: r.GetFieldValue<string[]>(1)), ct))
            .ToDictionary(x => x.Word, x => x.Terms, StringComparer.Ordinal);
        // Each count is an index-only scan of the word's postings.
        var prefix = user.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":";
        var keyed = await _documents.DocumentsAsync([.. lexemes.Values.SelectMany(t => t).Distinct(StringComparer.Ordinal).Select(t => prefix + t)], async missing => (await c.Sql("""
            SELECT l, (SELECT count(*) FROM note_terms t WHERE t.user_id = @owner AND t.lexeme = l) FROM unnest(@lexemes::text[]) AS l
            """).With("owner", user.Value).With("lexemes", missing.Select(k => k[prefix.Length..]).ToArray()).ListAsync(r => (Term: r.GetString(0), Docs: r.GetInt64(1)), ct))
            .ToDictionary(x => prefix + x.Term, x => x.Docs, StringComparer.Ordinal));
        var documents = keyed.ToDictionary(x => x.Key[prefix.Length..], x => x.Value, StringComparer.Ordinal);
        var notes = await NotesAsync(c, user, ct);
        return new Statistics(notes, await AverageLengthAsync(c, user, notes, ct), lexemes, documents);
    }

    /// <summary>The user's live notes, counted at most every 30 s (an index-only scan of their notes: O(n)).</summary>
    private async Task<long> NotesAsync(NpgsqlConnection c, UserId user, CancellationToken ct)
    {
        var now = db.NowMs;
        if (_notes.TryGetValue(user.Value, out var known) && now - known.AtMs < 30_000)
        {
            return known.Notes;
        }

        var notes = await c.Sql("SELECT count(*) FROM notes WHERE user_id = @owner AND deleted_at IS NULL").With("owner", user.Value).ScalarAsync<long>(ct);
        Remember(_notes, user.Value, (notes, now));
        return notes;
    }

    private static void Remember<T>(ConcurrentDictionary<long, T> cache, long user, T value)
    {
        if (cache.Count >= MaxUsersRemembered && !cache.ContainsKey(user))
        {
            cache.Clear();  // forgetting costs one count per user: simpler than least-recently-used for a rare case
        }

        cache[user] = value;
    }

    /// <summary>
    /// The average count of distinct words in the user's live notes, for BM25's length normalisation. Reading it is
    /// O(notes) (each tsvector's header), so it is kept for 5 minutes unless the number of notes moved by a tenth, and a
    /// large collection is sampled: BM25 needs the ratio of a note's length to the average, not the average's last digit.
    /// </summary>
    private async Task<double> AverageLengthAsync(NpgsqlConnection c, UserId user, long notes, CancellationToken ct)
    {
        const int Sample = 5_000;
        var now = db.NowMs;
        if (_lengths.TryGetValue(user.Value, out var known) && now - known.AtMs < 300_000 && Math.Abs(notes - known.Notes) <= known.Notes / 10)
        {
            return known.AverageLength;
        }

        double? average = null;
        if (notes > 4 * Sample)
        {
            // A sample of the table's blocks, sized by the whole table (all users): it holds enough of this user's notes
            // when they own most of it, else the exact average over their notes is read (O(their notes), every 5 min).
            var rows = await c.Sql("SELECT greatest(reltuples, 1)::float8 FROM pg_class WHERE oid = 'notes'::regclass").ScalarAsync<double>(ct);
            var percent = Math.Min(100.0, 100.0 * 4 * Sample / Math.Max(rows, 1));
            var (sampled, mean) = await c.Sql("""
                SELECT count(*), avg(length(search))::float8 FROM notes TABLESAMPLE SYSTEM (@percent) WHERE user_id = @owner AND deleted_at IS NULL
                """).With("percent", percent).With("owner", user.Value)
                .ListAsync(r => (r.GetInt64(0), r.IsDBNull(1) ? 0 : r.GetDouble(1)), ct) is [var row] ? row : (0, 0);
            average = sampled >= Sample ? mean : null;
        }

        average ??= await c.Sql("SELECT coalesce(avg(length(search)), 1)::float8 FROM notes WHERE user_id = @owner AND deleted_at IS NULL")
            .With("owner", user.Value).ScalarAsync<double>(ct);
        var result = Math.Max(average.Value, 1);
        Remember(_lengths, user.Value, (notes, result, now));
        return result;
    }

    private async Task<List<SearchHit>> RunAsync(
        NpgsqlConnection c, UserId user, FtsQuery query, Statistics stats, IReadOnlySet<string> drop, bool anyTerm, SearchRequest request, int limit, CancellationToken ct)
    {
        await using var command = c.Sql("");
        var filters = PostgresNoteFilter.Build(command, request.FolderId, request.Tag, request.From, request.To);
        var scored = stats.Scored;
        string top;
        if (query.IsBareWords && stats.EachWordOneTerm)
        {
            // The words the pass matches on (at least one is always kept, as in FtsQuery.Build); the others only score.
            var kept = query.Words.Where(w => !drop.Contains(w)).DefaultIfEmpty(query.Words[0]);
            var required = stats.TermsOf(kept);
            if (required.Length == 0)
            {
                return [];  // no word the index holds: nothing can match
            }

            var other = scored.Except(required, StringComparer.Ordinal).ToArray();
            command.With("required", required).With("requiredIdf", required.Select(stats.Idf).ToArray())
                .With("other", other).With("otherIdf", other.Select(stats.Idf).ToArray())
                .With("need", anyTerm ? 1 : required.Length);
            top = PostingsSql(filters, ChooseOther(stats, required, other, anyTerm));
        }
        else
        {
            command.With("match", query.BuildTsQuery(drop, anyTerm)).With("lexemes", scored).With("idf", scored.Select(stats.Idf).ToArray());
            top = TsvectorSql(filters);
        }

        command.CommandText = $"""
            WITH {top}
            SELECT {PostgresNoteStore.SummaryColumns}, top.score, {(request.Snippets ? "n.content" : "''")}
            FROM top
            JOIN notes n ON n.id = top.id
            ORDER BY top.score DESC, n.id
            """;
        command.With("owner", user.Value).With("avglen", stats.AverageLength).With("titleWeight", options.Value.TitleWeight).With("limit", limit);
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

    /// <summary>How the query's words that select no notes add to each hit's score.</summary>
    private enum OtherWords
    {
        None,
        Lookup,  // a seek per hit and word
        Scan,    // read those words' postings once, join them to the hits
    }

    // What a seek into note_terms costs, in postings read by a scan: an estimate (a seek descends 3–4 index pages and
    // compares keys on each; a scan reads a leaf page of ~150 postings in one go), not a measured constant.
    private const int SeekCostInPostings = 20;

    /// <summary>
    /// Seeks while the pass's matches are few next to the other words' postings (the usual case: the all-words pass
    /// leaves out common words, the any-word pass narrows its candidates), else one scan of those postings.
    /// </summary>
    private static OtherWords ChooseOther(Statistics stats, string[] required, string[] other, bool anyTerm)
    {
        if (other.Length == 0)
        {
            return OtherWords.None;
        }

        var hits = anyTerm ? required.Sum(t => stats.LexemeDocuments[t]) : required.Min(t => stats.LexemeDocuments[t]);
        var postings = other.Sum(t => stats.LexemeDocuments[t]);
        return hits * other.Length * SeekCostInPostings <= postings ? OtherWords.Lookup : OtherWords.Scan;
    }

    /// <summary>
    /// The top notes from the postings of the pass's words (a note must hold @need of them), plus what the query's other
    /// words add to each; a folder, tag or date filter then reads each matching note's row.
    /// </summary>
    private static string PostingsSql(string filters, OtherWords other) => $"""
        hits AS (
            SELECT t.note_id, sum({Bm25}) AS score
            FROM unnest(@required::text[], @requiredIdf::float8[]) AS q(lexeme, idf)
            JOIN note_terms t ON t.user_id = @owner AND t.lexeme = q.lexeme
            GROUP BY t.note_id
            HAVING count(*) >= @need
        ),{(other != OtherWords.Scan ? "" : $"""

        other AS (
            SELECT t.note_id, sum({Bm25}) AS score
            FROM unnest(@other::text[], @otherIdf::float8[]) AS q(lexeme, idf)
            JOIN note_terms t ON t.user_id = @owner AND t.lexeme = q.lexeme
            GROUP BY t.note_id
        ),
        """)}
        top AS (
            SELECT h.note_id AS id, (h.score + {other switch
            {
                OtherWords.Lookup => $"""
                    coalesce((SELECT sum({Bm25}) FROM unnest(@other::text[], @otherIdf::float8[]) AS q(lexeme, idf)
                              JOIN note_terms t ON t.user_id = @owner AND t.lexeme = q.lexeme AND t.note_id = h.note_id), 0)
                    """,
                OtherWords.Scan => "coalesce(o.score, 0)",
                _ => "0",
            }})::real AS score
            FROM hits h{(other == OtherWords.Scan ? " LEFT JOIN other o ON o.note_id = h.note_id" : "")}{(filters.Length > 0 ? $" JOIN notes n ON n.id = h.note_id WHERE true{filters}" : "")}
            ORDER BY 2 DESC, h.note_id
            LIMIT @limit
        )
        """;

    /// <summary>
    /// Notes the tsquery @match selects through the GIN index, scored from the postings their tsvectors give
    /// (note_terms_of, which also writes note_terms), so both paths share one BM25.
    /// </summary>
    private static string TsvectorSql(string filters) => $"""
        top AS (
            SELECT n.id, coalesce(sum({Bm25}), 0)::real AS score
            FROM notes n
            CROSS JOIN to_tsquery('neptune', @match) AS m(q)
            LEFT JOIN LATERAL (SELECT p.* FROM note_terms_of(n) AS p WHERE p.lexeme = ANY (@lexemes::text[])) t ON true
            LEFT JOIN unnest(@lexemes::text[], @idf::float8[]) AS q(lexeme, idf) ON q.lexeme = t.lexeme
            WHERE n.deleted_at IS NULL AND n.user_id = @owner AND n.search @@ m.q{filters}
            GROUP BY n.id
            ORDER BY score DESC, n.id
            LIMIT @limit
        )
        """;
}
