namespace Neptune.Core.Markdown;

/// <summary>What Neptune understands of one Markdown note: its title, tags, aliases and outgoing links.</summary>
public sealed record ParsedNote(
    string Title,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<NoteLink> Links);

public enum LinkKind
{
    /// <summary><c>[[target#heading|alias]]</c> or the embed <c>![[target]]</c>.</summary>
    Wiki,
    /// <summary><c>[text](relative/path.md)</c> or <c>![alt](image.png)</c>.</summary>
    Markdown,
}

/// <summary>
/// One outgoing link as written. <paramref name="Target"/> is the note or file part only
/// (no <c>#heading</c>, no <c>|alias</c>, URL-decoded for Markdown links);
/// <paramref name="IsAttachment"/> is true when the target names a non-Markdown file (image, PDF, …).
/// </summary>
public sealed record NoteLink(
    LinkKind Kind,
    string Target,
    string? Heading,
    string? Alias,
    bool IsEmbed,
    bool IsAttachment,
    int Offset);
