using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Neptune.Data;
using Neptune.Data.Transfer;
using Neptune.Host.Evaluation;
using Npgsql;
using LuceneDirectory = Lucene.Net.Store.FSDirectory;

namespace Neptune.Bench;

/// <summary>
/// Full text at scale (issue 7): synthetic notes of 1–3 man-page passages, written through Neptune's real import path
/// into SQLite FTS5 and into PostgreSQL (tsvector, BM25 in SQL), and into Lucene.Net with BM25 as the reference engine.
/// Side by side in one run: build docs/s, p50/p95 of 1-, 2- and 3-term queries drawn from the corpus, the cost of an
/// update and of a delete, index size; every figure also as a ratio to FTS5.
/// </summary>
public static partial class FullTextSuite
{
    private const string Fts5 = "SQLite FTS5";
    private const string Postgres = "PostgreSQL tsvector";
    private const string Lucene = "Lucene.Net BM25";
    private const int Limit = 10;

    /// <summary>Words too common to make a query of their own (a query box user would not type them alone).</summary>
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "has", "her", "was", "one", "our", "out", "his", "how",
        "its", "may", "who", "did", "yes", "she", "use", "this", "that", "with", "from", "have", "will", "when", "which", "been",
        "were", "into", "than", "then", "them", "they", "these", "those", "there", "their", "what", "also", "only", "such", "each",
        "other", "some", "more", "most", "must", "should", "would", "could", "does", "done", "being", "used", "using", "where",
    };

    private sealed record Engine(string Name, Func<string, Task<IReadOnlyList<string>>> Search, Func<int, string, Task> Update, Func<int, Task> Delete, Func<Task<long>> SizeBytes) : IAsyncDisposable
    {
        public double BuildSeconds { get; init; }

        public Func<ValueTask> Dispose { get; init; } = () => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => Dispose();
    }

    private sealed record Timings(List<double> Values)
    {
        public double P50 => Machine.Percentile([.. Values.Order()], 50);

        public double P95 => Machine.Percentile([.. Values.Order()], 95);
    }

    public static async Task RunAsync(bool smoke, IReadOnlyList<int> sizes, int postgresMax = int.MaxValue)
    {
        var repo = BenchKit.FindRepo();
        var culture = CultureInfo.InvariantCulture;
        var loadAtStart = Machine.LoadAverage();
        var passages = ReadPassages(Path.Combine(BenchKit.ManPagesDir(repo), "corpus.jsonl"), smoke ? 100 : int.MaxValue);
        var noteSizes = sizes.Count > 0 ? sizes : smoke ? [500] : [100_000];
        var queriesPerLength = smoke ? 10 : 100;
        var edits = smoke ? 5 : 100;
        var server = Environment.GetEnvironmentVariable("Neptune__Database__ConnectionString");
        var postgresAbsent = string.IsNullOrWhiteSpace(server)
            ? "no PostgreSQL: Neptune__Database__ConnectionString is not set (eval \"$(scripts/services.sh up)\" first)"
            : null;

        var report = BenchKit.Header("Full text at scale", smoke, repo,
            $"`./bench.sh fulltext{(sizes.Count > 0 ? " --sizes " + string.Join(',', sizes) : "")}{(postgresMax < int.MaxValue ? $" --postgres-max {postgresMax}" : "")}`");
        report.AppendLine(culture, $"- Notes: 1–3 passages each (uniform), drawn from {passages.Count:N0} passages of the man-page corpus (paragraphs merged to 600–2,000 characters); title = the first passage's page title and the note number")
            .AppendLine($"- Engines: {Fts5} (Neptune's desktop store: `Importer` → `SqliteNoteStore`, searched by `SqliteNoteSearch`, BM25 with title weight 4); "
                + $"{Postgres} (Neptune's server store: the same `Importer` → `PostgresNoteStore`, searched by `PostgresNoteSearch`, BM25 computed in SQL from the postings table `note_terms` for bare words; `ANALYZE notes` and `VACUUM (ANALYZE) note_terms` after the load, as autovacuum would); "
                + $"{Lucene} (Lucene.Net 4.8.0-beta00017, the reference: one document per note, title and body fields, StandardTokenizer + lower case + ASCII folding like FTS5's unicode61, BM25Similarity, title boost 4, MMapDirectory)")
            .AppendLine(culture, $"- Queries: words drawn at random positions of random notes (letters only, 3+ characters, a short stop list left out), so common words come up as often as they occur; {queriesPerLength} queries of 1, 2 and 3 words, the same ones for every engine, one at a time after 20 warm-up queries; top {Limit}, ranking only (no snippets). Every engine runs Neptune's two passes: notes with every word first, then notes with some of them when fewer than 10 have all (Neptune also drops words found in over half the notes from the all-words pass).")
            .AppendLine(culture, $"- Update and delete: {edits} random notes each, one at a time: Neptune's `INoteStore.UpdateAsync` (a passage appended; revision, links, full text and index job in one transaction) and `DeleteAsync` (to the trash: leaves the full-text index); Lucene `UpdateDocument` / `DeleteDocuments` followed by `Commit` (durable, as the databases' commits are)")
            .AppendLine(culture, $"- PostgreSQL: {postgresAbsent ?? "PostgreSQL from `scripts/services.sh` on 127.0.0.1 (a scratch database per size, dropped at the end)"}{(postgresAbsent is null && postgresMax < int.MaxValue ? $"; run at sizes up to {postgresMax:N0} notes only (`--postgres-max`)" : "")}")
            .AppendLine();

        var build = new StringBuilder("| notes | engine | build s | docs/s | docs/s × FTS5 | index size MB |\n|---|---|---|---|---|---|\n");
        var latency = new StringBuilder("| notes | words | engine | p50 ms | p95 ms | p50 × FTS5 | p95 × FTS5 | mean hits |\n|---|---|---|---|---|---|---|---|\n");
        var writes = new StringBuilder("| notes | operation | engine | p50 ms | p95 ms | p50 × FTS5 | p95 × FTS5 |\n|---|---|---|---|---|---|---|\n");
        var p95ByEngine = new Dictionary<string, List<(int Notes, int Words, double P95)>>();
        foreach (var notes in noteSizes)
        {
            var random = new Random(notes);
            var picks = Enumerable.Range(0, notes).Select(_ => Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(passages.Count)).ToArray()).ToList();
            var queries = DrawQueries(passages, picks, queriesPerLength, new Random(notes + 1));
            var editTargets = Enumerable.Range(0, edits * 2).Select(_ => random.Next(notes)).Distinct().Take(edits * 2).ToList();
            var work = Path.Combine(Path.GetTempPath(), $"neptune-bench-fulltext-{Guid.NewGuid():N}"[..42]);
            Directory.CreateDirectory(work);
            var corpus = Path.Combine(work, "notes.jsonl");
            await using (var writer = new StreamWriter(corpus))
            {
                for (var i = 0; i < notes; i++)
                {
                    await writer.WriteLineAsync(JsonSerializer.Serialize(new { id = $"s{i}", title = Title(passages, picks, i), text = Text(passages, picks[i]) }));
                }
            }

            Console.Error.WriteLine($"bench: fulltext {notes:N0} notes, corpus {new FileInfo(corpus).Length / 1e6:F0} MB; load {Machine.LoadAverage()}");
            var engines = new List<Engine>();
            string? skipped = null;
            try
            {
                engines.Add(await NeptuneStoreAsync(Fts5, new Dictionary<string, string?> { ["Neptune:DataDir"] = Path.Combine(work, "sqlite") }, corpus, notes,
                    async () => Directory.EnumerateFiles(Path.Combine(work, "sqlite"), "neptune.db*").Sum(f => new FileInfo(f).Length), null));
                Console.Error.WriteLine($"bench: {Fts5} built in {engines[^1].BuildSeconds:F1} s");
                if (postgresAbsent is not null || notes > postgresMax)
                {
                    skipped = $"| {notes:N0} | {Postgres} | not run: {postgresAbsent ?? $"above --postgres-max {postgresMax:N0}"} | | | |";
                }
                else
                {
                    var scratch = await PostgresScratchStore.CreateAsync(server!, CancellationToken.None);
                    var settings = new Dictionary<string, string?>(scratch.Settings) { ["Neptune:DataDir"] = Path.Combine(work, "postgres") };
                    var connection = settings["Neptune:Database:ConnectionString"]!;
                    engines.Add(await NeptuneStoreAsync(Postgres, settings, corpus, notes, () => PostgresSizeAsync(connection), scratch));
                    Console.Error.WriteLine($"bench: {Postgres} built in {engines[^1].BuildSeconds:F1} s");
                }

                engines.Add(LuceneEngine(Path.Combine(work, "lucene"), passages, picks));
                Console.Error.WriteLine($"bench: {Lucene} built in {engines[^1].BuildSeconds:F1} s");

                var sizesMb = new Dictionary<string, double>();
                foreach (var engine in engines)
                {
                    sizesMb[engine.Name] = await engine.SizeBytes() / 1e6;
                    var docsPerSecond = notes / engine.BuildSeconds;
                    build.AppendLine(culture, $"| {notes:N0} | {engine.Name} | {engine.BuildSeconds:F1} | {docsPerSecond:N0} | {docsPerSecond / (notes / engines[0].BuildSeconds):F2}× | {sizesMb[engine.Name]:F0} |");
                }

                if (skipped is not null)
                {
                    build.AppendLine(skipped);
                }

                foreach (var words in new[] { 1, 2, 3 })
                {
                    var measured = new List<(Engine Engine, Timings T, double Hits)>();
                    foreach (var engine in engines)
                    {
                        var (t, hits) = await MeasureQueriesAsync(engine, queries[words]);
                        measured.Add((engine, t, hits));
                        p95ByEngine.TryAdd(engine.Name, []);
                        p95ByEngine[engine.Name].Add((notes, words, t.P95));
                    }

                    var reference = measured[0].T;
                    foreach (var (engine, t, hits) in measured)
                    {
                        latency.AppendLine(culture, $"| {notes:N0} | {words} | {engine.Name} | {t.P50:F2} | {t.P95:F2} | {t.P50 / reference.P50:F2}× | {t.P95 / reference.P95:F2}× | {hits:F1} |");
                    }
                }

                var updates = new List<(Engine Engine, Timings T)>();
                var deletes = new List<(Engine Engine, Timings T)>();
                foreach (var engine in engines)
                {
                    var t = new List<double>();
                    foreach (var target in editTargets.Take(edits))
                    {
                        var content = Text(passages, picks[target]) + "\n\n" + passages[(int)((long)target * 7919 % passages.Count)].Text;
                        var clock = Stopwatch.StartNew();
                        await engine.Update(target, content);
                        t.Add(clock.Elapsed.TotalMilliseconds);
                    }

                    updates.Add((engine, new Timings(t)));
                    t = [];
                    foreach (var target in editTargets.Skip(edits))
                    {
                        var clock = Stopwatch.StartNew();
                        await engine.Delete(target);
                        t.Add(clock.Elapsed.TotalMilliseconds);
                    }

                    deletes.Add((engine, new Timings(t)));
                }

                foreach (var (operation, rows) in new[] { ("update", updates), ("delete", deletes) })
                {
                    foreach (var (engine, t) in rows)
                    {
                        writes.AppendLine(culture, $"| {notes:N0} | {operation} | {engine.Name} | {t.P50:F2} | {t.P95:F2} | {t.P50 / rows[0].T.P50:F2}× | {t.P95 / rows[0].T.P95:F2}× |");
                    }
                }
            }
            finally
            {
                foreach (var engine in engines)
                {
                    await engine.DisposeAsync();
                }

                SqliteConnection.ClearAllPools();
                Directory.Delete(work, recursive: true);
            }
        }

        report.AppendLine("## Build").AppendLine().AppendLine("Build = the whole load: for Neptune's stores `Importer.ImportAsync` of the JSONL file (batches of 500 notes a transaction, with names, links, tags, revisions and an index job per note besides the full-text rows), "
                + "for PostgreSQL also the `ANALYZE` and `VACUUM`; for Lucene adding every document and one `Commit`. Size: the SQLite file with its WAL, `pg_database_size`, the Lucene directory.").AppendLine()
            .Append(build).AppendLine()
            .AppendLine("## Queries").AppendLine().AppendLine("Latency of one query (top 10 note ids, ranking only) in this process; mean hits = results returned (at most 10).").AppendLine()
            .Append(latency).AppendLine();
        report.AppendLine(PlotP95(repo, smoke, p95ByEngine)).AppendLine()
            .AppendLine("## Update and delete").AppendLine().Append(writes).AppendLine()
            .AppendLine(culture, $"Load average (1/5/15 min) at the start: {loadAtStart}; at the end: {Machine.LoadAverage()} — on 2 shared cores, compare the ratios, taken side by side, more than the absolute times.").AppendLine();
        await BenchKit.WriteReportAsync(repo, "fulltext", smoke, report.ToString());
    }

    /// <summary>p95 against words in the query, a line per engine (and size when there are several); log scale: the engines lie orders of magnitude apart.</summary>
    public static string PlotP95(string repo, bool smoke, Dictionary<string, List<(int Notes, int Words, double P95)>> p95ByEngine, string? date = null)
    {
        var several = p95ByEngine.Values.SelectMany(v => v).Select(v => v.Notes).Distinct().Count() > 1;
        var series = p95ByEngine.SelectMany(e => e.Value.GroupBy(v => v.Notes).Select(g => new PlotSeries(several ? $"{e.Key}, {g.Key:N0} notes" : e.Key,
            [.. g.Select(v => (double)v.Words)], [.. g.Select(v => Math.Log10(v.P95))])));
        return BenchKit.Plot(repo, "fulltext", smoke, "p95", "Full-text query p95 by words in the query (top 10)", "words in the query", "log10 p95 ms", series, date);
    }

    private sealed record Passage(string Title, string Text);

    /// <summary>The pages' paragraphs, merged in order until 600 characters (a passage never passes 2,000: longer paragraphs are cut).</summary>
    private static List<Passage> ReadPassages(string corpus, int pages)
    {
        var passages = new List<Passage>();
        foreach (var line in File.ReadLines(corpus).Take(pages))
        {
            using var page = JsonDocument.Parse(line);
            var title = page.RootElement.GetProperty("title").GetString()!;
            var current = new StringBuilder();
            foreach (var paragraph in page.RootElement.GetProperty("text").GetString()!.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                current.Append(current.Length > 0 ? "\n\n" : "").Append(paragraph.Length > 2000 ? paragraph[..2000] : paragraph);
                if (current.Length >= 600)
                {
                    passages.Add(new Passage(title, current.ToString()));
                    current.Clear();
                }
            }

            if (current.Length > 0)
            {
                passages.Add(new Passage(title, current.ToString()));
            }
        }

        return passages;
    }

    private static string Title(List<Passage> passages, List<int[]> picks, int note) => $"{passages[picks[note][0]].Title} {note}";

    private static string Text(List<Passage> passages, int[] pick) => string.Join("\n\n", pick.Select(p => passages[p].Text));

    /// <summary>For 1, 2 and 3 words: <paramref name="count"/> queries of words taken at random positions of random notes.</summary>
    private static Dictionary<int, List<string>> DrawQueries(List<Passage> passages, List<int[]> picks, int count, Random random)
    {
        var queries = new Dictionary<int, List<string>>();
        foreach (var words in new[] { 1, 2, 3 })
        {
            queries[words] = [];
            while (queries[words].Count < count)
            {
                var drawn = new List<string>();
                while (drawn.Count < words)
                {
                    var pick = picks[random.Next(picks.Count)];
                    var tokens = Word().Matches(passages[pick[random.Next(pick.Length)]].Text).Select(m => m.Value.ToLowerInvariant())
                        .Where(w => w.Length >= 3 && !StopWords.Contains(w)).ToList();
                    if (tokens.Count > 0 && tokens[random.Next(tokens.Count)] is var word && !drawn.Contains(word))
                    {
                        drawn.Add(word);
                    }
                }

                queries[words].Add(string.Join(' ', drawn));
            }
        }

        return queries;
    }

    private static async Task<(Timings Latency, double MeanHits)> MeasureQueriesAsync(Engine engine, List<string> queries)
    {
        foreach (var q in queries.Take(20))
        {
            await engine.Search(q);
        }

        var times = new List<double>(queries.Count);
        var hits = 0L;
        foreach (var q in queries)
        {
            var clock = Stopwatch.StartNew();
            var found = await engine.Search(q);
            times.Add(clock.Elapsed.TotalMilliseconds);
            hits += found.Count;
        }

        return (new Timings(times), hits / (double)queries.Count);
    }

    /// <summary>A Neptune store filled by the real importer; searched, updated and deleted through its own interfaces.</summary>
    private static async Task<Engine> NeptuneStoreAsync(string name, Dictionary<string, string?> settings, string corpus, int notes, Func<Task<long>> size, PostgresScratchStore? scratch)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddNeptuneStore().BuildServiceProvider();
        await services.GetRequiredService<IDatabase>().MigrateAsync(CancellationToken.None);
        var clock = Stopwatch.StartNew();
        var summary = await services.GetRequiredService<Importer>().ImportAsync(corpus, null, CancellationToken.None);
        if (services.GetRequiredService<IOptions<DatabaseOptions>>().Value.IsPostgres)
        {
            await using var connection = new NpgsqlConnection(settings["Neptune:Database:ConnectionString"]);
            await connection.OpenAsync();
            // Autovacuum's work after a bulk load, done now: statistics, and the visibility map that index-only scans of the postings need.
            foreach (var sql in new[] { "ANALYZE notes", "VACUUM (ANALYZE) note_terms" })  // VACUUM runs outside a transaction: one command each
            {
                await using var maintain = new NpgsqlCommand(sql, connection);
                await maintain.ExecuteNonQueryAsync();
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        if (summary.Created != notes)
        {
            throw new InvalidOperationException($"{name}: the import created {summary.Created} notes of {notes}");
        }

        var ids = new long[notes];
        foreach (var (source, id) in await CorpusIndex.NoteIdsAsync(services, CancellationToken.None))
        {
            ids[int.Parse(source.AsSpan(1), CultureInfo.InvariantCulture)] = id;
        }

        var byId = Enumerable.Range(0, notes).ToDictionary(i => ids[i], i => i);
        var search = services.GetRequiredService<INoteSearch>();
        var store = services.GetRequiredService<INoteStore>();
        return new Engine(name,
            async q => [.. (await search.SearchAsync(UserId.Local, new SearchRequest(q, Limit, null, null, Snippets: false), CancellationToken.None)).Select(h => $"s{byId[h.Note.Id]}")],
            (note, content) => store.UpdateAsync(UserId.Local, ids[note], null, content, null, CancellationToken.None),
            note => store.DeleteAsync(UserId.Local, ids[note], null, CancellationToken.None),
            size)
        {
            BuildSeconds = seconds,
            Dispose = async () =>
            {
                await services.DisposeAsync();
                if (scratch is not null)
                {
                    await scratch.DisposeAsync();
                }
            },
        };
    }

    private static async Task<long> PostgresSizeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Lucene.Net with BM25, filled from the same notes; queries run Neptune's two passes (all words, then any word).</summary>
    private static Engine LuceneEngine(string dir, List<Passage> passages, List<int[]> picks)
    {
        const LuceneVersion version = LuceneVersion.LUCENE_48;
        var analyzer = Analyzer.NewAnonymous((field, reader) =>
        {
            var tokenizer = new StandardTokenizer(version, reader) { MaxTokenLength = 255 };
            return new TokenStreamComponents(tokenizer, new ASCIIFoldingFilter(new LowerCaseFilter(version, tokenizer)));
        });
        var similarity = new BM25Similarity();
        var directory = LuceneDirectory.Open(dir);
        var writer = new IndexWriter(directory, new IndexWriterConfig(version, analyzer) { Similarity = similarity, RAMBufferSizeMB = 256, OpenMode = OpenMode.CREATE });
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < picks.Count; i++)
        {
            writer.AddDocument(Document(i, Title(passages, picks, i), Text(passages, picks[i])));
        }

        writer.Commit();
        var seconds = clock.Elapsed.TotalSeconds;
        var manager = new SearcherManager(writer, applyAllDeletes: true, new SearcherFactoryWithSimilarity(similarity));
        return new Engine(Lucene,
            q => Task.FromResult<IReadOnlyList<string>>(SearchLucene(manager, analyzer, q)),
            (note, content) =>
            {
                writer.UpdateDocument(new Term("id", $"s{note}"), Document(note, Title(passages, picks, note), content));
                writer.Commit();
                manager.MaybeRefresh();
                return Task.CompletedTask;
            },
            note =>
            {
                writer.DeleteDocuments(new Term("id", $"s{note}"));
                writer.Commit();
                manager.MaybeRefresh();
                return Task.CompletedTask;
            },
            () => Task.FromResult(System.IO.Directory.EnumerateFiles(dir).Sum(f => new FileInfo(f).Length)))
        {
            BuildSeconds = seconds,
            Dispose = () =>
            {
                manager.Dispose();
                writer.Dispose();
                directory.Dispose();
                analyzer.Dispose();
                return ValueTask.CompletedTask;
            },
        };
    }

    private static Document Document(int note, string title, string body) =>
    [
        new StringField("id", $"s{note}", Field.Store.YES),
        new TextField("title", title, Field.Store.NO),
        new TextField("body", body, Field.Store.NO),
    ];

    private static List<string> SearchLucene(SearcherManager manager, Analyzer analyzer, string query)
    {
        var terms = new List<string>();
        using (var stream = analyzer.GetTokenStream("body", query))
        {
            var term = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
            stream.Reset();
            while (stream.IncrementToken())
            {
                terms.Add(term.ToString());
            }

            stream.End();
        }

        var searcher = manager.Acquire();
        try
        {
            var ids = new List<string>(Limit);
            foreach (var occur in new[] { Occur.MUST, Occur.SHOULD })
            {
                var all = new BooleanQuery();
                foreach (var word in terms.Distinct())
                {
                    // A title hit weighs 4 body hits, as Neptune's TitleWeight.
                    all.Add(new BooleanQuery { { new TermQuery(new Term("title", word)) { Boost = 4 }, Occur.SHOULD }, { new TermQuery(new Term("body", word)), Occur.SHOULD } }, occur);
                }

                foreach (var hit in searcher.Search(all, Limit).ScoreDocs)
                {
                    var id = searcher.Doc(hit.Doc).Get("id");
                    if (ids.Count < Limit && !ids.Contains(id))
                    {
                        ids.Add(id);
                    }
                }

                if (ids.Count == Limit || terms.Count < 2)
                {
                    break;
                }
            }

            return ids;
        }
        finally
        {
            manager.Release(searcher);
        }
    }

    private sealed class SearcherFactoryWithSimilarity(Similarity similarity) : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = similarity };
    }

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Word();
}
