using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;

namespace Neptune.Bench;

/// <summary>
/// Issue 6's target "two indexer processes index ≥ 1.6× faster than one": man pages imported into server mode on
/// PostgreSQL (scripts/services.sh) with a backend process, timed until every note is indexed by one and by two
/// `neptune serve --role indexer` processes, side by side. Embedding either goes through one llm process (the issue's
/// deployment) or runs inside each indexer; every process runs ONNX Runtime on one thread, so a second indexer can
/// only help where there is a core for it.
/// </summary>
public static partial class IndexersSuite
{
    private sealed record Status(long Notes, long Indexed, long Failed, long QueueDepth, string Summary);

    private sealed record Setting(string Name, int Indexers, bool ThroughLlm, int Threads);

    private static readonly Setting[] Settings =
    [
        new("1 indexer → 1 llm (1 thread)", 1, true, 1),
        new("2 indexers → 1 llm (1 thread)", 2, true, 1),
        new("1 indexer, model in-process (1 thread)", 1, false, 1),
        new("2 indexers, model in-process (1 thread each)", 2, false, 1),
        new("1 indexer, model in-process (2 threads)", 1, false, 2),
    ];

    public static async Task RunAsync(bool smoke)
    {
        var repo = BenchKit.FindRepo();
        var culture = CultureInfo.InvariantCulture;
        var admin = Environment.GetEnvironmentVariable("Neptune__Database__ConnectionString");
        if (string.IsNullOrWhiteSpace(admin))
        {
            throw new InvalidOperationException("The indexers suite needs PostgreSQL: eval \"$(scripts/services.sh up)\" first (Neptune__Database__ConnectionString).");
        }

        var pages = smoke ? 6 : int.Parse(Environment.GetEnvironmentVariable("NEPTUNE_BENCH_PAGES") ?? "200", culture);
        var work = Path.Combine(Path.GetTempPath(), "neptune-bench-indexers-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        var corpus = Path.Combine(work, "pages.jsonl");
        await File.WriteAllLinesAsync(corpus, File.ReadLines(Path.Combine(BenchKit.ManPagesDir(repo), "corpus.jsonl")).Take(pages));
        var report = BenchKit.Header("Indexers benchmark: one against two indexer processes", smoke, repo, "`./bench.sh indexers`",
                $"load average at start {Machine.LoadAverage()}")
            .AppendLine(culture, $"- Data: the first {pages} pages of the man-page corpus, created one by one with `POST /api/notes` while the roles run (a fresh PostgreSQL database per setting); timed from the first create until every note is indexed")
            .AppendLine("- Processes: `neptune serve --role backend` (status), `--role indexer` × 1 or 2, and `--role llm` when embedding goes through it; `Neptune:Llm:Onnx:Threads` as given")
            .AppendLine()
            .AppendLine("| setting | result | import → all indexed | notes/s | vs the same with 1 indexer | notes per indexer | CPU-s: indexers / llm / backend | CPU use (of 2 cores) |")
            .AppendLine("|---|---|---|---|---|---|---|---|");
        var baseline = new Dictionary<(bool, int), double>();
        foreach (var setting in Settings)
        {
            var run = await RunAsync(admin, work, corpus, pages, setting);
            var rate = pages / run.Seconds;
            var ratio = setting.Indexers == 1 ? "—" : baseline.TryGetValue((setting.ThroughLlm, setting.Threads), out var one) ? $"{rate / one:F2}×" : "?";
            if (setting.Indexers == 1)
            {
                baseline[(setting.ThroughLlm, setting.Threads)] = rate;
            }

            var cpu = run.IndexerCpu + run.LlmCpu + run.BackendCpu;
            report.AppendLine(culture,
                $"| {setting.Name} | {run.Summary} | {run.Seconds:F1} s | {rate:F2} | {ratio} | {string.Join(" + ", run.NotesPerIndexer)} | {run.IndexerCpu:F1} / {run.LlmCpu:F1} / {run.BackendCpu:F1} | {cpu / run.Seconds / Environment.ProcessorCount:P0} |");
        }

        report.AppendLine().AppendLine(culture, $"Load average at the end: {Machine.LoadAverage()}. Notes per indexer are summed from each indexer's debug log (notes in the batches it indexed).").AppendLine();
        Directory.Delete(work, recursive: true);
        await BenchKit.WriteReportAsync(repo, "indexers", smoke, report.ToString());
    }

    private sealed record Run(string Summary, double Seconds, double IndexerCpu, double LlmCpu, double BackendCpu, List<long> NotesPerIndexer);

    private static async Task<Run> RunAsync(string admin, string work, string corpus, int pages, Setting setting)
    {
        var database = $"neptune_bench_{Guid.NewGuid():N}";
        await AdminAsync(admin, $"CREATE DATABASE {database}");
        var processes = new List<(string Role, Process Process, ConcurrentQueue<string> Log)>();
        try
        {
            var env = new Dictionary<string, string>
            {
                ["Neptune__Database__Provider"] = "postgres",
                ["Neptune__Database__ConnectionString"] = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString,
                ["Neptune__Auth__ServiceToken"] = "bench-service-token-" + Guid.NewGuid().ToString("N"),
                ["Neptune__Llm__Onnx__Threads"] = setting.Threads.ToString(CultureInfo.InvariantCulture),
                ["Neptune__RateLimit__Burst"] = "100000",
                ["Logging__LogLevel__Neptune.Indexer.Pipeline"] = "Debug",
            };
            var data = Path.Combine(work, database);
            await CliAsync(env, data, "migrate");
            await CliAsync(env, data, "users", "add", "bench");
            var token = (await CliAsync(env, data, "tokens", "create", "--user", "bench", "--name", "bench")).Trim();

            var roleEnv = new Dictionary<string, string>(env);
            if (setting.ThroughLlm)
            {
                var llmPort = await StartAsync("llm", env, data, processes);
                roleEnv["Neptune__Services__Llm"] = $"http://127.0.0.1:{llmPort}";
                await WaitForModelAsync(llmPort);
            }

            var backendPort = await StartAsync("backend", roleEnv, data, processes);
            if (!setting.ThroughLlm)
            {
                await WaitForModelAsync(backendPort);  // it embeds search queries itself then: not while indexing is timed
            }

            for (var i = 0; i < setting.Indexers; i++)
            {
                var indexerPort = await StartAsync("indexer", roleEnv, data, processes);
                if (!setting.ThroughLlm)
                {
                    await WaitForModelAsync(indexerPort);
                }
            }

            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{backendPort}"), Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var cpuBefore = processes.Select(p => Cpu(p.Process)).ToList();
            var clock = Stopwatch.StartNew();
            foreach (var line in File.ReadLines(corpus))
            {
                var page = JsonDocument.Parse(line).RootElement;
                using var created = await client.PostAsJsonAsync("/api/notes", new { title = page.GetProperty("title").GetString(), content = page.GetProperty("text").GetString() });
                created.EnsureSuccessStatusCode();
            }

            Status status;
            do
            {
                await Task.Delay(100);
                status = (await client.GetFromJsonAsync<Status>("/api/index/status", JsonSerializerOptions.Web))!;
            }
            while (status.Indexed + status.Failed < pages || status.QueueDepth > 0);

            var seconds = clock.Elapsed.TotalSeconds;
            var cpu = processes.Select((p, i) => (p.Role, Seconds: Cpu(p.Process) - cpuBefore[i])).ToList();
            var perIndexer = processes.Where(p => p.Role == "indexer").Select(p => p.Log.Select(l => IndexedLine().Match(l)).Where(m => m.Success)
                .Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))).ToList();
            return new Run(status.Summary, seconds, cpu.Where(c => c.Role == "indexer").Sum(c => c.Seconds), cpu.Where(c => c.Role == "llm").Sum(c => c.Seconds),
                cpu.Where(c => c.Role == "backend").Sum(c => c.Seconds), perIndexer);
        }
        finally
        {
            foreach (var (_, process, _) in processes)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                process.Dispose();
            }

            await AdminAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    /// <summary>`neptune serve --role R` on a free port, ready; its output is kept (the indexer's debug lines count its notes).</summary>
    private static async Task<int> StartAsync(string role, Dictionary<string, string> env, string data,
        List<(string Role, Process Process, ConcurrentQueue<string> Log)> processes)
    {
        var port = BenchKit.FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "neptune.dll");
        var info = new ProcessStartInfo("dotnet", [dll, "serve", "--role", role, "--port", port.ToString(CultureInfo.InvariantCulture), "--data", Path.Combine(data, $"{role}-{processes.Count}")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }

        var log = new ConcurrentQueue<string>();
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        processes.Add((role, process, log));
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        await BenchKit.WaitReadyAsync(client, Stopwatch.StartNew(), TimeSpan.FromMinutes(2));
        return port;
    }

    /// <summary>Waits until the process's embedded model is loaded, so loading it is not timed as indexing.</summary>
    private static async Task WaitForModelAsync(int port)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        while (!(await client.GetStringAsync(new Uri("/ready", UriKind.Relative))).Contains("embedding model loaded", StringComparison.Ordinal))
        {
            await Task.Delay(50);
        }
    }

    private static double Cpu(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime.TotalSeconds;
    }

    private static async Task<string> CliAsync(Dictionary<string, string> env, string data, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "neptune.dll"), .. args, "--data", data])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"neptune {string.Join(' ', args)} failed: {await error}");
    }

    private static async Task AdminAsync(string admin, string sql)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [GeneratedRegex(@"Indexed (\d+) notes \(")]
    private static partial Regex IndexedLine();
}
