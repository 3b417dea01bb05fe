using System.ComponentModel.DataAnnotations;

namespace Neptune.Data;

/// <summary>Full-text ranking knobs, bound from "Neptune:Search"; the defaults are tuned on the man-page dev queries (bench/).</summary>
public sealed class SearchOptions
{
    public const string Section = "Neptune:Search";

    /// <summary>bm25 weight of the title column relative to the body (1.0).</summary>
    [Range(0.1, 100)]
    public double TitleWeight { get; set; } = 4.0;

    /// <summary>When fewer notes than asked for contain every word, fill up with notes that contain some of them.</summary>
    public bool FallbackToAnyTerm { get; set; } = true;
}
