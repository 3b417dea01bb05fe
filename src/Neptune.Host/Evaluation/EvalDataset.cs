namespace Neptune.Host.Evaluation;

/// <summary>How many items a file held and how many the evaluation kept, and by what rule.</summary>
public sealed record EvalInputCount(string File, int Read, int Kept, string Rule);

/// <summary>
/// Which documents are imported and which queries and related rows are scored. A query counts only when every one of
/// its relevant documents was imported (else its recall could never reach 1); a related row only when its document was
/// imported and at least one of its related documents was, its list cut to those.
/// </summary>
public static class EvalDataset
{
    /// <summary>All documents; with a limit the first <paramref name="limit"/>, or with a seed a random sample of that many.</summary>
    public static IReadOnlyList<CorpusDocument> Slice(IReadOnlyList<CorpusDocument> documents, int? limit, int? seed)
    {
        if (limit is not { } n)
        {
            return documents;
        }

        return seed is { } s ? [.. Sample(documents, n, s)] : [.. documents.Take(n)];
    }

    public static IReadOnlyList<EvalQuery> KeepQueries(IReadOnlyList<EvalQuery> queries, IReadOnlySet<string> imported) =>
        [.. queries.Where(q => q.Relevant.All(imported.Contains))];

    public static IReadOnlyList<RelatedDocuments> KeepRelated(IReadOnlyList<RelatedDocuments> rows, IReadOnlySet<string> imported) =>
        [.. rows.Where(r => imported.Contains(r.Id))
            .Select(r => r with { Related = r.Related.Where(imported.Contains).ToHashSet(StringComparer.Ordinal) })
            .Where(r => r.Related.Count > 0)];

    /// <summary>The same sample for the same seed and corpus (one shuffle key per document, drawn in file order).</summary>
    private static IEnumerable<CorpusDocument> Sample(IReadOnlyList<CorpusDocument> documents, int n, int seed)
    {
        var random = new Random(seed);
        return documents.OrderBy(_ => random.Next()).Take(n);
    }
}
