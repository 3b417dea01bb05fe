using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Neptune.Core.Markdown;

/// <summary>Where Markdig found syntax that wikilinks and tags must not be read from, plus its Markdown links.</summary>
/// <param name="Hidden">Sorted, merged ranges of code, front matter, HTML comments, inline HTML, autolinks and link URLs/titles.</param>
/// <param name="TagFree">Sorted ranges of HTML blocks: wikilinks still count there, tags do not.</param>
/// <param name="Links">Markdown links and images in document order.</param>
internal sealed record SyntaxMap(IReadOnlyList<TextRange> Hidden, IReadOnlyList<TextRange> TagFree, IReadOnlyList<LinkInline> Links)
{
    public static readonly SyntaxMap None = new([], [], []);

    public static SyntaxMap Of(MarkdownDocument document)
    {
        var hidden = new List<TextRange>();
        var tagFree = new List<TextRange>();
        var links = new List<LinkInline>();
        foreach (var node in document.Descendants())
        {
            switch (node)
            {
                // CodeBlock covers fenced and indented code and the YAML front matter block.
                case CodeBlock or LinkReferenceDefinition:
                    Add(hidden, ((Block)node).Span);
                    break;
                // Commented-out text says nothing; other HTML blocks may still wrap wikilinks but no tags.
                case HtmlBlock { Type: HtmlBlockType.Comment } comment:
                    Add(hidden, comment.Span);
                    break;
                case HtmlBlock htmlBlock:
                    Add(tagFree, htmlBlock.Span);
                    break;
                case CodeInline or HtmlInline or AutolinkInline:
                    Add(hidden, ((Inline)node).Span);
                    break;
                case LinkInline link:
                    links.Add(link);
                    // Reference links report the definition's URL span, which lies outside the link itself.
                    AddWithin(hidden, link.UrlSpan, link.Span);
                    AddWithin(hidden, link.TitleSpan, link.Span);
                    break;
            }
        }

        return new SyntaxMap(Merge(hidden), tagFree, links);
    }

    private static void Add(List<TextRange> ranges, SourceSpan span)
    {
        if (span.End >= span.Start)
        {
            ranges.Add(new TextRange(span.Start, span.End + 1));
        }
    }

    private static void AddWithin(List<TextRange> ranges, SourceSpan span, SourceSpan container)
    {
        if (span.Start >= container.Start && span.End <= container.End)
        {
            Add(ranges, span);
        }
    }

    private static List<TextRange> Merge(List<TextRange> ranges)
    {
        ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<TextRange>(ranges.Count);
        foreach (var range in ranges)
        {
            if (merged.Count > 0 && range.Start <= merged[^1].End)
            {
                merged[^1] = merged[^1] with { End = Math.Max(merged[^1].End, range.End) };
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged;
    }
}
