namespace Neptune.Core.Vectors;

/// <summary>One chunk's unit vector.</summary>
public readonly record struct ChunkVector(long ChunkId, float[] Vector);

/// <summary>A chunk found by vector search; <see cref="Score"/> is the cosine similarity (vectors are unit length).</summary>
public readonly record struct VectorHit(long NoteId, long ChunkId, float Score);

/// <summary>
/// One model's chunk vectors in memory, grouped by note (desktop mode; server mode uses pgvector). Safe for many
/// concurrent searches while one writer replaces or removes notes.
/// </summary>
public interface IVectorIndex
{
    /// <summary>The registry id of the model whose vectors these are; never mixed with another model's.</summary>
    long ModelId { get; }

    int Dimensions { get; }

    /// <summary>Chunks held.</summary>
    int Count { get; }

    /// <summary>Notes held.</summary>
    int NoteCount { get; }

    /// <summary>Replaces every chunk of <paramref name="noteId"/> (an empty list removes the note).</summary>
    void ReplaceNote(long noteId, IReadOnlyList<ChunkVector> chunks);

    void RemoveNote(long noteId);

    /// <summary>The <paramref name="k"/> most similar chunks, best first, among notes <paramref name="acceptNote"/> accepts.</summary>
    IReadOnlyList<VectorHit> Search(ReadOnlySpan<float> query, int k, Func<long, bool>? acceptNote = null);

    /// <summary>The unit-length mean of the note's chunk vectors ("what the note is about"), or null when it has none.</summary>
    float[]? NoteVector(long noteId);
}
