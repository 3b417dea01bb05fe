using System.Collections.Concurrent;

namespace Neptune.Data;

/// <summary>
/// Which of a plain query's words each full-text pass matches, from how many notes hold each word. Both providers
/// rank by BM25, where a word's weight is its idf: a word most notes hold weighs almost nothing, yet its posting list
/// is what the engine walks and scores, row by row. So the all-words pass leaves out words in more than
/// <see cref="SearchOptions.CommonWordShare"/> of the notes, and the any-word pass ranks the rarest
/// <see cref="SearchOptions.FallbackMaxWords"/> words. In a large collection even those can hold tens of thousands of
/// notes, so the any-word pass scores only the notes that hold one of the rarest words whose postings, summed, stay
/// within <see cref="SearchOptions.CandidatePostings"/> (the candidates); every candidate is scored with all the
/// pass's words. What this can miss are notes holding none of those rare words, only common ones: the notes a BM25
/// ranking puts lowest. It bounds the scoring work however large the collection grows; below the budget (every
/// collection under a few thousand notes) nothing changes.
/// </summary>
public sealed record MatchWords(IReadOnlySet<string> LeftOutOfAllWords, IReadOnlySet<string> LeftOutOfAnyWord, IReadOnlySet<string> LeftOutOfCandidates)
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    /// <summary>Nothing left out: one-word queries, and queries that are not a plain bag of words.</summary>
    public static MatchWords All { get; } = new(None, None, None);

    /// <summary>True when the any-word pass scores only the notes holding one of the rarest words.</summary>
    public bool NarrowsCandidates => LeftOutOfCandidates.Count > LeftOutOfAnyWord.Count;

    public static MatchWords Choose(IReadOnlyList<string> words, IReadOnlyDictionary<string, long> documents, long notes, SearchOptions settings)
    {
        if (words.Count < 2)
        {
            return All;
        }

        // Stable: equally rare words keep the order they were typed in.
        var rarestFirst = words.Distinct(StringComparer.Ordinal).OrderBy(w => documents.GetValueOrDefault(w)).ToList();
        var common = new HashSet<string>(StringComparer.Ordinal);
        if (notes >= settings.CommonWordMinNotes && settings.CommonWordShare < 1.0)
        {
            common.UnionWith(rarestFirst.Skip(1).Where(w => documents.GetValueOrDefault(w) > settings.CommonWordShare * notes));
        }

        var ranked = rarestFirst.Where(w => !common.Contains(w)).Take(settings.FallbackMaxWords).ToList();
        var anyWord = rarestFirst.Except(ranked, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        var candidates = new HashSet<string>(anyWord, StringComparer.Ordinal);
        long postings = 0;
        for (var i = 0; i < ranked.Count; i++)
        {
            postings += documents.GetValueOrDefault(ranked[i]);
            if (i > 0 && postings > settings.CandidatePostings)
            {
                candidates.Add(ranked[i]);
            }
        }

        return new MatchWords(common, anyWord, candidates);
    }
}

/// <summary>
/// How many notes hold each word, remembered for a while: counting is O(postings) in both engines (FTS5's vocabulary
/// table walks the word's doclist; PostgreSQL counts matching rows), and the costliest words — the common ones — are the
/// ones every query repeats. The counts only steer which words a query matches, so a few seconds' staleness is harmless.
/// </summary>
public sealed class DocumentCountCache(Func<long> nowMs, long maxAgeMs = 30_000, int capacity = 100_000)
{
    private readonly ConcurrentDictionary<string, (long Documents, long AtMs)> _counts = new(StringComparer.Ordinal);

    private (long Notes, long AtMs)? _notes;

    /// <summary>Counts for <paramref name="words"/>, asking <paramref name="count"/> only for those not known or too old (a word no note holds counts 0).</summary>
    public async Task<IReadOnlyDictionary<string, long>> DocumentsAsync(
        IReadOnlyList<string> words, Func<IReadOnlyList<string>, Task<Dictionary<string, long>>> count)
    {
        var now = nowMs();
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var word in words.Distinct(StringComparer.Ordinal))
        {
            if (_counts.TryGetValue(word, out var known) && now - known.AtMs < maxAgeMs)
            {
                result[word] = known.Documents;
            }
            else
            {
                missing.Add(word);
            }
        }

        if (missing.Count > 0)
        {
            if (_counts.Count + missing.Count > capacity)
            {
                _counts.Clear();
            }

            var fresh = await count(missing);
            foreach (var word in missing)
            {
                var documents = fresh.GetValueOrDefault(word);
                result[word] = documents;
                _counts[word] = (documents, now);
            }
        }

        return result;
    }

    /// <summary>How many notes there are, from <paramref name="count"/> at most every <c>maxAgeMs</c>: only a rough size is needed, and counting is O(n).</summary>
    public async Task<long> NotesAsync(Func<Task<long>> count)
    {
        var now = nowMs();
        if (_notes is { } known && now - known.AtMs < maxAgeMs)
        {
            return known.Notes;
        }

        var notes = await count();
        _notes = (notes, now);
        return notes;
    }
}
