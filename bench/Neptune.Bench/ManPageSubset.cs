using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Data;
using Neptune.Data.Transfer;
using Neptune.Llm;
using Neptune.Testing;

namespace Neptune.Bench;

public sealed record DevQuery(string Id, string Text, string[] Relevant);

/// <summary>
/// A random sample of the man-page corpus, imported and indexed (chunks + MiniLM vectors, by the test stand-in for the
/// indexer) in a data dir cached under the temp folder: embedding is the slow part (~25 chunks/s on 2 cores), so
/// suites re-use it. Only the dev queries whose relevant pages are all in the sample are kept.
/// </summary>
public sealed class ManPageSubset : IAsyncDisposable
{
    private ManPageSubset(string dataDir, ServiceProvider services, IReadOnlyList<DevQuery> queries, IReadOnlyDictionary<string, string[]> related, string built)
    {
        DataDir = dataDir;
        Services = services;
        Queries = queries;
        Related = related;
        Built = built;
    }

    public string DataDir { get; }

    /// <summary>Store, llm role in-process (ILlmService bound to it), search options from configuration.</summary>
    public ServiceProvider Services { get; }

    public IReadOnlyList<DevQuery> Queries { get; }

    /// <summary>related-dev.jsonl rows with the page and at least one related page in the sample, related pages cut to the sample.</summary>
    public IReadOnlyDictionary<string, string[]> Related { get; }

    /// <summary>How the sample was built (or that it came from the cache), for the report.</summary>
    public string Built { get; }

    public static async Task<ManPageSubset> OpenAsync(string repo, int pages, int seed = 42)
    {
        var dataset = BenchKit.ManPagesDir(repo);
        var dir = Path.Combine(Path.GetTempPath(), "neptune-bench-cache", $"manpages-{pages}-seed{seed}");
        var marker = Path.Combine(dir, "indexed.txt");
        var lines = File.ReadAllLines(Path.Combine(dataset, "corpus.jsonl"));
        var random = new Random(seed);
        var sample = lines.OrderBy(_ => random.Next()).Take(pages).ToList();
        var ids = sample.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal);
        var fresh = !File.Exists(marker);
        if (fresh && Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(dir);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Neptune:DataDir"] = dir }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddNeptuneStore()
            .AddNeptuneLlm(configuration)
            .AddLlmService(configuration)
            .BuildServiceProvider();
        await services.GetRequiredService<IDatabase>().MigrateAsync(CancellationToken.None);
        string built;
        if (fresh)
        {
            var subsetFile = Path.Combine(dir, "corpus-sample.jsonl");
            await File.WriteAllLinesAsync(subsetFile, sample);
            await services.GetRequiredService<Importer>().ImportAsync(subsetFile, null, CancellationToken.None);
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(dir, "neptune.db")}");
            await connection.OpenAsync();
            var noteIds = new List<long>();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT id FROM notes WHERE deleted_at IS NULL ORDER BY id";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    noteIds.Add(reader.GetInt64(0));
                }
            }

            var clock = Stopwatch.StartNew();
            var chunks = await new IndexerStandIn(services).IndexAsync(noteIds, CancellationToken.None,
                new Progress<int>(n => Console.Error.Write($"\rbench: embedded {n} chunks of the {pages}-page sample, {clock.Elapsed.TotalSeconds:F0} s")));
            Console.Error.WriteLine();
            built = $"{pages} pages sampled with seed {seed}, {chunks} chunks embedded in {clock.Elapsed.TotalSeconds:F0} s by the indexer stand-in (tests/Shared/Indexing)";
            await File.WriteAllTextAsync(marker, built);
        }
        else
        {
            built = (await File.ReadAllTextAsync(marker)) + " (cached data dir)";
        }

        var queries = File.ReadLines(Path.Combine(dataset, "queries-dev.jsonl")).Select(ParseQuery).Where(q => q.Relevant.All(ids.Contains)).ToList();
        var related = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(dataset, "related-dev.jsonl")))
        {
            var row = JsonDocument.Parse(line).RootElement;
            var id = row.GetProperty("id").GetString()!;
            var inSample = row.GetProperty("related").EnumerateArray().Select(r => r.GetString()!).Where(ids.Contains).ToArray();
            if (ids.Contains(id) && inSample.Length > 0)
            {
                related[id] = inSample;
            }
        }

        return new ManPageSubset(dir, services, queries, related, built);
    }

    public static DevQuery ParseQuery(string line)
    {
        var root = JsonDocument.Parse(line).RootElement;
        return new DevQuery(root.GetProperty("id").GetString()!, root.GetProperty("query").GetString()!,
            [.. root.GetProperty("relevant").EnumerateArray().Select(r => r.GetString()!)]);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
