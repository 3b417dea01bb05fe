namespace Neptune.Core.Vectors;

/// <summary>The <c>k</c> best (slot, score) pairs seen so far: a min-heap, so most candidates cost one comparison with <see cref="Threshold"/>.</summary>
internal sealed class TopK(int k)
{
    private readonly int[] _slots = new int[k];
    private readonly float[] _scores = new float[k];

    public int Count { get; private set; }

    /// <summary>The score a candidate must beat to enter: the worst kept once full, else −∞.</summary>
    public float Threshold { get; private set; } = float.NegativeInfinity;

    public void Add(int slot, float score)
    {
        if (Count < _slots.Length)
        {
            var i = Count++;
            _slots[i] = slot;
            _scores[i] = score;
            SiftUp(i);
            if (Count == _slots.Length)
            {
                Threshold = _scores[0];
            }

            return;
        }

        if (score <= _scores[0])
        {
            return;
        }

        _slots[0] = slot;
        _scores[0] = score;
        SiftDown(0);
        Threshold = _scores[0];
    }

    /// <summary>The kept pairs, best first (ties: lower slot first, so results are stable).</summary>
    public (int Slot, float Score)[] Sorted()
    {
        var items = new (int Slot, float Score)[Count];
        for (var i = 0; i < Count; i++)
        {
            items[i] = (_slots[i], _scores[i]);
        }

        Array.Sort(items, static (x, y) => y.Score != x.Score ? y.Score.CompareTo(x.Score) : x.Slot.CompareTo(y.Slot));
        return items;
    }

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (_scores[parent] <= _scores[i])
            {
                return;
            }

            Swap(i, parent);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            var smallest = i;
            var left = (2 * i) + 1;
            var right = left + 1;
            if (left < Count && _scores[left] < _scores[smallest])
            {
                smallest = left;
            }

            if (right < Count && _scores[right] < _scores[smallest])
            {
                smallest = right;
            }

            if (smallest == i)
            {
                return;
            }

            Swap(i, smallest);
            i = smallest;
        }
    }

    private void Swap(int a, int b)
    {
        (_slots[a], _slots[b]) = (_slots[b], _slots[a]);
        (_scores[a], _scores[b]) = (_scores[b], _scores[a]);
    }
}
