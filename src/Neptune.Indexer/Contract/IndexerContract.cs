using Neptune.Data;

namespace Neptune.Indexer.Contract;

/// <summary>POST /indexer/v1/notes/{id}/reindex: the note is queued and shows as <see cref="State"/> ("pending") until indexed.</summary>
public sealed record ReindexResponse(long NoteId, string State);

/// <summary>How many jobs a bulk request queued.</summary>
public sealed record QueuedResponse(int Queued);

/// <summary>GET /indexer/v1/status: the index totals and failures, and what this indexer's worker is doing.</summary>
public sealed record IndexerStatusResponse(IndexStatus Index, string Worker);

/// <summary>
/// The indexer role as the other roles see it, version 1. Requests only queue jobs (the outbox), so they are cheap and
/// safe to repeat; the worker does the work. In one process it is bound to <see cref="LocalIndexerService"/>, across
/// processes to <see cref="IndexerHttpClient"/>; both fail with <see cref="Neptune.Core.NeptuneException"/> for bad
/// requests and <see cref="IndexerException"/> when the indexer cannot be reached.
/// </summary>
public interface IIndexerService
{
    Task<ReindexResponse> ReindexAsync(long noteId, CancellationToken ct);

    /// <summary>Recomputes the semantic edges of every indexed note from its stored vectors, one job per note.</summary>
    Task<QueuedResponse> RefreshGraphAsync(CancellationToken ct);

    /// <summary>Queues the notes that have no index for the active model and no job yet.</summary>
    Task<QueuedResponse> BackfillAsync(CancellationToken ct);

    Task<IndexerStatusResponse> GetStatusAsync(CancellationToken ct);
}

/// <summary>The indexer role could not be reached or failed on its side.</summary>
public sealed class IndexerException(string message, Exception? inner = null) : Exception(message, inner);
