using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Core.Chunking;
using Neptune.Core.Vectors;
using Neptune.Data;
using Neptune.Data.Sqlite;
using Neptune.Llm.Contract;
using Neptune.Llm.Models;
using Neptune.Llm.Onnx;

namespace Neptune.Testing;

/// <summary>
/// A STAND-IN FOR THE INDEXER (issue 4 part 1), for search tests and the search benchmark until the real one lands:
/// chunks notes with the real chunker and MiniLM token counter, embeds the chunks with the real embedded model and
/// writes chunks, embeddings and note_index rows as the indexer will, then updates the in-memory vector index.
/// Swap it for the indexer's own entry point once that exists; nothing in src/ depends on it.
/// </summary>
public sealed class IndexerStandIn(IServiceProvider services)
{
    private readonly SqliteDatabase _db = services.GetRequiredService<SqliteDatabase>();
    private readonly LocalLlmService _llm = services.GetRequiredService<LocalLlmService>();
    private readonly IVectorIndexProvider _vectors = services.GetRequiredService<IVectorIndexProvider>();

    /// <summary>Chunks, embeds and stores the given notes (their current content and version); returns the chunks written.</summary>
    public async Task<int> IndexAsync(IReadOnlyCollection<long> noteIds, CancellationToken ct, IProgress<int>? progress = null)
    {
        var model = await services.GetRequiredService<ModelRegistry>().EnsureActiveAsync(ct);
        var chunker = new Chunker(services.GetRequiredService<OnnxEmbeddingSource>().Generator.CountTokens);
        var notes = new List<(long Id, long Version, IReadOnlyList<Chunk> Chunks)>();
        await using (var connection = await _db.OpenAsync(ct))
        {
            foreach (var id in noteIds)
            {
                await using var read = connection.CreateCommand();
                read.CommandText = "SELECT content, version FROM notes WHERE id = $id";
                read.Parameters.AddWithValue("$id", id);
                await using var reader = await read.ExecuteReaderAsync(ct);
                if (await reader.ReadAsync(ct))
                {
                    notes.Add((id, reader.GetInt64(1), chunker.Split(reader.GetString(0))));
                }
            }
        }

        var index = await _vectors.GetAsync(model.Id, model.Dimensions, ct);
        var written = 0;
        foreach (var batch in notes.Chunk(16))
        {
            var texts = batch.SelectMany(n => n.Chunks.Select(c => c.Text)).ToList();
            var vectors = texts.Count == 0 ? [] : (await _llm.EmbedAsync(new EmbeddingsRequest(texts), ct)).Vectors;
            var next = 0;
            var stored = new List<(long NoteId, List<ChunkVector> Chunks)>();
            await _db.WriteAsync(async (c, tx) =>
            {
                foreach (var note in batch)
                {
                    await ExecAsync(c, tx, "DELETE FROM chunks WHERE note_id = $note", ct, ("$note", note.Id));
                    var chunkVectors = new List<ChunkVector>();
                    foreach (var chunk in note.Chunks)
                    {
                        var chunkId = (long)(await ScalarAsync(c, tx, """
                            INSERT INTO chunks (note_id, ordinal, start, "end", tokens) VALUES ($note, $ordinal, $start, $end, 0) RETURNING id
                            """, ct, ("$note", note.Id), ("$ordinal", chunk.Ordinal), ("$start", chunk.Start), ("$end", chunk.End)))!;
                        var vector = vectors[next++];
                        await ExecAsync(c, tx, "INSERT INTO embeddings (chunk_id, model_id, vector) VALUES ($chunk, $model, $vector)", ct,
                            ("$chunk", chunkId), ("$model", model.Id), ("$vector", SqliteVectorIndexProvider.ToBlob(vector)));
                        chunkVectors.Add(new ChunkVector(chunkId, vector));
                    }

                    await ExecAsync(c, tx, """
                        INSERT INTO note_index (note_id, state, model_id, version, updated_at) VALUES ($note, 'indexed', $model, $version, 0)
                        ON CONFLICT (note_id) DO UPDATE SET state = 'indexed', model_id = $model, version = $version
                        """, ct, ("$note", note.Id), ("$model", model.Id), ("$version", note.Version));
                    stored.Add((note.Id, chunkVectors));
                }

                return 0;
            }, ct);

            // After the commit, as the indexer will: the index never holds vectors the database does not.
            foreach (var (noteId, chunkVectors) in stored)
            {
                index.ReplaceNote(noteId, chunkVectors);
            }

            written += texts.Count;
            progress?.Report(written);
        }

        return written;
    }

    private static async Task ExecAsync(SqliteConnection c, SqliteTransaction tx, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(c, tx, sql, parameters);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection c, SqliteTransaction tx, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(c, tx, sql, parameters);
        return await command.ExecuteScalarAsync(ct);
    }

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction tx, string sql, (string Name, object Value)[] parameters)
    {
        var command = c.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
