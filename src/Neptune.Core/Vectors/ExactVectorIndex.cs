using System.Numerics;

namespace Neptune.Core.Vectors;

/// <summary>
/// Exact search: a dot product with every vector, kept in one contiguous array (a slot per chunk) so the scan streams
/// memory; freed slots are reused. Writers take an exclusive lock, searches a shared one.
/// </summary>
public sealed class ExactVectorIndex(long modelId, int dimensions) : IVectorIndex, IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly Dictionary<long, List<int>> _slotsByNote = [];
    private readonly Stack<int> _free = new();
    private float[] _vectors = new float[dimensions * 1024];
    private long[] _chunkIds = new long[1024];
    private long[] _noteIds = new long[1024];  // 0 = free slot
    private int _used;  // slots ever used (high-water mark)

    public long ModelId { get; } = modelId;

    public int Dimensions { get; } = dimensions;

    public int Count { get; private set; }

    public int NoteCount
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _slotsByNote.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    public void ReplaceNote(long noteId, IReadOnlyList<ChunkVector> chunks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(noteId);
        foreach (var chunk in chunks)
        {
            if (chunk.Vector.Length != Dimensions)
            {
                throw new ArgumentException($"Chunk {chunk.ChunkId} has {chunk.Vector.Length} dimensions; this index holds {Dimensions}.", nameof(chunks));
            }
        }

        _lock.EnterWriteLock();
        try
        {
            RemoveLocked(noteId);
            if (chunks.Count == 0)
            {
                return;
            }

            var slots = new List<int>(chunks.Count);
            foreach (var chunk in chunks)
            {
                var slot = _free.Count > 0 ? _free.Pop() : NewSlot();
                chunk.Vector.CopyTo(_vectors.AsSpan(slot * Dimensions, Dimensions));
                _chunkIds[slot] = chunk.ChunkId;
                _noteIds[slot] = noteId;
                slots.Add(slot);
            }

            _slotsByNote[noteId] = slots;
            Count += slots.Count;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public void RemoveNote(long noteId)
    {
        _lock.EnterWriteLock();
        try
        {
            RemoveLocked(noteId);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public IReadOnlyList<VectorHit> Search(ReadOnlySpan<float> query, int k, Func<long, bool>? acceptNote = null)
    {
        if (query.Length != Dimensions)
        {
            throw new ArgumentException($"The query has {query.Length} dimensions; this index holds {Dimensions}.", nameof(query));
        }

        if (k <= 0)
        {
            return [];
        }

        _lock.EnterReadLock();
        try
        {
            var best = new PriorityQueue<int, float>(k + 1);  // min-heap of the k best so far
            for (var slot = 0; slot < _used; slot++)
            {
                var note = _noteIds[slot];
                if (note == 0 || (acceptNote is not null && !acceptNote(note)))
                {
                    continue;
                }

                var score = Dot(query, _vectors.AsSpan(slot * Dimensions, Dimensions));
                if (best.Count < k)
                {
                    best.Enqueue(slot, score);
                }
                else if (best.TryPeek(out _, out var worst) && score > worst)
                {
                    best.DequeueEnqueue(slot, score);
                }
            }

            var hits = new VectorHit[best.Count];
            for (var i = hits.Length - 1; i >= 0; i--)
            {
                best.TryDequeue(out var slot, out var score);
                hits[i] = new VectorHit(_noteIds[slot], _chunkIds[slot], score);
            }

            return hits;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose() => _lock.Dispose();

    private void RemoveLocked(long noteId)
    {
        if (!_slotsByNote.Remove(noteId, out var slots))
        {
            return;
        }

        foreach (var slot in slots)
        {
            _noteIds[slot] = 0;
            _free.Push(slot);
        }

        Count -= slots.Count;
    }

    private int NewSlot()
    {
        if (_used == _noteIds.Length)
        {
            var capacity = _noteIds.Length * 2;
            Array.Resize(ref _vectors, capacity * Dimensions);
            Array.Resize(ref _chunkIds, capacity);
            Array.Resize(ref _noteIds, capacity);
        }

        return _used++;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            sum += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        }

        var total = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }
}
