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
}
