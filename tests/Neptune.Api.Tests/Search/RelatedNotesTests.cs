namespace Neptune.Api.Tests.Search;

[Collection(IndexedNotesCollection.Name)]
public sealed class RelatedNotesTests(IndexedNotesFixture vault)
{
    private HttpClient Client => vault.Client;

    [Fact]
    public async Task Related_notes_are_the_nearest_by_meaning_without_the_note_itself()
    {
        var related = await Client.GetJsonAsync<RelatedDto>($"/api/notes/{vault.Notes["Dogs"]}/related");

        Assert.Equal(vault.Notes["Dogs"], related.NoteId);
        Assert.DoesNotContain(related.Results, r => r.Id == vault.Notes["Dogs"]);
        Assert.Equal("Cats", related.Results[0].Title);
        Assert.Equal(related.Results.OrderByDescending(r => r.Score).Select(r => r.Id), related.Results.Select(r => r.Id));
    }

    [Fact]
    public async Task Linked_notes_are_marked_whichever_way_the_link_points()
    {
        // Cats links to Dogs.
        var fromCats = await Client.GetJsonAsync<RelatedDto>($"/api/notes/{vault.Notes["Cats"]}/related");
        var fromDogs = await Client.GetJsonAsync<RelatedDto>($"/api/notes/{vault.Notes["Dogs"]}/related");

        Assert.True(fromCats.Results.Single(r => r.Title == "Dogs").Linked);
        Assert.True(fromDogs.Results.Single(r => r.Title == "Cats").Linked);
        Assert.All(fromCats.Results.Where(r => r.Title != "Dogs"), r => Assert.False(r.Linked));
    }

    [Fact]
    public async Task Trashed_notes_are_not_related()
    {
        var related = await Client.GetJsonAsync<RelatedDto>($"/api/notes/{vault.Notes["Lighthouse"]}/related?limit=50");

        Assert.DoesNotContain(related.Results, r => r.Title == "Shipwreck");
    }

    [Fact]
    public async Task Limit_caps_related_notes()
    {
        Assert.Equal(2, (await Client.GetJsonAsync<RelatedDto>($"/api/notes/{vault.Notes["Cats"]}/related?limit=2")).Results.Length);
    }

    [Fact]
    public async Task A_note_without_vectors_yet_has_no_related_notes_rather_than_an_error()
    {
        Assert.Empty((await Client.GetJsonAsync<RelatedDto>($"/api/notes/{vault.Notes["Unindexed"]}/related")).Results);
    }

    [Fact]
    public async Task Related_needs_no_model_call()
    {
        await vault.WithModelDownAsync(async () =>
            Assert.NotEmpty((await Client.GetJsonAsync<RelatedDto>($"/api/notes/{vault.Notes["Cats"]}/related")).Results));
    }

    [Fact]
    public async Task Unknown_and_trashed_notes_are_404()
    {
        await (await Client.GetAsync("/api/notes/987654/related")).ProblemAsync(404);
        await (await Client.GetAsync($"/api/notes/{vault.Notes["Shipwreck"]}/related")).ProblemAsync(404);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("201")]
    [InlineData("many")]
    public async Task A_bad_limit_is_400_naming_it(string limit)
    {
        var problem = await (await Client.GetAsync($"/api/notes/{vault.Notes["Cats"]}/related?limit={limit}")).ProblemAsync(400);

        Assert.Equal("limit", problem.Field);
    }
}
