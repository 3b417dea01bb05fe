namespace Neptune.Data.Tests;

public sealed class MatchWordsTests
{
    private static readonly Dictionary<string, long> Documents = new()
    {
        ["zebra"] = 3, ["lion"] = 40, ["grass"] = 200, ["animal"] = 600, ["the"] = 990,
    };

    [Fact]
    public void One_word_is_matched_as_typed() =>
        Assert.Same(MatchWords.All, MatchWords.Choose(["the"], Documents, 1000, new SearchOptions()));

    [Fact]
    public void Common_words_are_left_out_of_both_passes_but_never_the_rarest_word()
    {
        var words = MatchWords.Choose(["the", "lion", "zebra"], Documents, 1000, new SearchOptions());
        Assert.Equal(["the"], words.LeftOutOfAllWords);
        Assert.Equal(["the"], words.LeftOutOfAnyWord);
        Assert.False(words.NarrowsCandidates);

        var onlyCommon = MatchWords.Choose(["the", "animal"], Documents, 1000, new SearchOptions());
        Assert.Equal(["the"], onlyCommon.LeftOutOfAllWords);  // "animal" is common too, but the rarer of the two
    }

    [Fact]
    public void Small_collections_keep_every_word()
    {
        var words = MatchWords.Choose(["the", "zebra"], Documents, 400, new SearchOptions());
        Assert.Empty(words.LeftOutOfAllWords);
        Assert.Empty(words.LeftOutOfAnyWord);
    }

    [Fact]
    public void The_any_word_pass_ranks_the_rarest_words_only()
    {
        var words = MatchWords.Choose(["grass", "lion", "zebra", "animal"], Documents, 10_000, new SearchOptions { FallbackMaxWords = 2 });
        Assert.Empty(words.LeftOutOfAllWords);
        Assert.Equal(["animal", "grass"], words.LeftOutOfAnyWord.Order());
    }

    [Fact]
    public void Candidates_come_from_the_rarest_words_whose_postings_fit_the_budget()
    {
        var settings = new SearchOptions { CandidatePostings = 50 };
        var words = MatchWords.Choose(["grass", "lion", "zebra"], Documents, 1000, settings);
        Assert.Empty(words.LeftOutOfAnyWord);
        Assert.Equal(["grass"], words.LeftOutOfCandidates);  // 3 + 40 fit in 50, + 200 does not
        Assert.True(words.NarrowsCandidates);

        settings.CandidatePostings = 1;
        Assert.Equal(["grass", "lion"], MatchWords.Choose(["grass", "lion", "zebra"], Documents, 1000, settings).LeftOutOfCandidates.Order());
    }

    [Fact]
    public async Task Counts_are_asked_for_once_while_fresh_and_again_when_old()
    {
        var now = 0L;
        var cache = new DocumentCountCache(() => now, maxAgeMs: 1000);
        var asked = new List<string>();
        Task<Dictionary<string, long>> Count(IReadOnlyList<string> words)
        {
            asked.AddRange(words);
            return Task.FromResult(words.Where(Documents.ContainsKey).ToDictionary(w => w, w => Documents[w]));
        }

        Assert.Equal(40, (await cache.DocumentsAsync(["lion", "unknown"], Count))["lion"]);
        Assert.Equal(0, (await cache.DocumentsAsync(["unknown", "zebra"], Count))["unknown"]);
        Assert.Equal(["lion", "unknown", "zebra"], asked);

        now = 1000;
        await cache.DocumentsAsync(["lion"], Count);
        Assert.Equal(["lion", "unknown", "zebra", "lion"], asked);

        var notes = 0;
        Assert.Equal(1, await cache.NotesAsync(() => Task.FromResult((long)++notes)));
        Assert.Equal(1, await cache.NotesAsync(() => Task.FromResult((long)++notes)));
        now = 2000;
        Assert.Equal(2, await cache.NotesAsync(() => Task.FromResult((long)++notes)));
    }
}
