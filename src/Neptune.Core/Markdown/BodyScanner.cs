using System.Globalization;
using System.Text;

namespace Neptune.Core.Markdown;

/// <summary>A half-open character range <c>[Start, End)</c> of the note text.</summary>
internal readonly record struct TextRange(int Start, int End);

/// <summary>One <c>[[…]]</c> as written; <paramref name="Start"/> includes the <c>!</c> of an embed.</summary>
internal sealed record WikiLinkMatch(int Start, int End, string Target, string? Heading, string? Alias, bool IsEmbed)
{
    /// <summary>What a reader sees where the link is rendered, e.g. in a heading used as the title.</summary>
    public string DisplayText => Alias ?? (Heading is null ? Target : Target.Length == 0 ? Heading : $"{Target} > {Heading}");
}

/// <summary>
/// Finds wikilinks and inline <c>#tags</c>, which Markdig does not know, in the raw text between the ranges
/// Markdig identified as code, HTML or URLs. Runs in linear time: every look-ahead result is cached until passed.
/// </summary>
internal sealed class BodyScanner(string text, IReadOnlyList<TextRange> tagFree)
{
    private readonly List<WikiLinkMatch> wikiLinks = [];
    private readonly List<string> tags = [];
    private int tagFreeIndex;
    private int nextClose;
    private int nextOpen;
    private int nextLineBreak;

    /// <param name="text">The note text.</param>
    /// <param name="hidden">Sorted, non-overlapping ranges where neither wikilinks nor tags are recognised.</param>
    /// <param name="tagFree">Sorted ranges (HTML blocks) where wikilinks count but tags do not.</param>
    public static (IReadOnlyList<WikiLinkMatch> WikiLinks, IReadOnlyList<string> Tags) Scan(
        string text, IReadOnlyList<TextRange> hidden, IReadOnlyList<TextRange> tagFree)
    {
        var scanner = new BodyScanner(text, tagFree);
        var position = 0;
        foreach (var range in hidden)
        {
            if (range.Start > position)
            {
                scanner.ScanSegment(position, range.Start);
            }

            position = Math.Max(position, range.End);
        }

        if (position < text.Length)
        {
            scanner.ScanSegment(position, text.Length);
        }

        return (scanner.wikiLinks, scanner.tags);
    }

    /// <summary>Replaces every wikilink in <paramref name="text"/> with its display text.</summary>
    public static string ReplaceWikiLinks(string text)
    {
        if (!text.Contains("[[", StringComparison.Ordinal))
        {
            return text;
        }

        var (links, _) = Scan(text, [], []);
        if (links.Count == 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var position = 0;
        foreach (var link in links)
        {
            builder.Append(text, position, link.Start - position).Append(link.DisplayText);
            position = link.End;
        }

        return builder.Append(text, position, text.Length - position).ToString();
    }

    private void ScanSegment(int start, int end)
    {
        nextClose = nextOpen = nextLineBreak = -1;
        var i = start;
        while (i < end)
        {
            var found = text.AsSpan(i, end - i).IndexOfAny('[', '#');
            if (found < 0)
            {
                return;
            }

            i += found;
            if (text[i] == '[' ? TryReadWikiLink(i, start, end, out var next) : TryReadTag(i, end, out next))
            {
                i = next;
            }
            else
            {
                i++;
            }
        }
    }

    private bool TryReadWikiLink(int open, int segmentStart, int segmentEnd, out int next)
    {
        next = open;
        if (open + 1 >= segmentEnd || text[open + 1] != '[' || (open > 0 && text[open - 1] == '\\'))
        {
            return false;
        }

        if (nextClose < open + 2)
        {
            nextClose = Find("]]", open + 2, segmentEnd);
        }

        if (nextLineBreak < open)
        {
            nextLineBreak = FindLineBreak(open, segmentEnd);
        }

        if (nextOpen <= open)
        {
            nextOpen = Find("[[", open + 1, segmentEnd);
        }

        // The link must close on the same line, and a later "[[" before the close is the real opening.
        if (nextClose >= segmentEnd || nextLineBreak < nextClose || nextOpen < nextClose)
        {
            return false;
        }

        var isEmbed = open > segmentStart && text[open - 1] == '!';
        var (target, heading, alias) = SplitWikiLink(text.AsSpan(open + 2, nextClose - open - 2));
        next = nextClose + 2;
        wikiLinks.Add(new WikiLinkMatch(isEmbed ? open - 1 : open, next, target, heading, alias, isEmbed));
        return true;
    }

    /// <summary>Splits <c>target#heading|alias</c>; <c>\|</c> (a pipe escaped inside a table) also separates the alias.</summary>
    private static (string Target, string? Heading, string? Alias) SplitWikiLink(ReadOnlySpan<char> inner)
    {
        string? alias = null;
        var pipe = inner.IndexOf('|');
        if (pipe >= 0)
        {
            alias = NullIfEmpty(inner[(pipe + 1)..].Trim());
            inner = inner[..pipe];
            if (inner.EndsWith('\\'))
            {
                inner = inner[..^1];
            }
        }

        string? heading = null;
        var headingStart = inner.IndexOfAny('#', '^');
        if (headingStart >= 0)
        {
            // "#heading" drops the '#'; a block reference keeps its '^' so it stays distinguishable.
            heading = NullIfEmpty((inner[headingStart] == '^' ? inner[headingStart..] : inner[(headingStart + 1)..]).Trim());
            inner = inner[..headingStart];
        }

        return (inner.Trim().ToString(), heading, alias);
    }

    private bool TryReadTag(int hash, int segmentEnd, out int next)
    {
        next = hash + 1;
        if (hash > 0 && !char.IsWhiteSpace(text[hash - 1]) && text[hash - 1] != '(')
        {
            return false;
        }

        while (tagFreeIndex < tagFree.Count && tagFree[tagFreeIndex].End <= hash)
        {
            tagFreeIndex++;
        }

        if (tagFreeIndex < tagFree.Count && tagFree[tagFreeIndex].Start <= hash)
        {
            return false;
        }

        while (next < segmentEnd && TagCharLength(next, segmentEnd) is var length and > 0)
        {
            next += length;
        }

        var tag = text.AsSpan(hash + 1, next - hash - 1).TrimEnd('/');
        if (!IsValidTag(tag))
        {
            return false;
        }

        tags.Add(tag.ToString());
        return true;
    }

    /// <summary>Obsidian's rule: a tag needs at least one character that is not a digit (<c>#123</c> is not a tag).</summary>
    internal static bool IsValidTag(ReadOnlySpan<char> tag)
    {
        foreach (var c in tag)
        {
            if (!char.IsDigit(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How many chars the tag character at <paramref name="index"/> takes (letters, digits, marks, _ - /), or 0.</summary>
    private int TagCharLength(int index, int end)
    {
        var c = text[index];
        if (char.IsLetterOrDigit(c) || c is '_' or '-' or '/' || IsMark(char.GetUnicodeCategory(c)))
        {
            return 1;
        }

        if (char.IsHighSurrogate(c) && index + 1 < end && char.IsLowSurrogate(text[index + 1]))
        {
            var rune = new Rune(c, text[index + 1]);
            return Rune.IsLetterOrDigit(rune) || IsMark(Rune.GetUnicodeCategory(rune)) ? 2 : 0;
        }

        return 0;
    }

    private static bool IsMark(UnicodeCategory category) =>
        category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    private int Find(string value, int start, int end)
    {
        var found = text.AsSpan(start, end - start).IndexOf(value, StringComparison.Ordinal);
        return found < 0 ? end : start + found;
    }

    private int FindLineBreak(int start, int end)
    {
        var found = text.AsSpan(start, end - start).IndexOfAny('\r', '\n');
        return found < 0 ? end : start + found;
    }

    private static string? NullIfEmpty(ReadOnlySpan<char> value) => value.IsEmpty ? null : value.ToString();
}
