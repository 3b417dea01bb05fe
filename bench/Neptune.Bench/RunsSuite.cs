using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Neptune.Core.Markdown;
using Neptune.Core.Topics;
using Neptune.Indexer.Pipeline;
using Neptune.Llm.Onnx;

namespace Neptune.Bench;

/// <summary>
/// What one ONNX Runtime run of the embedded model costs by its shape (inputs × word pieces), with the session options
/// the app uses, and how many padded tokens the generator's run plan leaves in the indexer's calls: the two figures
/// <see cref="MiniLmEmbeddingGenerator.PlanRuns"/> trades against each other.
/// </summary>
public static class RunsSuite
{
    public static async Task RunAsync(bool smoke)
    {
        var repo = BenchKit.FindRepo();
        var culture = CultureInfo.InvariantCulture;
        var report = BenchKit.Header("ONNX run cost and padding", smoke, repo, "`./bench.sh runs`", $"load average at start {Machine.LoadAverage()}").AppendLine();

        int[] lengths = smoke ? [4, 64] : [4, 8, 32, 128, 256];
        int[] batches = smoke ? [1, 4] : [1, 4, 16, 64, 256];
        var settings = new MiniLmOptions { Threads = 2 };
        report.AppendLine("## One run by shape").AppendLine()
            .AppendLine(culture, $"{settings.Model}, one run at a time on {settings.ThreadsPerRun} intra-op thread(s) that sleep between operators (the app's settings for a run); median of repeated runs of the same shape, after a warm-up.").AppendLine()
            .AppendLine("| word pieces per input | inputs | padded tokens | ms per run (median) | µs per token |").AppendLine("|---|---|---|---|---|");
        var (modelPath, _) = MiniLmEmbeddingGenerator.UnpackModel(settings.CacheDir, settings.Model);
        using (var options = MiniLmEmbeddingGenerator.SessionOptionsFor(settings))
        using (var session = new InferenceSession(modelPath, options))
        {
            for (var warm = 0; warm < 10; warm++)
            {
                Run(session, 4, 128);
            }

            foreach (var length in lengths)
            {
                foreach (var batch in batches.Where(b => b * length <= 4096))
                {
                    var times = Enumerable.Range(0, smoke ? 3 : Math.Clamp(20_000 / (batch * length), 5, 200)).Select(_ => Run(session, batch, length)).Order().ToList();
                    var median = times[times.Count / 2];
                    report.AppendLine(culture, $"| {length} | {batch} | {batch * length:N0} | {median:F2} | {median * 1000 / (batch * length):F1} |");
                }
            }
        }

        report.AppendLine().AppendLine(PaddingSection(repo, smoke ? 20 : 200, culture));
        await BenchKit.WriteReportAsync(repo, "runs", smoke, report.ToString());
    }

    /// <summary>
    /// The first pages chunked as the indexer chunks them, in calls of 16 notes (its default batch), and 12 keyphrase
    /// candidates a note (its shortlist): padded tokens and runs with one fixed batch size against the cost-based plan.
    /// </summary>
    private static string PaddingSection(string repo, int pages, CultureInfo culture)
    {
        using var counter = new MiniLmEmbeddingGenerator(new MiniLmOptions { Threads = 1 });
        var options = new MiniLmOptions();
        var budget = options.MaxBatch * options.MaxTokens;
        var chunker = new NoteChunker(counter.CountTokens);
        var notes = File.ReadLines(Path.Combine(BenchKit.ManPagesDir(repo), "corpus.jsonl")).Take(pages).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(p => (Title: p.GetProperty("title").GetString()!, Text: p.GetProperty("text").GetString()!)).ToList();
        var chunkCalls = notes.Chunk(16).Select(call => call.SelectMany(n => chunker.Split(n.Title, n.Text)).Select(c => Math.Min(c.Tokens, options.MaxTokens - 2) + 2)).ToList();
        var phraseCalls = notes.Chunk(16).Select(call => call.SelectMany(n => Keyphrases.Candidates(n.Title, NoteProse.Segments(n.Text), 12)).Select(c => counter.CountTokens(c.Text) + 2)).ToList();
        var table = new StringBuilder()
            .AppendLine(culture, $"## Padding in the indexer's calls ({pages} pages, 16 notes a call)").AppendLine()
            .AppendLine(culture, $"Runs hold at most {budget:N0} padded tokens (MaxBatch {options.MaxBatch} × {options.MaxTokens}). Fixed: {options.MaxBatch} inputs a run in length order, more while the padded run stays within that (the earlier plan). Planned: `PlanRuns`, least padding plus {MiniLmEmbeddingGenerator.RunCostInTokens} tokens a run.").AppendLine()
            .AppendLine("| inputs | tokens | fixed: runs | fixed: padded tokens | planned: runs | planned: padded tokens |").AppendLine("|---|---|---|---|---|---|");
        foreach (var (name, calls) in new[] { ("chunks", chunkCalls), ("keyphrase candidates", phraseCalls) })
        {
            var (fixedRuns, fixedPadded, plannedRuns, plannedPadded, tokens) = (0, 0L, 0, 0L, 0L);
            foreach (var call in calls)
            {
                var sorted = call.Order().ToArray();
                tokens += sorted.Sum();
                var fixedPlan = FixedPlan(sorted, options.MaxBatch, budget);
                var planned = MiniLmEmbeddingGenerator.PlanRuns(sorted, budget);
                (fixedRuns, fixedPadded) = (fixedRuns + fixedPlan.Count, fixedPadded + Padded(sorted, fixedPlan));
                (plannedRuns, plannedPadded) = (plannedRuns + planned.Count, plannedPadded + Padded(sorted, planned));
            }

            table.AppendLine(culture, $"| {name} | {tokens:N0} | {fixedRuns:N0} | {fixedPadded:N0} (+{(fixedPadded - tokens) / (double)tokens:P1}) | {plannedRuns:N0} | {plannedPadded:N0} (+{(plannedPadded - tokens) / (double)tokens:P1}) |");
        }

        return table.ToString();
    }

    private static long Padded(int[] sorted, List<Range> runs) => runs.Sum(r => (long)(r.End.Value - r.Start.Value) * sorted[r.End.Value - 1]);

    private static List<Range> FixedPlan(int[] sorted, int maxBatch, int budget)
    {
        var runs = new List<Range>();
        for (var start = 0; start < sorted.Length;)
        {
            var count = Math.Min(maxBatch, sorted.Length - start);
            while (start + count < sorted.Length && (count + 1) * sorted[start + count] <= budget)
            {
                count++;
            }

            runs.Add(start..(start + count));
            start += count;
        }

        return runs;
    }

    /// <summary>One run of <paramref name="batch"/> inputs of <paramref name="length"/> word pieces; ms.</summary>
    private static double Run(InferenceSession session, int batch, int length)
    {
        var ids = new long[batch * length];
        var mask = new long[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            (ids[i], mask[i]) = (1000 + i % 20_000, 1);
        }

        long[] shape = [batch, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape);
        var feeds = new Dictionary<string, OrtValue> { ["input_ids"] = idsValue, ["attention_mask"] = maskValue };
        if (session.InputMetadata.ContainsKey("token_type_ids"))
        {
            feeds["token_type_ids"] = typesValue;
        }

        using var run = new RunOptions();
        var clock = Stopwatch.StartNew();
        using var outputs = session.Run(run, feeds, [session.OutputNames[0]]);
        return clock.Elapsed.TotalMilliseconds;
    }
}
