using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Neptune.Api.Graph;
using Neptune.Api.Search;
using Neptune.Core.Search;
using Neptune.Data;
using Neptune.Host.Evaluation;
using Neptune.Llm.Contract;

namespace Neptune.Bench;

/// <summary>
/// Search quality per mode on a man-page sample (MRR@10, nDCG@10, Recall@1/10 on the dev known-item queries), the
/// fusion and aggregation settings tried, query latency per mode, and related-notes recall. Target (issue 4): hybrid
/// MRR@10 ≥ 1.10 × the better of fts and semantic; hybrid p95 ≤ 25 ms including the query embedding.
/// </summary>
public static class SearchSuite
{
    public static async Task RunAsync(bool smoke)
    {
        var repo = BenchKit.FindRepo();
        var culture = CultureInfo.InvariantCulture;
        var loadAtStart = Machine.LoadAverage();
        var pages = smoke ? 40 : int.Parse(Environment.GetEnvironmentVariable("NEPTUNE_BENCH_PAGES") ?? "500", culture);
        await using var subset = await ManPageSubset.OpenAsync(repo, pages);
        var queries = smoke ? [.. subset.Queries.Take(20)] : subset.Queries;
        var services = subset.Services;
        var cached = new CachedEmbeddings(services.GetRequiredService<ILlmService>());
        var graph = services.GetRequiredService<GraphRetrieval>();
        var shipped = services.GetRequiredService<IOptions<SearchOptions>>().Value;
        SearchEngine Engine(SearchOptions settings, ILlmService llm) =>
            ActivatorUtilities.CreateInstance<SearchEngine>(services, Options.Create(settings), llm);

        var report = new StringBuilder();
        report.Append(BenchKit.Header("Search benchmark", smoke, repo, "`./bench.sh search` (sample size: NEPTUNE_BENCH_PAGES, default 500)"))
            .AppendLine(culture, $"- Data: {subset.Built}; {queries.Count} dev queries whose relevant page is in the sample")
            .AppendLine("- Results come from `SearchEngine` in-process (the code behind GET /api/search), limit 10. Query vectors are embedded once and cached for the quality rows; the latency table embeds every query.")
            .AppendLine();

        report.AppendLine("## Quality on the dev queries").AppendLine()
            .AppendLine("| mode | settings | MRR@10 | nDCG@10 | Recall@1 | Recall@10 |").AppendLine("|---|---|---|---|---|---|");
        var variants = new List<(SearchMode Mode, string Label, SearchOptions Settings)>
        {
            (SearchMode.Fts, "shipped full-text settings", With(shipped, _ => { })),
            (SearchMode.Semantic, "best chunk", With(shipped, s => s.LeadChunkBonus = 0)),
        };
        if (!smoke)
        {
            variants.Add((SearchMode.Semantic, "best chunk + 0.02 per extra matching chunk", With(shipped, s => (s.LeadChunkBonus, s.ExtraChunkBonus) = (0, 0.02))));
            variants.Add((SearchMode.Semantic, "best chunk, first chunk + 0.06", With(shipped, s => s.LeadChunkBonus = 0.06)));
            foreach (var k in new[] { 60.0, 20, 5 })
            {
                variants.Add((SearchMode.Hybrid, $"RRF k={k}", With(shipped, s => (s.Fusion, s.RrfK, s.SemanticWeight) = ("rrf", k, 1))));
            }

            variants.Add((SearchMode.Hybrid, "RRF k=60, no first-chunk bonus", With(shipped, s => (s.Fusion, s.RrfK, s.SemanticWeight, s.LeadChunkBonus) = ("rrf", 60, 1, 0))));
            foreach (var alpha in new[] { 0.4, 0.5, 0.7 })
            {
                variants.Add((SearchMode.Hybrid, $"convex α={alpha}", With(shipped, s => (s.Fusion, s.ConvexAlpha) = ("convex", alpha))));
            }

            variants.Add((SearchMode.Hybrid, "convex α=0.5, no first-chunk bonus", With(shipped, s => (s.Fusion, s.ConvexAlpha, s.LeadChunkBonus) = ("convex", 0.5, 0))));
        }

        variants.Add((SearchMode.Semantic, $"shipped: best chunk, first chunk + {shipped.LeadChunkBonus}", With(shipped, _ => { })));
        variants.Add((SearchMode.Hybrid, $"shipped: {(shipped.Fusion == "convex" ? $"convex α={shipped.ConvexAlpha}" : $"RRF k={shipped.RrfK}")}, depth {shipped.FusionDepth}", With(shipped, _ => { })));
        var quality = new Dictionary<SearchMode, double>();
        var plainSemantic = 0.0;
        foreach (var (mode, label, settings) in variants)
        {
            var retrieve = new Retrievers(Engine(settings, cached), graph, services.GetRequiredService<RelatedNotes>(), subset.NoteIds).ForMode(mode.Name());
            var m = await RetrievalEvaluation.ScoreQueriesAsync(mode.Name(), queries, retrieve, recallAt100: false, CancellationToken.None);
            report.AppendLine(culture, $"| {mode.Name()} | {label} | {m.Mrr10:F3} | {m.Ndcg10:F3} | {m.Recall1:F3} | {m.Recall10:F3} |");
            if (label.StartsWith("shipped", StringComparison.Ordinal))
            {
                quality[mode] = m.Mrr10;
            }

            plainSemantic = label == "best chunk" ? m.Mrr10 : plainSemantic;
        }

        report.AppendLine().AppendLine("Settings not named are the shipped ones (`Neptune:Search:*`); full-text ranking is the same in every row.").AppendLine();
        var better = Math.Max(quality[SearchMode.Fts], quality[SearchMode.Semantic]);
        report.AppendLine(culture, $"Shipped hybrid / better shipped single mode = {quality[SearchMode.Hybrid]:F3} / {better:F3} = **{quality[SearchMode.Hybrid] / better:F3}×** (target ≥ 1.10×); "
            + $"against semantic without the first-chunk bonus: {quality[SearchMode.Hybrid] / Math.Max(quality[SearchMode.Fts], plainSemantic):F3}×.").AppendLine();

        report.AppendLine("## Latency per mode (shipped settings, every query embedded)").AppendLine()
            .AppendLine("| mode | queries | p50 ms | p95 ms | p99 ms |").AppendLine("|---|---|---|---|---|");
        var live = Engine(shipped, services.GetRequiredService<ILlmService>());
        foreach (var mode in new[] { SearchMode.Fts, SearchMode.Semantic, SearchMode.Hybrid, SearchMode.Auto })
        {
            foreach (var q in queries.Take(30))
            {
                await live.SearchAsync(UserId.Local, new SearchQuery(q.Text, mode, 10), CancellationToken.None);
            }

            var latencies = new List<double>();
            foreach (var q in queries)
            {
                var t = Stopwatch.StartNew();
                await live.SearchAsync(UserId.Local, new SearchQuery(q.Text, mode, 10), CancellationToken.None);
                latencies.Add(t.Elapsed.TotalMilliseconds);
            }

            latencies.Sort();
            report.AppendLine(culture, $"| {mode.Name()} | {latencies.Count} | {Machine.Percentile(latencies, 50):F2} | {Machine.Percentile(latencies, 95):F2} | {Machine.Percentile(latencies, 99):F2} |");
        }

        var embedding = new List<double>();
        foreach (var q in queries)
        {
            var t = Stopwatch.StartNew();
            await services.GetRequiredService<ILlmService>().EmbedAsync(new EmbeddingsRequest([q.Text]), CancellationToken.None);
            embedding.Add(t.Elapsed.TotalMilliseconds);
        }

        embedding.Sort();
        report.AppendLine(culture, $"| (the query embedding alone, in-process) | {embedding.Count} | {Machine.Percentile(embedding, 50):F2} | {Machine.Percentile(embedding, 95):F2} | {Machine.Percentile(embedding, 99):F2} |");

        report.AppendLine().AppendLine("## Related notes (GET /api/notes/{id}/related)").AppendLine();
        var related = new Retrievers(live, graph, services.GetRequiredService<RelatedNotes>(), subset.NoteIds);
        var nearest = await RetrievalEvaluation.ScoreRelatedAsync("related", subset.Related, related.Related, CancellationToken.None);
        var walked = await RetrievalEvaluation.ScoreRelatedAsync("graph", subset.Related, related.GraphNearNote, CancellationToken.None);
        report.AppendLine(nearest.Documents == 0 ? "No sampled page has a related page in the sample." : string.Create(culture,
            $"Recall@10 of related-dev.jsonl (SEE ALSO pages) over {nearest.Documents} pages whose related pages are in the sample: **{nearest.Recall10:F3}** (nearest notes by mean chunk vector, best chunk per note); "
            + $"personalised PageRank over the graph from the page alone: {walked.Recall10:F3}.")).AppendLine();
        report.AppendLine(culture, $"Load average (1/5/15 min) at the start: {loadAtStart}; at the end: {Machine.LoadAverage()} — on 2 shared cores, timings scale with it.").AppendLine();
        await BenchKit.WriteReportAsync(repo, $"search-{pages}-pages", smoke, report.ToString());
    }

    private static SearchOptions With(SearchOptions shipped, Action<SearchOptions> change)
    {
        var copy = new SearchOptions
        {
            TitleWeight = shipped.TitleWeight, FallbackToAnyTerm = shipped.FallbackToAnyTerm, CommonWordShare = shipped.CommonWordShare,
            SinglePassFromWords = shipped.SinglePassFromWords, FallbackMaxWords = shipped.FallbackMaxWords, CommonWordMinNotes = shipped.CommonWordMinNotes,
            Fusion = shipped.Fusion, RrfK = shipped.RrfK, SemanticWeight = shipped.SemanticWeight, ConvexAlpha = shipped.ConvexAlpha,
            FusionDepth = shipped.FusionDepth, ChunksPerNote = shipped.ChunksPerNote, ExtraChunkBonus = shipped.ExtraChunkBonus, LeadChunkBonus = shipped.LeadChunkBonus,
        };
        change(copy);
        return copy;
    }

    /// <summary>Embeds each distinct query once: the quality rows compare rankings, not the model's speed.</summary>
    private sealed class CachedEmbeddings(ILlmService inner) : ILlmService
    {
        private readonly ConcurrentDictionary<string, EmbeddingsResponse> _cache = new(StringComparer.Ordinal);

        public async Task<EmbeddingsResponse> EmbedAsync(EmbeddingsRequest request, CancellationToken ct)
        {
            if (request.Inputs.Count != 1 || request.Model is not null)
            {
                return await inner.EmbedAsync(request, ct);
            }

            if (!_cache.TryGetValue(request.Inputs[0], out var response))
            {
                response = await inner.EmbedAsync(request, ct);
                _cache[request.Inputs[0]] = response;
            }

            return response;
        }

        public Task<TopicsResponse> ExtractTopicsAsync(TopicsRequest request, CancellationToken ct) => inner.ExtractTopicsAsync(request, ct);

        public Task<NotesResponse> IndexNotesAsync(NotesRequest request, CancellationToken ct) => inner.IndexNotesAsync(request, ct);

        public Task<RelationsResponse> ScoreRelationsAsync(RelationsRequest request, CancellationToken ct) => inner.ScoreRelationsAsync(request, ct);

        public Task<ModelsResponse> GetModelsAsync(CancellationToken ct) => inner.GetModelsAsync(ct);
    }
}
