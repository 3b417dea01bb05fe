using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Neptune.Api.Tests;

public sealed class NotesApiTests : ApiTest
{
    [Fact]
    public async Task Create_returns_201_with_location_and_etag()
    {
        var response = await Client.PostAsJsonAsync("/api/notes", new { content = "---\ntitle: From front matter\ntags: [a, b]\n---\n# Heading\nbody #inline" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var note = (await response.Content.ReadFromJsonAsync<NoteDto>())!;
        Assert.Equal($"/api/notes/{note.Id}", response.Headers.Location?.ToString());
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal("From front matter", note.Title);
        Assert.Equal(["a", "b", "inline"], note.Tags);
    }

    [Fact]
    public async Task Title_falls_back_from_h1_to_given_title()
    {
        Assert.Equal("Heading", (await Client.CreateNoteAsync("# Heading\ntext")).Title);
        Assert.Equal("Given", (await Client.CreateNoteAsync("no heading", title: "Given")).Title);
    }

    [Fact]
    public async Task Get_returns_content_and_etag()
    {
        var created = await Client.CreateNoteAsync("# A\nhello", title: "A");

        var response = await Client.GetAsync($"/api/notes/{created.Id}");

        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal("# A\nhello", (await response.Content.ReadFromJsonAsync<NoteDto>())!.Content);
    }

    [Fact]
    public async Task Update_without_if_match_returns_428()
    {
        var note = await Client.CreateNoteAsync("v1", title: "n");

        var problem = await (await Client.PutNoteAsync(note.Id, "v2", null)).ProblemAsync(428);

        Assert.Equal("If-Match", problem.Field);
        Assert.Equal("v1", (await Client.GetJsonAsync<NoteDto>($"/api/notes/{note.Id}")).Content);
    }

    [Fact]
    public async Task Update_with_stale_etag_returns_412_and_keeps_the_newer_content()
    {
        var note = await Client.CreateNoteAsync("v1", title: "n");
        Assert.Equal(HttpStatusCode.OK, (await Client.PutNoteAsync(note.Id, "v2", 1)).StatusCode);

        await (await Client.PutNoteAsync(note.Id, "stale", 1)).ProblemAsync(412);

        var current = await Client.GetJsonAsync<NoteDto>($"/api/notes/{note.Id}");
        Assert.Equal("v2", current.Content);
        Assert.Equal(2, current.Version);
    }

    [Fact]
    public async Task Update_with_current_etag_returns_new_etag()
    {
        var note = await Client.CreateNoteAsync("v1", title: "n");

        var response = await Client.PutNoteAsync(note.Id, "v2", 1);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task If_match_with_a_list_of_etags_accepts_the_current_one()
    {
        var note = await Client.CreateNoteAsync("v1", title: "n");
        await Client.PutNoteAsync(note.Id, "v2", 1);
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/notes/{note.Id}") { Content = JsonContent.Create(new { content = "v3" }) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\", \"2\"");

        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Links_prefer_a_file_name_match_over_a_title_match_in_the_same_folder()
    {
        var folder = await Client.CreateFolderAsync("X");
        var byFileName = await Client.CreateNoteAsync("root plan", title: "Plan");
        await Client.CreateNoteAsync("# Plan\nin X", title: "Other", folderId: folder.Id);

        var source = await Client.CreateNoteAsync("[[Plan]]", title: "src", folderId: folder.Id);

        Assert.Equal(byFileName.Id, Assert.Single(await Client.GetJsonAsync<LinkDto[]>($"/api/notes/{source.Id}/links")).TargetNoteId);
    }

    [Fact]
    public async Task Parallel_updates_with_the_same_etag_have_exactly_one_winner()
    {
        var note = await Client.CreateNoteAsync("v1", title: "race");

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Client.PutNoteAsync(note.Id, $"writer {i}", 1)));

        var winners = responses.Select((r, i) => (r, i)).Where(x => x.r.StatusCode == HttpStatusCode.OK).ToList();
        Assert.Single(winners);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.PreconditionFailed, r.StatusCode));
        var final = await Client.GetJsonAsync<NoteDto>($"/api/notes/{note.Id}");
        Assert.Equal($"writer {winners[0].i}", final.Content);
        Assert.Equal(2, final.Version);
    }

    [Fact]
    public async Task Revisions_keep_previous_versions_and_restore_one()
    {
        var note = await Client.CreateNoteAsync("first", title: "r");
        await Client.PutNoteAsync(note.Id, "second", 1);
        await Client.PutNoteAsync(note.Id, "third", 2);

        var revisions = await Client.GetJsonAsync<RevisionDto[]>($"/api/notes/{note.Id}/revisions");
        Assert.Equal([2L, 1L], revisions.Select(r => r.Version));
        Assert.Equal("first", (await Client.GetJsonAsync<RevisionDto>($"/api/notes/{note.Id}/revisions/1")).Content);

        var restored = await Client.PostAsync($"/api/notes/{note.Id}/revisions/1/restore", null);
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        var current = await Client.GetJsonAsync<NoteDto>($"/api/notes/{note.Id}");
        Assert.Equal("first", current.Content);
        Assert.Equal(4, current.Version);
        Assert.Contains(await Client.GetJsonAsync<RevisionDto[]>($"/api/notes/{note.Id}/revisions"), r => r.Version == 3);
    }

    [Fact]
    public async Task Delete_moves_to_trash_and_restore_brings_it_back()
    {
        var note = await Client.CreateNoteAsync("trash me", title: "t");

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/notes/{note.Id}")).StatusCode);
        var trash = await Client.GetJsonAsync<TrashDto>("/api/trash");
        Assert.Contains(trash.Notes, n => n.Id == note.Id);
        Assert.DoesNotContain((await Client.GetJsonAsync<PageDto>("/api/notes")).Items, n => n.Id == note.Id);

        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync($"/api/notes/{note.Id}/restore", null)).StatusCode);
        Assert.Contains((await Client.GetJsonAsync<PageDto>("/api/notes")).Items, n => n.Id == note.Id);
    }

    [Fact]
    public async Task Purged_notes_are_gone_for_good()
    {
        var note = await Client.CreateNoteAsync("purge me", title: "p");
        await Client.DeleteAsync($"/api/notes/{note.Id}");

        Assert.Equal(HttpStatusCode.OK, (await Client.DeleteAsync("/api/trash")).StatusCode);

        await (await Client.GetAsync($"/api/notes/{note.Id}")).ProblemAsync(404);
    }

    [Fact]
    public async Task Listing_is_metadata_only_and_keyset_paginated()
    {
        for (var i = 0; i < 7; i++)
        {
            await Client.CreateNoteAsync($"note {i}", title: $"n{i}");
        }

        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var body = await Client.GetStringAsync($"/api/notes?limit=3{(cursor is null ? "" : $"&cursor={cursor}")}");
            Assert.DoesNotContain("\"content\"", body, StringComparison.Ordinal);
            var page = System.Text.Json.JsonSerializer.Deserialize<PageDto>(body, System.Text.Json.JsonSerializerOptions.Web)!;
            Assert.True(page.Items.Length <= 3);
            seen.AddRange(page.Items.Select(n => n.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(7, seen.Count);
        Assert.Equal(7, seen.Distinct().Count());
    }

    [Fact]
    public async Task Listing_filters_by_folder_and_tag()
    {
        var folder = await Client.CreateFolderAsync("Projects");
        await Client.CreateNoteAsync("in folder #work", title: "a", folderId: folder.Id);
        await Client.CreateNoteAsync("at root #work/meetings", title: "b");
        await Client.CreateNoteAsync("untagged", title: "c");

        Assert.Equal(["a"], (await Client.GetJsonAsync<PageDto>($"/api/notes?folderId={folder.Id}")).Items.Select(n => n.Title));
        Assert.Equal(["a", "b"], (await Client.GetJsonAsync<PageDto>("/api/notes?tag=work&sort=title")).Items.Select(n => n.Title));
    }

    [Fact]
    public async Task Bad_cursor_is_a_400_naming_cursor()
    {
        Assert.Equal("cursor", (await (await Client.GetAsync("/api/notes?cursor=garbage")).ProblemAsync(400)).Field);
    }

    [Fact]
    public async Task Note_over_the_size_limit_returns_413_and_writes_nothing()
    {
        var response = await Client.PostAsJsonAsync("/api/notes", new { content = new string('x', (1024 * 1024) + 1), title = "big" });

        await response.ProblemAsync(413);
        Assert.Empty((await Client.GetJsonAsync<PageDto>("/api/notes")).Items);
    }

    [Fact]
    public async Task Unknown_field_returns_400_naming_it()
    {
        var problem = await (await Client.PostAsJsonAsync("/api/notes", new { content = "x", colour = "red" })).ProblemAsync(400);
        Assert.Equal("colour", problem.Field);
    }

    [Fact]
    public async Task Missing_field_returns_400_naming_it()
    {
        var problem = await (await Client.PostAsJsonAsync("/api/notes", new { title = "no content" })).ProblemAsync(400);
        Assert.Equal("content", problem.Field);
    }

    [Fact]
    public async Task Null_content_returns_400_naming_it()
    {
        var problem = await (await Client.PostAsync("/api/notes", new StringContent("{\"content\":null}", Encoding.UTF8, "application/json"))).ProblemAsync(400);
        Assert.Equal("content", problem.Field);
    }

    [Fact]
    public async Task Malformed_json_returns_400()
    {
        await (await Client.PostAsync("/api/notes", new StringContent("{\"content\": \"x\"", Encoding.UTF8, "application/json"))).ProblemAsync(400);
    }

    [Fact]
    public async Task Invalid_utf8_returns_400_and_writes_nothing()
    {
        var bytes = "{\"content\":\"caf"u8.ToArray().Concat(new byte[] { 0xC3, 0x28 }).Concat("\"}"u8.ToArray()).ToArray();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");

        await (await Client.PostAsync("/api/notes", content)).ProblemAsync(400);
        Assert.Empty((await Client.GetJsonAsync<PageDto>("/api/notes")).Items);
    }

    [Fact]
    public async Task Unknown_note_is_404_problem()
    {
        await (await Client.GetAsync("/api/notes/999999")).ProblemAsync(404);
    }

    [Fact]
    public async Task Wikilinks_resolve_when_the_target_appears_and_backlinks_list_the_source()
    {
        var source = await Client.CreateNoteAsync("See [[Target Note|the target]] and [[Nowhere]] and [md](Target%20Note.md)", title: "Source");

        var before = await Client.GetJsonAsync<LinkDto[]>($"/api/notes/{source.Id}/links");
        Assert.All(before, l => Assert.True(l.Dangling));

        var target = await Client.CreateNoteAsync("# Target Note\ncontent");
        var after = await Client.GetJsonAsync<LinkDto[]>($"/api/notes/{source.Id}/links");
        Assert.Equal(3, after.Length);
        Assert.Equal(target.Id, after[0].TargetNoteId);
        Assert.Equal("the target", after[0].Alias);
        Assert.True(after[1].Dangling);
        Assert.Equal(target.Id, after[2].TargetNoteId);

        var backlinks = await Client.GetJsonAsync<LinkDto[]>($"/api/notes/{target.Id}/backlinks");
        Assert.Equal(2, backlinks.Length);
        Assert.All(backlinks, b => Assert.Equal(source.Id, b.SourceNoteId));
        Assert.Contains(await Client.GetJsonAsync<LinkDto[]>("/api/links/dangling"), l => l.Target == "Nowhere");
    }

    [Fact]
    public async Task Links_resolve_by_alias_and_heading_links_keep_their_heading()
    {
        var target = await Client.CreateNoteAsync("---\naliases: [K8s]\n---\n# Kubernetes\n## Pods\n");
        var source = await Client.CreateNoteAsync("[[k8s#Pods]]", title: "Ops");

        var link = Assert.Single(await Client.GetJsonAsync<LinkDto[]>($"/api/notes/{source.Id}/links"));

        Assert.Equal(target.Id, link.TargetNoteId);
        Assert.Equal("Pods", link.Heading);
    }

    [Fact]
    public async Task Trashing_a_target_makes_links_dangling_and_restoring_resolves_them()
    {
        var target = await Client.CreateNoteAsync("# Beta");
        var source = await Client.CreateNoteAsync("[[Beta]]", title: "Alpha");

        await Client.DeleteAsync($"/api/notes/{target.Id}");
        Assert.True(Assert.Single(await Client.GetJsonAsync<LinkDto[]>($"/api/notes/{source.Id}/links")).Dangling);

        await Client.PostAsync($"/api/notes/{target.Id}/restore", null);
        Assert.Equal(target.Id, Assert.Single(await Client.GetJsonAsync<LinkDto[]>($"/api/notes/{source.Id}/links")).TargetNoteId);
    }

    [Fact]
    public async Task Renaming_a_target_by_its_heading_moves_the_links_to_whoever_matches()
    {
        var target = await Client.CreateNoteAsync("# Old Name", title: "file");
        var source = await Client.CreateNoteAsync("[[Old Name]]", title: "src");
        Assert.Equal(target.Id, Assert.Single(await Client.GetJsonAsync<LinkDto[]>($"/api/notes/{source.Id}/links")).TargetNoteId);

        await Client.PutNoteAsync(target.Id, "# New Name", 1);

        Assert.True(Assert.Single(await Client.GetJsonAsync<LinkDto[]>($"/api/notes/{source.Id}/links")).Dangling);
    }

    [Fact]
    public async Task Moving_a_note_into_a_folder_keeps_it_and_bumps_the_version()
    {
        var folder = await Client.CreateFolderAsync("Dest");
        var note = await Client.CreateNoteAsync("x", title: "mover");

        var moved = await (await Client.PostAsJsonAsync($"/api/notes/{note.Id}/move", new { folderId = folder.Id })).Content.ReadFromJsonAsync<NoteDto>();

        Assert.Equal(folder.Id, moved!.FolderId);
        Assert.Equal(2, moved.Version);
    }

    [Fact]
    public async Task Tags_endpoint_counts_live_notes()
    {
        await Client.CreateNoteAsync("#alpha #beta", title: "1");
        await Client.CreateNoteAsync("#alpha", title: "2");

        var tags = await Client.GetJsonAsync<TagDto[]>("/api/tags");

        Assert.Equal(2, tags.Single(t => t.Tag == "alpha").Count);
        Assert.Equal(1, tags.Single(t => t.Tag == "beta").Count);
    }

    public sealed record TagDto(string Tag, int Count);
}
