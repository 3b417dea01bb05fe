using System.Diagnostics;
using Neptune.Core;
using Neptune.Core.Evaluation;

namespace Neptune.Host.Evaluation;

/// <summary>The ids of the documents a retrieval returns for a text (a query, or a document id for related notes), best first.</summary>
public delegate Task<IReadOnlyList<string>> Retrieve(string input, int k, CancellationToken ct);

/// <summary>
/// One mode over the kept queries: @10 figures and latency from one pass at limit 10 (the API's default page), Recall@100
/// from a second pass at limit 100 (null when not asked for). Latency is the retrieval's wall time in this process;
/// <see cref="CpuP50Ms"/>/<see cref="CpuP95Ms"/> are the CPU time the whole process spent on each query (every thread:
/// the model's and the GC's too). On a machine shared with other work the wall time grows with everyone's load while
/// the CPU time hardly does, so the CPU figures stand for the latency an idle machine would show; where the model runs
/// two threads in parallel they are above it.
/// <see cref="Failed"/> queries (rejected by the query parser) count as finding nothing; <see cref="FirstError"/> says why.
/// </summary>
public sealed record ModeFigures(
    string Mode, int Queries, double Mrr10, double Ndcg10, double Recall1, double Recall10, double? Recall100, double P50Ms, double P95Ms,
    int Failed = 0, string? FirstError = null, double CpuP50Ms = 0, double CpuP95Ms = 0);

/// <summary>Recall@10 of the related documents over the kept rows, and the latency of one lookup.</summary>
public sealed record RelatedFigures(string Method, int Documents, double Recall10, double P50Ms, double P95Ms);

/// <summary>Scores retrievals with <see cref="RankingMetrics"/>: what `neptune eval` reports and the search benchmark tabulates.</summary>
public static class RetrievalEvaluation
{
    /// <summary>Queries run untimed first, so the timings show a warm process rather than first-call compilation.</summary>
    private const int WarmUp = 5;

    /// <param name="progress">Told how many queries are done, about every 30 s (a full run of a slow mode takes minutes).</param>
    public static async Task<ModeFigures> ScoreQueriesAsync(
        string mode, IReadOnlyList<EvalQuery> queries, Retrieve retrieve, bool recallAt100, CancellationToken ct, Action<int>? progress = null)
    {
        var running = Stopwatch.StartNew();
        var reported = TimeSpan.Zero;
        foreach (var q in queries.Take(WarmUp))
        {
            await TryRetrieveAsync(retrieve, q.Text, 10, ct);
        }

        double mrr = 0, ndcg = 0, recall1 = 0, recall10 = 0, recall100 = 0;
        var latencies = new List<double>(queries.Count);
        var cpu = new List<double>(queries.Count);
        var process = Process.GetCurrentProcess();
        var failed = 0;
        string? firstError = null;
        foreach (var q in queries)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var (ranked, error) = await TryRetrieveAsync(retrieve, q.Text, 10, ct);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
            if (error is not null)
            {
                failed++;
                firstError ??= $"{q.Id}: {error}";
            }

            mrr += RankingMetrics.ReciprocalRank(ranked, q.Relevant, 10);
            ndcg += RankingMetrics.Ndcg(ranked, q.Relevant, 10);
            recall1 += RankingMetrics.Recall(ranked, q.Relevant, 1);
            recall10 += RankingMetrics.Recall(ranked, q.Relevant, 10);
            if (recallAt100)
            {
                recall100 += RankingMetrics.Recall((await TryRetrieveAsync(retrieve, q.Text, 100, ct)).Ranked, q.Relevant, 100);
            }

            if (progress is not null && running.Elapsed - reported >= TimeSpan.FromSeconds(30))
            {
                reported = running.Elapsed;
                progress(latencies.Count);
            }
        }

        var n = Math.Max(1, queries.Count);
        return new ModeFigures(mode, queries.Count, mrr / n, ndcg / n, recall1 / n, recall10 / n, recallAt100 ? recall100 / n : null,
            Percentile(latencies, 50), Percentile(latencies, 95), failed, firstError, Percentile(cpu, 50), Percentile(cpu, 95));
    }

    /// <summary>Recall@10 of each row's related documents among the ten <paramref name="retrieve"/> returns for the row's document.</summary>
    public static async Task<RelatedFigures> ScoreRelatedAsync(string method, IReadOnlyList<RelatedDocuments> rows, Retrieve retrieve, CancellationToken ct)
    {
        foreach (var row in rows.Take(WarmUp))
        {
            await retrieve(row.Id, 10, ct);
        }

        var recall = 0.0;
        var latencies = new List<double>(rows.Count);
        foreach (var row in rows)
        {
            var clock = Stopwatch.StartNew();
            var found = await retrieve(row.Id, 10, ct);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            recall += RankingMetrics.Recall(found, row.Related, 10);
        }

        return new RelatedFigures(method, rows.Count, recall / Math.Max(1, rows.Count), Percentile(latencies, 50), Percentile(latencies, 95));
    }

    private static async Task<(IReadOnlyList<string> Ranked, string? Error)> TryRetrieveAsync(Retrieve retrieve, string text, int k, CancellationToken ct)
    {
        try
        {
            return (await retrieve(text, k, ct), null);
        }
        catch (NeptuneException e)
        {
            return ([], e.Message);
        }
    }

    private static double Percentile(List<double> values, double p) => values.Count == 0 ? 0 : RankingMetrics.Percentile(values, p);
}
