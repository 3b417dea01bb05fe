using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Neptune.Api.Graph;
using Neptune.Core.Vectors;
using Neptune.Data;
using Neptune.Data.Transfer;
using Neptune.Host.Evaluation;
using Neptune.Indexer.Graph;
using Neptune.Indexer.Worker;
using Neptune.Llm.Models;

namespace Neptune.Bench;

/// <summary>
/// Graph build time at 10k and 100k notes (issue 7). The notes are the scale suite's (1–3 real man-page chunks, each
/// chunk's MiniLM vector perturbed), a third of them with one or two [[wikilinks]] to other notes, and each note given
/// the topics the indexer extracted for the pages its chunks come from. Timed: the indexer's per-note graph work
/// without the model (kNN semantic edges against the growing vector index, then the one-transaction write of chunks,
/// topic memberships, link and semantic edges), the rebuild of every semantic edge through the job runner
/// (POST /api/graph/refresh), and the in-memory graph that /api/graph and graph retrieval walk (<see cref="GraphCache"/>).
/// </summary>
public static class GraphSuite
{
    private sealed record BaseChunk(long PageId, string Title, string Text, float[] Vector);

    private static readonly string[] EdgeKinds = ["link", "semantic", "membership", "relation"];

    private sealed record PageTopic(string Key, string Label, double Weight, string Source);

    public static async Task RunAsync(bool smoke, IReadOnlyList<int> sizes, bool refresh = true)
    {
        var repo = BenchKit.FindRepo();
        var culture = CultureInfo.InvariantCulture;
        var loadAtStart = Machine.LoadAverage();
        List<BaseChunk> bases;
        ILookup<long, PageTopic> topics;
        Dictionary<(string, string), RelationToStore> relations;
        string built;
        await using (var subset = await ManPageSubset.OpenAsync(repo, smoke ? 40 : 500))
        {
            (bases, topics, relations) = await ReadBasesAsync(Path.Combine(subset.DataDir, "neptune.db"));
            built = subset.Built.Split(',')[0];
        }

        var report = BenchKit.Header("Graph build at scale", smoke, repo, $"`./bench.sh graph{(sizes.Count > 0 ? " --sizes " + string.Join(',', sizes) : "")}{(refresh ? "" : " --no-refresh")}`");
        report.AppendLine(culture, $"- Notes: as the scale suite's (1–3 of {bases.Count:N0} real man-page chunks of {built}, imported with the real importer; each chunk's vector = unit(base + 0.35 × another base + N(0, 0.02²))); one note in three ends with one or two [[wikilinks]] to other notes' titles (resolved by the importer)")
            .AppendLine("- Topics: each note takes the topics the indexer extracted for the pages of its chunks (their keyphrase topics, weight and source) and the relations scored between them, so topic memberships, topic sizes and relations are realistic without the model")
            .AppendLine("- Graph settings: the shipped ones (semantic k 5, min strength 0.5, at most 20 semantic edges a note)")
            .AppendLine();
        var table = new StringBuilder("| notes | step | seconds | notes/s | detail |\n|---|---|---|---|---|\n");
        var cache = new StringBuilder("| notes | edges (link / semantic / topic membership / topic relation) | graph nodes | load snapshot ms | GraphCache build ms (load + graph + walk weights + titles, median of 3) | managed heap growth MB |\n|---|---|---|---|---|---|\n");
        foreach (var notes in sizes.Count > 0 ? sizes : smoke ? [300] : new[] { 10_000, 100_000 })
        {
            var dir = Path.Combine(Path.GetTempPath(), $"neptune-bench-graph-{Guid.NewGuid():N}"[..38]);
            try
            {
                var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Neptune:DataDir"] = dir }).Build();
                await using var services = CorpusIndex.BuildServices(configuration);
                var random = new Random(notes);
                var clock = Stopwatch.StartNew();
                var picks = await ImportAsync(services, dir, bases, notes, random);
                table.AppendLine(culture, $"| {notes:N0} | import (the real importer: notes, names, links resolved, full text) | {clock.Elapsed.TotalSeconds:F1} | {notes / clock.Elapsed.TotalSeconds:N0} | |");
                Console.Error.WriteLine($"bench: graph {notes:N0} notes imported in {clock.Elapsed.TotalSeconds:F0} s");

                var (knn, write, chunks, wall) = await BuildGraphAsync(services, bases, topics, relations, picks, random);
                table.AppendLine(culture, $"| {notes:N0} | per-note graph work in id order, as indexing makes it (model left out) | {wall:F1} | {notes / wall:N0} | kNN {knn:F1} s, write {write:F1} s; {chunks:N0} chunks |");
                Console.Error.WriteLine($"bench: graph {notes:N0} notes linked in {wall:F0} s");

                if (refresh)
                {
                    var (seconds, jobs) = await RefreshAsync(services);
                    table.AppendLine(culture, $"| {notes:N0} | rebuild of every semantic edge (POST /api/graph/refresh: a job per note, drained by the job runner) | {seconds:F1} | {jobs / seconds:N0} | {jobs:N0} jobs |");
                    Console.Error.WriteLine($"bench: graph {notes:N0} notes refreshed in {seconds:F0} s");
                }
                else
                {
                    table.AppendLine(culture, $"| {notes:N0} | rebuild of every semantic edge | not run (--no-refresh) | | |");
                }

                cache.AppendLine(await CacheAsync(services, notes));
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(dir, recursive: true);
            }
        }

        report.AppendLine("## Building the graph").AppendLine()
            .AppendLine("kNN = `SemanticEdges.ComputeAsync` (the note's mean vector against the in-memory vector index, then the edges other notes chose to it); "
                + "write = `INoteIndexStore.WriteAsync` (chunks, vectors, topic memberships, link and semantic edges, index state in one transaction) and the vector index update. "
                + "The note's embedding and topic extraction, which the index suite measures, are left out: they are the model's cost, not the graph's.").AppendLine()
            .Append(table).AppendLine()
            .AppendLine("## The in-memory graph").AppendLine()
            .AppendLine("`GraphCache.GetAsync` on a new cache: what the first /api/graph, related-notes or graph-retrieval request after a graph change pays. Load = `IGraphStore.LoadAsync` alone (the rows).").AppendLine()
            .Append(cache).AppendLine()
            .AppendLine(culture, $"Load average (1/5/15 min) at the start: {loadAtStart}; at the end: {Machine.LoadAverage()} — on 2 shared cores, wall times scale with it.").AppendLine();
        await BenchKit.WriteReportAsync(repo, "graph", smoke, report.ToString());
    }

    private static async Task<(List<BaseChunk>, ILookup<long, PageTopic>, Dictionary<(string, string), RelationToStore>)> ReadBasesAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT n.id, n.title, substr(n.content, c.start + 1, c."end" - c.start), e.vector
            FROM chunks c JOIN notes n ON n.id = c.note_id JOIN embeddings e ON e.chunk_id = c.id
            ORDER BY c.id
            """;
        var chunks = new List<BaseChunk>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var text = reader.GetString(2).Trim();
                if (text.Length > 0)
                {
                    chunks.Add(new BaseChunk(reader.GetInt64(0), reader.GetString(1), text, MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(3)).ToArray()));
                }
            }
        }

        command.CommandText = "SELECT nt.note_id, t.key, t.label, nt.weight, nt.source FROM note_topics nt JOIN topics t ON t.id = nt.topic_id";
        var topics = new List<(long Page, PageTopic Topic)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                topics.Add((reader.GetInt64(0), new PageTopic(reader.GetString(1), reader.GetString(2), reader.GetDouble(3), reader.GetString(4))));
            }
        }

        command.CommandText = "SELECT ta.key, tb.key, r.strength, r.source FROM topic_relations r JOIN topics ta ON ta.id = r.a JOIN topics tb ON tb.id = r.b";
        var relations = new Dictionary<(string, string), RelationToStore>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var relation = new RelationToStore(reader.GetString(0), reader.GetString(1), reader.GetDouble(2), reader.GetString(3));
                relations[Pair(relation.KeyA, relation.KeyB)] = relation;
            }
        }

        return (chunks, topics.ToLookup(t => t.Page, t => t.Topic), relations);
    }

    private static (string, string) Pair(string a, string b) => string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);

    /// <summary>Imports the notes (a third with wikilinks to other notes' titles); returns each note's chunks (indices into the bases), by note id.</summary>
    private static async Task<Dictionary<long, int[]>> ImportAsync(IServiceProvider services, string dir, List<BaseChunk> bases, int notes, Random random)
    {
        await services.GetRequiredService<IDatabase>().MigrateAsync(CancellationToken.None);
        await services.GetRequiredService<ModelRegistry>().EnsureActiveAsync(CancellationToken.None);
        var picks = Enumerable.Range(0, notes).Select(_ => Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(bases.Count)).ToArray()).ToList();
        string Title(int i) => $"{bases[picks[i][0]].Title} {i}";
        var corpus = Path.Combine(dir, "notes.jsonl");
        Directory.CreateDirectory(dir);
        await using (var writer = new StreamWriter(corpus))
        {
            for (var i = 0; i < notes; i++)
            {
                var text = string.Join("\n\n", picks[i].Select(b => bases[b].Text));
                if (random.Next(3) == 0)
                {
                    text += "\n\nSee also " + string.Join(" and ", Enumerable.Range(0, random.Next(1, 3)).Select(_ => $"[[{Title(random.Next(notes))}]]")) + ".";
                }

                await writer.WriteLineAsync(JsonSerializer.Serialize(new { id = $"s{i}", title = Title(i), text }));
            }
        }

        await services.GetRequiredService<Importer>().ImportAsync(corpus, null, CancellationToken.None);
        File.Delete(corpus);
        var byNote = new Dictionary<long, int[]>(notes);
        foreach (var (source, id) in await CorpusIndex.NoteIdsAsync(services, CancellationToken.None))
        {
            byNote[id] = picks[int.Parse(source.AsSpan(1), CultureInfo.InvariantCulture)];
        }

        return byNote;
    }

    /// <summary>Each note's semantic edges and index write in note id order, as the indexer makes them, the model's work replaced by the prepared vectors and topics.</summary>
    private static async Task<(double Knn, double Write, int Chunks, double Wall)> BuildGraphAsync(
        IServiceProvider services, List<BaseChunk> bases, ILookup<long, PageTopic> topics, Dictionary<(string, string), RelationToStore> relations, Dictionary<long, int[]> picks, Random random)
    {
        var store = services.GetRequiredService<INoteIndexStore>();
        var edges = services.GetRequiredService<SemanticEdges>();
        var model = await services.GetRequiredService<ModelRegistry>().EnsureActiveAsync(CancellationToken.None);
        var index = await services.GetRequiredService<IVectorIndexProvider>().GetAsync(model.Id, model.Dimensions, CancellationToken.None);
        var sources = (await store.ReadAsync([.. picks.Keys], CancellationToken.None)).ToDictionary(s => s.NoteId);
        var (knn, write, chunks) = (TimeSpan.Zero, TimeSpan.Zero, 0);
        var wall = Stopwatch.StartNew();
        foreach (var (noteId, pick) in picks.OrderBy(p => p.Key))
        {
            var source = sources[noteId];
            var at = 0;
            var chunkRows = new List<ChunkToStore>(pick.Length);
            for (var j = 0; j < pick.Length; j++)
            {
                var b = bases[pick[j]];
                var found = source.Content.IndexOf(b.Text, at, StringComparison.Ordinal);
                var (from, to) = found >= 0 ? (found, found + b.Text.Length) : (at, source.Content.Length);
                at = to;
                chunkRows.Add(new ChunkToStore(j, from, to, Math.Max(1, (to - from) / 4), VectorSuite.Perturb(b.Vector, bases[random.Next(bases.Count)].Vector, random)));
            }

            var noteTopics = pick.Select(p => bases[p].PageId).Distinct().SelectMany(page => topics[page])
                .GroupBy(t => t.Key).Select(g => g.MaxBy(t => t.Weight)!).ToList();
            var noteRelations = noteTopics.SelectMany(a => noteTopics.Select(b => relations.GetValueOrDefault(Pair(a.Key, b.Key)))).OfType<RelationToStore>().Distinct().ToList();
            var clock = Stopwatch.StartNew();
            var semantic = await edges.ComputeAsync(noteId, [.. chunkRows.Select(c => c.Vector)], model.Id, CancellationToken.None);
            knn += clock.Elapsed;
            clock.Restart();
            var stored = await store.WriteAsync(new NoteIndexWrite(noteId, source.Version, model.Id, chunkRows, noteTopics.FirstOrDefault()?.Source ?? "keyphrase:all-MiniLM-L6-v2-int8",
                [.. noteTopics.Select(t => new TopicToStore(t.Key, t.Label, t.Weight))], semantic, noteRelations), [], CancellationToken.None);
            index.ReplaceNote(noteId, stored!);
            write += clock.Elapsed;
            chunks += chunkRows.Count;
        }

        var seconds = wall.Elapsed.TotalSeconds;
        await using (var connection = new SqliteConnection($"Data Source={services.GetRequiredService<StoreOptions>().DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var jobs = connection.CreateCommand();
            // The import queued an index job per note: these notes are indexed now, and the refresh below should find only its own jobs.
            jobs.CommandText = "DELETE FROM jobs";
            await jobs.ExecuteNonQueryAsync();
        }

        return (knn.TotalSeconds, write.TotalSeconds, chunks, seconds);
    }

    private static async Task<(double Seconds, int Jobs)> RefreshAsync(IServiceProvider services)
    {
        var clock = Stopwatch.StartNew();
        var jobs = await services.GetRequiredService<IIndexStore>().RefreshEdgesAsync(CancellationToken.None);
        var runner = services.GetRequiredService<IndexJobRunner>();
        var done = 0;
        while (await runner.RunBatchAsync(TimeSpan.Zero, CancellationToken.None) is { Jobs: > 0 } batch)
        {
            done += batch.Done;
        }

        return done == jobs ? (clock.Elapsed.TotalSeconds, jobs) : throw new InvalidOperationException($"graph refresh: {done} of {jobs} jobs done");
    }

    private static async Task<string> CacheAsync(IServiceProvider services, int notes)
    {
        var graphs = services.GetRequiredService<IGraphStore>();
        var options = services.GetRequiredService<IOptions<RelatedOptions>>();
        var load = new List<double>();
        var build = new List<double>();
        CachedGraph graph = null!;
        long heap = 0;
        for (var run = 0; run < 3; run++)
        {
            GC.Collect();
            var clock = Stopwatch.StartNew();
            await graphs.LoadAsync(UserId.Local, 0, null, CancellationToken.None);
            load.Add(clock.Elapsed.TotalMilliseconds);
            GC.Collect();
            var before = GC.GetTotalMemory(forceFullCollection: true);
            using var cache = new GraphCache(graphs, options);
            clock.Restart();
            graph = await cache.GetAsync(UserId.Local, CancellationToken.None);
            build.Add(clock.Elapsed.TotalMilliseconds);
            heap = GC.GetTotalMemory(forceFullCollection: true) - before;
        }

        var kinds = graph.Snapshot.Edges.GroupBy(e => e.Kind).ToDictionary(g => g.Key, g => g.Count());
        var culture = CultureInfo.InvariantCulture;
        var counts = string.Join(" / ", EdgeKinds.Select(k => kinds.GetValueOrDefault(k).ToString("N0", culture)));
        var unknown = kinds.Keys.Except(EdgeKinds).ToList();
        return string.Create(culture, $"| {notes:N0} | {counts}{(unknown.Count > 0 ? $" (+ {string.Join(", ", unknown.Select(k => $"{k} {kinds[k]:N0}"))})" : "")} | {graph.Snapshot.Nodes.Count:N0} | {BenchKit.Median(load):F0} | {BenchKit.Median(build):F0} | {heap / 1e6:F0} |");
    }
}
