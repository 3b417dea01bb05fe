using System.Net;
using System.Net.Http.Json;

namespace Neptune.Api.Tests;

public sealed class FoldersApiTests : ApiTest
{
    [Fact]
    public async Task Tree_nests_folders_and_counts_notes()
    {
        var projects = await Client.CreateFolderAsync("Projects");
        var neptune = await Client.CreateFolderAsync("Neptune", projects.Id);
        await Client.CreateNoteAsync("a", title: "a", folderId: projects.Id);
        await Client.CreateNoteAsync("b", title: "b", folderId: neptune.Id);
        await Client.CreateNoteAsync("c", title: "c", folderId: neptune.Id);
        await Client.CreateNoteAsync("root", title: "root");

        var tree = await Client.GetJsonAsync<FolderTreeDto>("/api/folders/tree");

        var top = Assert.Single(tree.Folders);
        Assert.Equal(1, tree.RootNoteCount);
        Assert.Equal(4, tree.TotalNoteCount);
        Assert.Equal((1, 3), (top.NoteCount, top.TotalNoteCount));
        Assert.Equal(2, Assert.Single(top.Children).NoteCount);
    }

    [Fact]
    public async Task Names_are_unique_per_parent()
    {
        var a = await Client.CreateFolderAsync("A");
        await Client.CreateFolderAsync("Same", a.Id);
        await Client.CreateFolderAsync("Same");

        var problem = await (await Client.PostAsJsonAsync("/api/folders", new { name = "Same", parentId = a.Id })).ProblemAsync(409);
        Assert.Equal("name", problem.Field);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("tab\there")]
    [InlineData("")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("a:b")]
    [InlineData("trailing.")]
    public async Task Invalid_names_are_400_naming_the_field(string name)
    {
        var problem = await (await Client.PostAsJsonAsync("/api/folders", new { name })).ProblemAsync(400);
        Assert.Equal("name", problem.Field);
    }

    [Fact]
    public async Task Rename_changes_the_name()
    {
        var folder = await Client.CreateFolderAsync("Old");

        var response = await Client.PatchAsJsonAsync($"/api/folders/{folder.Id}", new { name = "New" });

        Assert.Equal("New", (await response.Content.ReadFromJsonAsync<FolderDto>())!.Name);
    }

    [Fact]
    public async Task Moving_a_folder_into_its_own_descendant_is_409()
    {
        var a = await Client.CreateFolderAsync("A");
        var b = await Client.CreateFolderAsync("B", a.Id);
        var c = await Client.CreateFolderAsync("C", b.Id);

        await (await Client.PostAsJsonAsync($"/api/folders/{a.Id}/move", new { parentId = c.Id })).ProblemAsync(409);
        await (await Client.PostAsJsonAsync($"/api/folders/{a.Id}/move", new { parentId = a.Id })).ProblemAsync(409);
    }

    [Fact]
    public async Task Move_to_top_level_and_under_another_folder()
    {
        var a = await Client.CreateFolderAsync("A");
        var b = await Client.CreateFolderAsync("B", a.Id);
        var other = await Client.CreateFolderAsync("Other");

        var moved = await (await Client.PostAsJsonAsync($"/api/folders/{b.Id}/move", new { parentId = other.Id })).Content.ReadFromJsonAsync<FolderDto>();
        Assert.Equal(other.Id, moved!.ParentId);
        var top = await (await Client.PostAsJsonAsync($"/api/folders/{b.Id}/move", new { parentId = (long?)null })).Content.ReadFromJsonAsync<FolderDto>();
        Assert.Null(top!.ParentId);
    }

    [Fact]
    public async Task Deleting_a_folder_trashes_its_subtree_and_notes_and_restore_brings_all_back()
    {
        var a = await Client.CreateFolderAsync("A");
        var b = await Client.CreateFolderAsync("B", a.Id);
        var note = await Client.CreateNoteAsync("inside", title: "inside", folderId: b.Id);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/folders/{a.Id}")).StatusCode);
        Assert.Empty((await Client.GetJsonAsync<FolderTreeDto>("/api/folders/tree")).Folders);
        var trash = await Client.GetJsonAsync<TrashDto>("/api/trash");
        Assert.Equal(2, trash.Folders.Length);
        Assert.Contains(trash.Notes, n => n.Id == note.Id);

        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync($"/api/folders/{a.Id}/restore", null)).StatusCode);
        var tree = await Client.GetJsonAsync<FolderTreeDto>("/api/folders/tree");
        Assert.Equal(1, Assert.Single(Assert.Single(tree.Folders).Children).NoteCount);
    }

    [Fact]
    public async Task A_trashed_folder_can_be_purged_alone_and_a_live_one_cannot()
    {
        var keep = await Client.CreateFolderAsync("Keep");
        var gone = await Client.CreateFolderAsync("Gone");
        await Client.CreateFolderAsync("Child", gone.Id);
        var note = await Client.CreateNoteAsync("bye", title: "bye", folderId: gone.Id);
        await Client.DeleteAsync($"/api/folders/{gone.Id}");

        await (await Client.DeleteAsync($"/api/trash/folders/{keep.Id}")).ProblemAsync(409);
        Assert.Equal(HttpStatusCode.OK, (await Client.DeleteAsync($"/api/trash/folders/{gone.Id}")).StatusCode);

        var trash = await Client.GetJsonAsync<TrashDto>("/api/trash");
        Assert.Empty(trash.Folders);
        Assert.Empty(trash.Notes);
        await (await Client.GetAsync($"/api/notes/{note.Id}")).ProblemAsync(404);
        Assert.Equal(["Keep"], (await Client.GetJsonAsync<FolderTreeDto>("/api/folders/tree")).Folders.Select(f => f.Name));
    }

    [Fact]
    public async Task Creating_a_note_in_a_missing_folder_is_400_naming_folderId()
    {
        var problem = await (await Client.PostAsJsonAsync("/api/notes", new { content = "x", folderId = 424242 })).ProblemAsync(400);
        Assert.Equal("folderId", problem.Field);
    }
}
