using System.Collections.Concurrent;
using Neptune.Core.Vectors;
using Pgvector;

namespace Neptune.Data.Postgres;

/// <summary>
/// One in-memory index per model, filled from the pgvector embeddings the first time it is asked for, as on the desktop
/// (Neptune:Search:Vectors = memory). It stays current with the indexer of this process only: pods that index
/// separately search with <see cref="PgvectorSearch"/> instead (the default on PostgreSQL).
/// </summary>
public sealed class PostgresVectorIndexProvider(PostgresDatabase db) : IVectorIndexProvider, IDisposable
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
        var count = await c.Sql("SELECT count(*) FROM embeddings WHERE model_id = @m").With("m", modelId).ScalarAsync<long>(CancellationToken.None);
        var index = new ExactVectorIndex(modelId, dimensions, (int)Math.Min(count + 1024, int.MaxValue / dimensions));
        await using var command = c.Sql("""
            SELECT c.note_id, e.chunk_id, e.vector
            FROM embeddings e
            JOIN chunks c ON c.id = e.chunk_id
            JOIN notes n ON n.id = c.note_id
            WHERE e.model_id = @m AND n.deleted_at IS NULL AND vector_dims(e.vector) = @dims
            """).With("m", modelId).With("dims", dimensions);  // a row of another size is not this model's: never searchable
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        while (await reader.ReadAsync(CancellationToken.None))
        {
            index.Add(reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<Vector>(2).Memory.Span);
        }

        return index;
    }, CancellationToken.None);

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
