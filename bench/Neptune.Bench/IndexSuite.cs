using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Neptune.Indexer.Pipeline;
using Neptune.Llm.Onnx;

namespace Neptune.Bench;

/// <summary>
/// The indexer end to end (issue "Indexer, hybrid search…": index throughput ≥ 85 % of the bare model's on the same
/// chunks; the API stays responsive): man pages imported into a running `neptune serve`, timed until every note is
/// indexed, against embedding the same chunks alone; and GET /api/notes/{id} latency while indexing runs.
/// </summary>
public static partial class IndexSuite
{
    private sealed record Status(long Notes, long Indexed, long Failed, long QueueDepth, string Summary);

    /// <summary>
    /// The shipped defaults; the float model (before 2026-12-07; its yardstick is the float model too); one run at a time
    /// on both threads (before 2026-12-07; its yardstick too); one batch with the model at a time (before 2026-12-07); larger batches
    /// (less padding per embedding call); topic candidates chosen without the chunk runs (as before 2026-12-06), and all
    /// of them embedded (the main cost of topics). `NEPTUNE_BENCH_SETTINGS` names the ones to run ("defaults;float model").
    /// </summary>
    private static readonly (string Name, Dictionary<string, string> Env)[] Scenarios =
    [
        ("defaults", []),
        ("float model", new() { ["Neptune__Llm__Onnx__Model"] = MiniLmEmbeddingGenerator.ModelName }),
        ("ParallelRuns=1", new() { ["Neptune__Llm__Onnx__ParallelRuns"] = "1" }),
        ("BatchesInFlight=1", new() { ["Neptune__Indexer__BatchesInFlight"] = "1" }),
        ("BatchNotes=64", new() { ["Neptune__Indexer__BatchNotes"] = "64" }),
        ("Shortlist=0", new() { ["Neptune__Llm__Topics__Shortlist"] = "0" }),
        ("Shortlist=0, MaxCandidates=60", new() { ["Neptune__Llm__Topics__Shortlist"] = "0", ["Neptune__Llm__Topics__MaxCandidates"] = "60" }),
    ];

    public static async Task RunAsync(bool smoke)
    {
        var repo = BenchKit.FindRepo();
        var culture = CultureInfo.InvariantCulture;
        // More pages amortise what a fresh process pays once (the JIT's tiering of the indexing code: ~2–4 CPU-s).
        var pages = smoke ? 20 : int.TryParse(Environment.GetEnvironmentVariable("NEPTUNE_BENCH_PAGES"), out var asked) && asked > 0 ? asked : 200;
        var work = Path.Combine(Path.GetTempPath(), "neptune-bench-index-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        var corpus = Path.Combine(work, "pages.jsonl");
        await File.WriteAllLinesAsync(corpus, File.ReadLines(Path.Combine(BenchKit.ManPagesDir(repo), "corpus.jsonl")).Take(pages));
        var report = BenchKit.Header("Index benchmark", smoke, repo, pages == 200 || smoke ? "`./bench.sh index`" : $"`NEPTUNE_BENCH_PAGES={pages} ./bench.sh index`", $"load average at start {Machine.LoadAverage()}")
            .AppendLine(culture, $"- Data: the first {pages} pages of the man-page corpus, imported with `neptune import` into a running `neptune serve` (role all; a fresh data dir per setting)")
            .AppendLine();

        var suite = pages == 200 || smoke ? "index" : $"index-{pages}";
        report.AppendLine("## Throughput").AppendLine()
            .AppendLine("Each setting is timed right after the same chunks are embedded alone by the same model (the indexer's chunker, MiniLmEmbeddingGenerator with 2 threads, one call), and compared with that run: on a shared machine the speed of the cores drifts by ±10 % within minutes, so one run of embedding alone at the start is no yardstick for a quarter of an hour of settings.").AppendLine()
            .AppendLine("| setting | result | chunks (tokens) | embedding alone: s, tokens/s (CPU-s) | import → all indexed | notes/s | tokens/s | vs embedding alone (wall) | serve CPU-s (vs embedding alone, per token) | worker time: embedding and topics / relations / writes | RSS after |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        var latencies = new StringBuilder();
        var edits = new StringBuilder();
        var rates = new List<(string Name, double TokensPerSecond)>();
        var bareRates = new List<double>();
        // Throughput runs have nothing else talking to the server while it indexes (the end is read from its log); the API's
        // latency while indexing is a run of its own, since a GET every 20 ms from another process costs CPU on 2 cores.
        (double Seconds, double CpuSeconds, long Tokens) bare = default;
        var chosen = Environment.GetEnvironmentVariable("NEPTUNE_BENCH_SETTINGS") is { Length: > 0 } names
            ? Scenarios.Where(s => names.Split(';', StringSplitOptions.TrimEntries).Contains(s.Name)).ToArray()
            : Scenarios;
        var runs = chosen.Select(s => (s.Name, s.Env, Probe: false)).ToList();
        if (chosen.Contains(Scenarios[0]))
        {
            // Right after the run of its setting, whose run of embedding alone it is compared with.
            runs.Insert(runs.FindIndex(r => r.Name == Scenarios[0].Name) + 1, ($"{Scenarios[0].Name}, GET every 20 ms", Scenarios[0].Env, true));
        }

        foreach (var (name, env, probe) in runs)
        {
            // The probe's run measures the API, not throughput: it is compared with the run of embedding alone before it.
            var (bareSeconds, bareCpu, bareTokens) = probe ? bare : (bare = await BareEmbeddingAsync(corpus, ModelOptions(env)));
            var bareRate = bareTokens / bareSeconds;
            bareRates.Add(bareRate);
            var run = await RunServeAsync(work, corpus, pages, env, probe);
            rates.Add((name, run.Tokens / run.Seconds));
            var s = run.Stages;
            report.AppendLine(culture,
                $"| {name} | {run.Summary} | {run.Chunks:N0} ({run.Tokens:N0}) | {(probe ? "(the one before)" : $"{bareSeconds:F1} s, {bareRate:N0} ({bareCpu:F1})")} | {run.Seconds:F1} s | {pages / run.Seconds:F1} | {run.Tokens / run.Seconds:N0} | {run.Tokens / run.Seconds / bareRate:P0} (target ≥ 85 %) | {run.CpuSeconds:F1} ({run.Tokens / run.CpuSeconds / (bareTokens / bareCpu):P0}) | {s[1] / 1000:F1} / {s[2] / 1000:F1} / {s[3] / 1000:F1} s | {run.RssBytes / 1e6:F0} MB |");
            if (probe)
            {
                latencies.AppendLine(culture, $"| while indexing | {run.Busy.Count} | {Machine.Percentile(run.Busy, 50):F2} ms | {Machine.Percentile(run.Busy, 95):F2} ms | {Machine.Percentile(run.Busy, 99):F2} ms |")
                    .AppendLine(culture, $"| idle after | {run.Idle.Count} | {Machine.Percentile(run.Idle, 50):F2} ms | {Machine.Percentile(run.Idle, 95):F2} ms | {Machine.Percentile(run.Idle, 99):F2} ms |");
            }
            else
            {
                edits.AppendLine(culture, $"| {name} | {run.EditToIndexed.Count} | {Machine.Percentile(run.EditToIndexed, 50):F0} ms | {run.EditToIndexed[^1]:F0} ms |");
            }
        }

        report.AppendLine()
            .AppendLine("Tokens count [CLS]/[SEP]. On a shared machine wall-clock ratios move with other people's load; the CPU-time ratio (tokens per CPU-second of the serve process against the bare run's) is steadier. The worker's time per stage is summed from its debug log. Topics are KeyBERT-style keyphrases from the same model, asked for in the same request as the chunks: the note's lead-chunk vector is what phrases are compared with; of up to 60 candidates per note, the `Neptune:Llm:Topics:Shortlist` closest to it by their states in the chunk runs are embedded alone (unless cached) and picked from. `Shortlist=0` embeds the `MaxCandidates` most distinctive by frequency, rarity and position instead, as before 2026-12-06 (`MaxCandidates=60` with it: all of them).").AppendLine()
            .AppendLine("## API while indexing").AppendLine()
            .AppendLine(culture, $"The run after the first in the throughput table: {Scenarios[0].Name}, with a GET of a random note every 20 ms from this process while the server indexes.").AppendLine()
            .AppendLine("| GET /api/notes/{id}, random ids, one every 20 ms | requests | p50 | p95 | p99 |").AppendLine("|---|---|---|---|---|")
            .Append(latencies).AppendLine()
            .AppendLine("## Edit → indexed").AppendLine()
            .AppendLine("| setting | edits (one at a time, after the bulk) | p50 | max |").AppendLine("|---|---|---|---|")
            .Append(edits).AppendLine()
            .AppendLine("From the PUT's answer until the status shows every note indexed again; the note is then in the in-memory vector index (target: semantically searchable ≤ 1 s after its save returns).").AppendLine()
            .AppendLine(PlotThroughput(repo, suite, smoke, rates, bareRates.Average())).AppendLine();
        Directory.Delete(work, recursive: true);
        await BenchKit.WriteReportAsync(repo, suite, smoke, report.ToString());
    }

    private sealed record Run(string Summary, long Chunks, long Tokens, double Seconds, double CpuSeconds, double[] Stages, long RssBytes, List<double> Busy, List<double> Idle, List<double> EditToIndexed);

    /// <summary>A fresh data dir and `neptune serve`; once its model is loaded the pages are imported and timed until all are indexed.</summary>
    private static async Task<Run> RunServeAsync(string work, string corpus, int pages, Dictionary<string, string> env, bool probe)
    {
        var data = Path.Combine(work, "data-" + Guid.NewGuid().ToString("N")[..6]);
        var dll = Path.Combine(AppContext.BaseDirectory, "neptune.dll");
        var log = new ConcurrentQueue<string>();
        var port = BenchKit.FreePort();
        var info = new ProcessStartInfo("dotnet", [dll, "serve", "--port", port.ToString(CultureInfo.InvariantCulture), "--data", data])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["Logging__LogLevel__Neptune.Indexer.Pipeline"] = "Debug";
        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }

        using var serve = Process.Start(info)!;
        var logged = 0;  // notes the worker's batches reported ("Indexed N notes"), retried ones again
        void Read(object? _, DataReceivedEventArgs e)
        {
            log.Enqueue(e.Data ?? "");
            if (e.Data is { } line && BatchLine().Match(line) is { Success: true } m)
            {
                Interlocked.Add(ref logged, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        }

        serve.OutputDataReceived += Read;
        serve.ErrorDataReceived += Read;
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
            await BenchKit.WaitReadyAsync(client, Stopwatch.StartNew());
            while (!(await client.GetStringAsync(new Uri("/ready", UriKind.Relative))).Contains("embedding model loaded", StringComparison.Ordinal))
            {
                await Task.Delay(50);
            }

            serve.Refresh();
            var cpuBefore = serve.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await BenchKit.RunCliAsync(dll, "import", corpus, "--data", data);
            using var stopProbe = new CancellationTokenSource();
            var busy = probe ? ProbeAsync(client, pages, int.MaxValue, stopProbe.Token) : Task.FromResult(new List<double>());
            while (Volatile.Read(ref logged) < pages)
            {
                await Task.Delay(10);
            }

            Status status;
            while ((status = (await client.GetFromJsonAsync<Status>("/api/index/status", JsonSerializerOptions.Web))!).Indexed + status.Failed < pages || status.QueueDepth > 0)
            {
                await Task.Delay(50);
            }

            var seconds = clock.Elapsed.TotalSeconds;
            serve.Refresh();
            var cpu = (serve.TotalProcessorTime - cpuBefore).TotalSeconds;
            await stopProbe.CancelAsync();
            var during = await busy;
            var rss = Machine.RssBytes(serve.Id);
            var idle = await ProbeAsync(client, pages, 300, CancellationToken.None);
            var edits = await EditToIndexedAsync(client, pages);
            var (chunks, tokens) = await ChunkTotalsAsync(data);
            return new Run(status.Summary, chunks, tokens, seconds, cpu, Stages(log), rss, during, idle, edits);
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }
    }

    /// <summary>Tokens/s of each setting (one marker each) against the embedding-alone rate and the 85 % target.</summary>
    public static string PlotThroughput(string repo, string suite, bool smoke, IReadOnlyList<(string Name, double TokensPerSecond)> rates, double bareRate, string? date = null) =>
        BenchKit.Plot(repo, suite, smoke, "throughput", "Index throughput per setting (import → all indexed)", "setting", "tokens/s",
            rates.Select((r, i) => new PlotSeries(r.Name, [i + 1.0], [r.TokensPerSecond]))
                .Append(new PlotSeries("embedding alone", [1.0, rates.Count], [bareRate, bareRate]))
                .Append(new PlotSeries("85 % of embedding alone (target)", [1.0, rates.Count], [0.85 * bareRate, 0.85 * bareRate])), date);

    /// <summary>
    /// GETs of random notes, one every 20 ms (a busy user interface, not a load test: a tight loop would take a core from
    /// the indexer on 2 cores), until cancelled or <paramref name="count"/>; sorted latencies in ms.
    /// </summary>
    private static async Task<List<double>> ProbeAsync(HttpClient client, int notes, int count, CancellationToken stop)
    {
        var latencies = new List<double>();
        var random = new Random(42);
        while (!stop.IsCancellationRequested && latencies.Count < count)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync(new Uri($"/api/notes/{random.Next(1, notes + 1)}", UriKind.Relative), CancellationToken.None);
            await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            await Task.Delay(20, CancellationToken.None);
        }

        latencies.Sort();
        return latencies;
    }

    /// <summary>Ms from a PUT's answer until its note is indexed again (status polled every 5 ms), for 10 edits one at a time.</summary>
    private static async Task<List<double>> EditToIndexedAsync(HttpClient client, int notes)
    {
        var latencies = new List<double>();
        for (var id = 1; id <= Math.Min(10, notes); id++)
        {
            var note = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/notes/{id}", UriKind.Relative));
            using var put = new HttpRequestMessage(HttpMethod.Put, new Uri($"/api/notes/{id}", UriKind.Relative))
            {
                Content = JsonContent.Create(new { content = note.GetProperty("content").GetString() + "\n\nEdited: rotates log files daily." }),
            };
            put.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue($"\"{note.GetProperty("version").GetInt64()}\""));
            (await client.SendAsync(put)).EnsureSuccessStatusCode();
            var clock = Stopwatch.StartNew();
            Status status;
            do
            {
                await Task.Delay(5);
                status = (await client.GetFromJsonAsync<Status>("/api/index/status", JsonSerializerOptions.Web))!;
            }
            while (status.Indexed < status.Notes || status.QueueDepth > 0);

            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        latencies.Sort();
        return latencies;
    }

    private static async Task<(long Chunks, long Tokens)> ChunkTotalsAsync(string data)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "neptune.db")};Mode=ReadOnly;Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), sum(min(tokens, 254) + 2) FROM chunks";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Chunking, embedding and topics, relations and writes in ms, summed over the worker's batches.</summary>
    private static double[] Stages(IEnumerable<string> log)
    {
        var sums = new double[4];
        foreach (Match m in log.Select(l => StageLine().Match(l)).Where(m => m.Success))
        {
            for (var i = 0; i < sums.Length; i++)
            {
                sums[i] += double.Parse(m.Groups[i + 1].Value, CultureInfo.InvariantCulture);
            }
        }

        return sums;
    }

    /// <summary>The model settings a setting's environment gives `serve` (Neptune__Llm__Onnx__*), bound as serve binds them; 2 threads.</summary>
    private static MiniLmOptions ModelOptions(Dictionary<string, string> env)
    {
        var settings = new MiniLmOptions { Threads = 2 };
        new ConfigurationBuilder().AddInMemoryCollection(env.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)))
            .Build().GetSection(MiniLmOptions.Section).Bind(settings);
        return settings;
    }

    /// <summary>The pages chunked as the indexer chunks them, embedded in one call with the same model and threads.</summary>
    private static async Task<(double Seconds, double CpuSeconds, long Tokens)> BareEmbeddingAsync(string corpus, MiniLmOptions settings)
    {
        using var generator = new MiniLmEmbeddingGenerator(settings);
        var chunker = new NoteChunker(generator.CountTokens);
        var texts = File.ReadLines(corpus).Select(l => JsonDocument.Parse(l).RootElement)
            .SelectMany(p => chunker.Split(p.GetProperty("title").GetString()!, p.GetProperty("text").GetString()!).Select(c => c.Text)).ToList();
        await generator.GenerateAsync(texts.Take(8));
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = await generator.GenerateAsync(texts);
        return (clock.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, result.Usage?.InputTokenCount ?? 0);
    }


    [GeneratedRegex(@"Indexed (\d+) notes \(")]
    private static partial Regex BatchLine();

    [GeneratedRegex(@"chunking (\d+) ms, embedding and topics (\d+) ms, relations (\d+) ms, edges and writes (\d+) ms")]
    private static partial Regex StageLine();
}
