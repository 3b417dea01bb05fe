namespace Neptune.Core.Markdown;

/// <summary>
/// The comparison key that matches a link target to a note by title, alias or file name,
/// so that <c>[[my plan]]</c>, <c>[x](../Projects/My%20Plan.md)</c> and a note titled "My Plan" meet.
/// </summary>
public static class LinkKey
{
    private static readonly char[] Separators = ['/', '\\'];

    /// <summary>The last path segment without a Markdown extension, whitespace-collapsed, lowercased and NFC-composed.</summary>
    public static string Normalize(string nameOrPath)
    {
        var lastSeparator = nameOrPath.LastIndexOfAny(Separators);
        var name = nameOrPath[(lastSeparator + 1)..].Trim();
        return NormalizeSegment(StripMarkdownExtension(name));
    }

    /// <summary>
    /// The folders named before the last segment, each normalised like <see cref="Normalize"/> and joined by <c>/</c>
    /// (<c>.</c> and <c>..</c> dropped), or null when the target names no folder.
    /// </summary>
    public static string? FolderHint(string target)
    {
        var lastSeparator = target.LastIndexOfAny(Separators);
        if (lastSeparator < 0)
        {
            return null;
        }

        var folders = target[..lastSeparator]
            .Split(Separators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(segment => segment is not "." and not "..")
            .Select(NormalizeSegment)
            .Where(segment => segment.Length > 0)
            .ToList();
        return folders.Count == 0 ? null : string.Join('/', folders);
    }

    internal static string StripMarkdownExtension(string name)
    {
        if (name.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
        {
            return name[..^3];
        }

        return name.EndsWith(".markdown", StringComparison.OrdinalIgnoreCase) ? name[..^9] : name;
    }

    private static string NormalizeSegment(string segment)
    {
        var collapsed = Whitespace.Collapse(segment);
        return ComposeNfc(collapsed).ToLowerInvariant();
    }

    // macOS and some sync tools hand us decomposed names (e + U+0301); compare them composed.
    private static string ComposeNfc(string text)
    {
        try
        {
            return text.IsNormalized(System.Text.NormalizationForm.FormC) ? text : text.Normalize(System.Text.NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return text;  // a lone surrogate cannot be normalised; keep the text as written
        }
    }
}
