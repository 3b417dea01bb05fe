using Neptune.Api.Graph;
using Neptune.Api.Search;
using Neptune.Core;

namespace Neptune.Host.Evaluation;

/// <summary>What to evaluate: the three files (related is optional), the modes, and the corpus slice (--limit, --seed).</summary>
public sealed record EvalRequest(
    string Corpus, string Queries, string? Related, IReadOnlyList<string> Modes, int? Limit = null, int? Seed = null, string? Keep = null);

/// <summary>The store the corpus was indexed in: a scratch store removed when the evaluation ends, or the --keep folder, kept.</summary>
public sealed record EvalStore(string Provider, string Location, bool Kept = false);

/// <summary>Everything `neptune eval` reports (its JSON output is this record).</summary>
public sealed record EvalReport(
    EvalInputCount Corpus, EvalInputCount Queries, EvalInputCount? Related, EvalStore Store, IndexFigures Index,
    IReadOnlyList<ModeFigures> Modes, IReadOnlyList<RelatedFigures> RelatedNotes);

/// <summary>
/// `neptune eval`: reads and checks the files, imports the corpus (or its slice) into a scratch store, indexes it with
/// the real pipeline, scores every mode over the queries whose relevant documents were imported and, with related
/// rows, plain vector neighbours (the baseline), related notes (GET /api/notes/{id}/related) and graph retrieval from
/// a note; then removes the store.
/// </summary>
public static class CorpusEvaluation
{
    public static readonly IReadOnlyList<string> AllModes = ["fts", "semantic", "hybrid", "graph"];

    /// <summary>"all", one mode, or several separated by commas.</summary>
    public static IReadOnlyList<string> ParseModes(string? value)
    {
        var names = (value ?? "all").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(n => n.ToLowerInvariant()).ToList();
        if (names.Count == 0 || names.Contains("all"))
        {
            return AllModes;
        }

        var unknown = names.FirstOrDefault(n => !AllModes.Contains(n));
        return unknown is null
            ? [.. AllModes.Where(names.Contains)]
            : throw NeptuneException.Invalid("--mode", $"--mode: unknown mode '{unknown}': use fts, semantic, hybrid, graph or all (or several, comma-separated).");
    }

    public static async Task<EvalReport> RunAsync(EvalRequest request, IConfiguration configuration, Action<string> progress, CancellationToken ct)
    {
        // Every file is read and checked before anything slow starts.
        var documents = EvalFiles.ReadCorpus(request.Corpus);
        var queries = EvalFiles.ReadQueries(request.Queries);
        var related = request.Related is null ? null : EvalFiles.ReadRelated(request.Related);
        var slice = EvalDataset.Slice(documents, request.Limit, request.Seed);
        var sliceIds = slice.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        if (EvalDataset.KeepQueries(queries, sliceIds).Count == 0)
        {
            throw NeptuneException.Invalid("--queries", $"None of the {queries.Count:N0} queries in {request.Queries} has all its relevant documents among the "
                + $"{slice.Count:N0} corpus documents evaluated{(request.Limit is null ? "" : ": raise --limit")}.");
        }

        progress($"{documents.Count:N0} documents, {queries.Count:N0} queries{(related is null ? "" : $", {related.Count:N0} related rows")} read; "
            + (request.Keep is null ? $"importing {slice.Count:N0} documents into a scratch store" : $"{slice.Count:N0} documents to evaluate in the store at {request.Keep}"));
        var sliceFile = ReferenceEquals(slice, documents) ? null : await WriteSliceAsync(slice, ct);
        var store = request.Keep is null ? await ScratchStore.CreateAsync(configuration, ct) : await ScratchStore.KeepAsync(request.Keep, configuration, ct);
        try
        {
            var settings = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(store.Settings).Build();
            await using var services = CorpusIndex.BuildServices(settings);
            var index = store is IReusableStore { HasDatabase: true }
                ? await CorpusIndex.ReuseAsync(services, sliceIds, request.Keep!, progress, ct)
                : await CorpusIndex.ImportAndIndexAsync(services, sliceFile ?? request.Corpus, progress, ct);
            var noteIds = await CorpusIndex.NoteIdsAsync(services, ct);
            var imported = noteIds.Keys.ToHashSet(StringComparer.Ordinal);
            var kept = EvalDataset.KeepQueries(queries, imported);
            var keptRelated = related is null ? null : EvalDataset.KeepRelated(related, imported);
            var retrievers = new Retrievers(services.GetRequiredService<SearchEngine>(), services.GetRequiredService<GraphRetrieval>(),
                services.GetRequiredService<RelatedNotes>(), noteIds);

            var modes = new List<ModeFigures>();
            foreach (var mode in request.Modes)
            {
                progress($"scoring {mode} over {kept.Count:N0} queries");
                modes.Add(await RetrievalEvaluation.ScoreQueriesAsync(mode, kept, retrievers.ForMode(mode), recallAt100: true, ct,
                    done => progress($"{mode}: {done:N0} of {kept.Count:N0} queries")));
            }

            var relatedNotes = new List<RelatedFigures>();
            if (keptRelated is { Count: > 0 })
            {
                progress($"scoring related notes over {keptRelated.Count:N0} documents");
                relatedNotes.Add(await RetrievalEvaluation.ScoreRelatedAsync("vectors", keptRelated, retrievers.VectorNeighbours, ct));
                relatedNotes.Add(await RetrievalEvaluation.ScoreRelatedAsync("related", keptRelated, retrievers.Related, ct));
                relatedNotes.Add(await RetrievalEvaluation.ScoreRelatedAsync("graph", keptRelated, retrievers.GraphNearNote, ct));
            }

            return new EvalReport(
                new EvalInputCount(request.Corpus, documents.Count, index.Imported,
                    request.Limit is null ? "every document" : request.Seed is null ? $"the first {request.Limit}: --limit {request.Limit}" : $"a random {request.Limit}: --limit {request.Limit} --seed {request.Seed}"),
                new EvalInputCount(request.Queries, queries.Count, kept.Count, "every relevant document imported"),
                keptRelated is null ? null : new EvalInputCount(request.Related!, related!.Count, keptRelated.Count, "document and at least one related document imported; lists cut to imported documents"),
                new EvalStore(store.Provider, store.Location, Kept: request.Keep is not null),
                index, modes, relatedNotes);
        }
        finally
        {
            // After the services (disposed as the try block ends) let go of it.
            await store.DisposeAsync();
            if (sliceFile is not null)
            {
                File.Delete(sliceFile);
            }
        }
    }

    private static async Task<string> WriteSliceAsync(IReadOnlyList<CorpusDocument> slice, CancellationToken ct)
    {
        var file = Path.Combine(Path.GetTempPath(), $"neptune-eval-corpus-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(file, slice.Select(d => d.Line), ct);
        return file;
    }
}
