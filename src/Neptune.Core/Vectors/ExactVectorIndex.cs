namespace Neptune.Core.Vectors;

/// <summary>
/// Brute-force search over one contiguous array per representation (a slot per chunk, freed slots reused), so a scan
/// streams memory with no per-vector indirection. Writers take an exclusive lock, searches a shared one.
/// </summary>
/// <remarks>
/// What each chunk keeps is <see cref="VectorPrecision"/>: by default int8 codes for the scan and float16 copies for the
/// re-rank and note vectors (1,152 bytes a 384-d vector instead of 1,920 with float32 copies: 154 MB less at 100k notes).
/// </remarks>
public sealed class ExactVectorIndex(long modelId, int dimensions, int capacity = 1024, VectorScan? scan = null, VectorPrecision precision = VectorPrecision.Compact) : IVectorIndex, IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly Dictionary<long, List<int>> _slotsByNote = [];
    private readonly Stack<int> _free = new();
    private readonly VectorScan _scan = scan ?? VectorScan.Default;
    // Uninitialised: slots past the high-water mark are never read, and zeroing 150 MB costs a tenth of a load.
    // One of the two holds the vectors themselves, as the precision says; the other stays empty.
    private float[] _vectors = precision == VectorPrecision.Full ? GC.AllocateUninitializedArray<float>(dimensions * Math.Max(capacity, 16)) : [];
    private Half[] _halves = precision == VectorPrecision.Compact ? GC.AllocateUninitializedArray<Half>(dimensions * Math.Max(capacity, 16)) : [];
    private sbyte[] _codes = (scan ?? VectorScan.Default).Quantized ? GC.AllocateUninitializedArray<sbyte>(dimensions * Math.Max(capacity, 16)) : [];
    private float[] _scales = new float[Math.Max(capacity, 16)];
    private int[] _codeSums = new int[Math.Max(capacity, 16)];
    private long[] _chunkIds = new long[Math.Max(capacity, 16)];
    private long[] _noteIds = new long[Math.Max(capacity, 16)];  // 0 = free slot
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

    public VectorPrecision Precision { get; } = precision;

    /// <summary>Bytes held by the vector arrays (float32 or float16 copies, int8 codes, ids), for memory reports.</summary>
    public long ArrayBytes => (_vectors.LongLength * sizeof(float)) + (_halves.LongLength * 2) + _codes.LongLength + ((long)_noteIds.Length * 24);

    public void ReplaceNote(long noteId, IReadOnlyList<ChunkVector> chunks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(noteId);
        foreach (var chunk in chunks)
        {
            CheckDimensions(chunk.Vector.Length, chunk.ChunkId);
        }

        _lock.EnterWriteLock();
        try
        {
            RemoveLocked(noteId);
            foreach (var chunk in chunks)
            {
                AddLocked(noteId, chunk.ChunkId, chunk.Vector);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Adds one chunk to a note without touching its others: how a loader fills the index row by row.</summary>
    public void Add(long noteId, long chunkId, ReadOnlySpan<float> vector)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(noteId);
        CheckDimensions(vector.Length, chunkId);
        _lock.EnterWriteLock();
        try
        {
            AddLocked(noteId, chunkId, vector);
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

    public IReadOnlyList<VectorHit> Search(ReadOnlySpan<float> query, int k, Func<long, bool>? acceptNote = null) =>
        Search(query, k, acceptNote, _scan);

    /// <summary>As <see cref="Search(ReadOnlySpan{float}, int, Func{long, bool}?)"/>, with another scan (the benchmark compares them).</summary>
    public IReadOnlyList<VectorHit> Search(ReadOnlySpan<float> query, int k, Func<long, bool>? acceptNote, VectorScan scan)
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
            var quantized = scan.Quantized && _codes.Length > 0;
            var best = new TopK(quantized ? Math.Max(k * scan.Oversample, Math.Max(k, scan.MinCandidates)) : k);
            if (quantized)
            {
                ScanInt8(VectorMath.PrepareQuery(query), best, acceptNote);
                var rescored = new TopK(k);
                foreach (var (slot, _) in best.Sorted())
                {
                    rescored.Add(slot, Exact(query, slot));
                }

                best = rescored;
            }
            else
            {
                ScanFloat32(query, best, acceptNote);
            }

            return [.. best.Sorted().Select(h => new VectorHit(_noteIds[h.Slot], _chunkIds[h.Slot], h.Score))];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public float[]? NoteVector(long noteId)
    {
        _lock.EnterReadLock();
        try
        {
            if (!_slotsByNote.TryGetValue(noteId, out var slots))
            {
                return null;
            }

            var mean = new float[Dimensions];
            foreach (var slot in slots)
            {
                AddKept(mean, slot);
            }

            var norm = MathF.Sqrt(VectorMath.Dot(mean, mean));
            if (norm == 0)
            {
                return null;
            }

            for (var i = 0; i < mean.Length; i++)
            {
                mean[i] /= norm;
            }

            return mean;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose() => _lock.Dispose();

    private void ScanFloat32(ReadOnlySpan<float> query, TopK best, Func<long, bool>? acceptNote)
    {
        var filter = new NoteFilter(acceptNote);
        for (var slot = 0; slot < _used; slot++)
        {
            if (!filter.Accepts(_noteIds[slot]))
            {
                continue;
            }

            var score = Exact(query, slot);
            if (score > best.Threshold)
            {
                best.Add(slot, score);
            }
        }
    }

    private void ScanInt8(in Int8Query query, TopK best, Func<long, bool>? acceptNote)
    {
        var filter = new NoteFilter(acceptNote);
        var codes = _codes.AsSpan();
        for (var slot = 0; slot < _used; slot++)
        {
            if (!filter.Accepts(_noteIds[slot]))
            {
                continue;
            }

            // Scaled back to a cosine, so the candidate threshold compares like with like across vectors.
            var score = VectorMath.DotInt8(query, codes.Slice(slot * Dimensions, Dimensions), _codeSums[slot]) * _scales[slot] * query.Scale;
            if (score > best.Threshold)
            {
                best.Add(slot, score);
            }
        }
    }

    /// <summary>The query's dot product with the slot's kept vector (float32, or float16 widened on the fly).</summary>
    private float Exact(ReadOnlySpan<float> query, int slot) => _halves.Length > 0
        ? VectorMath.DotHalf(query, _halves.AsSpan(slot * Dimensions, Dimensions))
        : VectorMath.Dot(query, _vectors.AsSpan(slot * Dimensions, Dimensions));

    /// <summary>Adds the slot's kept vector (float32, or float16 widened) to <paramref name="sum"/>.</summary>
    private void AddKept(float[] sum, int slot)
    {
        var start = slot * Dimensions;
        if (_halves.Length > 0)
        {
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += (float)_halves[start + i];
            }
        }
        else
        {
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += _vectors[start + i];
            }
        }
    }

    private void CheckDimensions(int length, long chunkId)
    {
        if (length != Dimensions)
        {
            throw new ArgumentException($"Chunk {chunkId} has {length} dimensions; this index holds {Dimensions}.", nameof(length));
        }
    }

    private void AddLocked(long noteId, long chunkId, ReadOnlySpan<float> vector)
    {
        var slot = _free.Count > 0 ? _free.Pop() : NewSlot();
        if (_halves.Length > 0)
        {
            VectorMath.ToHalf(vector, _halves.AsSpan(slot * Dimensions, Dimensions));
        }
        else
        {
            vector.CopyTo(_vectors.AsSpan(slot * Dimensions, Dimensions));
        }

        if (_codes.Length > 0)
        {
            (_scales[slot], _codeSums[slot]) = VectorMath.Quantize(vector, _codes.AsSpan(slot * Dimensions, Dimensions));
        }

        _chunkIds[slot] = chunkId;
        _noteIds[slot] = noteId;
        if (!_slotsByNote.TryGetValue(noteId, out var slots))
        {
            _slotsByNote[noteId] = slots = new List<int>(1);
        }

        slots.Add(slot);
        Count++;
    }

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
            _vectors = _vectors.Length > 0 ? Grow(_vectors, capacity * Dimensions) : _vectors;
            _halves = _halves.Length > 0 ? Grow(_halves, capacity * Dimensions) : _halves;
            if (_codes.Length > 0)
            {
                _codes = Grow(_codes, capacity * Dimensions);
            }

            Array.Resize(ref _scales, capacity);
            Array.Resize(ref _codeSums, capacity);
            Array.Resize(ref _chunkIds, capacity);
            Array.Resize(ref _noteIds, capacity);
        }

        return _used++;
    }

    private static T[] Grow<T>(T[] array, int length)
    {
        var grown = GC.AllocateUninitializedArray<T>(length);
        array.CopyTo(grown, 0);
        return grown;
    }
}
