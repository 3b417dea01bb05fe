using Markdig.Syntax.Inlines;

namespace Neptune.Core.Markdown;

/// <summary>Turns Markdig's <see cref="LinkInline"/> into a <see cref="NoteLink"/> when it points inside the vault.</summary>
internal static class MarkdownLinks
{
    /// <summary>Null for external URLs (any scheme, <c>//host</c>), same-page fragments and empty targets.</summary>
    public static NoteLink? ToNoteLink(LinkInline link, int offsetShift)
    {
        var url = link.Url?.Trim();
        if (string.IsNullOrEmpty(url) || url[0] == '#' || url.StartsWith("//", StringComparison.Ordinal) || HasScheme(url))
        {
            return null;
        }

        string? heading = null;
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            heading = Decode(url[(hash + 1)..]);
            url = url[..hash];
        }

        var query = url.IndexOf('?', StringComparison.Ordinal);
        var target = Decode(query >= 0 ? url[..query] : url);
        if (target is null)
        {
            return null;
        }

        var alias = BodyScanner.ReplaceWikiLinks(PlainText.Of(link));
        return new NoteLink(
            LinkKind.Markdown,
            target,
            heading,
            alias.Length == 0 ? null : alias,
            IsEmbed: link.IsImage,
            IsAttachment: Attachments.IsAttachment(target),
            Offset: link.Span.Start + offsetShift);
    }

    /// <summary>RFC 3986 scheme: a letter, then letters, digits, '+', '-' or '.', then ':'.</summary>
    private static bool HasScheme(string url)
    {
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        if (colon < 1 || !char.IsAsciiLetter(url[0]))
        {
            return false;
        }

        foreach (var c in url.AsSpan(1, colon - 1))
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static string? Decode(string value)
    {
        var decoded = Uri.UnescapeDataString(value).Trim();
        return decoded.Length == 0 ? null : decoded;
    }
}
