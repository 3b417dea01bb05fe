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

public sealed record Attachment(long Id, string Path, string ContentType, long SizeBytes, string Sha256);

public sealed record StoreCounts(long Notes, long Folders, long Trashed, long Attachments, long Links, long DanglingLinks, long QueuedJobs);

public interface IFolderStore
{
    Task<FolderTree> GetTreeAsync(CancellationToken ct);

    Task<Folder> GetAsync(long id, CancellationToken ct);

    Task<Folder> CreateAsync(long? parentId, string name, CancellationToken ct);

    Task<Folder> RenameAsync(long id, string name, CancellationToken ct);

    Task<Folder> MoveAsync(long id, long? newParentId, CancellationToken ct);

    Task DeleteAsync(long id, CancellationToken ct);

    Task<Folder> RestoreAsync(long id, CancellationToken ct);

    /// <summary>Deletes a trashed folder for good, with its subfolders and the notes trashed with them; returns how many items went.</summary>
    Task<int> PurgeAsync(long id, CancellationToken ct);

    /// <summary>Finds or creates the folder path (e.g. ["Projects", "2026"]) under the root; returns the last folder's id.</summary>
    Task<long?> EnsurePathAsync(IReadOnlyList<string> names, CancellationToken ct);

    /// <summary>Path of each live folder from the root, e.g. "Projects/2026".</summary>
    Task<IReadOnlyDictionary<long, string>> GetPathsAsync(CancellationToken ct);
}

public interface INoteStore
{
    Task<Note> GetAsync(long id, CancellationToken ct);

    Task<Page<NoteSummary>> ListAsync(NoteQuery query, CancellationToken ct);

    Task<Note> CreateAsync(NewNote note, CancellationToken ct);

    /// <summary>Replaces the content (and optionally the file name). <paramref name="expectedVersion"/> null means unconditional.</summary>
    Task<Note> UpdateAsync(long id, long? expectedVersion, string content, string? title, CancellationToken ct);

    Task<Note> MoveAsync(long id, long? expectedVersion, long? folderId, CancellationToken ct);

    Task DeleteAsync(long id, long? expectedVersion, CancellationToken ct);

    Task<Note> RestoreAsync(long id, CancellationToken ct);

    Task<IReadOnlyList<NoteRevision>> ListRevisionsAsync(long id, CancellationToken ct);

    Task<NoteRevision> GetRevisionAsync(long id, long version, CancellationToken ct);

    Task<Note> RestoreRevisionAsync(long id, long version, long? expectedVersion, CancellationToken ct);

    Task<IReadOnlyList<ResolvedLink>> GetBacklinksAsync(long id, CancellationToken ct);

    Task<IReadOnlyList<ResolvedLink>> GetOutgoingLinksAsync(long id, CancellationToken ct);

    Task<IReadOnlyList<ResolvedLink>> GetDanglingLinksAsync(int limit, CancellationToken ct);

    Task<IReadOnlyList<TagCount>> ListTagsAsync(CancellationToken ct);

    Task<TrashContents> GetTrashAsync(CancellationToken ct);

    Task PurgeNoteAsync(long id, CancellationToken ct);

    Task<int> PurgeTrashAsync(CancellationToken ct);

    /// <summary>Writes a batch in one transaction: creates new notes, updates changed ones, skips identical ones.</summary>
    Task<IReadOnlyList<ImportOutcome>> ImportAsync(IReadOnlyList<ImportedNote> notes, CancellationToken ct);

    /// <summary>Every live note with content, in id order, for export.</summary>
    IAsyncEnumerable<Note> ReadAllAsync(CancellationToken ct);
}

public interface IAttachmentStore
{
    /// <summary>Stores a file at <paramref name="relativePath"/> (replacing one with the same path).</summary>
    Task<Attachment> SaveAsync(string relativePath, Stream content, CancellationToken ct);

    Task<Attachment?> FindAsync(string relativePath, CancellationToken ct);

    /// <summary>The attachment's bytes (a seekable stream when they are a local file).</summary>
    Task<Stream> OpenReadAsync(Attachment attachment, CancellationToken ct);

    Task<IReadOnlyList<Attachment>> ListAsync(CancellationToken ct);
}

/// <summary>
/// A full-text query; <see cref="From"/> (inclusive) and <see cref="To"/> (exclusive) bound the note's last update.
/// Without <see cref="Snippets"/> hits carry an empty snippet and the notes' content is never read (ranking only).
/// </summary>
public sealed record SearchRequest(string Query, int Limit, long? FolderId, string? Tag, DateTimeOffset? From = null, DateTimeOffset? To = null, bool Snippets = true);

public sealed record SearchHit(NoteSummary Note, double Score, int FtsRank, string Snippet);

public interface INoteSearch
{
    Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken ct);
}

public interface IDatabase
{
    /// <summary>Applies pending migrations; returns the names of those applied now.</summary>
    Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct);

    /// <summary>Null when reachable and fully migrated, else why not.</summary>
    Task<string?> CheckReadyAsync(CancellationToken ct);

    Task<StoreCounts> GetCountsAsync(CancellationToken ct);

    string Provider { get; }
}
