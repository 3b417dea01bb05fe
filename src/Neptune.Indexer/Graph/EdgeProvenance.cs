using System.Globalization;

namespace Neptune.Indexer.Graph;

/// <summary>One direction of a semantic edge: <see cref="From"/> found <see cref="To"/> among its nearest notes with <see cref="Score"/>.</summary>
public readonly record struct KnnChoice(long From, long To, double Score);

/// <summary>
/// The provenance text of semantic edges: "knn:12->34=0.7134", and "knn:12->34=0.7134; knn:34->12=0.6521" when both notes
/// chose each other. Link edges read "link:12->34" the same way.
/// </summary>
public static class EdgeProvenance
{
    private const string Separator = "; ";

    public static string Format(IEnumerable<KnnChoice> choices) => string.Join(Separator, choices
        .OrderBy(c => c.From).ThenBy(c => c.To)
        .Select(c => string.Create(CultureInfo.InvariantCulture, $"knn:{c.From}->{c.To}={c.Score:0.####}")));

    public static IReadOnlyList<KnnChoice> Parse(string provenance)
    {
        var choices = new List<KnnChoice>();
        foreach (var part in provenance.Split(Separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!part.StartsWith("knn:", StringComparison.Ordinal))
            {
                continue;
            }

            var arrow = part.IndexOf("->", StringComparison.Ordinal);
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (arrow > 4 && equals > arrow
                && long.TryParse(part.AsSpan(4, arrow - 4), CultureInfo.InvariantCulture, out var from)
                && long.TryParse(part.AsSpan(arrow + 2, equals - arrow - 2), CultureInfo.InvariantCulture, out var to)
                && double.TryParse(part.AsSpan(equals + 1), CultureInfo.InvariantCulture, out var score))
            {
                choices.Add(new KnnChoice(from, to, score));
            }
        }

        return choices;
    }
}
