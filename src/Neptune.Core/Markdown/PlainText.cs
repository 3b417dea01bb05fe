using System.Text;
using Markdig.Syntax.Inlines;

namespace Neptune.Core.Markdown;

/// <summary>The text a reader sees in rendered inline Markdown: emphasis, code and link syntax removed.</summary>
internal static class PlainText
{
    /// <summary>The words of the inlines without code, HTML, images or URLs; each of those and every line break becomes '\n'.</summary>
    public static string Prose(ContainerInline? inlines)
    {
        var builder = new StringBuilder();
        AppendProse(builder, inlines);
        return builder.ToString();
    }

    public static string Of(ContainerInline? inlines)
    {
        var builder = new StringBuilder();
        Append(builder, inlines);
        return Whitespace.Collapse(builder.ToString());
    }

    private static void Append(StringBuilder builder, Inline? inline)
    {
        switch (inline)
        {
            case LiteralInline literal:
                builder.Append(literal.Content.Text, literal.Content.Start, literal.Content.Length);
                break;
            case CodeInline code:
                builder.Append(code.Content);
                break;
            case HtmlEntityInline entity:
                builder.Append(entity.Transcoded.Text, entity.Transcoded.Start, entity.Transcoded.Length);
                break;
            case AutolinkInline autolink:
                builder.Append(autolink.Url);
                break;
            case LineBreakInline:
                builder.Append(' ');
                break;
            case ContainerInline container:
                foreach (var child in container)
                {
                    Append(builder, child);
                }

                break;
        }
    }

    private static void AppendProse(StringBuilder builder, Inline? inline)
    {
        switch (inline)
        {
            case LiteralInline literal:
                builder.Append(literal.Content.Text, literal.Content.Start, literal.Content.Length);
                break;
            case HtmlEntityInline entity:
                builder.Append(entity.Transcoded.Text, entity.Transcoded.Start, entity.Transcoded.Length);
                break;
            case CodeInline or HtmlInline or AutolinkInline or LineBreakInline or LinkInline { IsImage: true }:
                builder.Append('\n');
                break;
            case ContainerInline container:
                foreach (var child in container)
                {
                    AppendProse(builder, child);
                }

                break;
        }
    }
}
