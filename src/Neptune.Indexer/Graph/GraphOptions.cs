using System.ComponentModel.DataAnnotations;

namespace Neptune.Indexer.Graph;

/// <summary>
/// The knowledge graph's semantic edges, bound from "Neptune:Graph"; the environment variables KG_MIN_STRENGTH and
/// KG_MAX_EDGES set MinStrength and MaxEdges when the Neptune:Graph keys are not given.
/// </summary>
public sealed class GraphOptions
{
    public const string Section = "Neptune:Graph";

    /// <summary>Nearest notes each note links to semantically (the k of kNN).</summary>
    [Range(1, 100, ErrorMessage = "Neptune:Graph:SemanticK must be between 1 and 100.")]
    public int SemanticK { get; set; } = 5;

    /// <summary>Lowest cosine similarity (note mean vector against the other note's best chunk) that makes an edge.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Neptune:Graph:MinStrength (or KG_MIN_STRENGTH) must be between 0 and 1.")]
    public double MinStrength { get; set; } = 0.5;

    /// <summary>
    /// Most semantic edges one note takes part in: a note never adds an edge to a note that has this many already, so
    /// hub notes stay bounded without the indexer ever rewriting another note's edges.
    /// </summary>
    [Range(1, 1000, ErrorMessage = "Neptune:Graph:MaxEdges (or KG_MAX_EDGES) must be between 1 and 1000.")]
    public int MaxEdges { get; set; } = 20;

    /// <summary>Most new topic pairs of one note scored for topic↔topic relations (0: none).</summary>
    [Range(0, 100, ErrorMessage = "Neptune:Graph:MaxRelationPairs must be between 0 and 100.")]
    public int MaxRelationPairs { get; set; } = 10;
}
