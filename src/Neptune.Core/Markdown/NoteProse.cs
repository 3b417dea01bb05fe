using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace Neptune.Core.Markdown;

/// <summary>
/// The prose of a note as segments that no phrase may cross: each heading, paragraph line, list item and table cell is
/// one or more segments, and code, front matter, HTML, images and URLs are left out (they split a line where they were).
/// </summary>
public static class NoteProse
{
    // Beyond this a note is not read further: topics come from what it is about, which is said early.
    private const int MaxScannedChars = 200_000;

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .UsePipeTables()
        .Build();

    public static IReadOnlyList<string> Segments(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var text = content.Length > MaxScannedChars ? content[..MaxScannedChars] : content;
        text = text.TrimStart('\uFEFF');
        var segments = new List<string>();
        MarkdownDocument document;
        try
        {
            document = Markdig.Markdown.Parse(text, Pipeline);
        }
        catch (ArgumentException)
        {
            // Markdig refuses absurd nesting; such a note is read line by line as plain text.
            AddLines(segments, text);
            return segments;
        }

        var indentedIsProse = IsMostlyIndented(document, text);
        foreach (var block in document.Descendants<LeafBlock>())
        {
            switch (block)
            {
                case YamlFrontMatterBlock or FencedCodeBlock:
                    break;
                case CodeBlock indented when indentedIsProse:
                    for (var i = 0; i < indented.Lines.Count; i++)
                    {
                        Add(segments, indented.Lines.Lines[i].Slice.ToString());
                    }

                    break;
                case CodeBlock or HtmlBlock:
                    break;
                case { Inline: { } inline }:
                    AddLines(segments, BodyScanner.ReplaceWikiLinks(PlainText.Prose(inline)));
                    break;
            }
        }

        return segments;
    }

    /// <summary>
    /// Indented blocks are code in Markdown, but a note made mostly of them (half its lines or more) is plain text
    /// pasted from a terminal or a man page, where indentation is layout: there they are read as prose.
    /// </summary>
    private static bool IsMostlyIndented(MarkdownDocument document, string text)
    {
        var indentedLines = 0;
        foreach (var block in document.Descendants<CodeBlock>())
        {
            if (block is not FencedCodeBlock and not YamlFrontMatterBlock)
            {
                for (var i = 0; i < block.Lines.Count; i++)
                {
                    indentedLines += block.Lines.Lines[i].Slice.IsEmptyOrWhitespace() ? 0 : 1;
                }
            }
        }

        if (indentedLines == 0)
        {
            return false;
        }

        var lines = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            lines += line.IsWhiteSpace() ? 0 : 1;
        }

        return indentedLines * 2 >= lines;
    }

    private static void AddLines(List<string> segments, string text)
    {
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            Add(segments, line.ToString());
        }
    }

    private static void Add(List<string> segments, string line)
    {
        var trimmed = line.Trim();
        if (trimmed.Length > 0)
        {
            segments.Add(trimmed);
        }
    }
}
