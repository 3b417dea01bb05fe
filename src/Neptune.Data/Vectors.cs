using Neptune.Core.Vectors;

namespace Neptune.Data;

/// <summary>
/// The vector index of a model, loaded from the embeddings table on first use and then kept current by the indexer
/// (which calls <see cref="IVectorIndex.ReplaceNote"/> / <see cref="IVectorIndex.RemoveNote"/> after each commit).
/// </summary>
public interface IVectorIndexProvider
{
    Task<IVectorIndex> GetAsync(long modelId, int dimensions, CancellationToken ct);
}

/// <summary>
/// The <paramref name="K"/> chunks of a model nearest to <paramref name="Vector"/> (a unit vector), among live notes,
/// only those in <paramref name="OnlyNotes"/> when given, never <paramref name="ExceptNote"/>.
/// </summary>
public sealed record VectorQuery(long ModelId, int Dimensions, float[] Vector, int K, IReadOnlySet<long>? OnlyNotes = null, long? ExceptNote = null);

/// <summary>
/// Where search, related notes and semantic edges find nearest chunks: an in-memory exact index per process
/// (<see cref="InMemoryVectorSearch"/>, the desktop) or pgvector's HNSW index per model inside PostgreSQL
/// (<see cref="Postgres.PgvectorSearch"/>, chosen by Neptune:Search:Vectors).
/// </summary>
public interface IVectorSearch
{
    /// <summary>Whether the model has any vector to search (false while a fresh model's notes are being embedded).</summary>
    Task<bool> HasVectorsAsync(long modelId, int dimensions, CancellationToken ct);

    /// <summary>Nearest chunks, best first, each scored by its cosine similarity to the query.</summary>
    Task<IReadOnlyList<VectorHit>> SearchAsync(VectorQuery query, CancellationToken ct);

    /// <summary>The unit-length mean of each note's chunk vectors ("what the note is about"), for the notes that have any.</summary>
    Task<IReadOnlyDictionary<long, float[]>> NoteVectorsAsync(long modelId, int dimensions, IReadOnlyCollection<long> noteIds, CancellationToken ct);

    /// <summary>
    /// Told by the indexer after it committed a note's vectors (empty when the note lost them), so an index held in
    /// memory takes the change; the database is already current.
    /// </summary>
    Task NoteChangedAsync(long modelId, int dimensions, long noteId, IReadOnlyList<ChunkVector> chunks, CancellationToken ct);
}
