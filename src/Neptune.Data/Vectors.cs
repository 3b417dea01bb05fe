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
