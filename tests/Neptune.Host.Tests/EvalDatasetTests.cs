using Neptune.Host.Evaluation;

namespace Neptune.Host.Tests;

public sealed class EvalDatasetTests
{
    private static readonly CorpusDocument[] Documents = [.. Enumerable.Range(1, 50).Select(i => new CorpusDocument($"d{i}", $"{{\"id\":\"d{i}\",\"text\":\"\"}}"))];

    [Fact]
    public void A_limit_takes_the_first_documents_and_a_seed_the_same_random_sample_every_time()
    {
        Assert.Equal(["d1", "d2", "d3"], EvalDataset.Slice(Documents, 3, null).Select(d => d.Id));
        Assert.Same(Documents, EvalDataset.Slice(Documents, null, null));
        var sample = EvalDataset.Slice(Documents, 10, 42).Select(d => d.Id).ToList();
        Assert.Equal(sample, EvalDataset.Slice(Documents, 10, 42).Select(d => d.Id));
        Assert.Equal(10, sample.Distinct().Count());
        Assert.NotEqual(sample, EvalDataset.Slice(Documents, 10, 43).Select(d => d.Id));
    }

    [Fact]
    public void A_query_counts_only_when_every_relevant_document_was_imported()
    {
        var imported = new HashSet<string> { "a", "b" };
        EvalQuery[] queries = [new("q1", "x", Set("a")), new("q2", "y", Set("a", "c")), new("q3", "z", Set("a", "b"))];

        Assert.Equal(["q1", "q3"], EvalDataset.KeepQueries(queries, imported).Select(q => q.Id));
    }

    [Fact]
    public void A_related_row_counts_when_its_document_and_a_related_one_were_imported_and_keeps_only_those()
    {
        var imported = new HashSet<string> { "a", "b", "c" };
        RelatedDocuments[] rows = [new("a", Set("b", "x")), new("b", Set("x")), new("x", Set("a")), new("c", Set("a", "b"))];

        var kept = EvalDataset.KeepRelated(rows, imported);

        Assert.Equal(["a", "c"], kept.Select(r => r.Id));
        Assert.Equal(["b"], kept[0].Related);
        Assert.Equal(2, kept[1].Related.Count);
    }

    private static HashSet<string> Set(params string[] ids) => new(ids, StringComparer.Ordinal);
}
