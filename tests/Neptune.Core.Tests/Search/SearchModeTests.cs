using Neptune.Core.Search;

namespace Neptune.Core.Tests.Search;

public sealed class SearchModeTests
{
    [Theory]
    [InlineData(null, SearchMode.Auto)]
    [InlineData("", SearchMode.Auto)]
    [InlineData("AUTO", SearchMode.Auto)]
    [InlineData("fts", SearchMode.Fts)]
    [InlineData(" Semantic ", SearchMode.Semantic)]
    [InlineData("hybrid", SearchMode.Hybrid)]
    public void Modes_parse_in_any_case(string? value, SearchMode expected) => Assert.Equal(expected, SearchModes.Parse(value));

    [Fact]
    public void An_unknown_mode_names_the_field_and_the_choices()
    {
        var error = Assert.Throws<NeptuneException>(() => SearchModes.Parse("magic"));

        Assert.Equal("mode", error.Field);
        Assert.Contains("fts, semantic, hybrid or auto", error.Message, StringComparison.Ordinal);
    }
}
