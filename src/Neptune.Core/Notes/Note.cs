namespace Neptune.Core.Notes;

/// <summary>A note's metadata: everything but its content, so that listings stay small.</summary>
public sealed record NoteSummary(
    long Id,
    long? FolderId,
    string Title,
    string FileName,
    long Version,
    long SizeBytes,
    string? SourceId,
    IReadOnlyList<string> Tags,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeletedAt);

public sealed record Note(NoteSummary Summary, string Content, IReadOnlyList<string> Aliases)
{
    public long Id => Summary.Id;

    public long Version => Summary.Version;
}

public sealed record NoteRevision(
    long NoteId,
    long Version,
    string Title,
    long SizeBytes,
    DateTimeOffset CreatedAt,
    string? Content);

/// <summary>An outgoing link and what it resolved to; a dangling link has no target.</summary>
public sealed record ResolvedLink(
    long SourceNoteId,
    string SourceTitle,
    string Kind,
    string Target,
    string? Heading,
    string? Alias,
    bool IsEmbed,
    long? TargetNoteId,
    string? TargetTitle,
    string? TargetAttachment)
{
    public bool IsDangling => TargetNoteId is null && TargetAttachment is null;
}

public sealed record TagCount(string Tag, int Count);

public enum NoteSort
{
    Updated,
    Created,
    Title,
}

/// <summary><see cref="TopicId"/> keeps the notes the indexer gave that topic.</summary>
public sealed record NoteQuery(long? FolderId, string? Tag, NoteSort Sort, string? Cursor, int Limit, long? TopicId = null);

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
