using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.AI;
using Neptune.Core.Markdown;
using Neptune.Core.Topics;

namespace Neptune.Llm.Topics;

/// <summary>
/// KeyBERT-style topics with the embedding model alone: the note's keyphrase candidates (<see cref="Keyphrases"/>)
/// and the note itself are embedded in one call, and Maximal Marginal Relevance picks candidates close to the note but
/// not to each other. The note is represented by its title and leading prose up to the model's window, not by the mean
/// of its chunk vectors: a note says what it is about first, and one bounded input keeps the cost of an extraction
/// independent of the note's length. A topic's weight is its cosine to the note, clamped to (0, 1].
/// </summary>
public sealed class KeyphraseTopicExtractor(
    IEmbeddingGenerator<string, Embedding<float>> embeddings, TopicOptions options, LlmMetrics? metrics = null) : ITopicExtractor
{
    // About twice what all-MiniLM-L6-v2's 256 tokens cover in English prose; the model truncates the rest.
    private const int MaxDocumentChars = 2000;

    // A weight is a share of relevance, never zero: the weakest kept topic still belongs to the note.
    private const double MinWeight = 0.01;

    public string Name { get; } = "keyphrase:" + (embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "unknown");

    public async Task<IReadOnlyList<ExtractedTopic>> ExtractAsync(TopicInput note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(note);
        var started = Stopwatch.GetTimestamp();
        var segments = NoteProse.Segments(note.Content);
        var candidates = Keyphrases.Candidates(note.Title, segments, options.MaxCandidates);
        if (candidates.Count == 0)
        {
            return [];
        }

        // Two calls: in one, the document (a full window) would share a padded batch with seven short phrases, which
        // made an extraction cost as much as embedding eight chunks.
        var document = await embeddings.GenerateAsync([DocumentText(note.Title, segments)], cancellationToken: cancellationToken);
        var phrases = await embeddings.GenerateAsync(candidates.Select(c => c.Text), cancellationToken: cancellationToken);
        var unit = document.Concat(phrases).Select(v => UnitVectors.Normalized(v.Vector.Span)).ToList();
        // A phrase inside a picked one (or around it) says the same thing twice: "delimiter" after "output delimiter".
        var picks = Mmr.Select(unit[0], unit[1..], options.MaxTopics, relevance: 1 - options.Diversity, admit: (index, picked) =>
            !picked.Any(p => Keyphrases.Contains(candidates[p.Index].Key, candidates[index].Key)
                || Keyphrases.Contains(candidates[index].Key, candidates[p.Index].Key)));

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var topics = new List<ExtractedTopic>(picks.Count);
        foreach (var pick in picks)
        {
            var label = TopicLabel.Normalize(candidates[pick.Index].Text);
            if (label.Length > 0 && seen.Add(TopicLabel.Key(label)))
            {
                topics.Add(new ExtractedTopic(label, Math.Clamp(Math.Round(pick.Relevance, 4), MinWeight, 1)));
            }
        }

        metrics?.TopicsExtracted(Name, Stopwatch.GetElapsedTime(started));
        return [.. topics.OrderByDescending(t => t.Weight)];
    }

    /// <summary>The title, then the note's prose in order, cut near the model's window.</summary>
    private static string DocumentText(string title, IReadOnlyList<string> segments)
    {
        var text = new StringBuilder(title.Trim());
        foreach (var segment in segments)
        {
            if (text.Length >= MaxDocumentChars)
            {
                break;
            }

            text.Append('\n').Append(segment);
        }

        return text.Length > MaxDocumentChars ? text.ToString(0, MaxDocumentChars) : text.ToString();
    }
}
