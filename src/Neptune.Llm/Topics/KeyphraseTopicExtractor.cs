using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.AI;
using Neptune.Core.Markdown;
using Neptune.Core.Topics;
using Neptune.Data;

namespace Neptune.Llm.Topics;

/// <summary>
/// KeyBERT-style topics with the embedding model alone: the note's most distinctive keyphrase candidates
/// (<see cref="Keyphrases"/>) are embedded, and Maximal Marginal Relevance picks those close to the note but not to each
/// other. The note is represented by its title and leading prose up to the model's window, not by the mean of its chunk
/// vectors: a note says what it is about first, and one bounded input keeps the cost of an extraction independent of the
/// note's length. That input is the note's lead chunk, so the indexer's vector of it is used when it comes with the note.
/// A topic's weight is its cosine to the note, clamped to (0, 1].
/// </summary>
/// <remarks>
/// Embedding the candidates is what an extraction costs. Only <see cref="TopicOptions.MaxCandidates"/> are embedded per
/// note, ranked by frequency in the note, rarity among all notes (<paramref name="words"/>, when there is an index to ask)
/// and position; the phrases of a whole batch of notes go to the model in one call, and recur from a cache.
/// </remarks>
public sealed class KeyphraseTopicExtractor(
    IEmbeddingGenerator<string, Embedding<float>> embeddings, TopicOptions options, LlmMetrics? metrics = null, IWordCounts? words = null,
    PhraseVectors? phrases = null) : ITopicExtractor
{
    // About twice what all-MiniLM-L6-v2's 256 tokens cover in English prose; the model truncates the rest.
    private const int MaxDocumentChars = 2000;

    // A weight is a share of relevance, never zero: the weakest kept topic still belongs to the note.
    private const double MinWeight = 0.01;

    // The model a lead vector must come from, and its length, to be comparable with this extractor's phrase vectors.
    private readonly (string? Reference, int? Dimensions) _model = embeddings.GetService<EmbeddingGeneratorMetadata>() is { } m
        ? ($"{m.ProviderName}/{m.DefaultModelId}", m.DefaultModelDimensions)
        : (null, null);
    private readonly PhraseVectors _phrases = phrases ?? new(embeddings, options.CachedPhrases);

    public string Name { get; } = "keyphrase:" + (embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "unknown");

    public async Task<IReadOnlyList<ExtractedTopic>> ExtractAsync(TopicInput note, CancellationToken cancellationToken = default) =>
        (await ExtractAsync([note], cancellationToken))[0];

    public async Task<IReadOnlyList<IReadOnlyList<ExtractedTopic>>> ExtractAsync(IReadOnlyList<TopicInput> notes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notes);
        if (notes.Count == 0)
        {
            return [];
        }

        var started = Stopwatch.GetTimestamp();
        var segments = notes.Select(n => NoteProse.Segments(n.Content)).ToList();
        var candidates = await CandidatesAsync(notes, segments, cancellationToken);
        var documents = await DocumentVectorsAsync(notes, segments, candidates, cancellationToken);
        var phrases = await _phrases.GetAsync(candidates.SelectMany(c => c.Select(p => p.Text)), cancellationToken);
        var results = new List<IReadOnlyList<ExtractedTopic>>(notes.Count);
        for (var i = 0; i < notes.Count; i++)
        {
            results.Add(documents[i] is { } document ? Pick(document, candidates[i], phrases) : []);
        }

        // One measurement per extraction, as when notes came one at a time: the batch's time shared between them.
        var each = Stopwatch.GetElapsedTime(started) / notes.Count;
        for (var extracted = candidates.Count(c => c.Count > 0); extracted > 0; extracted--)
        {
            metrics?.TopicsExtracted(Name, each);
        }

        return results;
    }

    /// <summary>Each note's candidates to embed: its most distinctive ones, rarity from one index lookup for the whole batch.</summary>
    private async Task<List<IReadOnlyList<KeyphraseCandidate>>> CandidatesAsync(
        IReadOnlyList<TopicInput> notes, List<IReadOnlyList<string>> segments, CancellationToken ct)
    {
        // Beyond the best by frequency alone, a candidate rarely makes it among the most distinctive.
        var pool = Math.Max(options.MaxCandidates, Keyphrases.DefaultMaxCandidates);
        var all = notes.Select((n, i) => Keyphrases.Candidates(n.Title, segments[i], pool)).ToList();
        Func<string, double> idf = _ => 1;
        if (words is not null && all.Any(c => c.Count > options.MaxCandidates))
        {
            var tokens = all.SelectMany(c => c).SelectMany(c => Core.Search.IndexToken.All(c.Text)).ToHashSet(StringComparer.Ordinal);
            idf = (await words.CountAsync(tokens, ct)).Idf;
        }

        return [.. all.Select(c => Keyphrases.MostDistinctive(c, idf, options.MaxCandidates))];
    }

    /// <summary>The unit vector each note is compared with: the lead vector it came with, else its leading text embedded (one call for all).</summary>
    private async Task<float[]?[]> DocumentVectorsAsync(
        IReadOnlyList<TopicInput> notes, List<IReadOnlyList<string>> segments, List<IReadOnlyList<KeyphraseCandidate>> candidates, CancellationToken ct)
    {
        var vectors = new float[]?[notes.Count];
        var toEmbed = new List<int>();
        for (var i = 0; i < notes.Count; i++)
        {
            if (candidates[i].Count == 0)
            {
                continue;
            }

            if (notes[i] is { LeadVector: { } lead, LeadModel: { } model } && model == _model.Reference && lead.Length == _model.Dimensions)
            {
                vectors[i] = UnitVectors.Normalized(lead);
            }
            else
            {
                toEmbed.Add(i);
            }
        }

        if (toEmbed.Count > 0)
        {
            var embedded = await embeddings.GenerateAsync(toEmbed.Select(i => DocumentText(notes[i].Title, segments[i])), cancellationToken: ct);
            for (var j = 0; j < toEmbed.Count; j++)
            {
                vectors[toEmbed[j]] = UnitVectors.Normalized(embedded[j].Vector.Span);
            }
        }

        return vectors;
    }

    private List<ExtractedTopic> Pick(float[] document, IReadOnlyList<KeyphraseCandidate> candidates, IReadOnlyDictionary<string, float[]> phrases)
    {
        var unit = candidates.Select(c => phrases[PhraseVectors.Key(c.Text)]).ToList();
        // A phrase inside a picked one (or around it) says the same thing twice: "delimiter" after "output delimiter".
        var picks = Mmr.Select(document, unit, options.MaxTopics, relevance: 1 - options.Diversity, admit: (index, picked) =>
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
