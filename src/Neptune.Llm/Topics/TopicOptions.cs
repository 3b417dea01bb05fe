using System.ComponentModel.DataAnnotations;

namespace Neptune.Llm.Topics;

/// <summary>Topic extraction, bound from "Neptune:Llm:Topics".</summary>
public sealed class TopicOptions
{
    public const string Section = "Neptune:Llm:Topics";

    /// <summary>Most topics kept per note.</summary>
    [Range(1, 50)]
    public int MaxTopics { get; set; } = 5;

    /// <summary>
    /// How much a topic must differ from those already picked, as in KeyBERT: 0 ranks by relevance to the note alone,
    /// 1 by novelty alone. Maximal Marginal Relevance's λ (the weight of relevance) is 1 − Diversity; 0.4 means λ = 0.6.
    /// </summary>
    [Range(0.0, 1.0)]
    public double Diversity { get; set; } = 0.4;

    /// <summary>
    /// Keyphrase candidates embedded per note, the most distinctive by frequency, rarity among notes and position: what
    /// one extraction costs. 20 keep most of what 60 picked (see bench/results) at a third of the model runs.
    /// </summary>
    [Range(1, 1000)]
    public int MaxCandidates { get; set; } = 20;

    /// <summary>
    /// When the indexer embeds a note's chunks with this extractor's model, the candidates embedded alone per note are
    /// this many, chosen from all candidates (up to 60) by their vectors in those runs (the model's states where the note
    /// uses them, at no run of their own) instead of <see cref="MaxCandidates"/> by frequency, rarity and position.
    /// On 200 man pages, against embedding all 60 alone: 12 keep 68 % of those topics, the 20 most distinctive 61 %.
    /// Zero: never shortlist.
    /// </summary>
    [Range(0, 1000)]
    public int Shortlist { get; set; } = 12;

    /// <summary>Phrase vectors kept for the next notes (least recently used go first), about 1.6 KB each: phrases recur across notes.</summary>
    [Range(0, 1_000_000)]
    public int CachedPhrases { get; set; } = 4096;
}
