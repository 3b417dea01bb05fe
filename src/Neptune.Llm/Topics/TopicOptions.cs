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

    /// <summary>Phrase vectors kept for the next notes (least recently used go first), about 1.6 KB each: phrases recur across notes.</summary>
    [Range(0, 1_000_000)]
    public int CachedPhrases { get; set; } = 4096;
}
