using System.Globalization;
using System.Text;

namespace Neptune.Core.Search;

/// <summary>
/// The passage of a note that best shows why it matched: the window of about <c>size</c> words holding the most
/// distinct query words, HTML-escaped, with each query word wrapped in &lt;mark&gt;. Built here rather than by
/// FTS5's snippet(), which re-reads and re-tokenises every hit inside the query and was a third of its cost.
/// </summary>
public static class Snippet
{
    private const int MaxScannedChars = 200_000;

    public static string Build(string content, FtsQuery query, int size = 16)
    {
        var targets = query.HighlightTokens;
        var text = content.Length > MaxScannedChars ? content[..MaxScannedChars] : content;
        var tokens = Tokenize(text);
        if (tokens.Count == 0)
        {
            return "";
        }

        var matches = new int[tokens.Count];  // index of the query token matched + 1, or 0
        for (var i = 0; i < tokens.Count; i++)
        {
            var folded = IndexToken.Of(text.AsSpan(tokens[i].Start, tokens[i].Length));
            for (var t = 0; t < targets.Count; t++)
            {
                if (targets[t].Prefix ? folded.StartsWith(targets[t].Token, StringComparison.Ordinal) : folded == targets[t].Token)
                {
                    matches[i] = t + 1;
                    break;
                }
            }
        }

        var best = BestWindow(matches, Math.Min(size, tokens.Count), targets.Count);
        var end = Math.Min(tokens.Count, best + size);
        var html = new StringBuilder();
        if (best > 0)
        {
            html.Append('…');
        }

        var cursor = best == 0 ? 0 : tokens[best].Start;
        for (var i = best; i < end; i++)
        {
            Escape(html, text.AsSpan(cursor, tokens[i].Start - cursor));
            html.Append(matches[i] > 0 ? "<mark>" : "");
            Escape(html, text.AsSpan(tokens[i].Start, tokens[i].Length));
            html.Append(matches[i] > 0 ? "</mark>" : "");
            cursor = tokens[i].Start + tokens[i].Length;
        }

        if (end < tokens.Count || text.Length < content.Length)
        {
            html.Append('…');
        }
        else
        {
            Escape(html, text.AsSpan(cursor));
        }

        return html.ToString();
    }

    /// <summary>Escapes only what HTML needs (&amp; &lt; &gt; " '), so accented text stays readable.</summary>
    private static void Escape(StringBuilder html, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => html.Append("&amp;"),
                '<' => html.Append("&lt;"),
                '>' => html.Append("&gt;"),
                '"' => html.Append("&quot;"),
                '\'' => html.Append("&#39;"),
                _ => html.Append(c),
            };
        }
    }

    /// <summary>Start of the window with the most distinct matched words (ties: the earliest); windows slide in O(n).</summary>
    private static int BestWindow(int[] matches, int size, int targetCount)
    {
        var counts = new int[targetCount + 1];
        var distinct = 0;
        for (var i = 0; i < size; i++)
        {
            if (matches[i] > 0 && counts[matches[i]]++ == 0)
            {
                distinct++;
            }
        }

        var best = 0;
        var bestDistinct = distinct;
        for (var start = 1; start + size <= matches.Length; start++)
        {
            var leaving = matches[start - 1];
            if (leaving > 0 && --counts[leaving] == 0)
            {
                distinct--;
            }

            var entering = matches[start + size - 1];
            if (entering > 0 && counts[entering]++ == 0)
            {
                distinct++;
            }

            if (distinct > bestDistinct)
            {
                (best, bestDistinct) = (start, distinct);
            }
        }

        // Start a little before the first hit, so the reader sees what leads to it.
        var first = Array.FindIndex(matches, best, Math.Min(size, matches.Length - best), m => m > 0);
        return bestDistinct == 0 ? 0 : Math.Max(0, Math.Min(best, first - 2));
    }

    private static List<(int Start, int Length)> Tokenize(string text)
    {
        var tokens = new List<(int, int)>();
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || CharUnicodeInfo.GetUnicodeCategory(text[i]) == UnicodeCategory.NonSpacingMark))
            {
                i++;
            }

            if (i > start)
            {
                tokens.Add((start, i - start));
            }
        }

        return tokens;
    }
}
