namespace Neptune.Indexer.Tests;

/// <summary>Every row the indexer writes, one string per row, keyed so tests can compare what belongs to which note.</summary>
public sealed record IndexTables(
    IReadOnlyList<string> Chunks, IReadOnlyList<string> Embeddings, IReadOnlyList<string> NoteTopics, IReadOnlyList<string> Topics,
    IReadOnlyList<string> Relations, IReadOnlyList<string> Edges, IReadOnlyList<string> NoteIndex)
{
    public static async Task<IndexTables> ReadAsync(IndexerHarness harness) => new(
        await harness.RowsAsync("SELECT note_id, ordinal, id, start, \"end\", tokens FROM chunks ORDER BY note_id, ordinal"),
        await harness.RowsAsync($"SELECT c.note_id, e.chunk_id, e.model_id, {(harness.OnPostgres ? "e.vector::text" : "hex(e.vector)")} FROM embeddings e JOIN chunks c ON c.id = e.chunk_id ORDER BY c.note_id, e.chunk_id"),
        await harness.RowsAsync("SELECT note_id, topic_id, weight, source FROM note_topics ORDER BY note_id, topic_id"),
        await harness.RowsAsync("SELECT id, key, label, note_count, round(CAST(weight_sum AS numeric), 6), created_at, updated_at FROM topics ORDER BY id"),
        await harness.RowsAsync("SELECT a, b, strength, source, updated_at FROM topic_relations ORDER BY a, b"),
        await harness.RowsAsync("SELECT a, b, kind, weight, provenance FROM note_edges ORDER BY a, b, kind"),
        await harness.RowsAsync("SELECT note_id, state, model_id, version, error, updated_at FROM note_index ORDER BY note_id"));

    /// <summary>The rows whose first column (a note or topic id) is not in <paramref name="ids"/>.</summary>
    public static IEnumerable<string> Except(IEnumerable<string> rows, IReadOnlyCollection<long> ids) =>
        rows.Where(r => !ids.Contains(First(r)));

    /// <summary>Edge rows touching none of <paramref name="ids"/>.</summary>
    public static IEnumerable<string> EdgesAvoiding(IEnumerable<string> rows, IReadOnlyCollection<long> ids) =>
        rows.Where(r => !ids.Contains(Column(r, 0)) && !ids.Contains(Column(r, 1)));

    public static long First(string row) => Column(row, 0);

    public static long Column(string row, int index) => long.Parse(row.Split('|')[index], System.Globalization.CultureInfo.InvariantCulture);
}
