using Neptune.Core.Markdown;
using Xunit;

namespace Neptune.Core.Tests.Markdown;

public sealed class NoteParserLinkTests
{
    private static IReadOnlyList<NoteLink> LinksIn(string content) => NoteParser.Parse(content, "note.md").Links;

    [Fact]
    public void Wikilink_reads_target_heading_and_alias()
    {
        var links = LinksIn("[[Plain]] [[ Spaced Note |Shown]] [[Doc#Part 2]] [[Doc#Part 2|see part]]");

        Assert.Equal(
            [
                new NoteLink(LinkKind.Wiki, "Plain", null, null, false, false, 0),
                new NoteLink(LinkKind.Wiki, "Spaced Note", null, "Shown", false, false, 10),
                new NoteLink(LinkKind.Wiki, "Doc", "Part 2", null, false, false, 34),
                new NoteLink(LinkKind.Wiki, "Doc", "Part 2", "see part", false, false, 49),
            ],
            links);
    }

    [Fact]
    public void Wikilink_block_reference_is_kept_as_a_caret_heading()
    {
        var links = LinksIn("[[Source^abc123]] and [[Source#^def]]");

        Assert.Equal(["^abc123", "^def"], links.Select(link => link.Heading));
        Assert.All(links, link => Assert.Equal("Source", link.Target));
    }

    [Fact]
    public void Wikilink_to_a_heading_of_the_same_note_or_with_empty_target_is_skipped()
    {
        var links = LinksIn("[[#Local heading]] [[^block]] [[]] [[  |alias]] [[Real]]");

        Assert.Equal("Real", Assert.Single(links).Target);
    }

    [Fact]
    public void Embed_is_marked_and_its_offset_is_the_exclamation_mark()
    {
        const string content = "Look: ![[diagram.png]] and ![[Other note]]";

        var links = LinksIn(content);

        Assert.Equal(2, links.Count);
        Assert.True(links[0].IsEmbed);
        Assert.True(links[0].IsAttachment);
        Assert.Equal(content.IndexOf('!', StringComparison.Ordinal), links[0].Offset);
        Assert.True(links[1].IsEmbed);
        Assert.False(links[1].IsAttachment);
    }

    [Fact]
    public void Wikilink_in_code_or_front_matter_is_ignored()
    {
        const string content = "---\nrelated: \"[[In YAML]]\"\n---\n`[[In span]]`\n\n```\n[[In fence]]\n```\n\n    [[Indented]]\n\n[[Outside]]\n";

        var links = LinksIn(content);

        Assert.Equal("Outside", Assert.Single(links).Target);
    }

    [Fact]
    public void Wikilink_with_escaped_pipe_inside_a_table_reads_the_alias()
    {
        var links = LinksIn("| Note | Link |\n|---|---|\n| a | [[Target Note\\|Shown text]] |\n");

        var link = Assert.Single(links);
        Assert.Equal("Target Note", link.Target);
        Assert.Equal("Shown text", link.Alias);
    }

    [Fact]
    public void Wikilinks_in_html_comments_and_escaped_brackets_are_ignored()
    {
        var links = LinksIn("<!-- [[Commented]] -->\n\nText <!-- [[Inline comment]] --> \\[[Escaped]] [[Kept]]\n\n<div>\n[[In html]]\n</div>\n");

        Assert.Equal(["Kept", "In html"], links.Select(link => link.Target));
    }

    [Fact]
    public void Wikilink_must_close_on_the_same_line()
    {
        var links = LinksIn("[[Broken\nacross]] lines and [[[Nested]] ok\n");

        var link = Assert.Single(links);
        Assert.Equal("Nested", link.Target);
    }

    [Fact]
    public void Wikilink_with_a_version_number_is_not_an_attachment()
    {
        var links = LinksIn("[[Release 1.2]] [[Dr. Who]] [[report.pdf]] [[Board.canvas]] [[Plan.md]]");

        Assert.Equal([false, false, true, true, false], links.Select(link => link.IsAttachment));
    }

    [Fact]
    public void Markdown_links_keep_only_relative_targets()
    {
        const string content = "[a](https://x.test/a.md) [b](mailto:me@x.test) [c](obsidian://open?vault=v) [d](file:///c/d.md) "
            + "[e](data:text/plain,hi) [f](//cdn.test/f.png) [g](#local) [h](../Projects/Plan.md) <https://auto.test>";

        var link = Assert.Single(LinksIn(content));

        Assert.Equal(new NoteLink(LinkKind.Markdown, "../Projects/Plan.md", null, "h", false, false, content.IndexOf("[h]", StringComparison.Ordinal)), link);
    }

    [Fact]
    public void Markdown_link_is_url_decoded_and_splits_fragment_and_query()
    {
        var links = LinksIn("[x](Other%20Note) [y](My%20Plan.md?v=2#Next%20Steps) [](<Angle Note.md>)");

        Assert.Equal(
            [
                ("Other Note", (string?)null, (string?)"x"),
                ("My Plan.md", "Next Steps", "y"),
                ("Angle Note.md", null, null),
            ],
            links.Select(link => (link.Target, link.Heading, link.Alias)));
        Assert.All(links, link => Assert.False(link.IsAttachment));
    }

    [Fact]
    public void Markdown_link_text_becomes_a_plain_alias()
    {
        var link = LinksIn("[The **bold** `plan` for [[Q3|the quarter]]](plan.md)")[0];

        Assert.Equal("The bold plan for the quarter", link.Alias);
    }

    [Fact]
    public void Reference_style_links_are_resolved()
    {
        const string content = "See [the plan][plan] and [Plan] too.\n\n[plan]: Projects/Plan%20A.md#Goals\n";

        var links = LinksIn(content);

        Assert.Equal(2, links.Count);
        Assert.All(links, link => Assert.Equal(("Projects/Plan A.md", "Goals"), (link.Target, link.Heading)));
        Assert.Equal(content.IndexOf("[the plan]", StringComparison.Ordinal), links[0].Offset);
        Assert.Equal(content.IndexOf("[Plan]", StringComparison.Ordinal), links[1].Offset);
    }

    [Fact]
    public void Images_are_embeds_and_attachments_by_extension()
    {
        var links = LinksIn("![Photo](img/photo%201.JPG) ![chart](chart.svg#x) [doc](files/spec.pdf) [note](notes/idea)");

        Assert.Equal(
            [("img/photo 1.JPG", true, true), ("chart.svg", true, true), ("files/spec.pdf", false, true), ("notes/idea", false, false)],
            links.Select(link => (link.Target, link.IsEmbed, link.IsAttachment)));
        Assert.Equal("Photo", links[0].Alias);
    }

    [Fact]
    public void Markdown_links_in_code_are_ignored()
    {
        var links = LinksIn("`[a](a.md)`\n\n```\n[b](b.md)\n```\n\n[c](c.md)\n");

        Assert.Equal("c.md", Assert.Single(links).Target);
    }

    [Fact]
    public void Links_come_in_document_order_with_offsets_at_the_link_start()
    {
        const string content = "# Title\n\nFirst [md](a.md), then [[Wiki]], then ![img](b.png) and ![[Embed]].\n- item [[Listed]]\n> quote [q](q.md)\n";

        var links = LinksIn(content);

        Assert.Equal(["a.md", "Wiki", "b.png", "Embed", "Listed", "q.md"], links.Select(link => link.Target));
        Assert.Equal(
            [
                content.IndexOf("[md]", StringComparison.Ordinal),
                content.IndexOf("[[Wiki", StringComparison.Ordinal),
                content.IndexOf("![img]", StringComparison.Ordinal),
                content.IndexOf("![[Embed", StringComparison.Ordinal),
                content.IndexOf("[[Listed", StringComparison.Ordinal),
                content.IndexOf("[q]", StringComparison.Ordinal),
            ],
            links.Select(link => link.Offset));
    }

    [Fact]
    public void Wikilink_is_not_also_reported_as_a_reference_link()
    {
        var links = LinksIn("[[Note]]\n\n[Note]: https://example.test\n");

        var link = Assert.Single(links);
        Assert.Equal(LinkKind.Wiki, link.Kind);
    }

    [Fact]
    public void Unicode_targets_and_aliases_are_kept_as_written()
    {
        const string content = "Voir [[Réunion d’équipe|réunion]] et [café](Caf%C3%A9%20cr%C3%A8me.md) ![[図.png]]";

        var links = LinksIn(content);

        Assert.Equal(["Réunion d’équipe", "Café crème.md", "図.png"], links.Select(link => link.Target));
        Assert.Equal("réunion", links[0].Alias);
        Assert.Equal(content.IndexOf("[café]", StringComparison.Ordinal), links[1].Offset);
    }
}
