using Neptune.Data;
using Neptune.Indexer.Worker;

namespace Neptune.Indexer.Contract;

/// <summary>The indexer contract in-process: requests go straight to the job table; status adds this process's worker state. It is the operator's (the roles' service token), so it covers every user's notes.</summary>
public sealed class LocalIndexerService(IIndexStore store, WorkerState worker) : IIndexerService
{
    public const int MaxFailuresShown = 100;

    public async Task<ReindexResponse> ReindexAsync(long noteId, CancellationToken ct)
    {
        await store.ReindexAsync(null, noteId, ct);
        return new ReindexResponse(noteId, "pending");
    }

    public async Task<QueuedResponse> RefreshGraphAsync(CancellationToken ct) => new(await store.RefreshEdgesAsync(ct));

    public async Task<QueuedResponse> BackfillAsync(CancellationToken ct) => new(await store.BackfillAsync(ct));

    public async Task<IndexerStatusResponse> GetStatusAsync(CancellationToken ct) =>
        new(await store.GetStatusAsync(null, MaxFailuresShown, ct), worker.Status);
}
