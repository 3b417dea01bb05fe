using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Neptune.Core;
using Neptune.Data;

namespace Neptune.Api.Search;

public sealed record SearchWhy(int FtsRank, double FtsScore, double? SemanticScore, string? Chunk);

public sealed record SearchResult(long Id, string Title, long? FolderId, string? SourceId, IReadOnlyList<string> Tags, string Snippet, double Score, SearchWhy Why);

public sealed record SearchResponse(string Query, string Mode, IReadOnlyList<SearchResult> Results);

public static class SearchApi
{
    public static RouteGroupBuilder MapSearchApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/search").WithTags("Search");
        group.MapGet("/", async Task<Ok<SearchResponse>> (string? q, string? mode, int? limit, long? folderId, string? tag, INoteSearch search, CancellationToken ct) =>
        {
            var ran = CheckMode(mode);
            var hits = await search.SearchAsync(new SearchRequest(q ?? "", limit ?? 20, folderId, tag), ct);
            return TypedResults.Ok(new SearchResponse(q!, ran, [.. hits.Select(h => new SearchResult(
                h.Note.Id, h.Note.Title, h.Note.FolderId, h.Note.SourceId, h.Note.Tags, h.Snippet, h.Score,
                new SearchWhy(h.FtsRank, h.Score, null, null)))]));
        }).WithSummary("Full-text search: words, \"phrases\", prefix*, OR, -exclude, title:word; snippets mark hits with <mark>");
        return group;
    }

    private static string CheckMode(string? mode) => mode?.ToLowerInvariant() switch
    {
        null or "" or "fts" => "fts",
        "semantic" or "hybrid" or "auto" => throw NeptuneException.Invalid("mode",
            $"Search mode '{mode}' needs the semantic index, which this version of Neptune does not build yet: use mode=fts."),
        _ => throw NeptuneException.Invalid("mode", $"Unknown search mode '{mode}': use fts."),
    };
}
