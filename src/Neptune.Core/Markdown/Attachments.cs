namespace Neptune.Core.Markdown;

/// <summary>Which link targets name a file other than a note.</summary>
internal static class Attachments
{
    // A known list rather than "any extension", so "[[Release 1.2]]" or "[[Dr. Who]]" stay note links.
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "png", "jpg", "jpeg", "gif", "webp", "svg", "bmp", "avif", "ico",
        "pdf",
        "mp3", "wav", "ogg", "m4a", "flac",
        "mp4", "webm", "mov", "mkv",
        "txt", "csv", "json", "xml",
        "zip", "gz", "tar", "7z",
        "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods",
        "canvas", "excalidraw", "html", "htm", "epub",
    };

    public static bool IsAttachment(string target)
    {
        var name = target.AsSpan(target.AsSpan().LastIndexOfAny('/', '\\') + 1);
        var dot = name.LastIndexOf('.');
        return dot >= 0 && Extensions.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name[(dot + 1)..].Trim());
    }
}
