using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Neptune.Core.Notes;
using Neptune.Data;

namespace Neptune.Api.Folders;

public static class FoldersApi
{
    public static RouteGroupBuilder MapFoldersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/folders").WithTags("Folders");

        group.MapGet("/tree", async Task<Ok<FolderTree>> (IFolderStore store, CancellationToken ct) =>
            TypedResults.Ok(await store.GetTreeAsync(ct)))
            .WithSummary("The whole folder tree with note counts");

        group.MapGet("/{id:long}", async Task<Ok<FolderResponse>> (long id, IFolderStore store, CancellationToken ct) =>
            TypedResults.Ok(FolderResponse.From(await store.GetAsync(id, ct))));

        group.MapPost("/", async Task<Created<FolderResponse>> (CreateFolderRequest body, IFolderStore store, CancellationToken ct) =>
        {
            var folder = await store.CreateAsync(body.ParentId, body.Name, ct);
            return TypedResults.Created($"/api/folders/{folder.Id}", FolderResponse.From(folder));
        }).WithSummary("Create a folder (names are unique per parent)");

        group.MapPatch("/{id:long}", async Task<Ok<FolderResponse>> (long id, RenameFolderRequest body, IFolderStore store, CancellationToken ct) =>
            TypedResults.Ok(FolderResponse.From(await store.RenameAsync(id, body.Name, ct))))
            .WithSummary("Rename a folder");

        group.MapPost("/{id:long}/move", async Task<Ok<FolderResponse>> (long id, MoveFolderRequest body, IFolderStore store, CancellationToken ct) =>
            TypedResults.Ok(FolderResponse.From(await store.MoveAsync(id, body.ParentId, ct))))
            .WithSummary("Move a folder under another (409 when that is inside it)");

        group.MapDelete("/{id:long}", async Task<NoContent> (long id, IFolderStore store, CancellationToken ct) =>
        {
            await store.DeleteAsync(id, ct);
            return TypedResults.NoContent();
        }).WithSummary("Move a folder, its subfolders and notes to the trash");

        group.MapPost("/{id:long}/restore", async Task<Ok<FolderResponse>> (long id, IFolderStore store, CancellationToken ct) =>
            TypedResults.Ok(FolderResponse.From(await store.RestoreAsync(id, ct))))
            .WithSummary("Bring a folder and what was deleted with it back from the trash");

        return group;
    }
}
