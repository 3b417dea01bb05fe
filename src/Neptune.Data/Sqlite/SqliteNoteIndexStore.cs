using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Neptune.Core.Vectors;

namespace Neptune.Data.Sqlite;

public sealed class SqliteNoteIndexStore(SqliteDatabase db) : INoteIndexStore
{
    public Task<IReadOnlyList<IndexSource>> ReadAsync(IReadOnlyCollection<long> noteIds, CancellationToken ct) => db.ReadAsync<IReadOnlyList<IndexSource>>(async c =>
    {
        var sources = new List<IndexSource>(noteIds.Count);
        foreach (var id in noteIds)
        {
            var source = await c.Sql("""
                SELECT n.id, n.title, n.content, n.version, n.deleted_at IS NULL, i.state, i.model_id, i.version
                FROM notes n LEFT JOIN note_index i ON i.note_id = n.id
                WHERE n.id = $id
                """).With("$id", id).FirstOrDefaultAsync(r => new IndexSource(
                    r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4) == 1,
                    r.GetNullableString(5), r.GetNullableInt64(6), r.GetNullableInt64(7)), ct);
            if (source is not null)
            {
                sources.Add(source);
            }
        }

        return sources;
    }, ct);

    public Task<IReadOnlyList<float[]>> GetVectorsAsync(long noteId, long modelId, CancellationToken ct) => db.ReadAsync<IReadOnlyList<float[]>>(async c =>
        await c.Sql("""
            SELECT e.vector FROM chunks c JOIN embeddings e ON e.chunk_id = c.id AND e.model_id = $m
            WHERE c.note_id = $n ORDER BY c.ordinal
            """).With("$n", noteId).With("$m", modelId)
            .ListAsync(r => MemoryMarshal.Cast<byte, float>((byte[])r.GetValue(0)).ToArray(), ct), ct);

    public Task<IReadOnlySet<long>?> SameOwnerNotesAsync(long noteId, CancellationToken ct) => db.ReadAsync<IReadOnlySet<long>?>(async c =>
    {
        var others = await c.Sql("""
            SELECT EXISTS (SELECT 1 FROM notes o WHERE o.user_id < (SELECT n.user_id FROM notes n WHERE n.id = $n))
                OR EXISTS (SELECT 1 FROM notes o WHERE o.user_id > (SELECT n.user_id FROM notes n WHERE n.id = $n))
            """).With("$n", noteId).ScalarAsync<long>(ct) == 1;
        return others
            ? (await c.Sql("""
                SELECT o.id FROM notes o WHERE o.deleted_at IS NULL AND o.user_id = (SELECT n.user_id FROM notes n WHERE n.id = $n)
                """).With("$n", noteId).ListAsync(r => r.GetInt64(0), ct)).ToHashSet()
            : null;
    }, ct);

    public Task<IReadOnlyList<NoteEdge>> GetSemanticEdgesAsync(long noteId, CancellationToken ct) => db.ReadAsync<IReadOnlyList<NoteEdge>>(async c =>
        await c.Sql("""
            SELECT CASE WHEN a = $n THEN b ELSE a END, weight, provenance FROM note_edges
            WHERE kind = 'semantic' AND (a = $n OR b = $n)
            ORDER BY 1
            """).With("$n", noteId).ListAsync(r => new NoteEdge(r.GetInt64(0), r.GetDouble(1), r.GetString(2)), ct), ct);

    public Task<IReadOnlyDictionary<long, int>> GetSemanticDegreesAsync(IReadOnlyCollection<long> noteIds, long except, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyDictionary<long, int>>(async c =>
        {
            var degrees = new Dictionary<long, int>();
            foreach (var id in noteIds.Distinct())
            {
                degrees[id] = (int)await c.Sql("""
                    SELECT count(*) FROM note_edges WHERE kind = 'semantic' AND (a = $id OR b = $id) AND a <> $x AND b <> $x
                    """).With("$id", id).With("$x", except).ScalarAsync<long>(ct);
            }

            return degrees;
        }, ct);

    public Task<IReadOnlySet<(string A, string B)>> GetScoredPairsAsync(IReadOnlyCollection<(string A, string B)> pairs, CancellationToken ct) =>
        db.ReadAsync<IReadOnlySet<(string A, string B)>>(async c =>
        {
            var scored = new HashSet<(string A, string B)>();
            foreach (var pair in pairs)
            {
                var exists = await c.Sql("""
                    SELECT EXISTS (SELECT 1 FROM topics ta JOIN topics tb ON tb.key = $b
                                   JOIN topic_relations r ON r.a = min(ta.id, tb.id) AND r.b = max(ta.id, tb.id)
                                   WHERE ta.key = $a)
                    """).With("$a", pair.A).With("$b", pair.B).ScalarAsync<long>(ct);
                if (exists == 1)
                {
                    scored.Add(pair);
                }
            }

            return scored;
        }, ct);

    public Task<IReadOnlyList<ChunkVector>?> WriteAsync(NoteIndexWrite write, IReadOnlyCollection<long> jobIds, CancellationToken ct) =>
        db.WriteAsync<IReadOnlyList<ChunkVector>?>(async (c, tx) =>
        {
            var now = db.NowMs;
            var current = await c.Sql("SELECT version FROM notes WHERE id = $n AND deleted_at IS NULL", tx).With("$n", write.NoteId).ScalarAsync<long?>(ct);
            if (current is null)
            {
                // Trashed or purged while it was being embedded: its remove job is queued; do its work now.
                await IndexRows.RemoveDerivedAsync(c, tx, write.NoteId, now, ct);
                await SqliteJobQueue.CompleteAsync(c, tx, jobIds, ct);
                return null;
            }

            var stored = await WriteChunksAsync(c, tx, write, ct);
            await IndexWrites.ReplaceTopicsAsync(c, tx, write.NoteId, write.Topics, write.TopicSource, now, ct);
            await IndexWrites.ReplaceLinkEdgesAsync(c, tx, write.NoteId, ct);
            await IndexWrites.ReplaceSemanticEdgesAsync(c, tx, write.NoteId, write.SemanticEdges, ct);
            await IndexWrites.AddRelationsAsync(c, tx, write.Relations, now, ct);
            // Edited while being indexed: the rows are newer than before, and the newer job (queued with the edit) finishes the work.
            await c.Sql("""
                INSERT INTO note_index (note_id, state, model_id, version, error, updated_at) VALUES ($n, $state, $m, $v, NULL, $now)
                ON CONFLICT (note_id) DO UPDATE SET state = excluded.state, model_id = excluded.model_id, version = excluded.version,
                                                    error = NULL, updated_at = excluded.updated_at
                """, tx).With("$n", write.NoteId).With("$state", current == write.Version ? "indexed" : "pending")
                .With("$m", write.ModelId).With("$v", write.Version).With("$now", now).ExecAsync(ct);
            await SqliteJobQueue.CompleteAsync(c, tx, jobIds, ct);
            return stored;
        }, ct);

    public Task RemoveAsync(long noteId, IReadOnlyCollection<long> jobIds, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        await IndexRows.RemoveDerivedAsync(c, tx, noteId, db.NowMs, ct);
        await SqliteJobQueue.CompleteAsync(c, tx, jobIds, ct);
        return true;
    }, ct);

    public Task WriteSemanticEdgesAsync(long noteId, IReadOnlyList<NoteEdge> edges, IReadOnlyCollection<long> jobIds, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            await IndexWrites.ReplaceSemanticEdgesAsync(c, tx, noteId, edges, ct);
            await SqliteJobQueue.CompleteAsync(c, tx, jobIds, ct);
            return true;
        }, ct);

    /// <summary>Chunks keep their ids by ordinal, so re-indexing the same text rewrites the same rows; other models' vectors of the note go (they describe an older text).</summary>
    private static async Task<IReadOnlyList<ChunkVector>> WriteChunksAsync(SqliteConnection c, SqliteTransaction tx, NoteIndexWrite write, CancellationToken ct)
    {
        var stored = new List<ChunkVector>(write.Chunks.Count);
        foreach (var chunk in write.Chunks)
        {
            var id = await c.Sql("""
                INSERT INTO chunks (note_id, ordinal, start, "end", tokens) VALUES ($n, $o, $s, $e, $t)
                ON CONFLICT (note_id, ordinal) DO UPDATE SET start = excluded.start, "end" = excluded."end", tokens = excluded.tokens
                RETURNING id
                """, tx).With("$n", write.NoteId).With("$o", chunk.Ordinal).With("$s", chunk.Start).With("$e", chunk.End).With("$t", chunk.Tokens)
                .ScalarAsync<long>(ct);
            stored.Add(new ChunkVector(id, chunk.Vector));
        }

        await c.Sql("""
            DELETE FROM embeddings WHERE chunk_id IN (SELECT id FROM chunks WHERE note_id = $n AND ordinal >= $count);
            DELETE FROM chunks WHERE note_id = $n AND ordinal >= $count;
            DELETE FROM embeddings WHERE chunk_id IN (SELECT id FROM chunks WHERE note_id = $n) AND model_id <> $m;
            """, tx).With("$n", write.NoteId).With("$count", write.Chunks.Count).With("$m", write.ModelId).ExecAsync(ct);
        foreach (var chunk in stored)
        {
            await c.Sql("""
                INSERT INTO embeddings (chunk_id, model_id, vector) VALUES ($c, $m, $v)
                ON CONFLICT (chunk_id, model_id) DO UPDATE SET vector = excluded.vector
                """, tx).With("$c", chunk.ChunkId).With("$m", write.ModelId).With("$v", SqliteVectorIndexProvider.ToBlob(chunk.Vector)).ExecAsync(ct);
        }

        return stored;
    }
}
