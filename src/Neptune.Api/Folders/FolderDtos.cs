using Neptune.Core.Notes;

namespace Neptune.Api.Folders;

public sealed record CreateFolderRequest(string Name, long? ParentId = null);

public sealed record RenameFolderRequest(string Name);

/// <summary><c>parentId</c> null moves the folder to the top level.</summary>
public sealed record MoveFolderRequest(long? ParentId);

public sealed record FolderResponse(long Id, long? ParentId, string Name, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt)
{
    public static FolderResponse From(Folder f) => new(f.Id, f.ParentId, f.Name, f.CreatedAt, f.UpdatedAt, f.DeletedAt);
}
