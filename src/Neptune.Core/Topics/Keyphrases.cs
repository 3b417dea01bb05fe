using Neptune.Core.Markdown;
using Neptune.Core.Search;

namespace Neptune.Core.Topics;

/// <summary>
/// A phrase of 1–3 words that may say what a note is about. <see cref="Text"/> is its most frequent spelling in
/// display form, <see cref="Key"/> its identity (<see cref="TopicLabel.Key"/>), <see cref="Count"/> how often it
/// occurs, <see cref="Score"/> the rank <see cref="Keyphrases.Candidates(string, string, int)"/> sorted by and
/// <see cref="Position"/> the word (counted from the title's first) where it first occurs.
/// </summary>
public sealed record KeyphraseCandidate(string Text, string Key, int Count, double Score, int Position);

/// <summary>
/// Keyphrase candidates of a note: n-grams of 1–3 words inside one phrase of its prose (<see cref="NoteProse"/>),
/// where any punctuation, code span, line or block ends the phrase. Stopwords may sit inside a candidate but never at
/// its edges; numbers, flags, paths and URLs are never part of one, and one-letter words never at its edges.
/// </summary>
public static class Keyphrases
{
    public const int DefaultMaxCandidates = 60;
    public const int MaxWords = 3;

    // The only stopwords a candidate may hold inside: "point of sale", "search and replace". Others join clauses,
    // not ideas ("options are mandatory", "line that contains").
    private static readonly HashSet<string> InnerStopwords = new(StringComparer.OrdinalIgnoreCase) { "of", "and" };

    // A title names the note's subject: each of its phrases counts as if written this many times.
    private const int TitleWeight = 3;

    // Characters that make a word not a word: a variable, path, option, redirection or expression.
    private const string NotWordStarts = "$@%/\\<>=~-^|&";

    // Characters allowed inside a word ("TCP/IP", "e-mail", "node.js", "don't", "C++", "R&D").
    private const string InnerChars = "-_'./+#&";

    public static IReadOnlyList<KeyphraseCandidate> Candidates(string title, string content, int maxCandidates = DefaultMaxCandidates) =>
        Candidates(title, NoteProse.Segments(content), maxCandidates);

    /// <summary>The best <paramref name="maxCandidates"/> by score (weighted count, longer phrases favoured), ties by first occurrence.</summary>
    public static IReadOnlyList<KeyphraseCandidate> Candidates(string title, IReadOnlyList<string> segments, int maxCandidates = DefaultMaxCandidates)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCandidates);
        var tally = new Dictionary<string, Tally>(StringComparer.Ordinal);
        var position = 0;
        foreach (var phrase in Phrases(title))
        {
            Count(phrase, TitleWeight, tally, ref position);
        }

        foreach (var segment in segments)
        {
            foreach (var phrase in Phrases(segment))
            {
                Count(phrase, 1, tally, ref position);
            }
        }

        return [.. tally
            .Select(entry => (entry.Key, entry.Value, Score: entry.Value.Weighted * (1 + (0.5 * (entry.Value.Words - 1)))))
            .OrderByDescending(c => c.Score)
            .ThenBy(c => c.Value.FirstPosition)
            .Take(maxCandidates)
            .Select(c => new KeyphraseCandidate(c.Value.Spelling(), c.Key, c.Value.Count, c.Score, c.Value.FirstPosition))];
    }

    /// <summary>
    /// The <paramref name="count"/> candidates most worth embedding when only a few can be: frequent in the note (damped,
    /// so one phrase repeated in every option does not crowd out the rest), rare among notes (the <paramref name="idf"/>
    /// of the candidate's rarest word: "file" and "option" describe every man page) and met early (a note says what it
    /// is about in its title and opening lines).
    /// </summary>
    public static IReadOnlyList<KeyphraseCandidate> MostDistinctive(IReadOnlyList<KeyphraseCandidate> candidates, Func<string, double> idf, int count)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(idf);
        return [.. candidates
            .Select(c => (Candidate: c, Rank: Math.Log(1 + c.Score) * Rarity(c.Text, idf) * (1 + (2 * Math.Exp(-c.Position / (double)EarlyWords)))))
            .OrderByDescending(c => c.Rank)
            .ThenBy(c => c.Candidate.Position)
            .Take(count)
            .Select(c => c.Candidate)];
    }

    // Where the opening lines end, in words: a candidate first met there ranks up to 3× higher, the bonus fading past it.
    private const int EarlyWords = 120;

    private static double Rarity(string text, Func<string, double> idf)
    {
        var rarest = 0.0;
        foreach (var token in IndexToken.All(text))
        {
            if (!Stopwords.Contains(token))
            {
                rarest = Math.Max(rarest, idf(token));
            }
        }

        return rarest;
    }

    /// <summary>
    /// Whether one phrase lies inside the other at word or compound boundaries: "delimiter" in "output delimiter",
    /// "systemd-networkd" in "systemd-networkd.service" — but not "port" in "support".
    /// </summary>
    public static bool Contains(string phrase, string part)
    {
        if (part.Length == 0 || part.Length > phrase.Length)
        {
            return false;
        }

        for (var at = phrase.IndexOf(part, StringComparison.OrdinalIgnoreCase); at >= 0;
             at = phrase.IndexOf(part, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var end = at + part.Length;
            if ((at == 0 || IsCompoundBoundary(phrase[at - 1])) && (end == phrase.Length || IsCompoundBoundary(phrase[end])))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCompoundBoundary(char c) => c is ' ' or '-' or '.' or '_' or '/';

    /// <summary>Runs of words in <paramref name="segment"/> that no punctuation, flag, number or URL interrupts.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Phrases(string segment)
    {
        var phrases = new List<IReadOnlyList<string>>();
        var run = new List<string>();
        foreach (var raw in segment.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var (word, breakBefore, breakAfter) = ReadWord(raw);
            if (breakBefore || word is null)
            {
                Flush(phrases, ref run);
            }

            if (word is not null)
            {
                run.Add(word);
            }

            if (breakAfter)
            {
                Flush(phrases, ref run);
            }
        }

        Flush(phrases, ref run);
        return phrases;
    }

    private static void Count(IReadOnlyList<string> phrase, int weight, Dictionary<string, Tally> tally, ref int position)
    {
        for (var start = 0; start < phrase.Count; start++, position++)
        {
            if (Stopwords.Contains(phrase[start]))
            {
                continue;
            }

            for (var words = 1; words <= MaxWords && start + words <= phrase.Count; words++)
            {
                var last = phrase[start + words - 1];
                if (words == MaxWords && Stopwords.Contains(phrase[start + 1]) && !InnerStopwords.Contains(phrase[start + 1]))
                {
                    break;
                }

                if (Stopwords.Contains(last) || phrase[start].Length < 2 || last.Length < 2
                    || (words == 1 && last.Length < 3 && !IsAcronym(last)))
                {
                    continue;
                }

                var text = TopicLabel.Normalize(string.Join(' ', phrase.Skip(start).Take(words)));
                var key = TopicLabel.Key(text);
                if (key.Length == 0)
                {
                    continue;
                }

                if (!tally.TryGetValue(key, out var entry))
                {
                    tally[key] = entry = new Tally(words, position);
                }

                entry.Add(text, weight);
            }
        }
    }

    /// <summary>The word inside <paramref name="raw"/> without its surrounding punctuation, or null when it is no word.</summary>
    private static (string? Word, bool BreakBefore, bool BreakAfter) ReadWord(string raw)
    {
        if (NotWordStarts.Contains(raw[0], StringComparison.Ordinal) || raw.Contains("://", StringComparison.Ordinal)
            || raw.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            return (null, true, true);
        }

        var start = 0;
        while (start < raw.Length && !char.IsLetterOrDigit(raw[start]))
        {
            start++;
        }

        var end = raw.Length;
        while (end > start && !char.IsLetterOrDigit(raw[end - 1]))
        {
            end--;
        }

        // "C++" and "C#" keep the symbols that make their name.
        while (end < raw.Length && raw[end] is '+' or '#')
        {
            end++;
        }

        var word = raw[start..end].Replace('’', '\'');
        return (IsWord(word) ? word : null, start > 0, end < raw.Length);
    }

    private static bool IsWord(string word)
    {
        if (word.Length == 0 || word.Count(c => c == '/') > 1 || word.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        var hasLetter = false;
        foreach (var c in word)
        {
            hasLetter |= char.IsLetter(c);
            if (!char.IsLetterOrDigit(c) && !InnerChars.Contains(c, StringComparison.Ordinal)
                && char.GetUnicodeCategory(c) is not (System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark))
            {
                return false;
            }
        }

        return hasLetter;
    }

    private static bool IsAcronym(string word) => word.Count(char.IsUpper) >= 2 && !word.Any(char.IsLower);

    private static void Flush(List<IReadOnlyList<string>> phrases, ref List<string> run)
    {
        if (run.Count > 0)
        {
            phrases.Add(run);
            run = [];
        }
    }

    /// <summary>Occurrences of one candidate and how each spelling of it was written.</summary>
    private sealed class Tally(int words, int firstPosition)
    {
        private readonly Dictionary<string, int> _spellings = new(StringComparer.Ordinal);

        public int Words => words;

        public int FirstPosition => firstPosition;

        public int Count { get; private set; }

        public int Weighted { get; private set; }

        public void Add(string spelling, int weight)
        {
            Count++;
            Weighted += weight;
            _spellings[spelling] = _spellings.GetValueOrDefault(spelling) + weight;
        }

        /// <summary>The most used spelling; on a tie the first seen (dictionaries keep insertion order until a removal).</summary>
        public string Spelling() => _spellings.MaxBy(s => s.Value).Key;
    }
}
