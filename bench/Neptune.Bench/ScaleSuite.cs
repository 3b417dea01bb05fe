using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Api.Search;
using Neptune.Core.Search;
using Neptune.Data;
using Neptune.Data.Sqlite;
using Neptune.Data.Transfer;
using Neptune.Host.Evaluation;
using Neptune.Llm.Models;

namespace Neptune.Bench;

/// <summary>
/// Desktop mode at 10k and 100k notes (issue 4: hybrid p95 ≤ 50 ms at 100k synthetic notes; issue 7: hybrid p95 while
/// the indexer is busy, RSS and start → ready at 100k). The notes are built from the indexed man-page sample: each
/// note is 1–3 real chunks of man-page text, imported through the real importer (so full text, names and tags are
/// what an import makes), and each chunk gets its base chunk's MiniLM vector perturbed (as the vectors suite makes
/// them), written straight into the index tables with the note marked indexed by the real model. Embedding 100k
/// notes for real would take this machine about ten hours; topics and graph edges are not built.
/// </summary>
public static class ScaleSuite
{
    private sealed record BaseChunk(string Title, string Text, float[] Vector);

    private sealed record Latency(string Label, List<double> Wall, List<double> Cpu);

    public static async Task RunAsync(bool smoke, IReadOnlyList<int> sizes)
    {
        var repo = BenchKit.FindRepo();
        var culture = CultureInfo.InvariantCulture;
        var loadAtStart = Machine.LoadAverage();
        var dll = Path.Combine(AppContext.BaseDirectory, "neptune.dll");
        List<BaseChunk> bases;
        string built;
        List<string> queries;
        await using (var subset = await ManPageSubset.OpenAsync(repo, smoke ? 40 : 500))
        {
            bases = await ReadChunksAsync(Path.Combine(subset.DataDir, "neptune.db"));
            built = subset.Built.Split(',')[0];
            queries = [.. EvalFiles.ReadQueries(Path.Combine(BenchKit.ManPagesDir(repo), "queries-dev.jsonl")).Select(q => q.Text).Take(smoke ? 20 : 300)];
        }

        var report = BenchKit.Header("Desktop at scale", smoke, repo, "`./bench.sh scale`");
        report.AppendLine(culture, $"- Notes: 1–3 chunks each (uniform), the text of real man-page chunks ({bases.Count:N0} chunks of {built}) imported with the real importer")
            .AppendLine("- Vectors: each chunk's = unit(base + 0.35 × another base + N(0, 0.02²)), written into the index tables, the note marked indexed by the active model. No topics or graph edges.")
            .AppendLine(culture, $"- Queries: {queries.Count} dev queries (5–10 word sentences), one at a time, every query embedded by the model; 20 warm-up queries first")
            .AppendLine();
        var table = new StringBuilder("| notes | chunks | mode | in-process p50 / p95 ms | CPU p50 / p95 ms | target |\n|---|---|---|---|---|---|\n");
        var served = new StringBuilder("| notes | measure | value | target |\n|---|---|---|---|\n");
        var p95 = new Dictionary<string, List<(int Notes, double Ms)>>();
        void Point(string series, int notes, double ms)
        {
            p95.TryAdd(series, []);
            p95[series].Add((notes, ms));
        }

        foreach (var notes in sizes.Count > 0 ? sizes : smoke ? [1000] : new[] { 10_000, 100_000 })
        {
            var dir = Path.Combine(Path.GetTempPath(), $"neptune-bench-scale-{Guid.NewGuid():N}"[..38]);
            try
            {
                var clock = Stopwatch.StartNew();
                var chunks = await BuildStoreAsync(dir, bases, notes, seed: notes);
                Console.Error.WriteLine($"bench: {notes:N0} notes, {chunks:N0} chunks built in {clock.Elapsed.TotalSeconds:F0} s");
                foreach (var latency in await InProcessAsync(dir, queries))
                {
                    var target = latency.Label == "hybrid" ? notes >= 100_000 ? "p95 ≤ 50 ms" : "" : "";
                    Point($"{latency.Label}, in-process", notes, P(latency.Wall, 95));
                    table.AppendLine(culture, $"| {notes:N0} | {chunks:N0} | {latency.Label} | {P(latency.Wall, 50):F1} / {P(latency.Wall, 95):F1} | {P(latency.Cpu, 50):F1} / {P(latency.Cpu, 95):F1} | {target} |");
                }

                var (idle, busy) = await ServeAsync(dll, dir, notes, queries, served);
                Point("hybrid over HTTP, idle indexer", notes, idle);
                Point("hybrid over HTTP, indexer busy", notes, busy);
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(dir, recursive: true);
            }
        }

        report.AppendLine("## Search in-process").AppendLine()
            .AppendLine("`SearchEngine.SearchAsync` (the code behind GET /api/search) at limit 10 over a freshly opened store, after the vector index is loaded. "
                + "CPU is the whole process's CPU time per query (the model's threads included): a shared machine inflates the wall time with other people's load, hardly the CPU time.").AppendLine()
            .Append(table).AppendLine()
            .AppendLine("## `neptune serve` over the same store").AppendLine()
            .AppendLine("Ready = process start → first 200 from /ready. The first hybrid query loads the vector index. \"While indexing\" runs after `POST /api/index/rebuild`, "
                + "which queues every note for re-embedding: the indexer works through them for the whole measurement.").AppendLine()
            .Append(served).AppendLine()
            .AppendLine(PlotP95(repo, smoke, p95)).AppendLine()
            .AppendLine(culture, $"Load average (1/5/15 min) at the start: {loadAtStart}; at the end: {Machine.LoadAverage()} — on 2 shared cores, wall times scale with it.").AppendLine();
        await BenchKit.WriteReportAsync(repo, "scale", smoke, report.ToString());
    }

    /// <summary>The plot of search p95 against notes, one line per series ("hybrid, in-process", …).</summary>
    public static string PlotP95(string repo, bool smoke, Dictionary<string, List<(int Notes, double Ms)>> p95, string? date = null) =>
        BenchKit.Plot(repo, "scale", smoke, "p95", "Search p95 (wall) against notes", "log10 notes", "p95 ms",
            p95.Select(s => new PlotSeries(s.Key, [.. s.Value.Select(v => Math.Log10(v.Notes))], [.. s.Value.Select(v => v.Ms)])), date);

    private static double P(List<double> values, double p) => Machine.Percentile([.. values.Order()], p);

    /// <summary>Each indexed chunk's text (its slice of the note) and vector, with its note's title.</summary>
    private static async Task<List<BaseChunk>> ReadChunksAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT n.title, substr(n.content, c.start + 1, c."end" - c.start), e.vector
            FROM chunks c JOIN notes n ON n.id = c.note_id JOIN embeddings e ON e.chunk_id = c.id
            ORDER BY c.id
            """;
        await using var reader = await command.ExecuteReaderAsync();
        var chunks = new List<BaseChunk>();
        while (await reader.ReadAsync())
        {
            var text = reader.GetString(1).Trim();
            if (text.Length > 0)
            {
                chunks.Add(new BaseChunk(reader.GetString(0), text, MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(2)).ToArray()));
            }
        }

        return chunks;
    }

    /// <summary>Imports <paramref name="notes"/> synthetic notes and writes their chunks, vectors and index state; returns the chunk count.</summary>
    private static async Task<int> BuildStoreAsync(string dir, List<BaseChunk> bases, int notes, int seed)
    {
        var random = new Random(seed);
        var picks = new List<int[]>(notes);
        var corpus = Path.Combine(Path.GetTempPath(), $"neptune-bench-scale-{Guid.NewGuid():N}.jsonl");
        await using (var writer = new StreamWriter(corpus))
        {
            for (var i = 0; i < notes; i++)
            {
                var pick = Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(bases.Count)).ToArray();
                picks.Add(pick);
                var text = string.Join("\n\n", pick.Select(b => bases[b].Text));
                await writer.WriteLineAsync(JsonSerializer.Serialize(new { id = $"s{i}", title = $"{bases[pick[0]].Title} {i}", text }));
            }
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Neptune:DataDir"] = dir }).Build();
        await using (var services = CorpusIndex.BuildServices(configuration))
        {
            await services.GetRequiredService<IDatabase>().MigrateAsync(CancellationToken.None);
            await services.GetRequiredService<ModelRegistry>().EnsureActiveAsync(CancellationToken.None);
            await services.GetRequiredService<Importer>().ImportAsync(corpus, null, CancellationToken.None);
        }

        File.Delete(corpus);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dir, "neptune.db")}");
        await connection.OpenAsync();
        await using var tx = connection.BeginTransaction();
        long modelId;
        await using (var model = connection.CreateCommand())
        {
            model.CommandText = "SELECT id FROM models WHERE active = 1";
            modelId = (long)(await model.ExecuteScalarAsync())!;
        }

        var contents = new Dictionary<int, (long Id, long Version, string Content)>(notes);
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT id, version, content, source_id FROM notes WHERE source_id IS NOT NULL";
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                contents[int.Parse(reader.GetString(3).AsSpan(1), CultureInfo.InvariantCulture)] = (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2));
            }
        }

        await using var chunk = connection.CreateCommand();
        chunk.CommandText = """INSERT INTO chunks (id, note_id, ordinal, start, "end", tokens) VALUES ($id, $note, $ordinal, $start, $end, $tokens)""";
        var (chunkId, chunkNote, ordinal, start, end, tokens) = (chunk.Parameters.Add("$id", SqliteType.Integer), chunk.Parameters.Add("$note", SqliteType.Integer),
            chunk.Parameters.Add("$ordinal", SqliteType.Integer), chunk.Parameters.Add("$start", SqliteType.Integer), chunk.Parameters.Add("$end", SqliteType.Integer),
            chunk.Parameters.Add("$tokens", SqliteType.Integer));
        await using var embedding = connection.CreateCommand();
        embedding.CommandText = "INSERT INTO embeddings (chunk_id, model_id, vector) VALUES ($chunk, $model, $vector)";
        var (embeddingChunk, blob) = (embedding.Parameters.Add("$chunk", SqliteType.Integer), embedding.Parameters.Add("$vector", SqliteType.Blob));
        embedding.Parameters.AddWithValue("$model", modelId);
        await using var state = connection.CreateCommand();
        state.CommandText = "INSERT OR REPLACE INTO note_index (note_id, state, model_id, version, updated_at) VALUES ($note, 'indexed', $model, $version, 0)";
        var (stateNote, stateVersion) = (state.Parameters.Add("$note", SqliteType.Integer), state.Parameters.Add("$version", SqliteType.Integer));
        state.Parameters.AddWithValue("$model", modelId);

        var id = 0;
        foreach (var (i, note) in contents)
        {
            var at = 0;
            for (var j = 0; j < picks[i].Length; j++)
            {
                var b = bases[picks[i][j]];
                var found = note.Content.IndexOf(b.Text, at, StringComparison.Ordinal);
                var (from, to) = found >= 0 ? (found, found + b.Text.Length) : (at, note.Content.Length);
                at = to;
                (chunkId.Value, chunkNote.Value, ordinal.Value, start.Value, end.Value, tokens.Value) = (++id, note.Id, j, from, to, Math.Max(1, (to - from) / 4));
                await chunk.ExecuteNonQueryAsync();
                (embeddingChunk.Value, blob.Value) = (id, SqliteVectorIndexProvider.ToBlob(VectorSuite.Perturb(b.Vector, bases[random.Next(bases.Count)].Vector, random)));
                await embedding.ExecuteNonQueryAsync();
            }

            (stateNote.Value, stateVersion.Value) = (note.Id, note.Version);
            await state.ExecuteNonQueryAsync();
        }

        await using (var jobs = connection.CreateCommand())
        {
            // Every note is indexed now: the import's queued jobs would only redo it.
            jobs.CommandText = "DELETE FROM jobs";
            await jobs.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
        return id;
    }

    private static async Task<List<Latency>> InProcessAsync(string dir, List<string> queries)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Neptune:DataDir"] = dir }).Build();
        await using var services = CorpusIndex.BuildServices(configuration);
        await services.GetRequiredService<ModelRegistry>().EnsureActiveAsync(CancellationToken.None);
        var search = services.GetRequiredService<SearchEngine>();
        var results = new List<Latency>();
        foreach (var mode in new[] { SearchMode.Fts, SearchMode.Semantic, SearchMode.Hybrid })
        {
            foreach (var q in queries.Take(20))
            {
                await search.SearchAsync(UserId.Local, new SearchQuery(q, mode, 10), CancellationToken.None);
            }

            var (wall, cpu) = (new List<double>(), new List<double>());
            using var process = Process.GetCurrentProcess();
            foreach (var q in queries)
            {
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                var outcome = await search.SearchAsync(UserId.Local, new SearchQuery(q, mode, 10), CancellationToken.None);
                wall.Add(clock.Elapsed.TotalMilliseconds);
                process.Refresh();
                cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
                if (outcome.Degraded is { } reason)
                {
                    throw new InvalidOperationException($"{mode} search fell back: {reason}");
                }
            }

            results.Add(new Latency(mode.ToString().ToLowerInvariant(), wall, cpu));
        }

        return results;
    }

    /// <summary>Serve figures into <paramref name="table"/>; returns the hybrid p95 over HTTP with the indexer idle and busy.</summary>
    private static async Task<(double IdleP95, double BusyP95)> ServeAsync(string dll, string dir, int notes, List<string> queries, StringBuilder table)
    {
        var culture = CultureInfo.InvariantCulture;
        var port = BenchKit.FreePort();
        var started = Stopwatch.StartNew();
        using var serve = BenchKit.StartServe(dll, "--port", port.ToString(culture), "--data", dir);
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(120) };
        try
        {
            await BenchKit.WaitReadyAsync(client, started, TimeSpan.FromMinutes(2));
            var ready = started.Elapsed.TotalSeconds;
            // Desktop is ready before the model has loaded (full text works without it); hybrid needs it.
            while (!(await client.GetStringAsync(new Uri("/ready", UriKind.Relative))).Contains("embedding model loaded", StringComparison.Ordinal))
            {
                await Task.Delay(50);
            }

            var first = Stopwatch.StartNew();
            await GetSearchAsync(client, queries[0]);
            var firstMs = first.Elapsed.TotalMilliseconds;
            foreach (var q in queries.Take(20))
            {
                await GetSearchAsync(client, q);
            }

            var idle = new List<double>();
            foreach (var q in queries)
            {
                idle.Add(await GetSearchAsync(client, q));
            }

            var rssIdle = Machine.RssBytes(serve.Id);
            using (var rebuild = await client.PostAsync(new Uri("/api/index/rebuild", UriKind.Relative), null))
            {
                rebuild.EnsureSuccessStatusCode();
            }

            await Task.Delay(TimeSpan.FromSeconds(3));
            var busy = new List<double>();
            foreach (var q in queries)
            {
                busy.Add(await GetSearchAsync(client, q));
            }

            var status = await client.GetFromJsonAsync<JsonElement>("/api/index/status", JsonSerializerOptions.Web);
            var rssBusy = Machine.RssBytes(serve.Id);
            var big = notes >= 100_000;
            table.AppendLine(culture, $"| {notes:N0} | process start → ready | {ready:F2} s | {(big ? "≤ 3 s" : "")} |")
                .AppendLine(culture, $"| {notes:N0} | first hybrid query after ready (loads the vector index) | {firstMs:F0} ms | |")
                .AppendLine(culture, $"| {notes:N0} | GET /api/search?mode=hybrid, p50 / p95 ({idle.Count} queries, idle indexer) | {P(idle, 50):F1} / {P(idle, 95):F1} ms | {(big ? "p95 ≤ 50 ms" : "")} |")
                .AppendLine(culture, $"| {notes:N0} | the same while the indexer re-embeds (queue at the end: {status.GetProperty("queueDepth").GetInt64():N0}) | {P(busy, 50):F1} / {P(busy, 95):F1} ms | {(big ? "p95 ≤ 50 ms" : "")} |")
                .AppendLine(culture, $"| {notes:N0} | RSS after the idle queries / while indexing | {rssIdle / 1e6:F0} / {rssBusy / 1e6:F0} MB | {(big ? "≤ 600 MB" : "")} |");
            return (P(idle, 95), P(busy, 95));
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }
    }

    private static async Task<double> GetSearchAsync(HttpClient client, string query)
    {
        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync(new Uri($"/api/search?q={Uri.EscapeDataString(query)}&mode=hybrid&limit=10", UriKind.Relative));
        var body = await response.Content.ReadAsByteArrayAsync();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        response.EnsureSuccessStatusCode();
        using var answer = JsonDocument.Parse(body);
        return answer.RootElement.TryGetProperty("degraded", out var degraded) && degraded.ValueKind == JsonValueKind.String
            ? throw new InvalidOperationException($"hybrid search fell back: {degraded.GetString()}")
            : elapsed;
    }
}
