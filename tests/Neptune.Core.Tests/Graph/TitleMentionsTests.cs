using Neptune.Core.Graph;

namespace Neptune.Core.Tests.Graph;

public sealed class TitleMentionsTests
{
    private static TitleMentions Titles() => new([(1, "ls"), (2, "environment.d"), (3, "CREATE USER MAPPING"), (4, "c"), (5, "git log")]);

    [Fact]
    public void Titles_are_found_as_whole_words_whatever_the_case_and_punctuation()
    {
        var found = Titles().In("Reads environment.d(5) files; see Create User Mapping, and run `ls -l` or git-log.");

        Assert.Equal([1L, 2, 3, 5], found.Keys.Order());
        Assert.Equal(["environment", "d"], found[2]);
    }

    [Fact]
    public void Parts_of_words_and_one_letter_titles_are_not_mentions()
    {
        var found = Titles().In("also lsblk and a c compiler, environment variables, create user");

        Assert.Empty(found);
        Assert.Null(Titles().TitleOf(4));
        Assert.Equal(["git", "log"], Titles().TitleOf(5));
    }
}
