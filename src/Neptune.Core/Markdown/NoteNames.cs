namespace Neptune.Core.Markdown;

/// <summary>Rules for names of notes and folders, shared by every place that creates or renames them.</summary>
public static class NoteNames
{
    public const int MaxNameLength = 255;
    public const int MaxFileNameStemLength = 200;
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
        if (stem.Length > MaxFileNameStemLength)
        {
            // Never cut a surrogate pair in half.
            var cut = char.IsHighSurrogate(stem[MaxFileNameStemLength - 1]) ? MaxFileNameStemLength - 1 : MaxFileNameStemLength;
            stem = TrimSpacesAndDots(stem[..cut]);
        }

        return stem.Length == 0 ? Untitled : stem;
    }

    private static string TrimSpacesAndDots(string text) => text.Trim(' ', '.');
}
