using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Neptune.Core.Markdown;

/// <summary>Reads a note's title, tags, aliases and outgoing links from its Markdown.</summary>
public static class NoteParser
{
    // Built once: pipelines are immutable and thread-safe, and building one is far costlier than a small parse.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .UsePreciseSourceLocation()
        .Build();

    /// <param name="content">The whole note as stored; link offsets refer to it.</param>
    /// <param name="fileName">The note's file name, with or without <c>.md</c>/<c>.markdown</c>; the last-resort title.</param>
    public static ParsedNote Parse(string content, string fileName)
    {
        // Markdig only sees front matter at the very first character, so hide a byte-order mark and shift offsets back.
        var shift = content.StartsWith('\uFEFF') ? 1 : 0;
        var text = shift == 0 ? content : content[1..];
        var document = TryParseMarkdown(text);

        var frontMatter = document is [YamlFrontMatterBlock block, ..]
            ? FrontMatter.Read(block.Lines.ToString())
            : FrontMatter.None;

        var syntax = document is null ? SyntaxMap.None : SyntaxMap.Of(document);
        var (wikiLinks, inlineTags) = BodyScanner.Scan(text, syntax.Hidden, syntax.TagFree);

        return new ParsedNote(
            ChooseTitle(frontMatter.Title, document, fileName),
            NormalizeTags(frontMatter.Tags, inlineTags),
            NormalizeAliases(frontMatter.Aliases),
            CombineLinks(wikiLinks, syntax.Links, shift));
    }

    /// <summary>Null when Markdig gives up (it refuses absurdly deep nesting); the note is then read as plain text.</summary>
    private static MarkdownDocument? TryParseMarkdown(string text)
    {
        try
        {
            return Markdig.Markdown.Parse(text, Pipeline);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string ChooseTitle(string? frontMatterTitle, MarkdownDocument? document, string fileName)
    {
        if (frontMatterTitle is not null && Whitespace.Collapse(frontMatterTitle) is { Length: > 0 } fromFrontMatter)
        {
            return fromFrontMatter;
        }

        // Top-level only: an H1 inside a quote or list is content, not the note's heading.
        foreach (var heading in document?.OfType<HeadingBlock>() ?? [])
        {
            if (heading.Level == 1
                && Whitespace.Collapse(BodyScanner.ReplaceWikiLinks(PlainText.Of(heading.Inline))) is { Length: > 0 } fromHeading)
            {
                return fromHeading;
            }
        }

        var name = fileName[(fileName.LastIndexOfAny(['/', '\\']) + 1)..];
        var fromFileName = Whitespace.Collapse(LinkKey.StripMarkdownExtension(name.Trim()));
        return fromFileName.Length > 0 ? fromFileName : NoteNames.Untitled;
    }

    private static List<string> NormalizeTags(IEnumerable<string> frontMatterTags, IEnumerable<string> inlineTags)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var tags = new List<string>();
        foreach (var raw in frontMatterTags.Select(tag => tag.StartsWith('#') ? tag[1..] : tag).Concat(inlineTags))
        {
            var tag = raw.TrimEnd('/').ToLowerInvariant();
            if (BodyScanner.IsValidTag(tag) && seen.Add(tag))
            {
                tags.Add(tag);
            }
        }

        return tags;
    }

    private static List<string> NormalizeAliases(IEnumerable<string> aliases)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return [.. aliases.Select(alias => alias.Trim()).Where(alias => alias.Length > 0 && seen.Add(alias))];
    }

    private static List<NoteLink> CombineLinks(IReadOnlyList<WikiLinkMatch> wikiLinks, IReadOnlyList<LinkInline> markdownLinks, int shift)
    {
        var links = new List<NoteLink>(wikiLinks.Count + markdownLinks.Count);
        foreach (var wiki in wikiLinks)
        {
            // "[[#Heading]]" points into the same note, which is not an outgoing link.
            if (wiki.Target.Length > 0)
            {
                links.Add(new NoteLink(
                    LinkKind.Wiki, wiki.Target, wiki.Heading, wiki.Alias, wiki.IsEmbed, Attachments.IsAttachment(wiki.Target), wiki.Start + shift));
            }
        }

        // Markdig reads "[[Note]]" as a reference link when "[Note]: …" is defined; the wikilink wins.
        var wikiIndex = 0;
        foreach (var markdownLink in markdownLinks)
        {
            var start = markdownLink.Span.Start;
            while (wikiIndex < wikiLinks.Count && wikiLinks[wikiIndex].End <= start)
            {
                wikiIndex++;
            }

            var insideWikiLink = wikiIndex < wikiLinks.Count && wikiLinks[wikiIndex].Start <= start;
            if (!insideWikiLink && MarkdownLinks.ToNoteLink(markdownLink, shift) is { } link)
            {
                links.Add(link);
            }
        }

        return [.. links.OrderBy(link => link.Offset)];
    }
}
