using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Neptune.Api.Security;
using Neptune.Data;

namespace Neptune.Api.Index;

/// <summary>How many notes a control request queued; the worker picks them up from the job table.</summary>
public sealed record IndexQueuedResponse(int Queued);

/// <summary>
/// Index status and control. Everything goes through the job table (the outbox), so requests are accepted whether the
/// indexer runs in this process or another, and a rebuild resumes after a restart by its nature.
/// </summary>
public static class IndexApi
{
    public static RouteGroupBuilder MapIndexApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/index").WithTags("Index");
        group.MapGet("/status", async Task<Ok<IndexStatus>> (IIndexStore store, Caller caller, int? failures, CancellationToken ct) =>
            TypedResults.Ok(await store.GetStatusAsync(caller.Id, failures ?? 100, ct)))
            .WithSummary("Totals (\"4453/4453 indexed, 0 failed\"), the active model, queue depth and the failed notes with reasons");

        group.MapPost("/retry", async Task<Accepted<IndexQueuedResponse>> (IIndexStore store, Caller caller, CancellationToken ct) =>
            TypedResults.Accepted("/api/index/status", new IndexQueuedResponse(await store.RetryFailedAsync(caller.Id, ct))))
            .WithSummary("Queue every failed note again (dead jobs get a clean slate)");

        group.MapPost("/rebuild", async Task<Accepted<IndexQueuedResponse>> (IIndexStore store, Caller caller, CancellationToken ct) =>
            TypedResults.Accepted("/api/index/status", new IndexQueuedResponse(await store.RebuildAsync(caller.Id, ct))))
            .WithSummary("Re-embed every live note with the active model; search keeps using the existing vectors meanwhile, and it resumes after a restart");

        routes.MapPost("/api/notes/{id:long}/reindex", async Task<Accepted<IndexQueuedResponse>> (long id, IIndexStore store, Caller caller, CancellationToken ct) =>
        {
            await store.ReindexAsync(caller.Id, id, ct);
            return TypedResults.Accepted("/api/index/status", new IndexQueuedResponse(1));
        }).WithTags("Index").WithSummary("Queue one note to be indexed again");
        return group;
    }
}
