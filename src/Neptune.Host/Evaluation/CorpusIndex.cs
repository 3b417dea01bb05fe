using System.Diagnostics;
using Neptune.Api;
using Neptune.Core;
using Neptune.Data;
using Neptune.Data.Transfer;
using Neptune.Indexer;
using Neptune.Indexer.Worker;
using Neptune.Llm;
using Neptune.Llm.Contract;
using Neptune.Llm.Models;

namespace Neptune.Host.Evaluation;

/// <summary>What importing and indexing a corpus came to; <see cref="Edges"/> counts the graph's edges by kind.</summary>
/// <see cref="Reused"/>: the store came from an earlier run (--keep), so the times are not this run's.
public sealed record IndexFigures(
    int Imported, long Indexed, long Failed, int SkippedLines, string Model, int Chunks, IReadOnlyDictionary<string, int> Edges,
    double ImportSeconds, double IndexSeconds, bool Reused = false);

/// <summary>
/// A JSONL corpus imported into a store and indexed by the real indexer pipeline in this process — chunks, embeddings,
/// topics, graph edges — by `serve`'s worker, from the job table, until no job is left.
/// </summary>
public static class CorpusIndex
{
    /// <summary>The roles of desktop mode in one container, without a host: store, llm, indexer pipeline, search.</summary>
    public static ServiceProvider BuildServices(IConfiguration configuration) =>
        new ServiceCollection()
            .AddSingleton(configuration)
            .AddLogging()
            .AddNeptuneStore()
            .AddNeptuneSearch()
            .AddNeptuneLlm(configuration)
            .AddLlmService(configuration)
            .AddNeptuneIndexer()
            .BuildServiceProvider();

    public static async Task<IndexFigures> ImportAndIndexAsync(IServiceProvider services, string corpusFile, Action<string> progress, CancellationToken ct)
    {
        await services.GetRequiredService<IDatabase>().MigrateAsync(ct);
        progress("loading the embedding model");
        var model = await services.GetRequiredService<ModelRegistry>().EnsureActiveAsync(ct);
        await services.GetRequiredService<ILlmService>().EmbedAsync(new EmbeddingsRequest(["warm up"]), ct);

        var clock = Stopwatch.StartNew();
        var import = await services.GetRequiredService<Importer>().ImportAsync(corpusFile, null, ct);
        var importSeconds = clock.Elapsed.TotalSeconds;
        progress($"imported {import.Created:N0} notes in {importSeconds:F1} s; indexing them with {model.Reference}");
        clock.Restart();
        await DrainAsync(services, import.Created, progress, ct);
        var indexSeconds = clock.Elapsed.TotalSeconds;
        return await FiguresAsync(services, model, import.Created, import.Skipped.Count, importSeconds, indexSeconds, reused: false, progress, ct);
    }

    /// <summary>
    /// A store a previous `--keep` run filled: checked to hold every document of this corpus (or slice), indexing
    /// finished if that run was interrupted, and nothing imported again.
    /// </summary>
    public static async Task<IndexFigures> ReuseAsync(IServiceProvider services, IReadOnlySet<string> documentIds, string folder, Action<string> progress, CancellationToken ct)
    {
        await services.GetRequiredService<IDatabase>().MigrateAsync(ct);
        var present = await NoteIdsAsync(services, ct);
        var missing = documentIds.Count(id => !present.ContainsKey(id));
        if (missing > 0 || present.Count != documentIds.Count)
        {
            throw NeptuneException.Invalid("--keep", $"--keep: {folder} holds {present.Count:N0} imported documents and this run evaluates {documentIds.Count:N0}, "
                + $"{missing:N0} of them not there: it was filled from another corpus, --limit or --seed. Give an empty or new folder.");
        }

        progress("loading the embedding model");
        var model = await services.GetRequiredService<ModelRegistry>().EnsureActiveAsync(ct);
        progress($"reusing the {present.Count:N0} notes indexed in {folder}; finishing any indexing left");
        var clock = Stopwatch.StartNew();
        await DrainAsync(services, present.Count, progress, ct);
        return await FiguresAsync(services, model, present.Count, 0, 0, clock.Elapsed.TotalSeconds, reused: true, progress, ct);
    }

    private static async Task<IndexFigures> FiguresAsync(
        IServiceProvider services, EmbeddingModel model, int imported, int skipped, double importSeconds, double indexSeconds, bool reused, Action<string> progress, CancellationToken ct)
    {
        var status = await services.GetRequiredService<IIndexStore>().GetStatusAsync(UserId.Local, 5, ct);
        foreach (var failure in status.Failures)
        {
            progress($"note '{failure.Title}' failed to index: {failure.Error}");
        }

        var vectors = await services.GetRequiredService<IVectorIndexProvider>().GetAsync(model.Id, model.Dimensions, ct);
        var graph = await services.GetRequiredService<IGraphStore>().LoadAsync(UserId.Local, 0, null, ct);
        var edges = graph.Edges.GroupBy(e => e.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        progress($"indexing done in {indexSeconds:F1} s: {status.Summary}; {vectors.Count:N0} chunks, {graph.Edges.Count:N0} graph edges");
        return new IndexFigures(imported, status.Indexed, status.Failed, skipped, $"{model.Reference} ({model.ShortDigest})",
            vectors.Count, edges, importSeconds, indexSeconds, reused);
    }

    /// <summary>Note id of each imported document, by its corpus id (the note's source id).</summary>
    public static async Task<IReadOnlyDictionary<string, long>> NoteIdsAsync(IServiceProvider services, CancellationToken ct)
    {
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var note in services.GetRequiredService<INoteStore>().ReadAllAsync(UserId.Local, ct))
        {
            if (note.Summary.SourceId is { } source)
            {
                ids[source] = note.Id;
            }
        }

        return ids;
    }

    /// <summary>
    /// Runs `serve`'s own worker (<see cref="IndexWorker"/>: its batches in flight, its backoff for jobs that will be
    /// retried) until no job is left, so the index time is the app's. Fails if the worker cannot make progress (the
    /// model or the database unavailable): `serve` would wait; an evaluation cannot measure anything meanwhile.
    /// </summary>
    private static async Task DrainAsync(IServiceProvider services, int notes, Action<string> progress, CancellationToken ct)
    {
        var index = services.GetRequiredService<IIndexStore>();
        var state = services.GetRequiredService<WorkerState>();
        var worker = IndexWorker.Standalone(services);
        var clock = Stopwatch.StartNew();
        var reported = TimeSpan.Zero;
        await worker.StartAsync(ct);
        try
        {
            while (true)
            {
                var status = await index.GetStatusAsync(UserId.Local, 0, ct);
                if (status.QueueDepth == 0)
                {
                    return;
                }

                if (state.Problem is { } problem)
                {
                    throw new NeptuneException(ErrorKind.Conflict, $"Indexing stopped: {problem}");
                }

                if (clock.Elapsed - reported >= TimeSpan.FromSeconds(10))
                {
                    reported = clock.Elapsed;
                    progress($"indexing: {status.Indexed:N0} of {notes:N0} notes in {clock.Elapsed.TotalSeconds:F0} s");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
            }
        }
        finally
        {
            // Puts back the jobs of batches still with the model (when cancelled or failed); after the last job there are none.
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }
    }
}
