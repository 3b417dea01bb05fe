using System.Net;

namespace Neptune.Api.Tests.Search;

[Collection(IndexedNotesCollection.Name)]
public sealed class SemanticSearchTests(IndexedNotesFixture vault)
{
    private HttpClient Client => vault.Client;

    private Task<SearchDto> SearchAsync(string query) => Client.GetJsonAsync<SearchDto>($"/api/search?{query}");

    [Fact]
    public async Task Semantic_finds_a_note_by_meaning_without_shared_words()
    {
        var fts = await SearchAsync("q=feline+pet+that+purrs&mode=fts");
        var semantic = await SearchAsync("q=feline+pet+that+purrs&mode=semantic");

        Assert.DoesNotContain(fts.Results, r => r.Title == "Cats");
        Assert.Equal("semantic", semantic.Mode);
        Assert.Null(semantic.Degraded);
        Assert.Equal("Cats", semantic.Results[0].Title);
        Assert.Null(semantic.Results[0].Why.FtsRank);
        Assert.InRange(semantic.Results[0].Why.SemanticScore!.Value, 0.3, 1.0);
    }

    [Fact]
    public async Task Why_names_the_matched_chunk_and_the_snippet_comes_from_it()
    {
        var result = await SearchAsync("q=hiking+a+mountain+trail&mode=semantic");

        var journal = result.Results[0];
        Assert.Equal("Travel journal", journal.Title);
        Assert.Equal(2, journal.Why.Chunk!.Ordinal);  // every heading opens a chunk: the title, "Day one", "Day two"
        Assert.StartsWith("## Day two", journal.Why.Chunk.Text, StringComparison.Ordinal);
        Assert.Contains("<mark>mountain</mark> <mark>trail</mark>", journal.Snippet, StringComparison.Ordinal);
        Assert.DoesNotContain("museum", journal.Snippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hybrid_fuses_both_rankings_and_each_result_says_where_it_stood()
    {
        var result = await SearchAsync("q=sourdough+starter&mode=hybrid");

        Assert.Equal("hybrid", result.Mode);
        var top = result.Results[0];
        Assert.Equal("Sourdough", top.Title);
        Assert.Equal(1, top.Why.FtsRank);
        Assert.NotNull(top.Why.FtsScore);
        Assert.NotNull(top.Why.SemanticScore);
        Assert.Equal(0, top.Why.Chunk!.Ordinal);
        // Notes only the semantic ranking found come along, without a full-text rank.
        Assert.Contains(result.Results, r => r.Why.FtsRank is null && r.Why.SemanticScore is not null);
        Assert.Equal(result.Results.OrderByDescending(r => r.Score).Select(r => r.Id), result.Results.Select(r => r.Id));
    }

    [Fact]
    public async Task Hybrid_keeps_what_only_one_ranking_finds()
    {
        var result = await SearchAsync("q=feline+pet+that+purrs&mode=hybrid");

        // Full text matches only "that" (in Dogs); the meaning is Cats.
        var cats = result.Results.Take(3).Single(r => r.Title == "Cats");
        Assert.Null(cats.Why.FtsRank);
        Assert.Equal(result.Results.Max(r => r.Why.SemanticScore), cats.Why.SemanticScore);
    }

    [Fact]
    public async Task Auto_runs_hybrid_once_notes_have_vectors()
    {
        var result = await SearchAsync("q=sourdough+starter");

        Assert.Equal("hybrid", result.Mode);
        Assert.Null(result.Degraded);
        Assert.Equal("Sourdough", result.Results[0].Title);
    }

    [Fact]
    public async Task Full_text_results_have_no_semantic_reasons()
    {
        var result = await SearchAsync("q=sourdough&mode=fts");

        var top = Assert.Single(result.Results);
        Assert.Equal(1, top.Why.FtsRank);
        Assert.Null(top.Why.SemanticScore);
        Assert.Null(top.Why.Chunk);
    }

    [Theory]
    [InlineData("fts")]
    [InlineData("semantic")]
    [InlineData("hybrid")]
    public async Task Folder_filter_includes_subfolders_in_every_mode(string mode)
    {
        var result = await SearchAsync($"q={IndexedNotesFixture.Everyone}&mode={mode}&folderId={vault.KitchenFolder}");

        Assert.Equal(["Pasta", "Sourdough"], result.Results.Select(r => r.Title).Order());
    }

    [Theory]
    [InlineData("fts")]
    [InlineData("semantic")]
    [InlineData("hybrid")]
    public async Task Tag_filter_applies_in_every_mode(string mode)
    {
        var result = await SearchAsync($"q={IndexedNotesFixture.Everyone}&mode={mode}&tag=animals");

        Assert.Equal(["Cats", "Dogs"], result.Results.Select(r => r.Title).Order());
    }

    [Theory]
    [InlineData("fts")]
    [InlineData("semantic")]
    [InlineData("hybrid")]
    public async Task Date_filter_bounds_the_last_update_in_every_mode(string mode)
    {
        // "to" as a day means through the end of that day: Pasta (April 1st, noon) is in.
        var result = await SearchAsync($"q={IndexedNotesFixture.Everyone}&mode={mode}&from=2024-03-01&to=2024-04-01");
        var instants = await SearchAsync($"q={IndexedNotesFixture.Everyone}&mode={mode}&from=2024-03-15T12:00:00Z&to=2024-04-01T12:00:00Z");

        Assert.Equal(["Pasta", "Sourdough"], result.Results.Select(r => r.Title).Order());
        Assert.Equal(["Sourdough"], instants.Results.Select(r => r.Title));  // from inclusive, to exclusive
    }

    [Fact]
    public async Task A_note_edited_since_indexing_shows_a_snippet_of_its_current_text()
    {
        var result = await SearchAsync("q=lighthouse+keeper+lamp&mode=semantic");

        var lighthouse = result.Results[0];
        Assert.Equal("Lighthouse", lighthouse.Title);
        Assert.Equal(0, lighthouse.Why.Chunk!.Ordinal);
        Assert.Null(lighthouse.Why.Chunk.Text);  // its offsets describe the old version
        Assert.Contains("<mark>lighthouse</mark> <mark>keeper</mark> retired", lighthouse.Snippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trashed_notes_are_never_found_by_meaning()
    {
        var result = await SearchAsync("q=sunken+galleon+shipwreck&mode=semantic");

        Assert.NotEmpty(result.Results);
        Assert.DoesNotContain(result.Results, r => r.Title == "Shipwreck");
    }

    [Fact]
    public async Task Limit_caps_semantic_results()
    {
        Assert.Equal(3, (await SearchAsync("q=animals&mode=semantic&limit=3")).Results.Length);
    }

    [Fact]
    public async Task Explicit_semantic_with_the_model_down_is_503()
    {
        await vault.WithModelDownAsync(async () =>
        {
            var problem = await (await Client.GetAsync("/api/search?q=cats&mode=semantic")).ProblemAsync(503);
            Assert.Contains("not reachable", problem.Detail, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("hybrid")]
    public async Task Auto_and_hybrid_fall_back_to_full_text_when_the_model_is_down_and_say_so(string mode)
    {
        await vault.WithModelDownAsync(async () =>
        {
            var result = await SearchAsync($"q=sourdough&mode={mode}");

            Assert.Equal("fts", result.Mode);
            Assert.Contains("unavailable", result.Degraded, StringComparison.Ordinal);
            Assert.Equal("Sourdough", Assert.Single(result.Results).Title);
        });
    }

    [Fact]
    public async Task Full_text_keeps_working_when_the_model_is_down()
    {
        await vault.WithModelDownAsync(async () =>
        {
            var response = await Client.GetAsync("/api/search?q=sourdough&mode=fts");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        });
    }
}
