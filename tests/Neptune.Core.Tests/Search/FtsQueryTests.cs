using Neptune.Core.Search;

namespace Neptune.Core.Tests.Search;

public sealed class FtsQueryTests
{
    [Theory]
    [InlineData("hello world", "\"hello\" \"world\"")]
    [InlineData("\"exact phrase\"", "\"exact phrase\"")]
    [InlineData("kube*", "\"kube\"*")]
    [InlineData("cats OR dogs", "\"cats\" OR \"dogs\"")]
    [InlineData("cats -dogs", "\"cats\" NOT \"dogs\"")]
    [InlineData("a b NOT c", "(\"a\" \"b\") NOT \"c\"")]
    [InlineData("title:plan", "title : \"plan\"")]
    [InlineData("say \"hi", "\"say\" \"hi\"")]
    [InlineData("it\"s", "\"it\" \"s\"")]
    [InlineData("OR cats OR", "\"cats\"")]
    [InlineData("AND", "\"AND\"")]
    [InlineData("NEAR(a b", "\"NEAR(a\" \"b\"")]
    public void Builds_a_quoted_fts5_expression(string input, string expected)
    {
        Assert.Equal(expected, FtsQuery.Parse(input).MatchExpression);
    }

    [Theory]
    [InlineData("hello world", "'hello' & 'world'")]
    [InlineData("\"exact phrase\"", "'exact phrase'")]
    [InlineData("kube*", "'kube':*")]
    [InlineData("cats OR dogs", "'cats' | 'dogs'")]
    [InlineData("cats -dogs", "'cats' & !'dogs'")]
    [InlineData("a b NOT c", "('a' & 'b') & !'c'")]
    [InlineData("title:plan", "'plan':A")]
    [InlineData("title:plan*", "'plan':*A")]
    [InlineData("o'neil back\\slash", "'o''neil' & 'back\\\\slash'")]
    [InlineData("NEAR(a b", "'NEAR(a' & 'b'")]
    public void Builds_a_quoted_tsquery_for_postgres(string input, string expected)
    {
        Assert.Equal(expected, FtsQuery.Parse(input).BuildTsQuery(new HashSet<string>(), anyTerm: false));
    }

    [Fact]
    public void The_any_term_tsquery_joins_with_or_and_drops_common_words()
    {
        var query = FtsQuery.Parse("the quick fox");

        Assert.Equal("'quick' | 'fox'", query.BuildTsQuery(new HashSet<string> { "the" }, anyTerm: true));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("***")]
    [InlineData("-")]
    [InlineData("!!! ???")]
    public void Rejects_queries_with_nothing_to_search_naming_q(string input)
    {
        var error = Assert.Throws<NeptuneException>(() => FtsQuery.Parse(input));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Equal("q", error.Field);
    }

    [Fact]
    public void Rejects_queries_that_only_exclude()
    {
        var error = Assert.Throws<NeptuneException>(() => FtsQuery.Parse("-cats -dogs"));
        Assert.Contains("at least one word", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_overlong_queries()
    {
        Assert.Throws<NeptuneException>(() => FtsQuery.Parse(new string('a', FtsQuery.MaxLength + 1)));
    }

    [Fact]
    public void Collects_the_terms_for_highlighting()
    {
        Assert.Equal(["alpha", "beta gamma"], FtsQuery.Parse("alpha \"beta gamma\" -delta").Terms.Take(2));
    }

    [Fact]
    public void Bare_words_are_exposed_as_index_tokens()
    {
        Assert.Equal(["cafe", "files"], FtsQuery.Parse("Café \"a phrase\" Files pre* title:x").Words);
    }

    [Fact]
    public void Common_words_can_be_dropped_but_one_clause_always_stays()
    {
        var query = FtsQuery.Parse("remove the sections");

        Assert.Equal("\"remove\" \"sections\"", query.Build(new HashSet<string> { "the" }, anyTerm: false));
        Assert.Equal("\"remove\" OR \"sections\"", query.Build(new HashSet<string> { "the" }, anyTerm: true));
        Assert.Equal("\"remove\"", query.Build(new HashSet<string> { "remove", "the", "sections" }, anyTerm: false));
    }

    [Theory]
    [InlineData("alpha beta", true)]
    [InlineData("alpha", false)]
    [InlineData("alpha OR beta", false)]
    [InlineData("alpha -beta", false)]
    public void Only_plain_bags_of_words_get_an_any_term_pass(string input, bool plain)
    {
        Assert.Equal(plain, FtsQuery.Parse(input).IsPlainWords);
    }
}
