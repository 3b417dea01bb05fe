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
}
