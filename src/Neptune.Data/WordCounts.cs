namespace Neptune.Data;

/// <summary>How many notes the full-text index holds, and in how many of them each word occurs.</summary>
public sealed record WordCounts(long Notes, IReadOnlyDictionary<string, long> Documents)
{
    /// <summary>Inverse document frequency, ln(1 + N / (1 + df)): about 0.7 for a word in every note, ln(1 + N) for one in none.</summary>
    public double Idf(string token) => Math.Log(1 + (Notes / (1.0 + Documents.GetValueOrDefault(token))));
}

/// <summary>Word statistics of the notes, from the full-text index: what makes a word distinctive of one note.</summary>
public interface IWordCounts
{
    /// <summary>Counts for index tokens (<see cref="Core.Search.IndexToken"/>: lower case, no accents); a token no note has counts 0.</summary>
    Task<WordCounts> CountAsync(IReadOnlyCollection<string> tokens, CancellationToken ct);
}
