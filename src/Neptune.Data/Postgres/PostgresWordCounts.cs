namespace Neptune.Data.Postgres;

/// <summary>
/// Document counts from the notes' tsvector and its GIN index, the PostgreSQL counterpart of
/// <see cref="Sqlite.FtsVocabulary"/>: live notes only, as FTS5 holds only live notes.
/// </summary>
public sealed class PostgresWordCounts(PostgresDatabase db) : IWordCounts
{
    public Task<WordCounts> CountAsync(IReadOnlyCollection<string> tokens, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var notes = await c.Sql("SELECT count(*) FROM notes WHERE deleted_at IS NULL").ScalarAsync<long>(ct);
        var counts = (await c.Sql("""
            SELECT w, (SELECT count(*) FROM notes n WHERE n.deleted_at IS NULL AND n.search @@ plainto_tsquery('neptune', w))
            FROM unnest(@words::text[]) AS w
            """).With("words", tokens.Distinct(StringComparer.Ordinal).ToArray()).ListAsync(r => (Term: r.GetString(0), Docs: r.GetInt64(1)), ct))
            .Where(x => x.Docs > 0)
            .ToDictionary(x => x.Term, x => x.Docs, StringComparer.Ordinal);
        return new WordCounts(notes, counts);
    }, ct);
}
