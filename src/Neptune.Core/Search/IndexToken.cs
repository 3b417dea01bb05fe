using System.Globalization;
using System.Text;

namespace Neptune.Core.Search;

/// <summary>The form in which SQLite's unicode61 tokenizer (remove_diacritics 2) stores a word, shared by query and snippet.</summary>
public static class IndexToken
{
    /// <summary>Lower case without accents, as the unicode61 tokenizer (remove_diacritics 2) indexes words.</summary>
    public static string Of(ReadOnlySpan<char> word)
    {
        var ascii = true;
        foreach (var c in word)
        {
            ascii &= c < 128;
        }

        if (ascii)
        {
            return string.Create(word.Length, word.ToString(), static (span, s) =>
            {
                for (var i = 0; i < s.Length; i++)
                {
                    span[i] = char.ToLowerInvariant(s[i]);
                }
            });
        }

        var decomposed = word.ToString().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(c);
            }
        }

        return folded.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>The index tokens of <paramref name="text"/>: its runs of letters and digits, each folded as <see cref="Of"/> folds.</summary>
    public static IEnumerable<string> All(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                start = start < 0 ? i : start;
            }
            else if (start >= 0)
            {
                yield return Of(text.AsSpan(start, i - start));
                start = -1;
            }
        }
    }
}
