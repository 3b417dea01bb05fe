using Neptune.Core.Markdown;
using Xunit;

namespace Neptune.Core.Tests.Markdown;

public sealed class LinkKeyTests
{
    [Theory]
    [InlineData("../Projects/My  Plan.md", "my plan")]
    [InlineData("My Plan", "my plan")]
    [InlineData("  MY\tPLAN.MARKDOWN ", "my plan")]
    [InlineData("folder\\Sub\\Note.Md", "note")]
    [InlineData("Release 1.2", "release 1.2")]
    [InlineData("image.png", "image.png")]
    [InlineData("ÉTÉ", "été")]
    public void Normalize_keeps_the_last_segment_without_extension_collapsed_and_lowercased(string input, string expected)
    {
        Assert.Equal(expected, LinkKey.Normalize(input));
    }

    [Fact]
    public void Normalize_composes_decomposed_accents_so_both_spellings_meet()
    {
        var decomposed = "Cafe\u0301 cre\u0300me.md";
        var composed = "Caf\u00E9 cr\u00E8me";

        Assert.Equal("caf\u00E9 cr\u00E8me", LinkKey.Normalize(decomposed));
        Assert.Equal(LinkKey.Normalize(composed), LinkKey.Normalize(decomposed));
    }

    [Theory]
    [InlineData("\u304B\u3099", "\u304C")]               // Japanese kana + dakuten, as macOS stores it
    [InlineData("\u1112\u1161\u11AB", "\uD55C")]         // Hangul jamo L V T → 한
    [InlineData("u\u0308\u0301", "\u01D8")]              // two marks composing in turn → ǘ
    [InlineData("e\u0323\u0302", "\u1EC7")]              // Vietnamese ệ from canonical order
    public void Normalize_composes_marks_beyond_latin(string input, string expected)
    {
        Assert.Equal(expected, LinkKey.Normalize(input));
    }

    [Fact]
    public void Normalize_copes_with_a_lone_surrogate()
    {
        Assert.Equal("a\uD800e\u0301", LinkKey.Normalize("A\uD800E\u0301"));
    }

    [Theory]
    [InlineData("Projects/Plan", "projects")]
    [InlineData("../a/b/c.md", "a/b")]
    [InlineData("./My  Folder\\Sub Dir/Note", "my folder/sub dir")]
    public void FolderHint_is_the_normalised_path_before_the_last_segment(string target, string expected)
    {
        Assert.Equal(expected, LinkKey.FolderHint(target));
    }

    [Theory]
    [InlineData("Plan")]
    [InlineData("Plan.md")]
    [InlineData("../Plan.md")]
    [InlineData("/Plan")]
    public void FolderHint_is_null_when_no_folder_is_named(string target)
    {
        Assert.Null(LinkKey.FolderHint(target));
    }
}
