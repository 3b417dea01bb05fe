using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Data;

namespace Neptune.Bench;

/// <summary>
/// Desktop core: man-corpus import time, FTS quality (MRR@10, nDCG@10, Recall@10) and latency in-process and over HTTP,
/// time to ready and idle RSS of `neptune serve`. Targets (issue "desktop core"): import ≤ 10 s, FTS p95 ≤ 5 ms,
/// ready ≤ 1.5 s, idle RSS ≤ 120 MB.
/// </summary>
public static class CoreSuite
{
    private sealed record Query(string Id, string Text, string[] Relevant);

    public static async Task RunAsync(bool smoke)
    {
        var repo = BenchKit.FindRepo();
        var dataset = Path.GetFullPath(Path.Combine(repo, "..", "shared", "datasets", "manpages"));
        var dll = Path.Combine(AppContext.BaseDirectory, "neptune.dll");
        var work = Path.Combine(Path.GetTempPath(), "neptune-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        var report = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        try
        {
            var corpus = Path.Combine(dataset, "corpus.jsonl");
            var queries = File.ReadLines(Path.Combine(dataset, "queries-dev.jsonl")).Select(ParseQuery).ToList();
            if (smoke)
            {
                corpus = Path.Combine(work, "corpus-small.jsonl");
                await File.WriteAllLinesAsync(corpus, File.ReadLines(Path.Combine(dataset, "corpus.jsonl")).Take(200));
                var ids = File.ReadLines(corpus).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()).ToHashSet();
                queries = [.. queries.Where(q => q.Relevant.All(ids.Contains)).Take(50)];
            }

            report.Append(BenchKit.Header("Desktop core benchmark", smoke, repo, "`./bench.sh core` (= `dotnet run --project bench/Neptune.Bench -c Release -- core`)"))
                .AppendLine(culture, $"- Data: `{Path.GetFileName(corpus)}` ({File.ReadLines(corpus).Count()} notes, {new FileInfo(corpus).Length / 1e6:F1} MB), {queries.Count} dev queries")
                .AppendLine();

            // 1. Import: a fresh data dir per run, through the real CLI.
            var runs = smoke ? 1 : 3;
            var importWall = new List<double>();
            var importInner = new List<double>();
            string data = "";
            for (var i = 0; i < runs; i++)
            {
                data = Path.Combine(work, $"data{i}");
                var started = Stopwatch.StartNew();
                var output = await BenchKit.RunCliAsync(dll, "import", corpus, "--data", data, "--json");
                importWall.Add(started.Elapsed.TotalSeconds);
                importInner.Add(TimeSpan.Parse(JsonDocument.Parse(output).RootElement.GetProperty("elapsed").GetString()!, culture).TotalSeconds);
            }

            var reimport = Stopwatch.StartNew();
            await BenchKit.RunCliAsync(dll, "import", corpus, "--data", data, "--json");
            var reimportSeconds = reimport.Elapsed.TotalSeconds;
            var dbBytes = Directory.GetFiles(data, "neptune.db*").Sum(f => new FileInfo(f).Length);
            report.AppendLine("## Import (full text only)").AppendLine()
                .AppendLine("| measure | median | runs |").AppendLine("|---|---|---|")
                .AppendLine(culture, $"| `neptune import corpus.jsonl` wall time, process start to exit | {BenchKit.Median(importWall):F2} s | {string.Join(", ", importWall.Select(x => x.ToString("F2", culture)))} |")
                .AppendLine(culture, $"| import work inside the process | {BenchKit.Median(importInner):F2} s | {string.Join(", ", importInner.Select(x => x.ToString("F2", culture)))} |")
                .AppendLine(culture, $"| re-import of the same file (all unchanged) | {reimportSeconds:F2} s | 1 |")
                .AppendLine(culture, $"| database size | {dbBytes / 1e6:F1} MB | |").AppendLine();

            // 2. Quality and in-process latency, per ranking variant.
            report.AppendLine("## Full-text quality on the dev queries").AppendLine()
                .AppendLine("| title weight | any-term fallback | common-word share | MRR@10 | nDCG@10 | Recall@10 | no result | p50 ms | p95 ms | p99 ms |")
                .AppendLine("|---|---|---|---|---|---|---|---|---|---|");
            var variants = smoke
                ? [(4.0, true, 0.5, 5, 4)]
                : new[] { (4.0, true, 0.5, 5, 4), (1.0, true, 0.5, 5, 4), (8.0, true, 0.5, 5, 4), (4.0, true, 0.5, 4, 4), (4.0, true, 0.5, 6, 4), (4.0, true, 1.0, 64, 4), (4.0, true, 0.5, 5, 1000), (4.0, true, 1.0, 64, 1000), (4.0, false, 0.5, 5, 1000) };
            foreach (var (weight, fallback, share, maxWords, singlePass) in variants)
            {
                var (mrr, ndcg, recall, empty, latencies) = await EvaluateAsync(data, queries, weight, fallback, share, maxWords, singlePass);
                report.AppendLine(culture, $"| {weight} | {(fallback ? $"yes, {maxWords} rarest words{(singlePass < 1000 ? $", one pass from {singlePass} words" : ", all-words pass first")}" : "no")} | {share} | {mrr:F3} | {ndcg:F3} | {recall:F3} | {empty:P1} | {Machine.Percentile(latencies, 50):F2} | {Machine.Percentile(latencies, 95):F2} | {Machine.Percentile(latencies, 99):F2} |");
            }

            report.AppendLine().AppendLine("Latency here is `INoteSearch.SearchAsync` in-process (parse, FTS5 bm25, snippets, metadata), one query at a time, after one warm-up pass. "
                + "The dev queries are whole sentences (5–10 words); people mostly type 1–3 words, so those are timed too, with the shipped defaults:").AppendLine()
                .AppendLine("| query length | queries | p50 ms | p95 ms | p99 ms |").AppendLine("|---|---|---|---|---|");
            foreach (var words in new[] { 1, 2, 3 })
            {
                var shortQueries = queries.Select(q => new Query(q.Id, ShortQuery(q.Text, words), q.Relevant)).Where(q => q.Text.Length > 0).ToList();
                var (_, _, _, _, latencies) = await EvaluateAsync(data, shortQueries, 4.0, true, 0.5, 5, 4);
                report.AppendLine(culture, $"| {words} word{(words > 1 ? "s" : "")} | {shortQueries.Count} | {Machine.Percentile(latencies, 50):F2} | {Machine.Percentile(latencies, 95):F2} | {Machine.Percentile(latencies, 99):F2} |");
            }

            report.AppendLine();

            // 3. The served app: time to ready, HTTP latency, idle RSS.
            var ready = new List<double>();
            var rss = 0L;
            var http = new List<double>();
            for (var i = 0; i < (smoke ? 1 : 5); i++)
            {
                var port = BenchKit.FreePort();
                var started = Stopwatch.StartNew();
                using var serve = Process.Start(new ProcessStartInfo("dotnet", [dll, "serve", "--port", port.ToString(culture), "--data", data])
                    { RedirectStandardOutput = true, RedirectStandardError = true })!;
                using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
                try
                {
                    await BenchKit.WaitReadyAsync(client, started);
                    ready.Add(started.Elapsed.TotalSeconds);
                    if (i == 0)
                    {
                        foreach (var q in queries.Take(50))
                        {
                            await client.GetAsync(new Uri($"/api/search?q={Uri.EscapeDataString(q.Text)}&limit=10", UriKind.Relative));
                        }

                        foreach (var q in queries)
                        {
                            var t = Stopwatch.StartNew();
                            using var response = await client.GetAsync(new Uri($"/api/search?q={Uri.EscapeDataString(q.Text)}&limit=10", UriKind.Relative));
                            await response.Content.ReadAsByteArrayAsync();
                            http.Add(t.Elapsed.TotalMilliseconds);
                        }

                        await Task.Delay(TimeSpan.FromSeconds(3));
                        rss = Machine.RssBytes(serve.Id);
                    }
                }
                finally
                {
                    serve.Kill(entireProcessTree: true);
                    await serve.WaitForExitAsync();
                }
            }

            http.Sort();
            report.AppendLine("## `neptune serve`").AppendLine()
                .AppendLine("| measure | value | target |").AppendLine("|---|---|---|")
                .AppendLine(culture, $"| process start → first 200 from /ready (median of {ready.Count}) | {BenchKit.Median(ready):F2} s ({string.Join(", ", ready.Select(x => x.ToString("F2", culture)))}) | ≤ 1.5 s |")
                .AppendLine(culture, $"| GET /api/search over HTTP, p50 / p95 / p99 ({http.Count} queries, sequential, keep-alive) | {Machine.Percentile(http, 50):F2} / {Machine.Percentile(http, 95):F2} / {Machine.Percentile(http, 99):F2} ms | p95 ≤ 5 ms |")
                .AppendLine(culture, $"| RSS after the queries and 3 s idle | {rss / 1e6:F0} MB | ≤ 120 MB |")
                .AppendLine();

            await BenchKit.WriteReportAsync(repo, "core", smoke, report.ToString());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<(double Mrr, double Ndcg, double Recall, double Empty, List<double> Latencies)> EvaluateAsync(
        string data, List<Query> queries, double titleWeight, bool fallback, double commonShare, int maxWords, int singlePass)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Neptune:DataDir"] = data,
            ["Neptune:Search:TitleWeight"] = titleWeight.ToString(CultureInfo.InvariantCulture),
            ["Neptune:Search:FallbackToAnyTerm"] = fallback.ToString(),
            ["Neptune:Search:CommonWordShare"] = commonShare.ToString(CultureInfo.InvariantCulture),
            ["Neptune:Search:FallbackMaxWords"] = maxWords.ToString(CultureInfo.InvariantCulture),
            ["Neptune:Search:SinglePassFromWords"] = singlePass.ToString(CultureInfo.InvariantCulture),
        }).Build();
        await using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddNeptuneStore().BuildServiceProvider();
        var search = services.GetRequiredService<INoteSearch>();
        foreach (var q in queries)
        {
            await search.SearchAsync(UserId.Local, new SearchRequest(q.Text, 10, null, null), CancellationToken.None);
        }

        double mrr = 0, ndcg = 0, recall = 0;
        var empty = 0;
        var latencies = new List<double>(queries.Count);
        foreach (var q in queries)
        {
            var t = Stopwatch.StartNew();
            var hits = await search.SearchAsync(UserId.Local, new SearchRequest(q.Text, 10, null, null), CancellationToken.None);
            latencies.Add(t.Elapsed.TotalMilliseconds);
            var ids = hits.Select(h => h.Note.SourceId).ToList();
            empty += ids.Count == 0 ? 1 : 0;
            var first = ids.FindIndex(id => q.Relevant.Contains(id));
            mrr += first >= 0 ? 1.0 / (first + 1) : 0;
            var dcg = ids.Select((id, i) => q.Relevant.Contains(id) ? 1 / Math.Log2(i + 2) : 0).Sum();
            var ideal = Enumerable.Range(0, Math.Min(10, q.Relevant.Length)).Sum(i => 1 / Math.Log2(i + 2));
            ndcg += dcg / ideal;
            recall += (double)ids.Count(id => q.Relevant.Contains(id)) / q.Relevant.Length;
        }

        latencies.Sort();
        var n = queries.Count;
        return (mrr / n, ndcg / n, recall / n, (double)empty / n, latencies);
    }

    private static Query ParseQuery(string line)
    {
        var root = JsonDocument.Parse(line).RootElement;
        return new Query(root.GetProperty("id").GetString()!, root.GetProperty("query").GetString()!,
            [.. root.GetProperty("relevant").EnumerateArray().Select(e => e.GetString()!)]);
    }

    /// <summary>The first <paramref name="words"/> words of four or more letters: roughly what a person types for the same need.</summary>
    private static string ShortQuery(string sentence, int words) =>
        string.Join(' ', sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string([.. w.Where(char.IsLetterOrDigit)]))
            .Where(w => w.Length >= 4)
            .Take(words));
}
