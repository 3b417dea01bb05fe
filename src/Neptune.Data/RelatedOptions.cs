using System.ComponentModel.DataAnnotations;

namespace Neptune.Data;

/// <summary>
/// Related notes (GET /api/notes/{id}/related) and graph retrieval from a note, bound from "Neptune:Related"; the
/// defaults are tuned on the man-page dev split's SEE ALSO lists (bench/results/2026-11-27-related.md).
/// </summary>
public sealed class RelatedOptions
{
    public const string Section = "Neptune:Related";

    /// <summary>Vector neighbours (and walk results) considered before re-ranking.</summary>
    [Range(10, 1000)]
    public int Candidates { get; set; } = 50;

    /// <summary>Added to a candidate's vector similarity when a link joins the two notes.</summary>
    [Range(0, 10)]
    public double LinkBonus { get; set; } = 0.1;

    /// <summary>Times the weight of a semantic edge between the two notes, added to the similarity.</summary>
    [Range(0, 10)]
    public double SemanticBonus { get; set; }

    /// <summary>Times the shared topics' evidence (Σ min(membership weights) × topic idf), added to the similarity.</summary>
    [Range(0, 10)]
    public double TopicBonus { get; set; } = 0.02;

    /// <summary>Added when the note names the candidate's title in its text (an unlinked mention), times the title's specificity (its rarest word's idf over the largest idf).</summary>
    [Range(0, 10)]
    public double MentionBonus { get; set; } = 0.4;

    /// <summary>Added when the candidate names the note's title in its text, times the title's specificity.</summary>
    [Range(0, 10)]
    public double MentionedByBonus { get; set; } = 0.2;

    /// <summary>Notes that name the note's title, at most this many (full text, best first).</summary>
    [Range(1, 1000)]
    public int MentionedByDepth { get; set; } = 20;

    /// <summary>The walk from a note: probability of returning to the note at each step.</summary>
    [Range(0.01, 0.99)]
    public double Restart { get; set; } = 0.15;

    /// <summary>The walk's weight of link edges relative to their stored weight.</summary>
    [Range(0, 100)]
    public double WalkLink { get; set; } = 1;

    [Range(0, 100)]
    public double WalkSemantic { get; set; } = 1;

    [Range(0, 100)]
    public double WalkMembership { get; set; } = 1;

    [Range(0, 100)]
    public double WalkRelation { get; set; } = 1;

    /// <summary>A membership edge's walk weight is divided by (notes with the topic)^HubDamping; 0 leaves hubs alone.</summary>
    [Range(0, 4)]
    public double HubDamping { get; set; }

    /// <summary>Walk from a note: notes the walk ranks, among which the results are re-ranked.</summary>
    [Range(10, 10_000)]
    public int WalkCandidates { get; set; } = 200;

    /// <summary>
    /// Walk from a note: a result's score is its PageRank relative to the best result's plus this times its related-notes
    /// score (vector similarity and evidence, as GET /api/notes/{id}/related ranks); 0 = the walk alone.
    /// </summary>
    [Range(0, 100)]
    public double WalkRelated { get; set; } = 5;
}
