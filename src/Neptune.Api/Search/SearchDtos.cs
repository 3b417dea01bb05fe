using Neptune.Core.Search;

namespace Neptune.Api.Search;

/// <summary><c>score</c> is the mode's own: bm25 (fts), cosine of the best chunk plus any bonus (semantic), fused score (hybrid).</summary>
public sealed record SearchResult(
    long Id, string Title, long? FolderId, string? SourceId, IReadOnlyList<string> Tags, DateTimeOffset UpdatedAt, string Snippet, double Score, SearchWhy Why)
{
    public static SearchResult From(FoundNote found)
    {
        var n = found.Note;
        return new(n.Id, n.Title, n.FolderId, n.SourceId, n.Tags, n.UpdatedAt, found.Snippet, found.Score, found.Why);
    }
}

/// <summary><c>mode</c> is the mode that ran; <c>degraded</c> says why it is not the one asked for, or why results are missing.</summary>
public sealed record SearchResponse(string Query, string Mode, string? Degraded, IReadOnlyList<SearchResult> Results)
{
    public static SearchResponse From(string query, SearchOutcome outcome) =>
        new(query, outcome.Mode.Name(), outcome.Degraded, [.. outcome.Results.Select(SearchResult.From)]);
}

/// <summary><c>linked</c>: an explicit link joins the two notes, in either direction.</summary>
public sealed record RelatedResult(long Id, string Title, long? FolderId, string? SourceId, IReadOnlyList<string> Tags, double Score, bool Linked)
{
    public static RelatedResult From(RelatedNote related)
    {
        var n = related.Note;
        return new(n.Id, n.Title, n.FolderId, n.SourceId, n.Tags, related.Score, related.Linked);
    }
}

public sealed record RelatedResponse(long NoteId, IReadOnlyList<RelatedResult> Results);
