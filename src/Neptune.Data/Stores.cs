using Neptune.Core.Notes;

namespace Neptune.Data;

public sealed record NewNote(long? FolderId, string? Title, string Content, string? SourceId = null);

/// <summary>A note read from an import source; <see cref="SourceId"/> (a JSONL id, or "vault/relative/path.md") finds it again on re-import.</summary>
public sealed record ImportedNote(long? FolderId, string FileName, string Content, string? SourceId);

public enum ImportOutcome
{
    Created,
    Updated,
    Unchanged,
}

public sealed record TrashContents(IReadOnlyList<Folder> Folders, IReadOnlyList<NoteSummary> Notes);

public sealed record Attachment(long Id, string Path, string ContentType, long SizeBytes, string Sha256, long UserId = 1);

public sealed record StoreCounts(long Notes, long Folders, long Trashed, long Attachments, long Links, long DanglingLinks, long QueuedJobs);

public interface IFolderStore
{
    Task<FolderTree> GetTreeAsync(UserId user, CancellationToken ct);

    Task<Folder> GetAsync(UserId user, long id, CancellationToken ct);

    Task<Folder> CreateAsync(UserId user, long? parentId, string name, CancellationToken ct);

    Task<Folder> RenameAsync(UserId user, long id, string name, CancellationToken ct);

    Task<Folder> MoveAsync(UserId user, long id, long? newParentId, CancellationToken ct);

    Task DeleteAsync(UserId user, long id, CancellationToken ct);

    Task<Folder> RestoreAsync(UserId user, long id, CancellationToken ct);

    /// <summary>Deletes a trashed folder for good, with its subfolders and the notes trashed with them; returns how many items went.</summary>
    Task<int> PurgeAsync(UserId user, long id, CancellationToken ct);

    /// <summary>Finds or creates the folder path (e.g. ["Projects", "2026"]) under the root; returns the last folder's id.</summary>
    Task<long?> EnsurePathAsync(UserId user, IReadOnlyList<string> names, CancellationToken ct);

    /// <summary>Path of each live folder from the root, e.g. "Projects/2026".</summary>
    Task<IReadOnlyDictionary<long, string>> GetPathsAsync(UserId user, CancellationToken ct);
}

public interface INoteStore
{
    Task<Note> GetAsync(UserId user, long id, CancellationToken ct);

    Task<Page<NoteSummary>> ListAsync(UserId user, NoteQuery query, CancellationToken ct);

    Task<Note> CreateAsync(UserId user, NewNote note, CancellationToken ct);

    /// <summary>Replaces the content (and optionally the file name). <paramref name="expectedVersion"/> null means unconditional.</summary>
    Task<Note> UpdateAsync(UserId user, long id, long? expectedVersion, string content, string? title, CancellationToken ct);

    Task<Note> MoveAsync(UserId user, long id, long? expectedVersion, long? folderId, CancellationToken ct);

    Task DeleteAsync(UserId user, long id, long? expectedVersion, CancellationToken ct);

    Task<Note> RestoreAsync(UserId user, long id, CancellationToken ct);

    Task<IReadOnlyList<NoteRevision>> ListRevisionsAsync(UserId user, long id, CancellationToken ct);

    Task<NoteRevision> GetRevisionAsync(UserId user, long id, long version, CancellationToken ct);

    Task<Note> RestoreRevisionAsync(UserId user, long id, long version, long? expectedVersion, CancellationToken ct);

    Task<IReadOnlyList<ResolvedLink>> GetBacklinksAsync(UserId user, long id, CancellationToken ct);

    Task<IReadOnlyList<ResolvedLink>> GetOutgoingLinksAsync(UserId user, long id, CancellationToken ct);

    Task<IReadOnlyList<ResolvedLink>> GetDanglingLinksAsync(UserId user, int limit, CancellationToken ct);

    Task<IReadOnlyList<TagCount>> ListTagsAsync(UserId user, CancellationToken ct);

    Task<TrashContents> GetTrashAsync(UserId user, CancellationToken ct);

    Task PurgeNoteAsync(UserId user, long id, CancellationToken ct);

    Task<int> PurgeTrashAsync(UserId user, CancellationToken ct);

    /// <summary>Writes a batch in one transaction: creates new notes, updates changed ones, skips identical ones.</summary>
    Task<IReadOnlyList<ImportOutcome>> ImportAsync(UserId user, IReadOnlyList<ImportedNote> notes, CancellationToken ct);

    /// <summary>Every live note with content, in id order, for export.</summary>
    IAsyncEnumerable<Note> ReadAllAsync(UserId user, CancellationToken ct);
}

public interface IAttachmentStore
{
    /// <summary>Stores a file at <paramref name="relativePath"/> (replacing one with the same path).</summary>
    Task<Attachment> SaveAsync(UserId user, string relativePath, Stream content, CancellationToken ct);

    Task<Attachment?> FindAsync(UserId user, string relativePath, CancellationToken ct);

    /// <summary>The attachment's bytes (a seekable stream when they are a local file).</summary>
    Task<Stream> OpenReadAsync(Attachment attachment, CancellationToken ct);

    Task<IReadOnlyList<Attachment>> ListAsync(UserId user, CancellationToken ct);
}

/// <summary>
/// A full-text query; <see cref="From"/> (inclusive) and <see cref="To"/> (exclusive) bound the note's last update.
/// Without <see cref="Snippets"/> hits carry an empty snippet and the notes' content is never read (ranking only).
/// </summary>
public sealed record SearchRequest(string Query, int Limit, long? FolderId, string? Tag, DateTimeOffset? From = null, DateTimeOffset? To = null, bool Snippets = true);

public sealed record SearchHit(NoteSummary Note, double Score, int FtsRank, string Snippet);

public interface INoteSearch
{
    Task<IReadOnlyList<SearchHit>> SearchAsync(UserId user, SearchRequest request, CancellationToken ct);
}

public interface IDatabase
{
    /// <summary>Applies pending migrations; returns the names of those applied now.</summary>
    Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct);

    /// <summary>Null when reachable and fully migrated, else why not.</summary>
    Task<string?> CheckReadyAsync(CancellationToken ct);

    /// <summary>The user's notes, folders, attachments and links, and the jobs of their notes (a purged note's count as the built-in user's).</summary>
    Task<StoreCounts> GetCountsAsync(UserId user, CancellationToken ct);

    string Provider { get; }
}
