using Neptune.Core.Vectors;

namespace Neptune.Data;

/// <summary>
/// Exact search over each model's vectors held in this process (<see cref="IVectorIndexProvider"/>): the desktop's
/// vectors, and server mode's with Neptune:Search:Vectors = memory. It sees only what this process's indexer writes.
/// </summary>
public sealed class InMemoryVectorSearch(IVectorIndexProvider indexes) : IVectorSearch
{
    public IVectorIndexProvider Indexes => indexes;

    public async Task<bool> HasVectorsAsync(long modelId, int dimensions, CancellationToken ct) =>
        (await indexes.GetAsync(modelId, dimensions, ct)).Count > 0;

    public async Task<IReadOnlyList<VectorHit>> SearchAsync(VectorQuery query, CancellationToken ct)
    {
        var index = await indexes.GetAsync(query.ModelId, query.Dimensions, ct);
        Func<long, bool>? accept = (query.OnlyNotes, query.ExceptNote) switch
        {
            (null, null) => null,
            (null, { } except) => id => id != except,
            ({ } only, null) => only.Contains,
            ({ } only, { } except) => id => id != except && only.Contains(id),
        };
        return index.Search(query.Vector, query.K, accept);
    }

    public async Task<IReadOnlyDictionary<long, float[]>> NoteVectorsAsync(long modelId, int dimensions, IReadOnlyCollection<long> noteIds, CancellationToken ct)
    {
        var index = await indexes.GetAsync(modelId, dimensions, ct);
        var vectors = new Dictionary<long, float[]>(noteIds.Count);
        foreach (var id in noteIds)
        {
            if (index.NoteVector(id) is { } vector)
            {
                vectors[id] = vector;
            }
        }

        return vectors;
    }

    public async Task NoteChangedAsync(long modelId, int dimensions, long noteId, IReadOnlyList<ChunkVector> chunks, CancellationToken ct)
    {
        var index = await indexes.GetAsync(modelId, dimensions, ct);
        if (chunks.Count == 0)
        {
            index.RemoveNote(noteId);
        }
        else
        {
            index.ReplaceNote(noteId, chunks);
        }
    }
}
