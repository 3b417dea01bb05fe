using System.Globalization;
using System.Text;

namespace Neptune.Core.Markdown;

/// <summary>
/// Canonical composition (NFC) of base letters with following combining marks, e.g. "e" + U+0301 → "é".
/// </summary>
/// <remarks>
/// string.Normalize is a no-op under InvariantGlobalization, yet macOS and some sync tools hand us decomposed names.
/// Without ICU this covers all BMP primary composites and Hangul; marks are composed in the order written (no canonical
/// reordering), which matches NFC for text that was canonically ordered to begin with (all NFD output is).
/// </remarks>
internal static partial class UnicodeComposition
{
    private const int HangulSBase = 0xAC00;
    private const int HangulLBase = 0x1100;
    private const int HangulVBase = 0x1161;
    private const int HangulTBase = 0x11A7;
    private const int HangulLCount = 19;
    private const int HangulVCount = 21;
    private const int HangulTCount = 28;
    private const int HangulSCount = HangulLCount * HangulVCount * HangulTCount;

    private static readonly Dictionary<int, char> Composites = BuildComposites();
    private static readonly HashSet<char> Bases = [.. Composites.Keys.Select(key => (char)(key >> 16))];

    // True when ICU is loaded (InvariantGlobalization off); then the runtime's full NFC is used instead of the table.
    private static readonly bool RuntimeNormalizes = "e\u0301".Normalize(NormalizationForm.FormC) == "\u00E9";

    public static string Compose(string text)
    {
        // Nothing below U+0300 can take part in a composition.
        if (text.AsSpan().IndexOfAnyExceptInRange('\0', '\u02FF') < 0)
        {
            return text;
        }

        if (RuntimeNormalizes)
        {
            try
            {
                return text.Normalize(NormalizationForm.FormC);
            }
            catch (ArgumentException)
            {
                // ICU rejects lone surrogates; the table below copes with them.
            }
        }

        return ComposeWithTable(text);
    }

    internal static bool IsRuntimeNormalizing => RuntimeNormalizes;

    internal static string ComposeWithTable(string text)
    {
        var result = new StringBuilder(text.Length);
        var lastCanAbsorb = false;
        foreach (var c in text)
        {
            if (lastCanAbsorb && TryCompose(result[^1], c, out var composed))
            {
                result[^1] = composed;
                continue;
            }

            // A mark that did not compose blocks later marks from reaching the base (conservative without combining
            // classes); spacing vowel signs such as Bengali U+09C7 are marks yet start compositions of their own.
            lastCanAbsorb = !IsMark(c) || Bases.Contains(c);
            result.Append(c);
        }

        return result.ToString();
    }

    private static bool TryCompose(char first, char second, out char composed)
    {
        if (first is >= (char)HangulLBase and < (char)(HangulLBase + HangulLCount)
            && second is >= (char)HangulVBase and < (char)(HangulVBase + HangulVCount))
        {
            composed = (char)(HangulSBase + ((((first - HangulLBase) * HangulVCount) + (second - HangulVBase)) * HangulTCount));
            return true;
        }

        if (first is >= (char)HangulSBase and < (char)(HangulSBase + HangulSCount)
            && (first - HangulSBase) % HangulTCount == 0
            && second is > (char)HangulTBase and < (char)(HangulTBase + HangulTCount))
        {
            composed = (char)(first + (second - HangulTBase));
            return true;
        }

        return Composites.TryGetValue((first << 16) | second, out composed);
    }

    private static bool IsMark(char c) => char.GetUnicodeCategory(c)
        is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    private static Dictionary<int, char> BuildComposites()
    {
        var composites = new Dictionary<int, char>(Pairs.Length / 3);
        for (var i = 0; i < Pairs.Length; i += 3)
        {
            composites[(Pairs[i] << 16) | Pairs[i + 1]] = Pairs[i + 2];
        }

        return composites;
    }
}
