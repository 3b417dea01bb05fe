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

    [Fact]
    public async Task Auto_is_full_text_while_no_note_has_vectors()
    {
        var result = await Client.GetJsonAsync<SearchDto>("/api/search?q=kubernetes&mode=auto");

        Assert.Equal("fts", result.Mode);
        Assert.Null(result.Degraded);
        Assert.Equal("Kubernetes", result.Results[0].Title);
    }

    [Fact]
    public async Task Hybrid_without_vectors_runs_full_text_and_says_why()
    {
        var result = await Client.GetJsonAsync<SearchDto>("/api/search?q=kubernetes&mode=hybrid");

        Assert.Equal("fts", result.Mode);
        Assert.Contains("no vectors yet", result.Degraded, StringComparison.Ordinal);
        Assert.Equal(2, result.Results.Length);
    }

    [Fact]
    public async Task Semantic_without_vectors_is_empty_and_says_why()
    {
        var result = await Client.GetJsonAsync<SearchDto>("/api/search?q=kubernetes&mode=semantic");

        Assert.Equal("semantic", result.Mode);
        Assert.Contains("no vectors yet", result.Degraded, StringComparison.Ordinal);
        Assert.Empty(result.Results);
    }

    [Theory]
    [InlineData("mode=magic", "mode")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2024-02-30", "from")]
    [InlineData("to=2024-13-01", "to")]
    [InlineData("to=12:00", "to")]
    [InlineData("from=2024-05-01&to=2024-04-01", "to")]
    [InlineData("from=2024-05-01T10:00:00Z&to=2024-05-01T10:00:00Z", "to")]
    [InlineData("folderId=abc", "folderId")]
    public async Task Bad_parameters_are_400_naming_the_field(string parameters, string field)
    {
        var problem = await (await Client.GetAsync($"/api/search?q=kubernetes&{parameters}")).ProblemAsync(400);

        Assert.Equal(field, problem.Field);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
    }

    [Fact]
    public async Task Date_filters_apply_to_full_text_alone_too()
    {
        Assert.Equal(3, (await Client.GetJsonAsync<SearchDto>("/api/search?q=kubernetes%20OR%20tomatoes&from=2000-01-01")).Results.Length);
        Assert.Empty((await Client.GetJsonAsync<SearchDto>("/api/search?q=kubernetes%20OR%20tomatoes&to=2000-01-01")).Results);
    }

    [Fact]
    public async Task Bad_limit_is_400_naming_it()
    {
        Assert.Equal("limit", (await (await Client.GetAsync("/api/search?q=x&limit=lots")).ProblemAsync(400)).Field);
    }
}
