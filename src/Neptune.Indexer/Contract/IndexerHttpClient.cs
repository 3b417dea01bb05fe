using Neptune.Llm.Contract;

namespace Neptune.Indexer.Contract;

/// <summary>
/// <see cref="IIndexerService"/> over HTTP, for roles in other processes. 4xx problems become the same
/// <see cref="Neptune.Core.NeptuneException"/> the in-process binding throws; an unreachable or failing indexer is an <see cref="IndexerException"/>.
/// </summary>
public sealed class IndexerHttpClient(HttpClient http) : RoleHttpClient(http, IndexerApi.Prefix, "indexer", "Neptune:Services:Indexer"), IIndexerService
{
    public Task<ReindexResponse> ReindexAsync(long noteId, CancellationToken ct) =>
        SendAsync<ReindexResponse>(HttpMethod.Post, $"notes/{noteId}/reindex", null, ct);

    public Task<QueuedResponse> RefreshGraphAsync(CancellationToken ct) => SendAsync<QueuedResponse>(HttpMethod.Post, "graph/refresh", null, ct);

    public Task<QueuedResponse> BackfillAsync(CancellationToken ct) => SendAsync<QueuedResponse>(HttpMethod.Post, "backfill", null, ct);

    public Task<IndexerStatusResponse> GetStatusAsync(CancellationToken ct) => SendAsync<IndexerStatusResponse>(HttpMethod.Get, "status", null, ct);

    protected override Exception Failure(RoleCallFailure kind, string message, Exception? inner) => new IndexerException(message, inner);
}
