namespace Neptune.Core.Topics;

/// <summary>
/// c-TF-IDF (BERTopic's class-based TF-IDF): a term describes a cluster when it is frequent in the cluster's notes
/// and rare in the other clusters: tf(t, c) × log(1 + A / f(t)), where A is the average number of words per cluster
/// and f(t) the term's frequency across all clusters.
/// </summary>
internal static class ClassTfIdf
{
    public static double Weight(long inCluster, long inAllClusters, double averageWords) =>
        inCluster * Math.Log(1 + (averageWords / Math.Max(1, inAllClusters)));

    /// <summary>
    /// The top term, joined by up to <paramref name="maxTerms"/> − 1 more that weigh at least half as much and share
    /// no word with a term already taken ("port forwarding" after "port" adds nothing).
    /// </summary>
    public static string Label(
        IReadOnlyDictionary<string, int> clusterTerms,
        IReadOnlyDictionary<string, long> totals,
        double averageWords,
        int maxTerms,
        Func<string, string> spelling)
    {
        var ranked = clusterTerms
            .Select(t => (Key: t.Key, Weight: Weight(t.Value, totals.GetValueOrDefault(t.Key), averageWords)))
            .OrderByDescending(t => t.Weight)
            .ThenBy(t => t.Key, StringComparer.Ordinal)
            .Take(Math.Max(1, maxTerms) * 8);
        var chosen = new List<string>();
        var words = new HashSet<string>(StringComparer.Ordinal);
        var top = 0.0;
        foreach (var (key, weight) in ranked)
        {
            if (chosen.Count == maxTerms || (chosen.Count > 0 && weight < top / 2))
            {
                break;
            }

            var keyWords = key.Split(' ');
            if (keyWords.Any(words.Contains))
            {
                continue;
            }

            var label = string.Join(", ", chosen.Append(spelling(key)));
            if (chosen.Count > 0 && label.Length > TopicLabel.MaxLength)
            {
                break;
            }

            top = chosen.Count == 0 ? weight : top;
            chosen.Add(spelling(key));
            words.UnionWith(keyWords);
        }

        return TopicLabel.Normalize(string.Join(", ", chosen));
    }
}
