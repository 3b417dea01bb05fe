using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Neptune.Core.Vectors;
using SQLitePCL;

namespace Neptune.Data.Sqlite;

/// <summary>
/// Desktop: one in-memory index per model, filled from the embeddings table the first time it is asked for. The app
/// keeps <see cref="VectorPrecision.Compact"/> copies; the benchmark also loads <see cref="VectorPrecision.Full"/> ones
/// for its exact reference.
/// </summary>
public sealed class SqliteVectorIndexProvider(SqliteDatabase db, VectorPrecision precision = VectorPrecision.Compact) : IVectorIndexProvider, IDisposable
{
    private readonly ConcurrentDictionary<long, Lazy<Task<ExactVectorIndex>>> _indexes = new();

    public async Task<IVectorIndex> GetAsync(long modelId, int dimensions, CancellationToken ct)
    {
        var lazy = _indexes.GetOrAdd(modelId, id => new Lazy<Task<ExactVectorIndex>>(() => LoadAsync(id, dimensions)));
        try
        {
            return await lazy.Value.WaitAsync(ct);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            _indexes.TryRemove(new(modelId, lazy));  // the next caller tries again rather than meeting the same failure forever
            throw;
        }
    }

    private Task<ExactVectorIndex> LoadAsync(long modelId, int dimensions) => db.ReadAsync(async c =>
    {
        var count = await c.Sql("SELECT count(*) FROM embeddings WHERE model_id = $m").With("$m", modelId).ScalarAsync<long>(CancellationToken.None);
        var index = new ExactVectorIndex(modelId, dimensions, (int)Math.Min(count + 1024, int.MaxValue / dimensions), precision: precision);

        // Straight through SQLite's C API: each vector is read from SQLite's own buffer into the index, with no
        // per-row allocation (ADO.NET would allocate a byte[] per blob). Trashed notes are left out.
        const string sql = """
            SELECT c.note_id, e.chunk_id, e.vector
            FROM embeddings e
            JOIN chunks c ON c.id = e.chunk_id
            JOIN notes n ON n.id = c.note_id
            WHERE e.model_id = ?1 AND n.deleted_at IS NULL
            """;
        var handle = c.Handle!;
        Check(raw.sqlite3_prepare_v2(handle, sql, out var statement), handle);
        using (statement)
        {
            Check(raw.sqlite3_bind_int64(statement, 1, modelId), handle);
            int step;
            while ((step = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                var blob = raw.sqlite3_column_blob(statement, 2);
                if (blob.Length == dimensions * sizeof(float))  // a row of another size is not this model's: never searchable
                {
                    index.Add(raw.sqlite3_column_int64(statement, 0), raw.sqlite3_column_int64(statement, 1), MemoryMarshal.Cast<byte, float>(blob));
                }
            }

            if (step != raw.SQLITE_DONE)
            {
                Check(step, handle);
            }
        }

        return index;
    }, CancellationToken.None);

    private static void Check(int result, sqlite3 handle)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE))
        {
            throw new Microsoft.Data.Sqlite.SqliteException($"Loading vectors failed: {raw.sqlite3_errmsg(handle).utf8_to_string()}", result);
        }
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
