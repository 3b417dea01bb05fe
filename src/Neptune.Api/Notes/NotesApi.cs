using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Neptune.Core;
using Neptune.Core.Notes;
using Neptune.Api.Security;
using Neptune.Data;

namespace Neptune.Api.Notes;

public static class NotesApi
{
    public static RouteGroupBuilder MapNotesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/notes").WithTags("Notes");

        group.MapGet("/", async Task<Ok<NotePageResponse>> (
            INoteStore store, Caller caller, long? folderId, string? tag, long? topicId, string? cursor, int? limit, string? sort, CancellationToken ct) =>
        {
            var page = await store.ListAsync(caller.Id, new NoteQuery(folderId, tag, ParseSort(sort), cursor, limit ?? 50, topicId), ct);
            return TypedResults.Ok(new NotePageResponse([.. page.Items.Select(NoteSummaryResponse.From)], page.NextCursor));
        }).WithSummary("List note metadata (no content), keyset-paginated; folderId=0 is the top level; topicId (see /api/topics); sort = updated | created | title");

        group.MapGet("/{id:long}", async Task<Results<Ok<NoteResponse>, StatusCodeHttpResult>> (long id, INoteStore store, Caller caller, HttpContext http, CancellationToken ct) =>
        {
            var note = await store.GetAsync(caller.Id, id, ct);
            ETags.Set(http.Response, note.Version);
            if (http.Request.Headers.IfNoneMatch.ToString() == ETags.For(note.Version))
            {
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            }

            return TypedResults.Ok(NoteResponse.From(note));
        });

        group.MapPost("/", async Task<Created<NoteResponse>> (CreateNoteRequest body, INoteStore store, Caller caller, HttpContext http, CancellationToken ct) =>
        {
            var note = await store.CreateAsync(caller.Id, new NewNote(body.FolderId, body.Title, body.Content), ct);
            ETags.Set(http.Response, note.Version);
            return TypedResults.Created($"/api/notes/{note.Id}", NoteResponse.From(note));
        }).WithSummary("Create a note; answers with Location and ETag");

        group.MapPut("/{id:long}", async Task<Ok<NoteResponse>> (long id, UpdateNoteRequest body, INoteStore store, Caller caller, HttpContext http, CancellationToken ct) =>
        {
            var expected = ETags.ExpectedVersion(http.Request, required: true);
            var note = await store.UpdateAsync(caller.Id, id, expected, body.Content, body.Title, ct);
            ETags.Set(http.Response, note.Version);
            return TypedResults.Ok(NoteResponse.From(note));
        }).WithSummary("Replace a note's content; needs If-Match (412 when stale, 428 when missing)");

        group.MapPost("/{id:long}/move", async Task<Ok<NoteResponse>> (long id, MoveNoteRequest body, INoteStore store, Caller caller, HttpContext http, CancellationToken ct) =>
        {
            var note = await store.MoveAsync(caller.Id, id, ETags.ExpectedVersion(http.Request, required: false), body.FolderId, ct);
            ETags.Set(http.Response, note.Version);
            return TypedResults.Ok(NoteResponse.From(note));
        }).WithSummary("Move a note to another folder (null: top level)");

        group.MapDelete("/{id:long}", async Task<NoContent> (long id, INoteStore store, Caller caller, HttpContext http, CancellationToken ct) =>
        {
            await store.DeleteAsync(caller.Id, id, ETags.ExpectedVersion(http.Request, required: false), ct);
            return TypedResults.NoContent();
        }).WithSummary("Move a note to the trash");

        group.MapPost("/{id:long}/restore", async Task<Ok<NoteResponse>> (long id, INoteStore store, Caller caller, HttpContext http, CancellationToken ct) =>
        {
            var note = await store.RestoreAsync(caller.Id, id, ct);
            ETags.Set(http.Response, note.Version);
            return TypedResults.Ok(NoteResponse.From(note));
        }).WithSummary("Bring a note back from the trash");

        group.MapGet("/{id:long}/revisions", async Task<Ok<IReadOnlyList<RevisionResponse>>> (long id, INoteStore store, Caller caller, CancellationToken ct) =>
            TypedResults.Ok<IReadOnlyList<RevisionResponse>>([.. (await store.ListRevisionsAsync(caller.Id, id, ct)).Select(RevisionResponse.From)]))
            .WithSummary("Previous versions, newest first (the last N are kept)");

        group.MapGet("/{id:long}/revisions/{version:long}", async Task<Ok<RevisionResponse>> (long id, long version, INoteStore store, Caller caller, CancellationToken ct) =>
            TypedResults.Ok(RevisionResponse.From(await store.GetRevisionAsync(caller.Id, id, version, ct))));

        group.MapPost("/{id:long}/revisions/{version:long}/restore", async Task<Ok<NoteResponse>> (long id, long version, INoteStore store, Caller caller, HttpContext http, CancellationToken ct) =>
        {
            var note = await store.RestoreRevisionAsync(caller.Id, id, version, ETags.ExpectedVersion(http.Request, required: false), ct);
            ETags.Set(http.Response, note.Version);
            return TypedResults.Ok(NoteResponse.From(note));
        }).WithSummary("Make a revision's content the current version (the current one becomes a revision)");

        group.MapGet("/{id:long}/backlinks", async Task<Ok<IReadOnlyList<LinkResponse>>> (long id, INoteStore store, Caller caller, CancellationToken ct) =>
            TypedResults.Ok<IReadOnlyList<LinkResponse>>([.. (await store.GetBacklinksAsync(caller.Id, id, ct)).Select(LinkResponse.From)]))
            .WithSummary("Notes that link to this one");

        group.MapGet("/{id:long}/links", async Task<Ok<IReadOnlyList<LinkResponse>>> (long id, INoteStore store, Caller caller, CancellationToken ct) =>
            TypedResults.Ok<IReadOnlyList<LinkResponse>>([.. (await store.GetOutgoingLinksAsync(caller.Id, id, ct)).Select(LinkResponse.From)]))
            .WithSummary("This note's outgoing links, resolved or dangling");

        routes.MapGet("/api/links/dangling", async Task<Ok<IReadOnlyList<LinkResponse>>> (INoteStore store, Caller caller, int? limit, CancellationToken ct) =>
            TypedResults.Ok<IReadOnlyList<LinkResponse>>([.. (await store.GetDanglingLinksAsync(caller.Id, limit ?? 1000, ct)).Select(LinkResponse.From)]))
            .WithTags("Notes").WithSummary("Links whose target note or file does not exist (yet)");

        routes.MapGet("/api/tags", async Task<Ok<IReadOnlyList<TagCount>>> (INoteStore store, Caller caller, CancellationToken ct) =>
            TypedResults.Ok(await store.ListTagsAsync(caller.Id, ct)))
            .WithTags("Notes").WithSummary("Tags with the number of notes carrying each");

        MapTrash(routes.MapGroup("/api/trash").WithTags("Trash"));
        return group;
    }

    private static void MapTrash(RouteGroupBuilder trash)
    {
        trash.MapGet("/", async Task<Ok<TrashResponse>> (INoteStore store, Caller caller, CancellationToken ct) =>
        {
            var contents = await store.GetTrashAsync(caller.Id, ct);
            return TypedResults.Ok(new TrashResponse(
                [.. contents.Folders.Select(Folders.FolderResponse.From)], [.. contents.Notes.Select(NoteSummaryResponse.From)]));
        }).WithSummary("Folders and notes in the trash");

        trash.MapDelete("/", async Task<Ok<PurgeResponse>> (INoteStore store, Caller caller, CancellationToken ct) =>
            TypedResults.Ok(new PurgeResponse(await store.PurgeTrashAsync(caller.Id, ct))))
            .WithSummary("Empty the trash for good");

        trash.MapDelete("/notes/{id:long}", async Task<NoContent> (long id, INoteStore store, Caller caller, CancellationToken ct) =>
        {
            await store.PurgeNoteAsync(caller.Id, id, ct);
            return TypedResults.NoContent();
        }).WithSummary("Delete one trashed note for good");

        trash.MapDelete("/folders/{id:long}", async Task<Ok<PurgeResponse>> (long id, IFolderStore store, Caller caller, CancellationToken ct) =>
            TypedResults.Ok(new PurgeResponse(await store.PurgeAsync(caller.Id, id, ct))))
            .WithSummary("Delete one trashed folder, its subfolders and their trashed notes for good");
    }

    private static NoteSort ParseSort(string? sort) => sort?.ToLowerInvariant() switch
    {
        null or "" or "updated" => NoteSort.Updated,
        "created" => NoteSort.Created,
        "title" => NoteSort.Title,
        _ => throw NeptuneException.Invalid("sort", $"Unknown sort '{sort}': use updated, created or title."),
    };
}

public sealed record PurgeResponse(int Purged);
