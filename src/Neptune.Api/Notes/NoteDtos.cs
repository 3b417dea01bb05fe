using Neptune.Core.Notes;

namespace Neptune.Api.Notes;

/// <summary><c>title</c> is optional: without it the title comes from the content (front matter, else first H1).</summary>
public sealed record CreateNoteRequest(string Content, long? FolderId = null, string? Title = null);

/// <summary>Replaces the content; <c>title</c>, when given, renames the note (its file name on export).</summary>
public sealed record UpdateNoteRequest(string Content, string? Title = null);

/// <summary><c>folderId</c> null moves the note to the top level.</summary>
public sealed record MoveNoteRequest(long? FolderId);

public sealed record NoteSummaryResponse(
    long Id, long? FolderId, string Title, string FileName, long Version, long SizeBytes, string? SourceId,
    IReadOnlyList<string> Tags, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt)
{
    public static NoteSummaryResponse From(NoteSummary n) =>
        new(n.Id, n.FolderId, n.Title, n.FileName, n.Version, n.SizeBytes, n.SourceId, n.Tags, n.CreatedAt, n.UpdatedAt, n.DeletedAt);
}

public sealed record NoteResponse(
    long Id, long? FolderId, string Title, string FileName, long Version, long SizeBytes, string? SourceId,
    IReadOnlyList<string> Tags, IReadOnlyList<string> Aliases, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt,
    string Content)
{
    public static NoteResponse From(Note note)
    {
        var n = note.Summary;
        return new(n.Id, n.FolderId, n.Title, n.FileName, n.Version, n.SizeBytes, n.SourceId, n.Tags, note.Aliases, n.CreatedAt, n.UpdatedAt, n.DeletedAt, note.Content);
    }
}

public sealed record NotePageResponse(IReadOnlyList<NoteSummaryResponse> Items, string? NextCursor);

public sealed record RevisionResponse(long NoteId, long Version, string Title, long SizeBytes, DateTimeOffset CreatedAt, string? Content)
{
    public static RevisionResponse From(NoteRevision r) => new(r.NoteId, r.Version, r.Title, r.SizeBytes, r.CreatedAt, r.Content);
}

public sealed record LinkResponse(
    long SourceNoteId, string SourceTitle, string Kind, string Target, string? Heading, string? Alias, bool IsEmbed,
    long? TargetNoteId, string? TargetTitle, string? TargetAttachment, bool Dangling)
{
    public static LinkResponse From(ResolvedLink l) =>
        new(l.SourceNoteId, l.SourceTitle, l.Kind, l.Target, l.Heading, l.Alias, l.IsEmbed, l.TargetNoteId, l.TargetTitle, l.TargetAttachment, l.IsDangling);
}

public sealed record TrashResponse(IReadOnlyList<Folders.FolderResponse> Folders, IReadOnlyList<NoteSummaryResponse> Notes);
