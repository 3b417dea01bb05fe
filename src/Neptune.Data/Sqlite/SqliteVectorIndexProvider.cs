using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Neptune.Core.Vectors;

namespace Neptune.Data.Sqlite;

/// <summary>Desktop: one in-memory exact index per model, filled from the embeddings table the first time it is asked for.</summary>
public sealed class SqliteVectorIndexProvider(SqliteDatabase db) : IVectorIndexProvider, IDisposable
{
    private readonly ConcurrentDictionary<long, Lazy<Task<ExactVectorIndex>>> _indexes = new();

    public async Task<IVectorIndex> GetAsync(long modelId, int dimensions, CancellationToken ct) =>
        await _indexes.GetOrAdd(modelId, id => new Lazy<Task<ExactVectorIndex>>(() => LoadAsync(id, dimensions))).Value;

    private async Task<ExactVectorIndex> LoadAsync(long modelId, int dimensions)
    {
        var index = new ExactVectorIndex(modelId, dimensions);
        await db.ReadAsync(async c =>
        {
            using var command = c.Sql("""
                SELECT c.note_id, e.chunk_id, e.vector
                FROM embeddings e JOIN chunks c ON c.id = e.chunk_id
                WHERE e.model_id = $m
                ORDER BY c.note_id, c.ordinal
                """).With("$m", modelId);
            using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
            long current = 0;
            var chunks = new List<ChunkVector>();
            while (await reader.ReadAsync(CancellationToken.None))
            {
                var noteId = reader.GetInt64(0);
                if (noteId != current && chunks.Count > 0)
                {
                    index.ReplaceNote(current, chunks);
                    chunks = [];
                }

                current = noteId;
                var bytes = (byte[])reader.GetValue(2);
                chunks.Add(new ChunkVector(reader.GetInt64(1), MemoryMarshal.Cast<byte, float>(bytes).ToArray()));
            }

            if (chunks.Count > 0)
            {
                index.ReplaceNote(current, chunks);
            }

            return 0;
        }, CancellationToken.None);
        return index;
    }

    /// <summary>float32 little-endian, as the embeddings table stores vectors.</summary>
    public static byte[] ToBlob(ReadOnlySpan<float> vector) => MemoryMarshal.AsBytes(vector).ToArray();

    public void Dispose()
    {
        foreach (var lazy in _indexes.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                lazy.Value.Result.Dispose();
            }
        }
    }
}
