using System.CommandLine;
using System.Globalization;
using Neptune.Core;
using Neptune.Host.Evaluation;

namespace Neptune.Host.Cli;

/// <summary>`neptune eval`: search, related-notes and graph quality and latency on a labelled corpus, in a scratch store.</summary>
public static class EvalCommand
{
    public static Command Create(Option<string?> data, Option<bool> json)
    {
        var corpus = new Option<string>("--corpus") { Description = "JSONL of {\"id\",\"title\",\"text\"}: the documents, imported into a scratch store and indexed", Required = true };
        var queries = new Option<string>("--queries") { Description = "JSONL of {\"id\",\"query\",\"relevant\":[id…]}: the queries and the documents that answer them", Required = true };
        var related = new Option<string?>("--related") { Description = "JSONL of {\"id\",\"related\":[id…]}: ground truth for related notes and graph retrieval from a note" };
        var mode = new Option<string>("--mode") { Description = "fts, semantic, hybrid, graph or all (or several, comma-separated)", DefaultValueFactory = _ => "all" };
        var limit = new Option<int?>("--limit") { Description = "Import only the first N documents (a random N with --seed); only queries whose relevant documents are all imported count" };
        var seed = new Option<int?>("--seed") { Description = "With --limit: take a random sample of N documents, drawn with this seed" };
        var keep = new Option<string?>("--keep") { Description = "Index into this folder and keep it; a later run given the same folder (same corpus, --limit and --seed) scores it again without importing or indexing" };
        var command = new Command("eval", "Measure search quality (MRR@10, nDCG@10, Recall@1/10/100), related notes, graph retrieval, index time and query latency on a labelled corpus")
        {
            corpus, queries, related, mode, limit, seed, keep,
        };
        command.SetAction((parse, ct) => NeptuneCli.ReportFailuresAsync(parse.GetValue(json), async () =>
        {
            if (parse.GetResult(data) is not null)
            {
                throw NeptuneException.Invalid("--data", "eval imports the corpus into a scratch store of its own and removes it at the end: leave out --data (--keep FOLDER keeps the store).");
            }

            var request = new EvalRequest(parse.GetValue(corpus)!, parse.GetValue(queries)!, parse.GetValue(related), CorpusEvaluation.ParseModes(parse.GetValue(mode)),
                parse.GetValue(limit), parse.GetValue(seed), parse.GetValue(keep));
            if (request.Limit is < 1)
            {
                throw NeptuneException.Invalid("--limit", $"--limit must be at least 1; it was {request.Limit}.");
            }

            if (request.Seed is not null && request.Limit is null)
            {
                throw NeptuneException.Invalid("--seed", "--seed picks a random sample of --limit N documents: give --limit too.");
            }

            // Progress goes to stderr, so that with --json stdout holds the report alone.
            var report = await CorpusEvaluation.RunAsync(request, CliContext.BuildConfiguration(new Dictionary<string, string?>()),
                line => Console.Error.WriteLine($"eval: {line}"), ct);
            if (parse.GetValue(json))
            {
                CliContext.WriteJson(report);
            }
            else
            {
                Write(report, Console.Out);
            }

            return 0;
        }));
        return command;
    }

    public static void Write(EvalReport report, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        static string Count(EvalInputCount count) => $"{count.File}: {count.Read:N0} read, {count.Kept:N0} kept ({count.Rule})";
        var index = report.Index;
        output.WriteLine(string.Create(c, $"Corpus   {report.Corpus.File}: {report.Corpus.Read:N0} documents, {report.Corpus.Kept:N0} imported ({report.Corpus.Rule}{(index.SkippedLines > 0 ? $"; {index.SkippedLines} lines skipped by the importer" : "")})"));
        output.WriteLine(string.Create(c, $"Queries  {Count(report.Queries)}"));
        if (report.Related is { } related)
        {
            output.WriteLine(string.Create(c, $"Related  {Count(related)}"));
        }

        var times = index.Reused
            ? $"reused (imported and indexed by an earlier --keep run; {index.IndexSeconds:F1} s to finish what it left)"
            : $"import {index.ImportSeconds:F1} s, indexing {index.IndexSeconds:F1} s ({index.Imported / Math.Max(index.IndexSeconds, 1e-9):F1} notes/s)";
        output.WriteLine(string.Create(c, $"Index    {index.Indexed:N0}/{index.Imported:N0} indexed, {index.Failed:N0} failed, with {index.Model}: {times}; {index.Chunks:N0} chunks; "
            + $"graph edges: {(index.Edges.Count == 0 ? "none" : string.Join(", ", index.Edges.Select(e => $"{e.Value:N0} {e.Key}")))}"));
        output.WriteLine(report.Store.Kept
            ? $"Store    {report.Store.Provider} store {report.Store.Location} (kept: --keep)"
            : $"Store    {report.Store.Provider} scratch store {report.Store.Location} (removed)");
        output.WriteLine();
        output.WriteLine(string.Create(c, $"{"mode",-10}{"queries",8}{"MRR@10",9}{"nDCG@10",9}{"R@1",8}{"R@10",8}{"R@100",8}{"p50 ms",9}{"p95 ms",9}{"cpu p50",9}{"cpu p95",9}"));
        foreach (var m in report.Modes)
        {
            output.WriteLine(string.Create(c, $"{m.Mode,-10}{m.Queries,8}{m.Mrr10,9:F3}{m.Ndcg10,9:F3}{m.Recall1,8:F3}{m.Recall10,8:F3}{(m.Recall100 is { } r ? r.ToString("F3", c) : "-"),8}{m.P50Ms,9:F1}{m.P95Ms,9:F1}{m.CpuP50Ms,9:F1}{m.CpuP95Ms,9:F1}"));
        }

        foreach (var m in report.Modes.Where(m => m.Failed > 0))
        {
            output.WriteLine(string.Create(c, $"{m.Mode}: {m.Failed} queries failed and count as finding nothing (first: {m.FirstError})"));
        }

        if (report.RelatedNotes.Count > 0)
        {
            output.WriteLine();
            output.WriteLine(string.Create(c, $"{"related",-10}{"docs",8}{"R@10",9}{"p50 ms",9}{"p95 ms",9}"));
            foreach (var r in report.RelatedNotes)
            {
                output.WriteLine(string.Create(c, $"{r.Method,-10}{r.Documents,8}{r.Recall10,9:F3}{r.P50Ms,9:F1}{r.P95Ms,9:F1}"));
            }
        }
        else if (report.Related is not null)
        {
            output.WriteLine("No related row has its document and a related document imported: no related-notes figures.");
        }

        output.WriteLine();
        output.WriteLine("@10 figures and latency: one pass at limit 10 (the API's default page; semantic and hybrid embed each query), in this process, no HTTP.");
        output.WriteLine("cpu: the process's CPU time per query (all threads), which a busy machine hardly inflates: what an idle one would take, or more.");
        output.WriteLine("R@100: a second pass at limit 100. graph: POST /api/graph/retrieve (PageRank from search seeds). Related notes: vectors = nearest notes by vectors alone (the baseline),");
        output.WriteLine("related = GET /api/notes/{id}/related, graph = PageRank seeded by the note alone.");
    }
}
