using System.Text.Json;
using Neptune.Core.Topics;

namespace Neptune.Core.Tests.Topics;

public sealed class TopicClustersTests
{
    private const int Dimensions = 384;

    /// <summary>
    /// Notes scattered around topic directions like MiniLM's man-page vectors: cosine to their topic's direction ≈ 0.7,
    /// ≈ 0.5 to each other and ≈ 0 to other topics.
    /// </summary>
    private sealed class SyntheticCorpus(int seed)
    {
        private readonly Random _random = new(seed);
        private readonly Dictionary<int, float[]> _topics = [];

        public float[] Note(int topic)
        {
            if (!_topics.TryGetValue(topic, out var direction))
            {
                _topics[topic] = direction = Gaussian();
            }

            var noise = Gaussian();
            return UnitVectors.Normalized([.. direction.Zip(noise, (d, n) => d + n)]);
        }

        /// <summary>A random unit vector, nearly orthogonal to every other in 384 dimensions.</summary>
        public float[] Direction() => Gaussian();

        private float[] Gaussian()
        {
            var vector = new float[Dimensions];
            for (var i = 0; i < Dimensions; i++)
            {
                // Box–Muller
                vector[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble()));
            }

            return UnitVectors.Normalized(vector);
        }
    }

    private static Dictionary<string, int> Terms(int topic) => new() { [$"topic{topic}"] = 3, ["common"] = 1 };

    private static long NoteId(int topic, int i) => (topic * 1000) + i;

    /// <summary>Topics 0..topics-1 with <paramref name="perTopic"/> notes each, assigned then reclustered once.</summary>
    private static (TopicClusters Clusters, SyntheticCorpus Corpus, Dictionary<int, int> IdOfTopic) Build(int topics, int perTopic, int seed = 11)
    {
        var corpus = new SyntheticCorpus(seed);
        var clusters = new TopicClusters();
        for (var t = 0; t < topics; t++)
        {
            for (var i = 0; i < perTopic; i++)
            {
                clusters.Assign(NoteId(t, i), corpus.Note(t), Terms(t));
            }
        }

        clusters.Recluster();
        var idOfTopic = Enumerable.Range(0, topics).ToDictionary(t => t, t => clusters.ClusterOf(NoteId(t, 0))!.Value);
        return (clusters, corpus, idOfTopic);
    }

    [Fact]
    public void Notes_wait_unclustered_until_the_first_recluster_groups_them_by_topic()
    {
        var corpus = new SyntheticCorpus(3);
        var clusters = new TopicClusters();
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(clusters.Assign(NoteId(i % 2, i), corpus.Note(i % 2), Terms(i % 2)).ClusterId);
        }

        var report = clusters.Recluster();

        Assert.Equal(2, report.Created.Count);
        Assert.Empty(report.Kept);
        Assert.Equal(0, report.Unclustered);
        Assert.Equal(10, report.MovedNotes.Count);
        Assert.All(Enumerable.Range(0, 10), i => Assert.Equal(clusters.ClusterOf(NoteId(i % 2, i % 2)), clusters.ClusterOf(NoteId(i % 2, i))));
        Assert.NotEqual(clusters.ClusterOf(NoteId(0, 0)), clusters.ClusterOf(NoteId(1, 1)));
    }

    [Fact]
    public void A_new_note_joins_its_nearest_cluster_and_only_that_cluster_changes()
    {
        var (clusters, corpus, idOfTopic) = Build(topics: 4, perTopic: 12);
        var before = clusters.Clusters.ToDictionary(c => c.Id);

        var assignment = clusters.Assign(NoteId(2, 500), corpus.Note(2), Terms(2));

        Assert.Equal(idOfTopic[2], assignment.ClusterId);
        Assert.True(assignment.Similarity >= new TopicClusterOptions().JoinThreshold);
        foreach (var cluster in clusters.Clusters)
        {
            var old = before[cluster.Id];
            var touched = cluster.Id == idOfTopic[2];
            Assert.Equal(touched, !old.Centroid.SequenceEqual(cluster.Centroid));
            Assert.Equal(old.Members.Count + (touched ? 1 : 0), cluster.Members.Count);
            Assert.Equal(old.TermCounts.GetValueOrDefault("topic2") + (touched ? 3 : 0), cluster.TermCounts.GetValueOrDefault("topic2"));
        }
    }

    [Fact]
    public void A_note_far_from_every_cluster_waits_unclustered_and_enough_of_them_become_a_new_cluster()
    {
        var (clusters, corpus, idOfTopic) = Build(topics: 3, perTopic: 10);

        var newcomers = Enumerable.Range(0, 4).Select(i => clusters.Assign(NoteId(7, i), corpus.Note(7), Terms(7))).ToList();
        var report = clusters.Recluster();

        Assert.All(newcomers, a => Assert.Null(a.ClusterId));
        Assert.Equal(idOfTopic.Values.Order(), report.Kept);
        var created = Assert.Single(report.Created);
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(created, clusters.ClusterOf(NoteId(7, i))));
        Assert.Equal(4, report.MovedNotes.Count);
    }

    [Fact]
    public void Remove_updates_only_the_cluster_the_note_left()
    {
        var (clusters, _, idOfTopic) = Build(topics: 3, perTopic: 10);
        var before = clusters.Clusters.ToDictionary(c => c.Id);

        var removal = clusters.Remove(NoteId(1, 4));

        Assert.Equal(new TopicRemoval(NoteId(1, 4), idOfTopic[1], false), removal);
        Assert.Null(clusters.ClusterOf(NoteId(1, 4)));
        foreach (var cluster in clusters.Clusters)
        {
            var old = before[cluster.Id];
            if (cluster.Id == idOfTopic[1])
            {
                Assert.DoesNotContain(NoteId(1, 4), cluster.Members);
                Assert.False(old.Centroid.SequenceEqual(cluster.Centroid));
                Assert.Equal(old.TermCounts["topic1"] - 3, cluster.TermCounts["topic1"]);
            }
            else
            {
                Assert.Equal(old.Members, cluster.Members);
                Assert.Equal(old.Centroid, cluster.Centroid);
                Assert.Equal(old.TermCounts, cluster.TermCounts);
                Assert.Equal(old.Label, cluster.Label);
            }
        }
    }

    [Fact]
    public void Removing_the_last_member_retires_the_cluster_and_its_id_is_never_reused()
    {
        var (clusters, corpus, idOfTopic) = Build(topics: 2, perTopic: 5);

        var removals = Enumerable.Range(0, 5).Select(i => clusters.Remove(NoteId(0, i))).ToList();
        for (var i = 0; i < 5; i++)
        {
            clusters.Assign(NoteId(9, i), corpus.Note(9), Terms(9));
        }

        var report = clusters.Recluster();

        Assert.True(removals[^1].ClusterRetired);
        Assert.All(removals.SkipLast(1), r => Assert.False(r.ClusterRetired));
        Assert.Null(clusters.Cluster(idOfTopic[0]));
        Assert.True(Assert.Single(report.Created) > idOfTopic.Values.Max());
        Assert.Null(clusters.Remove(12345).ClusterId);
    }

    [Fact]
    public void Recluster_keeps_the_ids_of_persisting_clusters_as_notes_arrive()
    {
        var (clusters, corpus, idOfTopic) = Build(topics: 8, perTopic: 20);

        var joined = 0;
        for (var t = 0; t < 8; t++)
        {
            for (var i = 20; i < 26; i++)
            {
                joined += clusters.Assign(NoteId(t, i), corpus.Note(t), Terms(t)).ClusterId == idOfTopic[t] ? 1 : 0;
            }
        }

        for (var i = 0; i < 12; i++)
        {
            clusters.Assign(NoteId(8, i), corpus.Note(8), Terms(8));
        }

        var report = clusters.Recluster();

        Assert.True(joined >= 46, $"{joined} of 48 new notes joined their topic's cluster incrementally");
        Assert.Equal(idOfTopic.Values.Order(), report.Kept);
        Assert.Empty(report.Retired);
        var created = Assert.Single(report.Created);
        for (var t = 0; t < 8; t++)
        {
            var kept = Enumerable.Range(0, 26).Count(i => clusters.ClusterOf(NoteId(t, i)) == idOfTopic[t]);
            Assert.True(kept >= 25, $"topic {t}: {kept} of 26 notes in cluster {idOfTopic[t]}");
        }

        Assert.All(Enumerable.Range(0, 12), i => Assert.Equal(created, clusters.ClusterOf(NoteId(8, i))));
        Assert.All(clusters.Clusters, c => Assert.Equal($"topic{c.Id - 1}", c.Label));
    }

    [Fact]
    public void Recluster_merges_clusters_that_hold_one_topic_and_keeps_the_lower_id()
    {
        var corpus = new SyntheticCorpus(5);
        var notes = Enumerable.Range(0, 20).Select(i => new ClusteredNote(i, corpus.Note(0), Terms(0), i < 10 ? 1 : 2)).ToList();
        var halves = Enumerable.Range(1, 2).Select(id => new TopicCluster(id, "", [], [.. notes.Where(n => n.ClusterId == id).Select(n => n.NoteId)], new Dictionary<string, int>()));
        var clusters = TopicClusters.Restore(new TopicClustersState(3, [.. halves], notes));

        var report = clusters.Recluster();

        Assert.Equal([1], report.Kept);
        Assert.Equal([2], report.Retired);
        Assert.Empty(report.Created);
        Assert.Equal(20, Assert.Single(clusters.Clusters).Members.Count);
    }

    [Fact]
    public void Recluster_splits_a_cluster_that_holds_two_distinct_topics()
    {
        // Topics a and b share a direction: at a loose join threshold all their notes fit one centroid.
        var corpus = new SyntheticCorpus(8);
        var (a, b, shared) = (corpus.Direction(), corpus.Direction(), corpus.Direction());
        var clusters = new TopicClusters(new TopicClusterOptions { JoinThreshold = 0.3f });
        for (var i = 0; i < 10; i++)
        {
            clusters.Assign(NoteId(0, i), Blend(a, shared, corpus.Direction()), Terms(0));
            clusters.Assign(NoteId(1, i), Blend(b, shared, corpus.Direction()), Terms(1));
        }

        var report = clusters.Recluster();

        Assert.Equal(2, report.Created.Count);
        Assert.All(Enumerable.Range(0, 10), i => Assert.Equal(clusters.ClusterOf(NoteId(0, 0)), clusters.ClusterOf(NoteId(0, i))));
        Assert.All(Enumerable.Range(0, 10), i => Assert.Equal(clusters.ClusterOf(NoteId(1, 0)), clusters.ClusterOf(NoteId(1, i))));
        Assert.NotEqual(clusters.ClusterOf(NoteId(0, 0)), clusters.ClusterOf(NoteId(1, 0)));
    }

    private static float[] Blend(float[] topic, float[] shared, float[] noise) =>
        UnitVectors.Normalized([.. topic.Select((t, d) => t + shared[d] + (0.3f * noise[d]))]);

    [Fact]
    public void Clusters_are_deterministic_for_the_same_input()
    {
        var first = JsonSerializer.Serialize(Build(topics: 5, perTopic: 9).Clusters.Snapshot());
        var second = JsonSerializer.Serialize(Build(topics: 5, perTopic: 9).Clusters.Snapshot());

        Assert.Equal(first, second);
    }

    [Fact]
    public void A_snapshot_survives_json_and_restores_the_same_clusters()
    {
        var (clusters, corpus, _) = Build(topics: 4, perTopic: 8);
        var json = JsonSerializer.Serialize(clusters.Snapshot());

        var restored = TopicClusters.Restore(JsonSerializer.Deserialize<TopicClustersState>(json)!);

        Assert.Equal(clusters.Clusters.Select(c => (c.Id, c.Label, string.Join(',', c.Members))), restored.Clusters.Select(c => (c.Id, c.Label, string.Join(',', c.Members))));
        Assert.All(clusters.Clusters.Zip(restored.Clusters), pair =>
            Assert.True(UnitVectors.Dot(pair.First.Centroid, pair.Second.Centroid) > 0.9999f));
        var note = corpus.Note(3);
        Assert.Equal(clusters.Assign(777, note, Terms(3)), restored.Assign(777, note, Terms(3)));
        Assert.Equal(clusters.Snapshot().NextId, restored.Snapshot().NextId);
    }

    [Fact]
    public void Vectors_of_another_length_are_refused()
    {
        var clusters = new TopicClusters();
        clusters.Assign(1, [1, 0, 0], Terms(0));

        Assert.Throws<ArgumentException>(() => clusters.Assign(2, [1, 0], Terms(0)));
    }
}
