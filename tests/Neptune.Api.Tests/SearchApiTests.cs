using System.Net;

namespace Neptune.Api.Tests;

public sealed class SearchApiTests : ApiTest
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Client.CreateNoteAsync("# Kubernetes\nPods and deployments on a cluster. #ops");
        await Client.CreateNoteAsync("# Cooking\nA recipe that mentions kubernetes once, among pasta and tomatoes.");
        await Client.CreateNoteAsync("# Gardening\nTomatoes need sun. <script>alert(1)</script> tomatoes");
    }

    [Fact]
    public async Task Title_matches_rank_above_body_matches()
    {
        var result = await Client.GetJsonAsync<SearchDto>("/api/search?q=kubernetes");

        Assert.Equal("fts", result.Mode);
        Assert.Equal(["Kubernetes", "Cooking"], result.Results.Select(r => r.Title));
        Assert.Equal(1, result.Results[0].Why.FtsRank);
    }

    [Fact]
    public async Task Snippets_mark_hits_and_escape_note_html()
    {
        var result = await Client.GetJsonAsync<SearchDto>("/api/search?q=tomatoes");

        var garden = result.Results.Single(r => r.Title == "Gardening");
        Assert.Contains("<mark>Tomatoes</mark>", garden.Snippet, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", garden.Snippet, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", garden.Snippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prefix_phrase_exclusion_and_or_work()
    {
        Assert.Equal(["Kubernetes", "Cooking"], (await Client.GetJsonAsync<SearchDto>("/api/search?q=kube*")).Results.Select(r => r.Title));
        Assert.Equal(["Gardening"], (await Client.GetJsonAsync<SearchDto>("/api/search?q=%22tomatoes%20need%22")).Results.Select(r => r.Title));
        Assert.Equal(["Gardening"], (await Client.GetJsonAsync<SearchDto>("/api/search?q=tomatoes%20-pasta")).Results.Select(r => r.Title));
        Assert.Equal(2, (await Client.GetJsonAsync<SearchDto>("/api/search?q=pods%20OR%20sun")).Results.Length);
        Assert.Equal(["Kubernetes"], (await Client.GetJsonAsync<SearchDto>("/api/search?q=title:kubernetes")).Results.Select(r => r.Title));
    }

    [Fact]
    public async Task Tag_filter_limits_results()
    {
        Assert.Equal(["Kubernetes"], (await Client.GetJsonAsync<SearchDto>("/api/search?q=kubernetes&tag=ops")).Results.Select(r => r.Title));
    }

    [Fact]
    public async Task Folder_filter_includes_subfolders()
    {
        var top = await Client.CreateFolderAsync("Top");
        var sub = await Client.CreateFolderAsync("Sub", top.Id);
        await Client.CreateNoteAsync("zebra in sub", title: "deep", folderId: sub.Id);
        await Client.CreateNoteAsync("zebra at root", title: "shallow");

        Assert.Equal(["deep"], (await Client.GetJsonAsync<SearchDto>($"/api/search?q=zebra&folderId={top.Id}")).Results.Select(r => r.Title));
    }

    [Fact]
    public async Task Folder_filter_zero_means_the_top_level()
    {
        var folder = await Client.CreateFolderAsync("Box");
        await Client.CreateNoteAsync("quokka inside", title: "inside", folderId: folder.Id);
        await Client.CreateNoteAsync("quokka outside", title: "outside");

        Assert.Equal(["outside"], (await Client.GetJsonAsync<SearchDto>("/api/search?q=quokka&folderId=0")).Results.Select(r => r.Title));
    }

    [Fact]
    public async Task Trashed_notes_are_not_found()
    {
        var note = await Client.CreateNoteAsync("platypus", title: "gone");
        await Client.DeleteAsync($"/api/notes/{note.Id}");

        Assert.Empty((await Client.GetJsonAsync<SearchDto>("/api/search?q=platypus")).Results);
    }

    [Fact]
    public async Task Updated_content_is_searchable_at_once()
    {
        var note = await Client.CreateNoteAsync("before", title: "edit");
        await Client.PutNoteAsync(note.Id, "after wombat", 1);

        Assert.Single((await Client.GetJsonAsync<SearchDto>("/api/search?q=wombat")).Results);
        Assert.Empty((await Client.GetJsonAsync<SearchDto>("/api/search?q=before")).Results);
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("AND")]
    [InlineData("OR OR")]
    [InlineData("NOT")]
    [InlineData("*")]
    [InlineData("(")]
    [InlineData("NEAR(a b")]
    [InlineData("title:")]
    [InlineData("a:b")]
    [InlineData("^x")]
    [InlineData("kube\"rnetes")]
    [InlineData("-")]
    [InlineData("-kubernetes")]
    [InlineData("😀")]
    [InlineData("'; DROP TABLE notes; --")]
    [InlineData("{a} [b] + c")]
    public async Task No_query_causes_a_server_error(string q)
    {
        var response = await Client.GetAsync($"/api/search?q={Uri.EscapeDataString(q)}");

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{q} → {(int)response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            Assert.Equal("q", (await response.ProblemAsync(400)).Field);
        }
    }

    [Fact]
    public async Task Empty_query_is_400_naming_q()
    {
        Assert.Equal("q", (await (await Client.GetAsync("/api/search?q=")).ProblemAsync(400)).Field);
    }

    [Theory]
    [InlineData("semantic")]
    [InlineData("hybrid")]
    [InlineData("auto")]
    [InlineData("magic")]
    public async Task Modes_other_than_fts_are_a_clear_400(string mode)
    {
        var problem = await (await Client.GetAsync($"/api/search?q=kubernetes&mode={mode}")).ProblemAsync(400);
        Assert.Equal("mode", problem.Field);
    }

    [Fact]
    public async Task Bad_limit_is_400_naming_it()
    {
        Assert.Equal("limit", (await (await Client.GetAsync("/api/search?q=x&limit=lots")).ProblemAsync(400)).Field);
    }
}
