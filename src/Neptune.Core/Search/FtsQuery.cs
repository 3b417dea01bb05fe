using System.Text;

namespace Neptune.Core.Search;

/// <summary>
/// Turns what a user typed into a safe SQLite FTS5 MATCH expression. Every term is quoted, so no
/// input can produce an FTS5 syntax error; users still get phrases ("a b"), prefixes (ab*),
/// alternatives (a OR b), exclusions (-a or NOT a) and a title filter (title:a).
/// </summary>
public sealed record FtsQuery(string MatchExpression, IReadOnlyList<string> Terms)
{
    /// <summary>
    /// The same words joined by OR, for a second pass when too few notes contain them all;
    /// null when the user wrote operators (OR, NOT, -) or only one word, since then they meant it exactly.
    /// </summary>
    public string? AnyTermExpression { get; private init; }

    public const int MaxLength = 1000;

    /// <summary>Parses <paramref name="input"/>; throws <see cref="NeptuneException"/> (field <c>q</c>) when nothing searchable is left.</summary>
    public static FtsQuery Parse(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            throw NeptuneException.Invalid("q", "The query is empty: pass the words to search for in 'q'.");
        }

        if (input.Length > MaxLength)
        {
            throw NeptuneException.Invalid("q", $"The query is {input.Length} characters long; the limit is {MaxLength}.");
        }

        var positives = new List<string>();
        var joiners = new List<string>();
        var negatives = new List<string>();
        var terms = new List<string>();
        var pendingOr = false;
        var pendingNot = false;

        foreach (var token in Tokenize(input))
        {
            if (!token.Quoted && token.Text == "OR")
            {
                pendingOr = positives.Count > 0;
                continue;
            }

            if (!token.Quoted && token.Text == "NOT")
            {
                pendingNot = true;
                continue;
            }

            var negate = pendingNot || token.Negated;
            pendingNot = false;
            var phrase = Render(token, terms);
            if (phrase is null)
            {
                continue;
            }

            if (negate)
            {
                negatives.Add(phrase);
                continue;
            }

            if (positives.Count > 0)
            {
                joiners.Add(pendingOr ? " OR " : " ");
            }

            positives.Add(phrase);
            pendingOr = false;
        }

        if (positives.Count == 0)
        {
            throw NeptuneException.Invalid("q", negatives.Count > 0
                ? "The query only excludes words: add at least one word to search for."
                : "The query has no searchable words: use letters or digits.");
        }

        var expression = new StringBuilder();
        var grouped = negatives.Count > 0 && positives.Count > 1;
        if (grouped)
        {
            expression.Append('(');
        }

        for (var i = 0; i < positives.Count; i++)
        {
            if (i > 0)
            {
                expression.Append(joiners[i - 1]);
            }

            expression.Append(positives[i]);
        }

        if (grouped)
        {
            expression.Append(')');
        }

        foreach (var negative in negatives)
        {
            expression.Append(" NOT ").Append(negative);
        }

        var anyTerm = positives.Count > 1 && negatives.Count == 0 && !joiners.Contains(" OR ")
            ? string.Join(" OR ", positives)
            : null;
        return new FtsQuery(expression.ToString(), terms) { AnyTermExpression = anyTerm };
    }

    private static string? Render(Token token, List<string> terms)
    {
        var text = token.Text;
        string? column = null;
        if (!token.Quoted && text.StartsWith("title:", StringComparison.OrdinalIgnoreCase) && text.Length > 6)
        {
            column = "title";
            text = text[6..];
        }

        var prefix = !token.Quoted && text.EndsWith('*');
        text = text.TrimEnd('*');
        if (!text.Any(char.IsLetterOrDigit))
        {
            return null;
        }

        terms.Add(text);
        var quoted = "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" + (prefix ? "*" : "");
        return column is null ? quoted : $"{column} : {quoted}";
    }

    private readonly record struct Token(string Text, bool Quoted, bool Negated);

    private static IEnumerable<Token> Tokenize(string input)
    {
        var i = 0;
        while (i < input.Length)
        {
            if (char.IsWhiteSpace(input[i]))
            {
                i++;
                continue;
            }

            var negated = false;
            if (input[i] == '-' && i + 1 < input.Length && !char.IsWhiteSpace(input[i + 1]))
            {
                negated = true;
                i++;
            }

            if (input[i] == '"')
            {
                var end = input.IndexOf('"', i + 1);
                if (end < 0)
                {
                    end = input.Length;
                }

                yield return new Token(input[(i + 1)..end], true, negated);
                i = end + 1;
                continue;
            }

            var start = i;
            while (i < input.Length && !char.IsWhiteSpace(input[i]) && input[i] != '"')
            {
                i++;
            }

            yield return new Token(input[start..i], false, negated);
        }
    }
}
