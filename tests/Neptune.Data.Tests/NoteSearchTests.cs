using Microsoft.Extensions.Options;

namespace Neptune.Data.Tests;

/// <summary>Full-text search as users see it, whichever database holds the notes: SQLite FTS5 or PostgreSQL tsvector.</summary>
public abstract class NoteSearchConformance(StoreProvider provider) : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private StoreFixture _store = null!;

    public async ValueTask InitializeAsync() => _store = await StoreFixture.CreateAsync(provider: provider);

    public ValueTask DisposeAsync() => _store?.DisposeAsync() ?? ValueTask.CompletedTask;  // null when skipped in InitializeAsync

    [Fact]
    public async Task Notes_with_every_word_come_first_title_matches_above_body_matches_then_notes_with_some_words()
    {
        var body = await CreateAsync("Runbook", "How to deploy on kubernetes, step by step, with many more words around them.");
        var title = await CreateAsync("Kubernetes deploy", "Rolling out a new release.");
        var some = await CreateAsync("Deploy", "Nothing about clusters here.");
        await CreateAsync("Cooking", "Pasta.");

        Assert.Equal([title, body, some], await IdsAsync("kubernetes deploy"));
    }

    [Theory]
    [InlineData("\"red apple\"", new[] { "Red apple" })]
    [InlineData("app*", new[] { "Apple pie", "Red apple" })]
    [InlineData("pear OR pie", new[] { "Apple pie", "Green pear" })]
    [InlineData("apple -pie", new[] { "Red apple" })]
    [InlineData("title:apple", new[] { "Apple pie", "Red apple" })]
    [InlineData("title:crisp", new string[0])]
    public async Task Phrases_prefixes_alternatives_exclusions_and_the_title_filter(string query, string[] titles)
    {
        await CreateAsync("Red apple", "A crisp red apple.");
        await CreateAsync("Green pear", "A soft green pear.");
        await CreateAsync("Apple pie", "Bake it warm.");

        var hits = await _store.Get<INoteSearch>().SearchAsync(UserId.Local, new SearchRequest(query, 10, null, null), Ct);

        Assert.Equal(titles, hits.Select(h => h.Note.Title).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Accents_fold_and_trashed_notes_are_not_found()
    {
        var id = await CreateAsync("Café", "Crème brûlée for dessert.");

        Assert.Equal([id], await IdsAsync("creme brulee"));
        Assert.Equal([id], await IdsAsync("cafe"));
        await _store.Notes.DeleteAsync(UserId.Local, id, null, Ct);
        Assert.Empty(await IdsAsync("creme"));
    }

    [Fact]
    public async Task Filters_by_folder_with_its_subfolders_by_nested_tag_and_by_date()
    {
        var work = await _store.Folders.CreateAsync(UserId.Local, null, "Work", Ct);
        var sub = await _store.Folders.CreateAsync(UserId.Local, work.Id, "Sub", Ct);
        var inSub = await CreateAsync("Deep", "alpha #project/neptune", sub.Id);
        var top = await CreateAsync("Top", "alpha");

        Assert.Equal([inSub], await IdsAsync("alpha", folderId: work.Id));
        Assert.Equal([top], await IdsAsync("alpha", folderId: 0));
        Assert.Equal([inSub], await IdsAsync("alpha", tag: "project"));
        Assert.Empty(await IdsAsync("alpha", from: DateTimeOffset.UtcNow.AddDays(1)));
        Assert.Equal([inSub], await _store.Get<ISearchStore>().FilterAsync(UserId.Local, work.Id, "#Project", null, null, Ct));
    }

    [Fact]
    public async Task Snippets_mark_the_matched_words()
    {
        await CreateAsync("Notes", "Some text before. The quick brown fox jumps. Some text after.");

        var hit = Assert.Single(await _store.Get<INoteSearch>().SearchAsync(UserId.Local, new SearchRequest("fox", 5, null, null), Ct));

        Assert.Contains("<mark>fox</mark>", hit.Snippet);
        Assert.True(hit.Score > 0);
        Assert.Equal(1, hit.FtsRank);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(30)]  // PostgreSQL then looks up "common" per hit instead of reading its postings
    public async Task Words_most_notes_hold_are_left_out_of_the_match_once_the_collection_is_large_enough(int plain)
    {
        var settings = _store.Get<IOptions<SearchOptions>>().Value;
        settings.CommonWordMinNotes = 5;
        var unicorn = await CreateAsync("Unicorn", "A unicorn, and the common word.");
        for (var i = 0; i < plain; i++)
        {
            await CreateAsync($"Plain {i}", "Only the common word here.");
        }

        // "common" is in every note: it neither narrows the all-words pass nor fills the any-word pass.
        Assert.Equal([unicorn], await IdsAsync("common unicorn"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(25)]  // PostgreSQL then looks up "lion" per candidate instead of reading its postings
    public async Task A_large_any_word_pass_scores_only_notes_with_a_rare_word_but_with_every_word(int prides)
    {
        var settings = _store.Get<IOptions<SearchOptions>>().Value;
        settings.SinglePassFromWords = 2;  // straight to the any-word pass
        var both = await CreateAsync("Zoo", "A zebra and a lion.");
        var lion = await CreateAsync("Savanna", "A lion, a lion, another lion.");
        for (var i = 0; i < prides; i++)
        {
            await CreateAsync($"Pride {i}", "One lion.");
        }

        var wide = await _store.Get<INoteSearch>().SearchAsync(UserId.Local, new SearchRequest("zebra lion", 10, null, null), Ct);
        Assert.Equal(Math.Min(10, 2 + prides), wide.Count);
        Assert.Equal(both, wide[0].Note.Id);
        Assert.Equal(lion, wide[1].Note.Id);

        // "zebra" (1 note) fits in 2 postings, "zebra" + "lion" does not: only notes with "zebra" are scored.
        settings.CandidatePostings = 2;
        var narrow = Assert.Single(await _store.Get<INoteSearch>().SearchAsync(UserId.Local, new SearchRequest("zebra lion", 10, null, null), Ct));

        Assert.Equal(both, narrow.Note.Id);
        Assert.Equal(wide[0].Score, narrow.Score, 4);  // "lion" still counts in its score
    }

    [Fact]
    public async Task Bare_words_rank_as_the_same_words_joined_by_OR()
    {
        // PostgreSQL answers bare words from its postings, and a query with OR from the notes' tsvectors: one ranking either way.
        _store.Get<IOptions<SearchOptions>>().Value.SinglePassFromWords = 2;  // bare words: straight to the any-word pass
        await CreateAsync("Kubernetes deploy", "Rolling out a new release with kubernetes.");
        await CreateAsync("Runbook", "How to deploy, deploy and deploy again on a cluster of machines.");
        await CreateAsync("Cluster", "Kubernetes nodes and kubernetes pods.");
        await CreateAsync("Cooking", "Pasta.");

        var bare = await _store.Get<INoteSearch>().SearchAsync(UserId.Local, new SearchRequest("kubernetes deploy", 10, null, null), Ct);
        var or = await _store.Get<INoteSearch>().SearchAsync(UserId.Local, new SearchRequest("kubernetes OR deploy", 10, null, null), Ct);

        Assert.Equal(3, bare.Count);
        Assert.Equal(bare.Select(h => (h.Note.Id, h.FtsRank)), or.Select(h => (h.Note.Id, h.FtsRank)));
        Assert.All(bare.Zip(or), pair => Assert.Equal(pair.First.Score, pair.Second.Score, 4));
    }

    private async Task<long> CreateAsync(string title, string content, long? folderId = null) =>
        (await _store.Notes.CreateAsync(UserId.Local, new NewNote(folderId, title, content), Ct)).Id;

    private async Task<List<long>> IdsAsync(string query, long? folderId = null, string? tag = null, DateTimeOffset? from = null) =>
        [.. (await _store.Get<INoteSearch>().SearchAsync(UserId.Local, new SearchRequest(query, 10, folderId, tag, from), Ct)).Select(h => h.Note.Id)];
}

public sealed class SqliteNoteSearchTests() : NoteSearchConformance(StoreProvider.Sqlite);

public sealed class PostgresNoteSearchTests() : NoteSearchConformance(StoreProvider.Postgres);
