using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Neptune.Indexer.Contract;

/// <summary>The indexer role's HTTP contract, version 1: a thin mapping of <see cref="IIndexerService"/> onto routes.</summary>
public static class IndexerApi
{
    public const string Prefix = "/indexer/v1";

    public static IEndpointRouteBuilder MapIndexerApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(Prefix).WithTags("Indexer");
        group.MapPost("/notes/{id:long}/reindex", async Task<Accepted<ReindexResponse>> (long id, LocalIndexerService indexer, CancellationToken ct) =>
            TypedResults.Accepted($"{Prefix}/status", await indexer.ReindexAsync(id, ct)))
            .WithSummary("Queue one note to be indexed again (even when up to date)");
        group.MapPost("/graph/refresh", async Task<Accepted<QueuedResponse>> (LocalIndexerService indexer, CancellationToken ct) =>
            TypedResults.Accepted($"{Prefix}/status", await indexer.RefreshGraphAsync(ct)))
            .WithSummary("Recompute the semantic edges of every indexed note from its stored vectors, note by note");
        group.MapPost("/backfill", async Task<Accepted<QueuedResponse>> (LocalIndexerService indexer, CancellationToken ct) =>
            TypedResults.Accepted($"{Prefix}/status", await indexer.BackfillAsync(ct)))
            .WithSummary("Queue the notes not indexed with the active model that have no job yet");
        group.MapGet("/status", async Task<Ok<IndexerStatusResponse>> (LocalIndexerService indexer, CancellationToken ct) =>
            TypedResults.Ok(await indexer.GetStatusAsync(ct)))
            .WithSummary("Index totals, failures with reasons, and the worker's state");
        return routes;
    }
}
