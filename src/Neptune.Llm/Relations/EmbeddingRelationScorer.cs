using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Neptune.Core.Topics;
using Neptune.Llm.Topics;

namespace Neptune.Llm.Relations;

/// <summary>
/// Relates topics by the cosine of their labels' embeddings: strength = max(0, cosine), so opposite or orthogonal
/// labels score 0 and the same label (same <see cref="TopicLabel.Key"/>) scores 1. all-MiniLM-L6-v2 puts unrelated
/// short labels near 0.0–0.2 and related ones near 0.4–0.7. The key, not the spelling, is embedded, so a label's vector
/// does not depend on which spelling came first. Vectors come from the phrase cache the keyphrase extractor fills, so
/// the labels it has just picked cost no model run here.
/// </summary>
public sealed class EmbeddingRelationScorer(IEmbeddingGenerator<string, Embedding<float>> embeddings, LlmMetrics? metrics = null, PhraseVectors? phrases = null) : IRelationScorer
{
    private readonly PhraseVectors _phrases = phrases ?? new PhraseVectors(embeddings, new TopicOptions().CachedPhrases);

    public string Source { get; } = "embedding:" + (embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "unknown");

    public async Task<IReadOnlyList<TopicRelation>> ScoreAsync(IReadOnlyList<TopicPair> pairs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var started = Stopwatch.GetTimestamp();
        var keys = pairs.Select(p => (A: TopicLabel.Key(p.A), B: TopicLabel.Key(p.B))).ToList();
        var vectors = await _phrases.GetAsync(keys.SelectMany(k => new[] { k.A, k.B }).Where(k => k.Length > 0), cancellationToken);
        var relations = new List<TopicRelation>(pairs.Count);
        for (var i = 0; i < pairs.Count; i++)
        {
            relations.Add(new TopicRelation(pairs[i].A, pairs[i].B, Strength(keys[i].A, keys[i].B, vectors), Source));
        }

        metrics?.RelationsScored(Source, Stopwatch.GetElapsedTime(started));
        return relations;
    }

    private static double Strength(string a, string b, IReadOnlyDictionary<string, float[]> vectors)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        if (a == b)
        {
            return 1;
        }

        var cosine = TensorPrimitives.Dot(vectors[PhraseVectors.Key(a)], vectors[PhraseVectors.Key(b)]);
        return Math.Clamp(Math.Round(cosine, 4), 0, 1);
    }
}
