namespace Neptune.Core.Search;

/// <summary>
/// How a query is answered: words (full text), meaning (vectors), both fused, or auto — hybrid when the active model
/// has vectors, else full text.
/// </summary>
public enum SearchMode
{
    Auto,
    Fts,
    Semantic,
    Hybrid,
}

public static class SearchModes
{
    /// <summary>Reads a mode as users write it (any case); null or empty is <see cref="SearchMode.Auto"/>.</summary>
    public static SearchMode Parse(string? value, string field = "mode") => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => SearchMode.Auto,
        "fts" => SearchMode.Fts,
        "semantic" => SearchMode.Semantic,
        "hybrid" => SearchMode.Hybrid,
        _ => throw NeptuneException.Invalid(field, $"Unknown search mode '{value}': use fts, semantic, hybrid or auto."),
    };

    public static string Name(this SearchMode mode) => mode.ToString().ToLowerInvariant();
}
