using Neptune.Core.Vectors;

namespace Neptune.Data;

/// <summary>A live note whose indexing failed for good (its job was dead-lettered), and why.</summary>
public sealed record IndexFailure(long NoteId, string Title, string Error, DateTimeOffset FailedAt);

/// <summary>
/// How far indexing has come for the active model. <see cref="Pending"/> is every live note not indexed with the active
/// model and not failed; <see cref="QueueDepth"/> counts jobs waiting or running, <see cref="DeadJobs"/> those given up.
/// </summary>
public sealed record IndexStatus(
    long Notes, long Indexed, long Pending, long Failed, string? Model, long? ModelId, long QueueDepth, long DeadJobs,
    string Summary, IReadOnlyList<IndexFailure> Failures)
{
    public static string Summarise(long notes, long indexed, long failed, long pending) =>
        $"{indexed}/{notes} indexed, {failed} failed" + (pending > 0 ? $", {pending} pending" : "");
}

/// <summary>Index status and control: everything here only reads the tables or queues jobs (the outbox), so it works whether or not an indexer runs in this process.</summary>
/// <remarks>A null user is the operator (the indexer contract between roles): the whole store.</remarks>
public interface IIndexStore
{
    Task<IndexStatus> GetStatusAsync(UserId? user, int maxFailures, CancellationToken ct);

    /// <summary>Queues every failed note (and dead job) again with a clean slate; returns how many notes were queued.</summary>
    Task<int> RetryFailedAsync(UserId user, CancellationToken ct);

    /// <summary>Queues one live note to be indexed again, even if it is up to date; 404 when missing, 409 when in the trash.</summary>
    Task ReindexAsync(UserId? user, long noteId, CancellationToken ct);

    /// <summary>Queues every live note to be re-embedded with the active model; existing vectors serve search until replaced.</summary>
    Task<int> RebuildAsync(UserId user, CancellationToken ct);

    /// <summary>Queues live notes not indexed with the active model that have no job waiting (failed notes excepted: retry those).</summary>
    Task<int> BackfillAsync(CancellationToken ct);

    /// <summary>Queues a semantic-edge refresh for every note indexed with the active model.</summary>
    Task<int> RefreshEdgesAsync(CancellationToken ct);
}

/// <summary>A note as the indexer reads it, with what was indexed last. <see cref="Live"/> is false for a trashed note.</summary>
public sealed record IndexSource(long NoteId, string Title, string Content, long Version, bool Live, string? State, long? IndexedModelId, long? IndexedVersion);

/// <summary>One chunk to store: its span in the note's content, its tokens and its unit vector.</summary>
public sealed record ChunkToStore(int Ordinal, int Start, int End, int Tokens, float[] Vector);

/// <summary>A topic of the note by identity key (<c>TopicLabel.Key</c>), with its display label and weight.</summary>
public sealed record TopicToStore(string Key, string Label, double Weight);

/// <summary>An edge between the note being written and <see cref="Other"/>; <see cref="Provenance"/> explains it.</summary>
public sealed record NoteEdge(long Other, double Weight, string Provenance);

/// <summary>A scored relation between two topics, by key.</summary>
public sealed record RelationToStore(string KeyA, string KeyB, double Strength, string Source);

/// <summary>Everything derived from one version of one note with one model, written in one transaction.</summary>
public sealed record NoteIndexWrite(
    long NoteId, long Version, long ModelId, IReadOnlyList<ChunkToStore> Chunks, string TopicSource, IReadOnlyList<TopicToStore> Topics,
    IReadOnlyList<NoteEdge> SemanticEdges, IReadOnlyList<RelationToStore> Relations);

/// <summary>The indexer pipeline's reads and per-note writes. Each write replaces only that note's rows and completes its jobs in the same transaction.</summary>
public interface INoteIndexStore
{
    Task<IReadOnlyList<IndexSource>> ReadAsync(IReadOnlyCollection<long> noteIds, CancellationToken ct);

    /// <summary>The note's chunk vectors for a model, in chunk order (empty when it has none).</summary>
    Task<IReadOnlyList<float[]>> GetVectorsAsync(long noteId, long modelId, CancellationToken ct);

    /// <summary>
    /// The live notes of the note's owner, which alone may be its semantic neighbours (edges never cross users); null
    /// when every note in the store has that owner (the desktop), so nothing needs filtering.
    /// </summary>
    Task<IReadOnlySet<long>?> SameOwnerNotesAsync(long noteId, CancellationToken ct);

    /// <summary>The semantic edges touching the note, seen from it (<see cref="NoteEdge.Other"/> is the other note).</summary>
    Task<IReadOnlyList<NoteEdge>> GetSemanticEdgesAsync(long noteId, CancellationToken ct);

    /// <summary>How many semantic edges each note has, not counting an edge with <paramref name="except"/>.</summary>
    Task<IReadOnlyDictionary<long, int>> GetSemanticDegreesAsync(IReadOnlyCollection<long> noteIds, long except, CancellationToken ct);

    /// <summary>Which of these topic-key pairs already have a relation (scored before); pairs as (a, b) with a &lt; b ordinal.</summary>
    Task<IReadOnlySet<(string A, string B)>> GetScoredPairsAsync(IReadOnlyCollection<(string A, string B)> pairs, CancellationToken ct);

    /// <summary>
    /// Replaces the note's chunks, vectors, topics, link and semantic edges and index state, and completes <paramref name="jobIds"/>.
    /// Returns the stored chunks for the in-memory vector index, or null when the note was trashed or purged meanwhile (then its rows are removed instead).
    /// </summary>
    Task<IReadOnlyList<ChunkVector>?> WriteAsync(NoteIndexWrite write, IReadOnlyCollection<long> jobIds, CancellationToken ct);

    /// <summary>Removes every row derived from the note and completes <paramref name="jobIds"/>.</summary>
    Task RemoveAsync(long noteId, IReadOnlyCollection<long> jobIds, CancellationToken ct);

    /// <summary>Replaces only the note's semantic edges and completes <paramref name="jobIds"/>.</summary>
    Task WriteSemanticEdgesAsync(long noteId, IReadOnlyList<NoteEdge> edges, IReadOnlyCollection<long> jobIds, CancellationToken ct);
}
