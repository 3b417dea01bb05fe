using System.Globalization;
using System.Text;

namespace Neptune.Core.Search;

/// <summary>
/// Turns what a user typed into a safe SQLite FTS5 MATCH expression or PostgreSQL tsquery. Every term is
/// quoted, so no input can produce a syntax error; users still get phrases ("a b"), prefixes (ab*),
/// alternatives (a OR b), exclusions (-a or NOT a) and a title filter (title:a).
/// </summary>
public sealed class FtsQuery
{
    public const int MaxLength = 1000;

    /// <summary>A term or phrase as typed, in the title only when <see cref="InTitle"/>, as a prefix when <see cref="Prefix"/>.</summary>
    private sealed record Term(string Text, bool InTitle, bool Prefix)
    {
        public string Fts5 => (InTitle ? "title : " : "") + "\"" + Text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" + (Prefix ? "*" : "");

        // A quoted tsquery operand (several words in it become a phrase); :* marks a prefix, :A the title's weight.
        public string TsQuery => "'" + Text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'"
            + (Prefix || InTitle ? ":" : "") + (Prefix ? "*" : "") + (InTitle ? "A" : "");
    }

    /// <summary>A wanted term or phrase. <see cref="Word"/> is its index token when it is one bare word (no prefix, phrase or column).</summary>
    private sealed record Clause(Term Term, string? Word, bool OrBefore);

    private readonly List<Clause> _positives;
    private readonly List<Term> _negatives;

    private FtsQuery(List<Clause> positives, List<Term> negatives, List<string> terms, List<(string, bool)> highlight)
    {
        _positives = positives;
        _negatives = negatives;
        Terms = terms;
        HighlightTokens = highlight;
    }

    /// <summary>The folded index tokens of every wanted word and phrase, and whether each was a prefix (kube*), for snippets.</summary>
    public IReadOnlyList<(string Token, bool Prefix)> HighlightTokens { get; }

    /// <summary>The words and phrases the user looks for, for highlighting.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>Index tokens of the bare words, so a caller can look up how common each is.</summary>
    public IReadOnlyList<string> Words => [.. _positives.Select(p => p.Word).OfType<string>().Distinct()];

    /// <summary>True when every wanted term is a bare word (no phrase, prefix or title filter) and there is no OR, NOT or -.</summary>
    public bool IsBareWords => _negatives.Count == 0 && _positives.All(p => p.Word is not null && !p.OrBefore);

    public string MatchExpression => Build(new HashSet<string>(), anyTerm: false);

    /// <summary>True for a plain bag of words (no OR, NOT or -): then a second, any-term pass is a fair way to fill up results.</summary>
    public bool IsPlainWords => _positives.Count > 1 && _negatives.Count == 0 && !_positives.Any(p => p.OrBefore);

    /// <summary>
    /// The expression without the bare words in <paramref name="drop"/> (words so common they rank nothing), joined
    /// by AND or, with <paramref name="anyTerm"/>, by OR. At least one wanted clause is always kept.
    /// </summary>
    public string Build(IReadOnlySet<string> drop, bool anyTerm) => Render(drop, anyTerm, t => t.Fts5, " ", " OR ", " NOT ");

    /// <summary>As <see cref="Build"/>, as the text of a PostgreSQL tsquery (for to_tsquery), the title being weight A.</summary>
    public string BuildTsQuery(IReadOnlySet<string> drop, bool anyTerm) => Render(drop, anyTerm, t => t.TsQuery, " & ", " | ", " & !");

    private string Render(IReadOnlySet<string> drop, bool anyTerm, Func<Term, string> render, string and, string or, string not)
    {
        var kept = _positives.Where(p => p.Word is null || !drop.Contains(p.Word)).ToList();
        if (kept.Count == 0)
        {
            kept = [_positives[0]];
        }

        var expression = new StringBuilder();
        var grouped = _negatives.Count > 0 && kept.Count > 1;
        expression.Append(grouped ? "(" : "");
        for (var i = 0; i < kept.Count; i++)
        {
            if (i > 0)
            {
                expression.Append(anyTerm || kept[i].OrBefore ? or : and);
            }

            expression.Append(render(kept[i].Term));
        }

        expression.Append(grouped ? ")" : "");
        foreach (var negative in _negatives)
        {
            expression.Append(not).Append(render(negative));
        }

        return expression.ToString();
    }

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

        var positives = new List<Clause>();
        var negatives = new List<Term>();
        var terms = new List<string>();
        var highlight = new List<(string, bool)>();
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
            if (ParseTerm(token, terms) is not var (rendered, word))
            {
                continue;
            }

            if (negate)
            {
                negatives.Add(rendered);
                continue;
            }

            positives.Add(new Clause(rendered, word, pendingOr && positives.Count > 0));
            var text = terms[^1];
            var prefix = !token.Quoted && token.Text.EndsWith('*');
            var words = text.Split((char[])[.. text.Where(c => !char.IsLetterOrDigit(c)).Distinct()], StringSplitOptions.RemoveEmptyEntries);
            for (var w = 0; w < words.Length; w++)
            {
                highlight.Add((IndexToken.Of(words[w]), prefix && w == words.Length - 1));
            }
            pendingOr = false;
        }

        if (positives.Count == 0)
        {
            throw NeptuneException.Invalid("q", negatives.Count > 0
                ? "The query only excludes words: add at least one word to search for."
                : "The query has no searchable words: use letters or digits.");
        }

        return new FtsQuery(positives, negatives, terms, highlight);
    }

    private static (Term Term, string? Word)? ParseTerm(Token token, List<string> terms)
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
        var word = column is null && !prefix && text.All(char.IsLetterOrDigit) ? IndexToken.Of(text) : null;
        return (new Term(text, column is not null, prefix), word);
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
