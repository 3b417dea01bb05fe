using System.Collections.Concurrent;
using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Neptune.Core.Topics;

namespace Neptune.Llm.Relations;

/// <summary>
/// Relates topics by the cosine of their labels' embeddings: strength = max(0, cosine), so opposite or orthogonal
/// labels score 0 and the same label (same <see cref="TopicLabel.Key"/>) scores 1. all-MiniLM-L6-v2 puts unrelated
/// short labels near 0.0–0.2 and related ones near 0.4–0.7. The key, not the spelling, is embedded, so a label's vector
/// does not depend on which spelling came first; vectors are cached per key.
/// </summary>
public sealed class EmbeddingRelationScorer(IEmbeddingGenerator<string, Embedding<float>> embeddings, LlmMetrics? metrics = null) : IRelationScorer
{
    // A vault's topic labels number in the thousands; beyond this the cache starts over rather than grow without bound.
    private const int MaxCachedLabels = 50_000;

    private readonly ConcurrentDictionary<string, float[]> _vectors = new(StringComparer.Ordinal);

    public string Source { get; } = "embedding:" + (embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "unknown");

    public async Task<IReadOnlyList<TopicRelation>> ScoreAsync(IReadOnlyList<TopicPair> pairs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var started = Stopwatch.GetTimestamp();
        var keys = pairs.Select(p => (A: TopicLabel.Key(p.A), B: TopicLabel.Key(p.B))).ToList();
        // This call's vectors are held apart from the cache, which another call may clear meanwhile.
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var key in keys.SelectMany(k => new[] { k.A, k.B }).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (_vectors.TryGetValue(key, out var cached))
            {
                vectors[key] = cached;
            }
            else
            {
                missing.Add(key);
            }
        }

        if (missing.Count > 0)
        {
            var generated = await embeddings.GenerateAsync(missing, cancellationToken: cancellationToken);
            if (_vectors.Count + missing.Count > MaxCachedLabels)
            {
                _vectors.Clear();
            }

            for (var i = 0; i < missing.Count; i++)
            {
                _vectors[missing[i]] = vectors[missing[i]] = UnitVectors.Normalized(generated[i].Vector.Span);
            }
        }

        var relations = new List<TopicRelation>(pairs.Count);
        for (var i = 0; i < pairs.Count; i++)
        {
            relations.Add(new TopicRelation(pairs[i].A, pairs[i].B, Strength(keys[i].A, keys[i].B, vectors), Source));
        }

        metrics?.RelationsScored(Source, Stopwatch.GetElapsedTime(started));
        return relations;
    }

    private static double Strength(string a, string b, Dictionary<string, float[]> vectors)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        if (a == b)
        {
            return 1;
        }

        var cosine = TensorPrimitives.Dot(vectors[a], vectors[b]);
        return Math.Clamp(Math.Round(cosine, 4), 0, 1);
    }
}
