using Microsoft.Data.Sqlite;

namespace Neptune.Data.Sqlite;

/// <summary>Document counts from notes_fts_vocab (FTS5's per-term statistics).</summary>
public sealed class FtsVocabulary(SqliteDatabase db) : IWordCounts
{
    // SQLite allows 500 terms in one compound SELECT.
    private const int TermsPerQuery = 250;

    public Task<WordCounts> CountAsync(IReadOnlyCollection<string> tokens, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var notes = await c.Sql("SELECT count(*) FROM notes_fts_docsize").ScalarAsync<long>(ct);
        return new WordCounts(notes, await DocumentCountsAsync(c, [.. tokens.Distinct(StringComparer.Ordinal)], ct));
    }, ct);

    /// <summary>In how many notes each token occurs; tokens no note has are left out.</summary>
    internal static async Task<Dictionary<string, long>> DocumentCountsAsync(SqliteConnection c, IReadOnlyList<string> tokens, CancellationToken ct)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var slice in tokens.Chunk(TermsPerQuery))
        {
            // One equality lookup per token: fts5vocab answers "term = ?" from the index but scans everything for "term IN (…)".
            var command = c.Sql(string.Join(" UNION ALL ", slice.Select((_, i) => $"SELECT term, doc FROM notes_fts_vocab WHERE term = $w{i}")));
            for (var i = 0; i < slice.Length; i++)
            {
                command.With($"$w{i}", slice[i]);
            }

            foreach (var (term, docs) in await command.ListAsync(r => (r.GetString(0), r.GetInt64(1)), ct))
            {
                counts[term] = docs;
            }
        }

        return counts;
    }
}
