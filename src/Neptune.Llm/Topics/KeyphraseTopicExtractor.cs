using System.Diagnostics;
using System.Numerics.Tensors;
using System.Text;
using Microsoft.Extensions.AI;
using Neptune.Core.Markdown;
using Neptune.Core.Topics;
using Neptune.Data;
using Neptune.Llm.Onnx;

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
/// and position; or, when the indexer's chunks are embedded in the same pass (<see cref="EmbedAndExtractAsync"/>),
/// the <see cref="TopicOptions.Shortlist"/> that the chunk runs show closest to the note. The phrases of a whole batch
/// of notes go to the model in one call, and recur from a cache.
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
        var candidates = await CandidatesAsync(notes, segments, options.MaxCandidates, cancellationToken);
        return await PickAsync(started, notes, segments, candidates, cancellationToken);
    }

    /// <summary>
    /// Each note's topics from its candidates: they are embedded (one call for all notes, cached ones aside) and picked by
    /// MMR against the note's vector. One measurement per extraction, as when notes came one at a time: the batch's time
    /// shared between them.
    /// </summary>
    private async Task<List<IReadOnlyList<ExtractedTopic>>> PickAsync(
        long started, IReadOnlyList<TopicInput> notes, List<IReadOnlyList<string>> segments, List<IReadOnlyList<KeyphraseCandidate>> candidates, CancellationToken ct)
    {
        var documents = await DocumentVectorsAsync(notes, segments, candidates, ct);
        var phrases = await _phrases.GetAsync(candidates.SelectMany(c => c.Select(p => p.Text)), ct);
        var results = new List<IReadOnlyList<ExtractedTopic>>(notes.Count);
        for (var i = 0; i < notes.Count; i++)
        {
            results.Add(documents[i] is { } document ? Pick(document, candidates[i], phrases) : []);
        }

        var each = Stopwatch.GetElapsedTime(started) / notes.Count;
        for (var extracted = candidates.Count(c => c.Count > 0); extracted > 0; extracted--)
        {
            metrics?.TopicsExtracted(Name, each);
        }

        return results;
    }

    /// <summary>
    /// The generator to embed chunks with so that <see cref="EmbedAndExtractAsync"/> can shortlist candidates from the
    /// same runs: <paramref name="generator"/> itself when it is this extractor's model and can pool phrases (and
    /// <see cref="TopicOptions.Shortlist"/> is on), else null: the chunks are then embedded on their own, and
    /// <see cref="TopicOptions.MaxCandidates"/> candidates per note embedded alone.
    /// </summary>
    public MiniLmEmbeddingGenerator? PoolsWith(IEmbeddingGenerator<string, Embedding<float>> generator) =>
        options.Shortlist > 0 && generator is MiniLmEmbeddingGenerator pooling
            && generator.GetService<EmbeddingGeneratorMetadata>() is { } m && ($"{m.ProviderName}/{m.DefaultModelId}", m.DefaultModelDimensions) == _model
            ? pooling
            : null;

    /// <summary>
    /// Embeds each note's chunks and extracts its topics, using the same runs to choose which candidates are worth a run
    /// of their own: each of up to <see cref="Keyphrases.DefaultMaxCandidates"/> candidates gets the mean of the model's
    /// states over its occurrences in the note's chunks (no run of its own), and the <see cref="TopicOptions.Shortlist"/>
    /// closest to the note's lead chunk are embedded alone and picked from as in <see cref="ExtractAsync(IReadOnlyList{TopicInput}, CancellationToken)"/>.
    /// In-context vectors are no substitute for those (in context every phrase leans towards its note, generic ones
    /// too), but they rank well: on 200 man pages, 12 shortlisted from 60 keep more of what embedding all 60 alone picks
    /// than the 20 most distinctive do (68 % against 61 %), with 60 % of their phrases (71 % of their tokens) embedded
    /// (`./bench.sh topics`). Candidates found in no chunk (split by markup, say) go on the shortlist. Chunks are the indexer's, in order, the first holding the title and opening text.
    /// </summary>
    public async Task<EmbeddedWithTopics> EmbedAndExtractAsync(MiniLmEmbeddingGenerator generator, IReadOnlyList<(TopicInput Note, IReadOnlyList<string> Chunks)> notes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(notes);
        var started = Stopwatch.GetTimestamp();
        var inputs = notes.Select(n => n.Note).ToList();
        var segments = inputs.Select(n => NoteProse.Segments(n.Content)).ToList();
        var pool = Math.Max(options.Shortlist, Keyphrases.DefaultMaxCandidates);
        var candidates = await CandidatesAsync(inputs, segments, pool, ct);
        var texts = notes.SelectMany(n => n.Chunks).ToList();
        var wanted = notes.SelectMany((n, i) => n.Chunks.Select(_ => (IReadOnlyList<string>)[.. candidates[i].Select(c => c.Text)])).ToList();
        var (embedded, pools) = await generator.GenerateWithPhrasesAsync(texts, wanted, ct);

        var vectors = new List<IReadOnlyList<float[]>>(notes.Count);
        List<IReadOnlyList<KeyphraseCandidate>> shortlists = new(notes.Count);
        for (int i = 0, offset = 0; i < notes.Count; offset += notes[i].Chunks.Count, i++)
        {
            vectors.Add([.. Enumerable.Range(offset, notes[i].Chunks.Count).Select(k => embedded[k].Vector.ToArray())]);
            if (vectors[i].Count == 0)
            {
                shortlists.Add([.. candidates[i].Take(options.MaxCandidates)]);
                continue;
            }

            inputs[i] = inputs[i] with { LeadVector = vectors[i][0], LeadModel = _model.Reference };
            var lead = UnitVectors.Normalized(vectors[i][0]);
            var closeness = new float[candidates[i].Count];
            for (var p = 0; p < closeness.Length; p++)
            {
                var sum = new float[lead.Length];
                var pieces = 0;
                for (var chunk = offset; chunk < offset + notes[i].Chunks.Count; chunk++)
                {
                    if (pools[chunk][p] is { } found)
                    {
                        TensorPrimitives.Add(sum, found.Sum, sum);
                        pieces += found.Pieces;
                    }
                }

                closeness[p] = pieces > 0 ? UnitVectors.Dot(lead, UnitVectors.Normalized(sum)) : float.PositiveInfinity;
            }

            shortlists.Add([.. Enumerable.Range(0, closeness.Length).OrderByDescending(p => closeness[p]).ThenBy(p => p).Take(options.Shortlist).Order().Select(p => candidates[i][p])]);
        }

        var topics = await PickAsync(started, inputs, segments, shortlists, ct);
        return new EmbeddedWithTopics(vectors, topics, embedded.Usage?.InputTokenCount ?? 0);
    }

    /// <summary>Each note's <paramref name="count"/> most distinctive candidates, rarity from one index lookup for the whole batch.</summary>
    private async Task<List<IReadOnlyList<KeyphraseCandidate>>> CandidatesAsync(
        IReadOnlyList<TopicInput> notes, List<IReadOnlyList<string>> segments, int count, CancellationToken ct)
    {
        // Beyond the best by frequency alone, a candidate rarely makes it among the most distinctive.
        var pool = Math.Max(count, Keyphrases.DefaultMaxCandidates);
        var all = notes.Select((n, i) => Keyphrases.Candidates(n.Title, segments[i], pool)).ToList();
        Func<string, double> idf = _ => 1;
        if (words is not null && all.Any(c => c.Count > count))
        {
            var tokens = all.SelectMany(c => c).SelectMany(c => Core.Search.IndexToken.All(c.Text)).ToHashSet(StringComparer.Ordinal);
            idf = (await words.CountAsync(tokens, ct)).Idf;
        }

        return [.. all.Select(c => Keyphrases.MostDistinctive(c, idf, count))];
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

/// <summary>Each note's chunk vectors (in chunk order) and topics from one pass, and the word pieces embedded.</summary>
public sealed record EmbeddedWithTopics(IReadOnlyList<IReadOnlyList<float[]>> Vectors, IReadOnlyList<IReadOnlyList<ExtractedTopic>> Topics, long Tokens);
