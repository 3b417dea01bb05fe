namespace Neptune.Core.Topics;

/// <summary>
/// Notes grouped into corpus-level topics by their unit vectors, with ids that stay stable as the corpus changes.
/// <see cref="Assign"/> and <see cref="Remove"/> touch one cluster only: a note joins the nearest cluster when its cosine
/// to the centroid reaches <see cref="TopicClusterOptions.JoinThreshold"/>, else it waits unclustered — no cluster of one
/// is made, so outliers do not mint ids that the next <see cref="Recluster"/> would retire. <see cref="Recluster"/>
/// regroups everything (spherical k-means seeded from the current centroids and the unclustered notes, small clusters
/// dissolved, close ones merged, two-topic ones split) and gives each new cluster the id of the old one it mostly
/// continues (<see cref="ClusterMatching"/>); notes still far from every centroid stay unclustered.
/// Labels are c-TF-IDF terms (<see cref="ClassTfIdf"/>). Not thread-safe: one indexer owns it.
/// </summary>
public sealed class TopicClusters(TopicClusterOptions? options = null)
{
    private readonly TopicClusterOptions _options = Validated(options ?? new TopicClusterOptions());
    private readonly Dictionary<long, NoteEntry> _notes = [];
    private readonly SortedDictionary<int, LiveCluster> _clusters = [];
    private readonly Dictionary<string, long> _termTotals = new(StringComparer.Ordinal);
    private long _totalWords;
    private int _nextId = 1;
    private int _dimensions;

    public IReadOnlyList<TopicCluster> Clusters => [.. _clusters.Values.Select(c => c.ToRecord())];

    public int NoteCount => _notes.Count;

    public int UnclusteredCount => _notes.Values.Count(n => n.ClusterId is null);

    public TopicCluster? Cluster(int id) => _clusters.GetValueOrDefault(id)?.ToRecord();

    /// <summary>The note's cluster; null when the note is unclustered or unknown.</summary>
    public int? ClusterOf(long noteId) => _notes.GetValueOrDefault(noteId)?.ClusterId;

    /// <summary>Adds or replaces a note. <paramref name="terms"/> are its words or keyphrases with their counts (c-TF-IDF input).</summary>
    public TopicAssignment Assign(long noteId, ReadOnlySpan<float> vector, IReadOnlyDictionary<string, int> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        CheckDimensions(vector.Length);
        Remove(noteId);
        var note = new NoteEntry(noteId, UnitVectors.Normalized(vector), new Dictionary<string, int>(terms, StringComparer.Ordinal));
        _notes[noteId] = note;

        LiveCluster? nearest = null;
        var similarity = float.NegativeInfinity;
        foreach (var cluster in _clusters.Values)
        {
            var cosine = UnitVectors.Dot(note.Vector, cluster.Centroid);
            if (cosine > similarity)
            {
                (nearest, similarity) = (cluster, cosine);
            }
        }

        if (nearest is null || similarity < _options.JoinThreshold)
        {
            return new TopicAssignment(noteId, null, nearest is null ? 0 : similarity);
        }

        Join(nearest, note);
        Relabel(nearest);
        return new TopicAssignment(noteId, nearest.Id, similarity);
    }

    /// <summary>Forgets a note; only its cluster changes, and a cluster left empty is retired.</summary>
    public TopicRemoval Remove(long noteId)
    {
        if (!_notes.Remove(noteId, out var note) || note.ClusterId is not { } id)
        {
            return new TopicRemoval(noteId, null, false);
        }

        var cluster = _clusters[id];
        Leave(cluster, note);
        if (cluster.Members.Count == 0)
        {
            _clusters.Remove(id);
            return new TopicRemoval(noteId, id, true);
        }

        Relabel(cluster);
        return new TopicRemoval(noteId, id, false);
    }

    /// <summary>Regroups all notes; see the class summary. Deterministic for the same notes and state.</summary>
    public ReclusterReport Recluster()
    {
        var notes = _notes.Values.OrderBy(n => n.Id).ToList();
        var old = _clusters.Values.ToList();
        var seeds = old.Select(c => c.Centroid).Concat(LeaderSeeds(notes.Where(n => n.ClusterId is null))).ToList();
        var groups = SphericalKMeans.Run([.. notes.Select(n => n.Vector)], seeds, _options);
        var members = groups.Select(g => g.Select(i => notes[i]).ToList()).ToList();
        var ids = ClusterMatching.Match(old, members, _options.MinOverlap);

        var previous = notes.ToDictionary(n => n.Id, n => n.ClusterId);
        _clusters.Clear();
        _termTotals.Clear();
        _totalWords = 0;
        foreach (var note in notes)
        {
            note.ClusterId = null;
        }

        var created = new List<int>();
        for (var g = 0; g < members.Count; g++)
        {
            var id = ids[g] ?? _nextId++;
            if (ids[g] is null)
            {
                created.Add(id);
            }

            var cluster = _clusters[id] = new LiveCluster(id, _dimensions);
            foreach (var note in members[g])
            {
                Join(cluster, note);
            }
        }

        foreach (var cluster in _clusters.Values)
        {
            Relabel(cluster);
        }

        var kept = ids.OfType<int>().Order().ToList();
        return new ReclusterReport(
            kept,
            created,
            [.. old.Select(c => c.Id).Except(kept)],
            [.. notes.Where(n => n.ClusterId != previous[n.Id]).Select(n => n.Id)],
            notes.Count(n => n.ClusterId is null));
    }

    /// <summary>
    /// Seeds for the unclustered notes by the rule <see cref="Assign"/> follows: in id order, each note joins the
    /// nearest running group within the join threshold of its centroid, else starts a group.
    /// </summary>
    private List<float[]> LeaderSeeds(IEnumerable<NoteEntry> unclustered)
    {
        var sums = new List<float[]>();
        var centroids = new List<float[]>();
        foreach (var note in unclustered)
        {
            var best = -1;
            var bestSimilarity = _options.JoinThreshold;
            for (var g = 0; g < centroids.Count; g++)
            {
                var similarity = UnitVectors.Dot(note.Vector, centroids[g]);
                if (similarity >= bestSimilarity && (best < 0 || similarity > bestSimilarity))
                {
                    (best, bestSimilarity) = (g, similarity);
                }
            }

            if (best < 0)
            {
                sums.Add((float[])note.Vector.Clone());
                centroids.Add(note.Vector);
            }
            else
            {
                UnitVectors.AddScaled(sums[best], note.Vector);
                centroids[best] = UnitVectors.Normalized(sums[best]);
            }
        }

        return centroids;
    }

    public TopicClustersState Snapshot() => new(
        _nextId,
        Clusters,
        [.. _notes.Values.OrderBy(n => n.Id).Select(n => new ClusteredNote(n.Id, (float[])n.Vector.Clone(), n.Terms, n.ClusterId))]);

    /// <summary>Rebuilds clusters from a snapshot; centroids, term counts and labels are recomputed from the members.</summary>
    public static TopicClusters Restore(TopicClustersState state, TopicClusterOptions? options = null)
    {
        var clusters = new TopicClusters(options);
        foreach (var saved in state.Notes)
        {
            clusters.CheckDimensions(saved.Vector.Length);
            clusters._notes[saved.NoteId] = new NoteEntry(saved.NoteId, UnitVectors.Normalized(saved.Vector), saved.Terms);
        }

        foreach (var saved in state.Clusters)
        {
            var cluster = clusters._clusters[saved.Id] = new LiveCluster(saved.Id, clusters._dimensions);
            foreach (var member in saved.Members)
            {
                if (clusters._notes.TryGetValue(member, out var note) && note.ClusterId is null)
                {
                    clusters.Join(cluster, note);
                }
            }

            if (cluster.Members.Count == 0)
            {
                clusters._clusters.Remove(saved.Id);
            }
        }

        foreach (var cluster in clusters._clusters.Values)
        {
            clusters.Relabel(cluster);
        }

        clusters._nextId = Math.Max(state.NextId, clusters._clusters.Keys.DefaultIfEmpty(0).Max() + 1);
        return clusters;
    }

    private void Join(LiveCluster cluster, NoteEntry note)
    {
        cluster.Add(note);
        note.ClusterId = cluster.Id;
        foreach (var (key, (count, _)) in note.Keys)
        {
            _termTotals[key] = _termTotals.GetValueOrDefault(key) + count;
            _totalWords += count;
        }
    }

    private void Leave(LiveCluster cluster, NoteEntry note)
    {
        cluster.Remove(note);
        note.ClusterId = null;
        foreach (var (key, (count, _)) in note.Keys)
        {
            var left = _termTotals[key] - count;
            if (left > 0)
            {
                _termTotals[key] = left;
            }
            else
            {
                _termTotals.Remove(key);
            }

            _totalWords -= count;
        }
    }

    private void Relabel(LiveCluster cluster)
    {
        var averageWords = _clusters.Count == 0 ? 0 : (double)_totalWords / _clusters.Count;
        cluster.Label = ClassTfIdf.Label(cluster.Terms, _termTotals, averageWords, _options.LabelTerms, key => Spelling(cluster, key));
    }

    /// <summary>How most of the cluster's notes spell a term key (its case and plural), ties to the ordinal-first spelling.</summary>
    private string Spelling(LiveCluster cluster, string key) => cluster.Members
        .Select(id => _notes[id].Keys.TryGetValue(key, out var entry) ? entry.Spelling : null)
        .OfType<string>()
        .GroupBy(s => s, StringComparer.Ordinal)
        .OrderByDescending(g => g.Count())
        .ThenBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => g.Key)
        .FirstOrDefault() ?? key;

    private static TopicClusterOptions Validated(TopicClusterOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MinClusterSize, 1, nameof(options.MinClusterSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIterations, 1, nameof(options.MaxIterations));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.LabelTerms, 1, nameof(options.LabelTerms));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MinOverlap, nameof(options.MinOverlap));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MinOverlap, 1, nameof(options.MinOverlap));
        foreach (var (name, cosine) in new[]
        {
            (nameof(options.JoinThreshold), options.JoinThreshold), (nameof(options.MergeThreshold), options.MergeThreshold),
            (nameof(options.SplitThreshold), options.SplitThreshold),
        })
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(cosine, -1, name);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(cosine, 1, name);
        }

        return options;
    }

    private void CheckDimensions(int length)
    {
        if (length == 0 || (_dimensions != 0 && length != _dimensions))
        {
            throw new ArgumentException($"A note vector has {length} dimensions; the clusters hold vectors of {_dimensions}.");
        }

        _dimensions = length;
    }
}
