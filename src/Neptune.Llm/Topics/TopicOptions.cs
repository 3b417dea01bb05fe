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

    /// <summary>Keyphrase candidates embedded per note (the best by frequency); bounds the cost of one extraction.</summary>
    [Range(1, 1000)]
    public int MaxCandidates { get; set; } = 60;
}
