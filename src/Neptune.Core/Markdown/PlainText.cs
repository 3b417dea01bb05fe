using System.Text;
using Markdig.Syntax.Inlines;

namespace Neptune.Core.Markdown;

/// <summary>The text a reader sees in rendered inline Markdown: emphasis, code and link syntax removed.</summary>
internal static class PlainText
{
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
}
