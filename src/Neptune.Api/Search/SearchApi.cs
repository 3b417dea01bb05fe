using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Neptune.Api.Security;
using Neptune.Core;
using Neptune.Core.Search;

namespace Neptune.Api.Search;

public static class SearchApi
{
    public const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder routes)
    {
        var search = routes.MapGroup("/api/search").WithTags("Search");
        search.MapGet("/", async Task<Ok<SearchResponse>> (
            string? q, string? mode, int? limit, long? folderId, string? tag, string? from, string? to, SearchEngine engine, Caller caller, CancellationToken ct) =>
        {
            var searchMode = SearchModes.Parse(mode);
            var (start, end) = UpdatedRange.Parse(from, to);
            var outcome = await engine.SearchAsync(caller.Id, new SearchQuery(q ?? "", searchMode, CheckLimit(limit, 20), folderId, tag, start, end), ct);
            return TypedResults.Ok(SearchResponse.From(q!, outcome));
        }).WithSummary("Search notes. mode: fts (words: \"phrases\", prefix*, OR, -exclude, title:word), semantic (meaning), hybrid (both, fused) "
            + "or auto (hybrid once notes have vectors, else fts; the default). Filters: folderId (with subfolders; 0 = top level), tag, "
            + "from/to on the last update (2024-05-31 or 2024-05-31T14:00:00Z). Snippets mark query words with <mark>; each result says why it matched.");

        var notes = routes.MapGroup("/api/notes").WithTags("Search");
        notes.MapGet("/{id:long}/related", async Task<Ok<RelatedResponse>> (long id, int? limit, RelatedNotes relatedNotes, Caller caller, CancellationToken ct) =>
        {
            var related = await relatedNotes.RelatedAsync(caller.Id, id, CheckLimit(limit, 10), ct);
            return TypedResults.Ok(new RelatedResponse(id, [.. related.Select(RelatedResult.From)]));
        }).WithSummary("Notes related to this one: nearest in meaning, re-ranked by links, semantic neighbours and shared specific topics (empty until it is indexed); linked: an explicit link joins them already");
        return routes;
    }

    private static int CheckLimit(int? limit, int fallback) => limit switch
    {
        null => fallback,
        < 1 or > MaxLimit => throw NeptuneException.Invalid("limit", $"limit must be between 1 and {MaxLimit}; got {limit}."),
        _ => limit.Value,
    };
}
