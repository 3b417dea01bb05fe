namespace Neptune.Core.Topics;

/// <summary>A note inside <see cref="TopicClusters"/>: its unit vector, its terms as given and summed by key.</summary>
internal sealed class NoteEntry(long id, float[] vector, IReadOnlyDictionary<string, int> terms)
{
    public long Id => id;

    public float[] Vector => vector;

    public IReadOnlyDictionary<string, int> Terms => terms;

    /// <summary>Counts by <see cref="TopicLabel.Key"/>, each with the spelling that carried most of it.</summary>
    public Dictionary<string, (int Count, string Spelling)> Keys { get; } = KeysOf(terms);

    public int? ClusterId { get; set; }

    private static Dictionary<string, (int Count, string Spelling)> KeysOf(IReadOnlyDictionary<string, int> terms)
    {
        var keys = new Dictionary<string, (int Count, string Spelling)>(StringComparer.Ordinal);
        var best = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (term, count) in terms.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var key = TopicLabel.Key(term);
            if (key.Length == 0 || count <= 0)
            {
                continue;
            }

            var spelling = TopicLabel.Normalize(term);
            var (sum, kept) = keys.GetValueOrDefault(key, (0, spelling));
            if (count > best.GetValueOrDefault(key))
            {
                best[key] = count;
                kept = spelling;
            }

            keys[key] = (sum + count, kept);
        }

        return keys;
    }
}

/// <summary>A cluster while it changes: the running sum of its members' vectors keeps the centroid one step away.</summary>
internal sealed class LiveCluster(int id, int dimensions)
{
    public int Id => id;

    public float[] Sum { get; } = new float[dimensions];

    public float[] Centroid { get; private set; } = new float[dimensions];

    public SortedSet<long> Members { get; } = [];

    public Dictionary<string, int> Terms { get; } = new(StringComparer.Ordinal);

    public long Words { get; private set; }

    public string Label { get; set; } = "";

    public void Add(NoteEntry note)
    {
        Members.Add(note.Id);
        UnitVectors.AddScaled(Sum, note.Vector);
        Centroid = UnitVectors.Normalized(Sum);
        foreach (var (key, (count, _)) in note.Keys)
        {
            Terms[key] = Terms.GetValueOrDefault(key) + count;
            Words += count;
        }
    }

    public void Remove(NoteEntry note)
    {
        Members.Remove(note.Id);
        UnitVectors.AddScaled(Sum, note.Vector, -1);
        Centroid = UnitVectors.Normalized(Sum);
        foreach (var (key, (count, _)) in note.Keys)
        {
            var left = Terms[key] - count;
            if (left > 0)
            {
                Terms[key] = left;
            }
            else
            {
                Terms.Remove(key);
            }

            Words -= count;
        }
    }

    public TopicCluster ToRecord() => new(
        id,
        Label,
        (float[])Centroid.Clone(),
        [.. Members],
        new SortedDictionary<string, int>(Terms, StringComparer.Ordinal));
}
