using Neptune.Core.Markdown;
using Xunit;

namespace Neptune.Core.Tests.Markdown;

public sealed class NoteNamesTests
{
    [Theory]
    [InlineData("Meeting notes")]
    [InlineData("Café 2025.1")]
    [InlineData("a")]
    [InlineData("...dots inside... are fine")]
    public void ValidateName_accepts_ordinary_names(string name)
    {
        Assert.Null(NoteNames.ValidateName(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("line\nbreak")]
    [InlineData("tab\there")]
    [InlineData("nul\0")]
    [InlineData("del\u007F")]
    [InlineData("c1\u0085control")]
    [InlineData(" leading")]
    [InlineData("trailing ")]
    public void ValidateName_rejects_with_a_one_sentence_message(string? name)
    {
        var message = NoteNames.ValidateName(name);

        Assert.NotNull(message);
        Assert.Matches(@"^[A-Z][^\n]*\.$", message);
    }

    [Fact]
    public void ValidateName_limits_length_to_255_characters()
    {
        Assert.Null(NoteNames.ValidateName(new string('a', 255)));
        Assert.NotNull(NoteNames.ValidateName(new string('a', 256)));
    }

    [Theory]
    [InlineData("Q3: plan / budget?", "Q3- plan - budget-")]
    [InlineData("a*b\"c<d>e|f\\g", "a-b-c-d-e-f-g")]
    [InlineData("  ..Hidden.. ", "Hidden")]
    [InlineData("multi   space\u00A0name", "multi space name")]
    [InlineData("line\nbreak", "line-break")]
    [InlineData("Café ☕", "Café ☕")]
    public void ToFileName_replaces_unsafe_characters_and_trims(string title, string expected)
    {
        Assert.Equal(expected, NoteNames.ToFileName(title));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" . . ")]
    public void ToFileName_is_untitled_when_nothing_is_left(string title)
    {
        Assert.Equal("Untitled", NoteNames.ToFileName(title));
    }

    [Fact]
    public void ToFileName_cuts_to_200_characters_without_splitting_a_surrogate_pair()
    {
        Assert.Equal(200, NoteNames.ToFileName(new string('x', 300)).Length);

        var emojiAtCut = new string('x', 199) + "😀tail";
        var stem = NoteNames.ToFileName(emojiAtCut);
        Assert.Equal(new string('x', 199), stem);
    }
}
