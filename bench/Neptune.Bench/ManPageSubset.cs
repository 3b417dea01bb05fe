using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Data;
using Neptune.Host.Evaluation;
using Neptune.Llm.Onnx;

namespace Neptune.Bench;

/// <summary>
/// A random sample of the man-page corpus, imported and indexed by the real indexer pipeline (the code `neptune eval`
/// runs: chunks, MiniLM vectors, topics, graph edges) in a data dir cached under the temp folder: indexing is the slow
/// part, so suites re-use it. Queries and related rows are kept by `neptune eval`'s rules (<see cref="EvalDataset"/>).
/// </summary>
public sealed class ManPageSubset : IAsyncDisposable
{
    private ManPageSubset(string dataDir, ServiceProvider services, IReadOnlyDictionary<string, long> noteIds, IReadOnlyList<EvalQuery> queries,
        IReadOnlyList<RelatedDocuments> related, string built)
    {
        DataDir = dataDir;
        Services = services;
        NoteIds = noteIds;
        Queries = queries;
        Related = related;
        Built = built;
    }

    public string DataDir { get; }

    /// <summary>Store, llm role in-process (ILlmService bound to it), indexer pipeline, search and graph retrieval.</summary>
    public ServiceProvider Services { get; }

    /// <summary>Note id of each sampled page, by page id.</summary>
    public IReadOnlyDictionary<string, long> NoteIds { get; }

    /// <summary>The dev queries whose relevant pages are all in the sample.</summary>
    public IReadOnlyList<EvalQuery> Queries { get; }

    /// <summary>related-dev.jsonl rows with the page and at least one related page in the sample, related pages cut to the sample.</summary>
    public IReadOnlyList<RelatedDocuments> Related { get; }

    /// <summary>How the sample was built (or that it came from the cache), for the report.</summary>
    public string Built { get; }

    public static async Task<ManPageSubset> OpenAsync(string repo, int pages, int seed = 42)
    {
        var dataset = BenchKit.ManPagesDir(repo);
        // "-indexed": samples that the search tests' indexer stand-in built (chunks and vectors only) are not re-used; nor
        // ones another embedded model indexed (their vectors are that model's).
        var dir = Path.Combine(Path.GetTempPath(), "neptune-bench-cache", $"manpages-{pages}-seed{seed}-indexed-{new MiniLmOptions().Model}");
        var marker = Path.Combine(dir, "indexed.txt");
        var fresh = !File.Exists(marker);
        if (fresh && Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(dir);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Neptune:DataDir"] = dir }).Build();
        var services = CorpusIndex.BuildServices(configuration);
        string built;
        if (fresh)
        {
            // The same sample as `neptune eval --limit {pages} --seed {seed}`.
            var sample = EvalDataset.Slice(EvalFiles.ReadCorpus(Path.Combine(dataset, "corpus.jsonl")), pages, seed);
            var sampleFile = Path.Combine(dir, "corpus-sample.jsonl");
            await File.WriteAllLinesAsync(sampleFile, sample.Select(d => d.Line));
            var index = await CorpusIndex.ImportAndIndexAsync(services, sampleFile, line => Console.Error.WriteLine($"bench: {line}"), CancellationToken.None);
            built = $"{pages} pages sampled with seed {seed} (as `neptune eval --limit {pages} --seed {seed}`), {index.Indexed} indexed ({index.Chunks} chunks, "
                + $"{index.Edges.Values.Sum()} graph edges) in {index.IndexSeconds:F0} s by the indexer pipeline";
            await File.WriteAllTextAsync(marker, built);
        }
        else
        {
            await services.GetRequiredService<IDatabase>().MigrateAsync(CancellationToken.None);
            built = (await File.ReadAllTextAsync(marker)) + " (cached data dir)";
        }

        var noteIds = await CorpusIndex.NoteIdsAsync(services, CancellationToken.None);
        var imported = noteIds.Keys.ToHashSet(StringComparer.Ordinal);
        var queries = EvalDataset.KeepQueries(EvalFiles.ReadQueries(Path.Combine(dataset, "queries-dev.jsonl")), imported);
        var related = EvalDataset.KeepRelated(EvalFiles.ReadRelated(Path.Combine(dataset, "related-dev.jsonl")), imported);
        return new ManPageSubset(dir, services, noteIds, queries, related, built);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
