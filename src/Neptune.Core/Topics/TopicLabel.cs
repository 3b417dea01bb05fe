using System.Globalization;
using System.Text;

namespace Neptune.Core.Topics;

/// <summary>
/// Topic labels as people and models write them ("Kubernetes", " kubernetes ", "Shell Scripts") reduced to one display
/// form and one identity key, so that the same idea is one topic however it was spelled.
/// </summary>
public static class TopicLabel
{
    /// <summary>Longest label kept, in characters; longer model output is not a topic but a sentence.</summary>
    public const int MaxLength = 60;

    // Words whose final "s" is not a plural; removing it would merge unrelated topics or mangle the word.
    private static readonly HashSet<string> NotPlural = new(StringComparer.Ordinal)
    {
        "analysis", "basis", "bias", "bus", "campus", "chaos", "corpus", "cosmos", "ethos", "gas", "genesis", "kubernetes",
        "lens", "linux", "mathematics", "news", "physics", "plus", "series", "species", "status", "syntax", "thesis",
        "windows", "economics", "statistics", "ethics", "graphics", "logistics", "dns", "aws", "os", "ios", "macos", "its",
        "this", "us", "is", "was", "has", "does", "less", "always", "perhaps", "across", "process", "access", "address",
    };

    /// <summary>
    /// Display form: trimmed of surrounding punctuation and quotes, inner whitespace collapsed to one space, lower case
    /// except words written all in capitals (acronyms such as "SSH" or "TCP/IP"). Empty when nothing is left.
    /// </summary>
    public static string Normalize(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var words = label.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var text = new StringBuilder(label.Length);
        foreach (var word in words)
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(IsAcronym(word) ? word : word.ToLower(CultureInfo.InvariantCulture));
        }

        var result = text.ToString().Trim(TrimmedPunctuation);
        result = result.Normalize(NormalizationForm.FormC);
        return result.Length <= MaxLength ? result : result[..MaxLength].TrimEnd();
    }

    /// <summary>
    /// Identity of a topic: the display form in lower case with each word's plural "s" removed, so "Shell scripts",
    /// "shell script" and "SHELL SCRIPTS" share one key.
    /// </summary>
    public static string Key(string label)
    {
        var normal = Normalize(label).ToLower(CultureInfo.InvariantCulture);
        var words = normal.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = Singular(words[i]);
        }

        return string.Join(' ', words);
    }

    /// <summary>English plural to singular by suffix rules, conservative: a word it does not recognise is left alone.</summary>
    public static string Singular(string word)
    {
        if (word.Length <= 3 || NotPlural.Contains(word) || !char.IsLetter(word[^1]))
        {
            return word;
        }

        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4)
        {
            return word[..^3] + "y";
        }

        if (word.EndsWith("sses", StringComparison.Ordinal) || word.EndsWith("xes", StringComparison.Ordinal)
            || word.EndsWith("ches", StringComparison.Ordinal) || word.EndsWith("shes", StringComparison.Ordinal)
            || word.EndsWith("zzes", StringComparison.Ordinal))
        {
            return word[..^2];
        }

        if (word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal)
            && !word.EndsWith("is", StringComparison.Ordinal) && !word.EndsWith("ous", StringComparison.Ordinal))
        {
            return word[..^1];
        }

        return word;
    }

    private static readonly char[] TrimmedPunctuation = ['"', '\'', '`', '.', ',', ';', ':', '!', '?', '(', ')', '[', ']', '{', '}', '*', '_', '#', '-', '–', '—', '“', '”', '‘', '’', ' '];

    private static bool IsAcronym(string word)
    {
        var letters = 0;
        foreach (var c in word)
        {
            if (char.IsLetter(c))
            {
                if (!char.IsUpper(c))
                {
                    return false;
                }

                letters++;
            }
        }

        return letters >= 2;
    }
}
