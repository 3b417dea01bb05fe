using Neptune.Core.Notes;

namespace Neptune.Data;

/// <summary>Where a chunk sits in the content of the note version it was cut from.</summary>
public sealed record ChunkSpan(long ChunkId, long NoteId, int Ordinal, int Start, int End);

/// <summary>
/// A live note as semantic results show it: its summary and current content, the version its chunks were cut from
/// (null when never indexed), and those of its chunks that were asked for.
/// </summary>
public sealed record ChunkedNote(NoteSummary Note, string Content, long? IndexedVersion, IReadOnlyList<ChunkSpan> Chunks)
{
    /// <summary>The chunk's text when its offsets still describe the current content, else null (the note changed since).</summary>
    public string? TextOf(ChunkSpan chunk) =>
        IndexedVersion == Note.Version && chunk.Start >= 0 && chunk.Start <= chunk.End && chunk.End <= Content.Length ? Content[chunk.Start..chunk.End] : null;
}

/// <summary>What semantic search and related notes read besides the vector index itself.</summary>
public interface ISearchStore
{
    /// <summary>
    /// Ids of the user's live notes that pass the folder (with subfolders; 0 = top level), tag and updated-date filters;
    /// null when nothing needs filtering (no filter, and every note in the store is the user's: the desktop).
    /// </summary>
    Task<IReadOnlySet<long>?> FilterAsync(UserId user, long? folderId, string? tag, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct);

    /// <summary>The user's live notes among <paramref name="noteIds"/> (trashed, unknown and other users' ones are left out) with the asked-for chunks.</summary>
    Task<IReadOnlyList<ChunkedNote>> GetNotesAsync(UserId user, IReadOnlyCollection<long> noteIds, IReadOnlyCollection<long> chunkIds, CancellationToken ct);

    /// <summary>Which of <paramref name="chunkIds"/> open their note (ordinal 0).</summary>
    Task<IReadOnlySet<long>> LeadChunksAsync(IReadOnlyCollection<long> chunkIds, CancellationToken ct);

    /// <summary>Notes linked with <paramref name="noteId"/> by a resolved link, in either direction.</summary>
    Task<IReadOnlySet<long>> LinkedNotesAsync(long noteId, CancellationToken ct);
}
