using System.Text.Json;

namespace Neptune.Host.Tests;

/// <summary>`neptune eval` through the real CLI: a slice of the man-page dataset end to end, and the inputs it refuses.</summary>
public sealed class EvalCommandTests
{
    /// <summary>The first 24 pages (ALTER_* SQL commands, mostly): 14 dev queries and 3 related rows fall inside them.</summary>
    private const int Limit = 24;

    private static readonly string[] Modes = ["fts", "semantic", "hybrid", "graph"];

    private static readonly string[] Figures = ["mrr10", "ndcg10", "recall1", "recall10", "recall100"];

    private static readonly string[] CutPage = ["cut.1"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 300_000)]
    public async Task Eval_on_a_man_page_slice_prints_one_json_report_of_every_mode_and_related_notes()
    {
        var result = await Cli.RunAsync(["eval", "--corpus", SharedDatasets.ManPagesCorpus, "--queries", SharedDatasets.ManPagesQueries,
            "--related", SharedDatasets.ManPagesRelated, "--limit", $"{Limit}", "--json"], Ct, TimeSpan.FromMinutes(5));

        Assert.True(result.ExitCode == 0, result.ToString());
        var report = result.Json();  // throws unless stdout is the JSON alone
        Assert.Contains("eval: indexing done", result.Stderr, StringComparison.Ordinal);
        var (documents, queries, related) = ExpectedCounts();
        Assert.Equal(documents, report.GetProperty("corpus").GetProperty("read").GetInt32());
        Assert.Equal(Limit, report.GetProperty("corpus").GetProperty("kept").GetInt32());
        Assert.Equal(queries, report.GetProperty("queries").GetProperty("kept").GetInt32());
        Assert.Equal(related, report.GetProperty("related").GetProperty("kept").GetInt32());
        Assert.True(queries > 0 && related > 0, "the slice must hold queries and related rows to score");

        var index = report.GetProperty("index");
        Assert.Equal(Limit, index.GetProperty("indexed").GetInt32());
        Assert.Equal(0, index.GetProperty("failed").GetInt32());
        Assert.True(index.GetProperty("chunks").GetInt32() >= Limit);
        Assert.True(index.GetProperty("edges").GetProperty("semantic").GetInt32() > 0);
        Assert.True(index.GetProperty("indexSeconds").GetDouble() > 0);
        Assert.False(Directory.Exists(report.GetProperty("store").GetProperty("location").GetString()), "the scratch store is removed");

        var modes = report.GetProperty("modes").EnumerateArray().ToDictionary(m => m.GetProperty("mode").GetString()!);
        Assert.Equal(Modes, modes.Keys);
        foreach (var mode in modes.Values)
        {
            Assert.Equal(queries, mode.GetProperty("queries").GetInt32());
            Assert.Equal(0, mode.GetProperty("failed").GetInt32());
            var figures = Figures.Select(f => mode.GetProperty(f).GetDouble()).ToList();
            Assert.All(figures, f => Assert.InRange(f, 0, 1));
            Assert.True(mode.GetProperty("recall1").GetDouble() <= mode.GetProperty("recall10").GetDouble());
            Assert.True(mode.GetProperty("recall10").GetDouble() <= mode.GetProperty("recall100").GetDouble());
            Assert.InRange(mode.GetProperty("p50Ms").GetDouble(), double.Epsilon, mode.GetProperty("p95Ms").GetDouble());
            Assert.InRange(mode.GetProperty("cpuP50Ms").GetDouble(), 0, mode.GetProperty("cpuP95Ms").GetDouble());
        }

        // The queries are the pages' own NAME lines: full text finds most of them first.
        Assert.True(modes["fts"].GetProperty("mrr10").GetDouble() > 0.5, modes["fts"].ToString());
        var relatedNotes = report.GetProperty("relatedNotes").EnumerateArray().ToList();
        Assert.Equal(["vectors", "related", "graph"], relatedNotes.Select(r => r.GetProperty("method").GetString()));
        Assert.All(relatedNotes, r =>
        {
            Assert.Equal(related, r.GetProperty("documents").GetInt32());
            Assert.InRange(r.GetProperty("recall10").GetDouble(), 0, 1);
        });
    }

    [Fact(Timeout = 300_000)]
    public async Task Keep_leaves_the_indexed_store_and_a_second_run_scores_it_again_without_reindexing()
    {
        using var dir = new TempDirectory("eval-keep");
        var keep = dir.Combine("store");
        string[] Args(int limit) => ["eval", "--corpus", SharedDatasets.ManPagesCorpus, "--queries", SharedDatasets.ManPagesQueries,
            "--limit", $"{limit}", "--mode", "fts,hybrid", "--keep", keep, "--json"];

        var first = await Cli.RunAsync(Args(Limit), Ct, TimeSpan.FromMinutes(5));
        Assert.True(first.ExitCode == 0, first.ToString());
        var firstReport = first.Json();
        Assert.True(firstReport.GetProperty("store").GetProperty("kept").GetBoolean());
        Assert.False(firstReport.GetProperty("index").GetProperty("reused").GetBoolean());
        Assert.True(File.Exists(Path.Combine(keep, "neptune.db")), "--keep leaves the store in place");

        var second = await Cli.RunAsync(Args(Limit), Ct, TimeSpan.FromMinutes(5));
        Assert.True(second.ExitCode == 0, second.ToString());
        var secondReport = second.Json();
        Assert.True(secondReport.GetProperty("index").GetProperty("reused").GetBoolean());
        Assert.DoesNotContain("imported", second.Stderr, StringComparison.Ordinal);
        Assert.Equal(Limit, secondReport.GetProperty("index").GetProperty("indexed").GetInt32());
        static double Mrr(JsonElement report, string mode) =>
            report.GetProperty("modes").EnumerateArray().Single(m => m.GetProperty("mode").GetString() == mode).GetProperty("mrr10").GetDouble();
        Assert.Equal(Mrr(firstReport, "fts"), Mrr(secondReport, "fts"));
        Assert.Equal(Mrr(firstReport, "hybrid"), Mrr(secondReport, "hybrid"));

        // Another slice cannot be scored on that store: the figures would be of the wrong corpus.
        var other = await Cli.RunAsync(Args(Limit + 1), Ct, TimeSpan.FromMinutes(5));
        Assert.True(other.ExitCode == 1, other.ToString());
        Assert.Contains("--keep: ", other.Stderr, StringComparison.Ordinal);
        Assert.Contains("Give an empty or new folder", other.Stderr, StringComparison.Ordinal);
    }

    public static TheoryData<string, string[], string> BadInputs => new()
    {
        { "missing corpus", ["--corpus", "{dir}/no-such-corpus.jsonl"], "--corpus: '{dir}/no-such-corpus.jsonl' does not exist." },
        { "query line not JSON", ["--queries", "{dir}/queries.jsonl"], "{dir}/queries.jsonl line 3: not valid JSON" },
        { "relevant not a list", ["--queries", "{dir}/queries-bad-relevant.jsonl"], "{dir}/queries-bad-relevant.jsonl line 2: 'relevant' must be a non-empty array of document ids (strings)." },
        { "duplicate corpus id", ["--corpus", "{dir}/corpus-duplicate.jsonl"], "{dir}/corpus-duplicate.jsonl line 2: id 'cut.1' is already the id of line 1." },
        { "related without id", ["--related", "{dir}/related.jsonl"], "{dir}/related.jsonl line 1: the string field 'id' is missing or empty." },
        { "unknown mode", ["--mode", "fuzzy"], "--mode: unknown mode 'fuzzy': use fts, semantic, hybrid, graph or all" },
        { "seed without limit", ["--seed", "7"], "--seed picks a random sample of --limit N documents: give --limit too." },
        { "data dir", ["--data", "{dir}/data"], "eval imports the corpus into a scratch store of its own" },
    };

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_stops_eval_with_one_line_naming_what_to_fix(string why, string[] change, string expected)
    {
        using var dir = new TempDirectory("eval-input");
        await File.WriteAllLinesAsync(dir.Combine("corpus.jsonl"), [Line(new { id = "cut.1", title = "cut", text = "remove sections from each line of files" })], Ct);
        await File.WriteAllLinesAsync(dir.Combine("corpus-duplicate.jsonl"), [Line(new { id = "cut.1", text = "a" }), Line(new { id = "cut.1", text = "b" })], Ct);
        await File.WriteAllLinesAsync(dir.Combine("queries.jsonl"), [Line(new { id = "q1", query = "remove sections", relevant = CutPage }), "", "{\"id\": \"q2\", \"query\": "], Ct);
        await File.WriteAllLinesAsync(dir.Combine("queries-bad-relevant.jsonl"), [Line(new { id = "q1", query = "cut", relevant = CutPage }), Line(new { id = "q2", query = "cut", relevant = "cut.1" })], Ct);
        await File.WriteAllLinesAsync(dir.Combine("related.jsonl"), [Line(new { related = CutPage })], Ct);
        var options = new List<string> { "eval", "--corpus", dir.Combine("corpus.jsonl"), "--queries", SharedDatasets.ManPagesQueries };
        for (var i = 0; i < change.Length; i += 2)
        {
            var value = change[i + 1].Replace("{dir}", dir.Path, StringComparison.Ordinal);
            var at = options.IndexOf(change[i]);
            if (at >= 0)
            {
                options[at + 1] = value;
            }
            else
            {
                options.AddRange([change[i], value]);
            }
        }

        var result = await Cli.RunAsync(options, Ct);

        Assert.True(result.ExitCode == 1, $"{why}: {result}");
        Assert.Equal("", result.Stdout);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("neptune: ", line, StringComparison.Ordinal);
        Assert.Contains(expected.Replace("{dir}", dir.Path, StringComparison.Ordinal), line, StringComparison.Ordinal);
    }

    private static string Line(object value) => JsonSerializer.Serialize(value);

    /// <summary>The corpus size and, computed here independently, the queries and related rows eval must keep for the first <see cref="Limit"/> pages.</summary>
    private static (int Documents, int Queries, int Related) ExpectedCounts()
    {
        var ids = File.ReadLines(SharedDatasets.ManPagesCorpus).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!).ToList();
        var slice = ids.Take(Limit).ToHashSet(StringComparer.Ordinal);
        static IEnumerable<string> Ids(JsonElement row, string name) => row.GetProperty(name).EnumerateArray().Select(e => e.GetString()!);
        var queries = File.ReadLines(SharedDatasets.ManPagesQueries).Select(l => JsonDocument.Parse(l).RootElement).Count(q => Ids(q, "relevant").All(slice.Contains));
        var related = File.ReadLines(SharedDatasets.ManPagesRelated).Select(l => JsonDocument.Parse(l).RootElement)
            .Count(r => slice.Contains(r.GetProperty("id").GetString()!) && Ids(r, "related").Any(slice.Contains));
        return (ids.Count, queries, related);
    }
}
