namespace Neptune.Core.Notes;

public sealed record Folder(
    long Id,
    long? ParentId,
    string Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeletedAt);

/// <summary>One node of the folder tree. <see cref="NoteCount"/> counts notes directly inside; <see cref="TotalNoteCount"/> includes subfolders.</summary>
public sealed record FolderNode(
    long Id,
    long? ParentId,
    string Name,
    int NoteCount,
    int TotalNoteCount,
    IReadOnlyList<FolderNode> Children);

public sealed record FolderTree(int RootNoteCount, int TotalNoteCount, IReadOnlyList<FolderNode> Folders);
