using Neptune.Core.Search;

namespace Neptune.Core.Graph;

/// <summary>
/// Unlinked mentions: which notes' titles a text names as whole words, without a link. Titles are kept as index-token
/// sequences (lower case, no accents, as full text indexes them) keyed by their first token, so one pass over a text's
/// tokens finds every title in it.
/// </summary>
public sealed class TitleMentions
{
    /// <summary>Longer titles are sentences, not names: they are not looked for.</summary>
    private const int MaxTokens = 6;

    private readonly Dictionary<string, List<(string[] Tokens, long NoteId)>> _byFirst = new(StringComparer.Ordinal);
    private readonly Dictionary<long, string[]> _titles = [];

    public TitleMentions(IEnumerable<(long NoteId, string Title)> titles)
    {
        ArgumentNullException.ThrowIfNull(titles);
        foreach (var (noteId, title) in titles)
        {
            var tokens = IndexToken.All(title).ToArray();
            // One-letter names ("c", "r") are everywhere in prose; they would mention nothing.
            if (tokens.Length is 0 or > MaxTokens || string.Concat(tokens).Length < 2)
            {
                continue;
            }

            _titles[noteId] = tokens;
            if (!_byFirst.TryGetValue(tokens[0], out var list))
            {
                _byFirst[tokens[0]] = list = [];
            }

            list.Add((tokens, noteId));
        }
    }

    /// <summary>The title tokens of a note, or null when its title is not looked for.</summary>
    public IReadOnlyList<string>? TitleOf(long noteId) => _titles.GetValueOrDefault(noteId);

    /// <summary>The notes whose titles <paramref name="text"/> names, with their title tokens.</summary>
    public Dictionary<long, IReadOnlyList<string>> In(string text)
    {
        var tokens = IndexToken.All(text).ToArray();
        var found = new Dictionary<long, IReadOnlyList<string>>();
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!_byFirst.TryGetValue(tokens[i], out var titles))
            {
                continue;
            }

            foreach (var (title, noteId) in titles)
            {
                if (i + title.Length <= tokens.Length && title.AsSpan().SequenceEqual(tokens.AsSpan(i, title.Length)))
                {
                    found.TryAdd(noteId, title);
                }
            }
        }

        return found;
    }
}
