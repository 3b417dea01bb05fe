using Neptune.Core.Markdown;
using Xunit;

namespace Neptune.Core.Tests.Markdown;

public sealed class NoteParserTests
{
    [Fact]
    public void Title_comes_from_front_matter_before_the_first_h1()
    {
        var note = NoteParser.Parse("---\ntitle: From YAML\n---\n# From Heading\n", "file.md");

        Assert.Equal("From YAML", note.Title);
    }

    [Fact]
    public void Title_falls_back_to_first_h1_when_front_matter_has_none()
    {
        var note = NoteParser.Parse("---\nauthor: me\n---\nIntro\n\n## Sub\n\n# Real Title\n\n# Second\n", "file.md");

        Assert.Equal("Real Title", note.Title);
    }

    [Fact]
    public void Title_ignores_h1_inside_quotes_and_lists()
    {
        var note = NoteParser.Parse("> # Quoted\n\n- # Listed\n\n# Top Level\n", "file.md");

        Assert.Equal("Top Level", note.Title);
    }

    [Fact]
    public void Title_ignores_a_blank_front_matter_title()
    {
        var note = NoteParser.Parse("---\ntitle: \"  \"\n---\n# Heading\n", "file.md");

        Assert.Equal("Heading", note.Title);
    }

    [Fact]
    public void Title_reads_a_setext_h1()
    {
        var note = NoteParser.Parse("Setext Title\n============\n\nBody\n", "file.md");

        Assert.Equal("Setext Title", note.Title);
    }

    [Fact]
    public void Title_strips_inline_formatting_from_the_h1()
    {
        var note = NoteParser.Parse("# The *big* `plan` for [next year](Plans/2025.md) &amp; __more__\n", "file.md");

        Assert.Equal("The big plan for next year & more", note.Title);
    }

    [Fact]
    public void Title_shows_wikilinks_in_the_h1_as_their_display_text()
    {
        var note = NoteParser.Parse("# Notes on [[Project X|the project]] and [[Budget]]\n", "file.md");

        Assert.Equal("Notes on the project and Budget", note.Title);
    }

    [Theory]
    [InlineData("Meeting notes.md")]
    [InlineData("Meeting notes.markdown")]
    [InlineData("Meeting notes")]
    [InlineData("Work/Meeting notes.md")]
    public void Title_falls_back_to_the_file_name_without_extension(string fileName)
    {
        var note = NoteParser.Parse("Just text, no heading.\n\n## Only an H2\n", fileName);

        Assert.Equal("Meeting notes", note.Title);
    }

    [Fact]
    public void Title_is_untitled_when_everything_is_blank()
    {
        var note = NoteParser.Parse("#\n\n", " .md");

        Assert.Equal("Untitled", note.Title);
    }

    [Fact]
    public void Title_is_trimmed_and_keeps_unicode()
    {
        var note = NoteParser.Parse("#   Café — 東京 notes   \n", "x.md");

        Assert.Equal("Café — 東京 notes", note.Title);
    }

    [Fact]
    public void Invalid_yaml_front_matter_is_ignored_and_the_body_still_parsed()
    {
        var note = NoteParser.Parse("---\ntitle: [unclosed\ntags: a\n---\n# Body Title\n\n#body-tag [[Other]]\n", "file.md");

        Assert.Equal("Body Title", note.Title);
        Assert.Equal(["body-tag"], note.Tags);
        Assert.Equal("Other", Assert.Single(note.Links).Target);
    }

    [Fact]
    public void Deeply_nested_front_matter_is_ignored_without_crashing()
    {
        var note = NoteParser.Parse("---\nkey: " + new string('[', 100_000) + "\n---\n# Still Read\n", "file.md");

        Assert.Equal("Still Read", note.Title);
    }

    [Fact]
    public void Front_matter_nulls_and_key_case_are_handled()
    {
        var note = NoteParser.Parse("---\nTitle: null\nTags: ~\nAliases:\n---\n# Heading\n", "file.md");

        Assert.Equal("Heading", note.Title);
        Assert.Empty(note.Tags);
        Assert.Empty(note.Aliases);
    }

    [Fact]
    public void Markdown_too_deeply_nested_for_markdig_is_read_as_plain_text()
    {
        var content = string.Concat(Enumerable.Repeat("> ", 2_000)) + "x [[Link]] #tag\n";

        var note = NoteParser.Parse(content, "Deep.md");

        Assert.Equal("Deep", note.Title);
        Assert.Equal(["tag"], note.Tags);
        Assert.Equal("Link", Assert.Single(note.Links).Target);
    }

    [Fact]
    public void Front_matter_that_is_not_a_mapping_is_ignored()
    {
        var note = NoteParser.Parse("---\n- just\n- a list\n---\n# Heading\n", "file.md");

        Assert.Equal("Heading", note.Title);
        Assert.Empty(note.Tags);
    }

    [Fact]
    public void Front_matter_only_counts_at_the_very_start()
    {
        var note = NoteParser.Parse("Intro\n\n---\ntitle: Not front matter\n---\n", "Intro note.md");

        Assert.Equal("Intro note", note.Title);
    }

    [Fact]
    public void Front_matter_after_a_byte_order_mark_is_read_and_offsets_still_match()
    {
        var content = "\uFEFF---\ntitle: With BOM\n---\nSee [[Other]]\n";

        var note = NoteParser.Parse(content, "file.md");

        Assert.Equal("With BOM", note.Title);
        Assert.Equal(content.IndexOf("[[", StringComparison.Ordinal), Assert.Single(note.Links).Offset);
    }

    [Fact]
    public void Tags_come_from_a_front_matter_list_then_the_body()
    {
        var note = NoteParser.Parse("---\ntags:\n  - Project\n  - \"#Work/Client\"\n---\nText #inline and #project again\n", "f.md");

        Assert.Equal(["project", "work/client", "inline"], note.Tags);
    }

    [Theory]
    [InlineData("tags: alpha, beta gamma")]
    [InlineData("tag: \"#alpha,#beta  #gamma\"")]
    [InlineData("tags: [alpha, beta, gamma]")]
    public void Tags_come_from_a_front_matter_string_or_list(string yaml)
    {
        var note = NoteParser.Parse($"---\n{yaml}\n---\nBody\n", "f.md");

        Assert.Equal(["alpha", "beta", "gamma"], note.Tags);
    }

    [Fact]
    public void Tags_are_lowercased_and_deduplicated_in_order_of_first_appearance()
    {
        var note = NoteParser.Parse("#Beta then #alpha then #BETA and #Alpha/ again\n", "f.md");

        Assert.Equal(["beta", "alpha"], note.Tags);
    }

    [Fact]
    public void Inline_tags_need_whitespace_or_a_parenthesis_before_them()
    {
        var note = NoteParser.Parse("#start (#paren) mid#word x\t#tab\nnext line #end. and a#b\n", "f.md");

        Assert.Equal(["start", "paren", "tab", "end"], note.Tags);
    }

    [Fact]
    public void Inline_tags_may_hold_letters_digits_underscores_dashes_and_slashes()
    {
        var note = NoteParser.Parse("#area/sub-topic_2, #café #日本語 #y2024!\n", "f.md");

        Assert.Equal(["area/sub-topic_2", "café", "日本語", "y2024"], note.Tags);
    }

    [Fact]
    public void Numeric_only_hash_is_not_a_tag()
    {
        var note = NoteParser.Parse("Issue #123 and #2024/ but #1st\n", "f.md");

        Assert.Equal(["1st"], note.Tags);
    }

    [Fact]
    public void Tags_in_code_spans_and_code_blocks_are_ignored()
    {
        const string content = "Use `#notatag` here\n\n```\n#fenced\n```\n\n    #indented\n\n~~~python\n# comment #x\n~~~\n#real\n";

        var note = NoteParser.Parse(content, "f.md");

        Assert.Equal(["real"], note.Tags);
    }

    [Fact]
    public void Heading_markers_are_not_tags_but_tags_inside_headings_are()
    {
        var note = NoteParser.Parse("# Heading\n## Second ##\n### With #tag\n", "f.md");

        Assert.Equal(["tag"], note.Tags);
    }

    [Fact]
    public void Url_fragments_and_html_are_not_tags()
    {
        const string content = "See http://x/#y and [link](https://site.test/page \"title #frag\") and <https://a.test/#b>\n\n<div>\n#inhtml\n</div>\n\n<span style=\"color: #fff\">text</span> #ok\n";

        var note = NoteParser.Parse(content, "f.md");

        Assert.Equal(["ok"], note.Tags);
    }

    [Fact]
    public void Escaped_hash_is_not_a_tag()
    {
        var note = NoteParser.Parse("Not \\#escaped but #yes\n", "f.md");

        Assert.Equal(["yes"], note.Tags);
    }

    [Fact]
    public void Aliases_come_from_a_list_or_a_comma_separated_string()
    {
        var fromList = NoteParser.Parse("---\naliases:\n  - Plan, v2\n  - \" The Plan \"\n  - the plan\n---\n", "f.md");
        var fromString = NoteParser.Parse("---\nalias: First ,Second,, first\n---\n", "f.md");

        Assert.Equal(["Plan, v2", "The Plan"], fromList.Aliases);
        Assert.Equal(["First", "Second"], fromString.Aliases);
    }

    [Fact]
    public void Crlf_line_endings_work_for_front_matter_headings_tags_and_offsets()
    {
        const string content = "---\r\ntitle: Windows\r\ntags: [a]\r\n---\r\n# Heading\r\n\r\nLine #b\r\n\r\n```\r\n#c [[Hidden]]\r\n```\r\n[[Shown]]\r\n";

        var note = NoteParser.Parse(content, "f.md");

        Assert.Equal("Windows", note.Title);
        Assert.Equal(["a", "b"], note.Tags);
        var link = Assert.Single(note.Links);
        Assert.Equal("Shown", link.Target);
        Assert.Equal(content.IndexOf("[[Shown", StringComparison.Ordinal), link.Offset);
    }

    [Fact]
    public void Setext_title_works_with_crlf()
    {
        var note = NoteParser.Parse("Über *uns*\r\n===\r\n", "f.md");

        Assert.Equal("Über uns", note.Title);
    }
}
