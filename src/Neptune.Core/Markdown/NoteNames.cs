namespace Neptune.Core.Markdown;

/// <summary>Rules for names of notes and folders, shared by every place that creates or renames them.</summary>
public static class NoteNames
{
    public const int MaxNameLength = 255;
    public const int MaxFileNameStemLength = 200;

    /// <summary>File systems limit a name to 255 bytes; a stem keeps room for " (n)" and ".md".</summary>
    public const int MaxFileNameStemBytes = 240;
    public const string Untitled = "Untitled";

    private static readonly char[] Separators = ['/', '\\'];

    /// <summary>Null when <paramref name="name"/> is usable, otherwise a one-sentence message saying what to fix.</summary>
    public static string? ValidateName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "Enter a name.";
        }

        if (name.Length > MaxNameLength)
        {
            return $"Shorten the name to at most {MaxNameLength} characters.";
        }

        if (name is "." or "..")
        {
            return "Choose a name other than \".\" or \"..\".";
        }

        if (name.IndexOfAny(Separators) >= 0)
        {
            return "Remove the slashes (/ and \\) from the name.";
        }

        if (name.Any(char.IsControl))
        {
            return "Remove line breaks, tabs and other control characters from the name.";
        }

        if (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1]))
        {
            return "Remove the spaces at the start and end of the name.";
        }

        return null;
    }

    /// <summary>
    /// <see cref="ValidateName"/> plus what a folder needs to be a folder on Windows, macOS and Linux alike, since
    /// its name is used as is on export: no leading dot (it would come back hidden), none of : * ? " &lt; &gt; |,
    /// no trailing dot, at most 255 bytes.
    /// </summary>
    public static string? ValidateFolderName(string? name)
    {
        if (ValidateName(name) is { } problem)
        {
            return problem;
        }

        if (name![0] == '.')
        {
            return "Remove the dot at the start of the name: such folders are hidden and skipped on import.";
        }

        if (name.AsSpan().IndexOfAny(WindowsReserved) >= 0)
        {
            return "Remove the characters : * ? \" < > | from the name: folders with them cannot be exported to every system.";
        }

        if (name[^1] == '.')
        {
            return "Remove the dot at the end of the name.";
        }

        return System.Text.Encoding.UTF8.GetByteCount(name) > 255 ? "Shorten the name: a folder name can take at most 255 bytes." : null;
    }

    private static readonly System.Buffers.SearchValues<char> WindowsReserved = System.Buffers.SearchValues.Create(":*?\"<>|");

    /// <summary>A file-name stem (no extension) that is safe on Windows, macOS and Linux for a note titled <paramref name="title"/>.</summary>
    public static string ToFileName(string title)
    {
        var safe = string.Create(title.Length, title, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' || char.IsControl(c) ? '-' : c;
            }
        });

        var stem = TrimSpacesAndDots(Whitespace.Collapse(safe));
        var cut = Math.Min(stem.Length, MaxFileNameStemLength);
        while (cut > 0 && System.Text.Encoding.UTF8.GetByteCount(stem.AsSpan(0, cut)) > MaxFileNameStemBytes)
        {
            cut--;
        }

        if (cut < stem.Length)
        {
            // Never cut a surrogate pair in half.
            cut = cut > 0 && char.IsHighSurrogate(stem[cut - 1]) ? cut - 1 : cut;
            stem = TrimSpacesAndDots(stem[..cut]);
        }

        return stem.Length == 0 ? Untitled : stem;
    }

    private static string TrimSpacesAndDots(string text) => text.Trim(' ', '.');
}
