using Microsoft.Extensions.AI;
using Neptune.Core.Topics;

namespace Neptune.Llm.Topics;

/// <summary>
/// Unit vectors of short phrases (keyphrase candidates, topic labels), embedded in one call per batch and kept in a
/// least-recently-used cache: phrases recur across notes ("configuration file", "exit status"), and the labels the
/// relation scorer compares are candidates the extractor has just embedded. Keys are lower case, as the model's
/// tokenizer sees the text.
/// </summary>
public sealed class PhraseVectors(IEmbeddingGenerator<string, Embedding<float>> embeddings, int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Key, float[] Vector)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, float[] Vector)> _recent = new();  // most recently used first
    private readonly Lock _lock = new();

    public static string Key(string phrase) => phrase.ToLowerInvariant();

    /// <summary>The vector of each distinct key among <paramref name="phrases"/>; the ones not cached are embedded together.</summary>
    public async Task<IReadOnlyDictionary<string, float[]>> GetAsync(IEnumerable<string> phrases, CancellationToken ct)
    {
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var missing = new List<string>();
        lock (_lock)
        {
            foreach (var key in phrases.Select(Key).Distinct(StringComparer.Ordinal))
            {
                if (_entries.TryGetValue(key, out var node))
                {
                    _recent.Remove(node);
                    _recent.AddFirst(node);
                    vectors[key] = node.Value.Vector;
                }
                else
                {
                    missing.Add(key);
                }
            }
        }

        if (missing.Count == 0)
        {
            return vectors;
        }

        missing.Sort(StringComparer.Ordinal);  // a call's inputs in one order, whatever order the phrases came in
        var generated = await embeddings.GenerateAsync(missing, cancellationToken: ct);
        lock (_lock)
        {
            for (var i = 0; i < missing.Count; i++)
            {
                var vector = vectors[missing[i]] = UnitVectors.Normalized(generated[i].Vector.Span);
                if (capacity > 0 && !_entries.ContainsKey(missing[i]))
                {
                    _entries[missing[i]] = _recent.AddFirst((missing[i], vector));
                }
            }

            while (_entries.Count > capacity)
            {
                _entries.Remove(_recent.Last!.Value.Key);
                _recent.RemoveLast();
            }
        }

        return vectors;
    }
}
