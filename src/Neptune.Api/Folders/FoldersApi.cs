using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Neptune.Core.Notes;
using Neptune.Api.Security;
using Neptune.Data;

namespace Neptune.Api.Folders;

public static class FoldersApi
{
    public static RouteGroupBuilder MapFoldersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/folders").WithTags("Folders");

        group.MapGet("/tree", async Task<Ok<FolderTree>> (IFolderStore store, Caller caller, CancellationToken ct) =>
            TypedResults.Ok(await store.GetTreeAsync(caller.Id, ct)))
            .WithSummary("The whole folder tree with note counts");

        group.MapGet("/{id:long}", async Task<Ok<FolderResponse>> (long id, IFolderStore store, Caller caller, CancellationToken ct) =>
            TypedResults.Ok(FolderResponse.From(await store.GetAsync(caller.Id, id, ct))));

        group.MapPost("/", async Task<Created<FolderResponse>> (CreateFolderRequest body, IFolderStore store, Caller caller, CancellationToken ct) =>
        {
            var folder = await store.CreateAsync(caller.Id, body.ParentId, body.Name, ct);
            return TypedResults.Created($"/api/folders/{folder.Id}", FolderResponse.From(folder));
        }).WithSummary("Create a folder (names are unique per parent)");

        group.MapPatch("/{id:long}", async Task<Ok<FolderResponse>> (long id, RenameFolderRequest body, IFolderStore store, Caller caller, CancellationToken ct) =>
            TypedResults.Ok(FolderResponse.From(await store.RenameAsync(caller.Id, id, body.Name, ct))))
            .WithSummary("Rename a folder");

        group.MapPost("/{id:long}/move", async Task<Ok<FolderResponse>> (long id, MoveFolderRequest body, IFolderStore store, Caller caller, CancellationToken ct) =>
            TypedResults.Ok(FolderResponse.From(await store.MoveAsync(caller.Id, id, body.ParentId, ct))))
            .WithSummary("Move a folder under another (409 when that is inside it)");

        group.MapDelete("/{id:long}", async Task<NoContent> (long id, IFolderStore store, Caller caller, CancellationToken ct) =>
        {
            await store.DeleteAsync(caller.Id, id, ct);
            return TypedResults.NoContent();
        }).WithSummary("Move a folder, its subfolders and notes to the trash");

        group.MapPost("/{id:long}/restore", async Task<Ok<FolderResponse>> (long id, IFolderStore store, Caller caller, CancellationToken ct) =>
            TypedResults.Ok(FolderResponse.From(await store.RestoreAsync(caller.Id, id, ct))))
            .WithSummary("Bring a folder and what was deleted with it back from the trash");

        return group;
    }
}
