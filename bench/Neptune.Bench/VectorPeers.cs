using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text;
using Cloud.Unum.USearch;
using Microsoft.Data.Sqlite;
using Neptune.Core.Vectors;

namespace Neptune.Bench;

/// <summary>
/// What the vector index is measured against: sqlite-vec (the peer a SQLite app would reach for), USearch HNSW (a
/// candidate approximate index) and the memory-bandwidth roofline of an exact float32 scan.
/// </summary>
public static class VectorPeers
{
    private const string SqliteVecVersion = "0.1.9";

    /// <summary>Neptune's scans, sqlite-vec and USearch on the same vectors and queries at k = 10, with build time and memory kept.</summary>
    public static List<(string Method, Measured M, double BuildSeconds, double MemoryMb)> Compare(string dir, int size, IReadOnlyList<float[]> vectors, IReadOnlyList<float[]> queries, ExactVectorIndex index, ExactVectorIndex full, double loadSeconds)
    {
        const int k = 10;
        var exact = queries.Select(q => full.Search(q, k, null, VectorScan.Full).Select(h => h.ChunkId).ToHashSet()).ToList();
        var rows = new List<(string, Measured, double, double)>
        {
            ("Neptune float32 exact scan", Measure(queries, exact, q => full.Search(q, k, null, VectorScan.Full).Select(h => h.ChunkId)), loadSeconds, full.ArrayBytes / 1e6),
            ("Neptune shipped (int8 + float16 re-rank)", Measure(queries, exact, q => index.Search(q, k, null, VectorScan.Default).Select(h => h.ChunkId)), loadSeconds, index.ArrayBytes / 1e6),
        };

        var before = SettledRss();
        var t = Stopwatch.StartNew();
        using (var vec = BuildSqliteVec(Path.Combine(dir, "sqlite-vec.db"), vectors))
        {
            var built = t.Elapsed.TotalSeconds;
            var search = SearchSqliteVec(vec, k);
            var m = Measure(queries, exact, search);
            rows.Add(("sqlite-vec 0.1.9 (vec0, brute force)", m, built, (SettledRss() - before) / 1e6));
        }

        before = SettledRss();
        t.Restart();
        using (var hnsw = BuildUSearch(vectors))
        {
            var built = t.Elapsed.TotalSeconds;
            var m = Measure(queries, exact, SearchUSearch(hnsw, k));
            rows.Add(("USearch HNSW (M 16, ef add 128, ef search 64)", m, built, (SettledRss() - before) / 1e6));
        }

        return rows;
    }

    public static string Section(string repo, bool smoke, SortedDictionary<int, List<(string Method, Measured M, double BuildSeconds, double MemoryMb)>> peers, double bandwidth)
    {
        var culture = CultureInfo.InvariantCulture;
        var section = new StringBuilder("## Side by side with peers (k = 10)\n\n")
            .AppendLine(culture, $"Roofline: one core reads memory at {bandwidth / 1e9:F1} GB/s here (best of 5 TensorPrimitives.Sum over 512 MB), so an exact float32 scan of N × 384 floats can answer at most bandwidth / (N × 1536 B) queries per second. Below 100k vectors the data may sit in cache, so the roofline is a floor on what is possible there, not a ceiling.").AppendLine()
            .AppendLine("| vectors | method | QPS | p50 ms | p95 ms | recall@10 vs exact | build s | memory MB | roofline QPS / QPS |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (size, rows) in peers)
        {
            var roofline = bandwidth / (size * 384.0 * sizeof(float));
            foreach (var (method, m, build, memory) in rows)
            {
                section.AppendLine(culture, $"| {size:N0} | {method} | {m.Qps:N0} | {m.P50:F2} | {m.P95:F2} | {m.Recall:F4} | {build:F2} | {memory:F0} | {roofline / m.Qps:F2}× |");
            }

            section.AppendLine(culture, $"| {size:N0} | roofline of an exact float32 scan | {roofline:N0} | | | 1.0000 | | {size * 1536.0 / 1e6:F0} | 1.00× |");
        }

        section.AppendLine().AppendLine("Build: for Neptune, loading the index from the embeddings table (median of 3); for sqlite-vec, filling the vec0 table in one transaction; for USearch, adding every vector to the graph. Memory: Neptune's index arrays; for the peers, growth of this process's RSS while they were built and queried (sqlite-vec has a 1 GiB page cache).").AppendLine();
        if (peers.TryGetValue(100_000, out var at100k))
        {
            var exactScan = at100k[0].M;
            var shipped = at100k[1].M;
            var vec = at100k.Single(r => r.Method.StartsWith("sqlite-vec", StringComparison.Ordinal)).M;
            var roofline = bandwidth / (100_000 * 384.0 * sizeof(float));
            section.AppendLine("| target at 100k | measured | met |").AppendLine("|---|---|---|")
                .AppendLine(culture, $"| exact float32 scan within 1.5× of the roofline | {roofline / exactScan.Qps:F2}× | {(roofline / exactScan.Qps <= 1.5 ? "yes" : "no")} |")
                .AppendLine(culture, $"| Neptune (shipped, recall ≥ 0.99) ≥ 5× sqlite-vec's QPS | {shipped.Qps / vec.Qps:F1}× at recall {shipped.Recall:F4} | {(shipped.Qps / vec.Qps >= 5 && shipped.Recall >= 0.99 ? "yes" : "no")} |")
                .AppendLine();
        }

        var methods = peers.Values.SelectMany(r => r).Select(r => r.Method).Distinct();
        var series = methods.Select(method => new PlotSeries(method,
                [.. peers.Keys.Select(n => Math.Log10(n))],
                [.. peers.Values.Select(rows => Math.Log10(rows.Single(r => r.Method == method).M.Qps))]))
            .Append(new PlotSeries("roofline (exact float32)", [.. peers.Keys.Select(n => Math.Log10(n))], [.. peers.Keys.Select(n => Math.Log10(bandwidth / (n * 1536.0)))]));
        return section.AppendLine(BenchKit.Plot(repo, "vectors", smoke, "qps", "Queries per second against index size (k = 10, one thread)", "log10 vectors", "log10 QPS", series)).AppendLine().ToString();
    }

    /// <summary>
    /// The sqlite-vec loadable extension from the npm package sqlite-vec-linux-x64, fetched once with npm into the
    /// bench cache (npm is the only place it is published as a binary for this platform).
    /// </summary>
    public static string SqliteVecExtension()
    {
        var cache = Path.Combine(Path.GetTempPath(), "neptune-bench-cache", $"sqlite-vec-{SqliteVecVersion}");
        var library = Path.Combine(cache, "package", "vec0.so");
        if (File.Exists(library))
        {
            return library;
        }

        Directory.CreateDirectory(cache);
        Run("npm", cache, "pack", $"sqlite-vec-linux-x64@{SqliteVecVersion}", "--silent");
        Run("tar", cache, "xzf", $"sqlite-vec-linux-x64-{SqliteVecVersion}.tgz");
        return File.Exists(library) ? library : throw new FileNotFoundException($"npm pack sqlite-vec-linux-x64 gave no {library}");
    }

    /// <summary>A vec0 table of float[384] in its own database file, filled in one transaction; keys are chunk ids (slot + 1).</summary>
    public static SqliteConnection BuildSqliteVec(string file, IReadOnlyList<float[]> vectors)
    {
        var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        connection.EnableExtensions(true);
        connection.LoadExtension(SqliteVecExtension());
        using (var setup = connection.CreateCommand())
        {
            // 1 GiB page cache: the table stays in memory, as Neptune's index does.
            setup.CommandText = $"PRAGMA cache_size = -1048576; CREATE VIRTUAL TABLE vec_chunks USING vec0(embedding float[{vectors[0].Length}]);";
            setup.ExecuteNonQuery();
        }

        using var tx = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO vec_chunks (rowid, embedding) VALUES ($id, $vector)";
        var id = insert.Parameters.Add("$id", SqliteType.Integer);
        var blob = insert.Parameters.Add("$vector", SqliteType.Blob);
        for (var i = 0; i < vectors.Count; i++)
        {
            (id.Value, blob.Value) = (i + 1, MemoryMarshal.AsBytes(vectors[i].AsSpan()).ToArray());
            insert.ExecuteNonQuery();
        }

        tx.Commit();
        return connection;
    }

    /// <summary>sqlite-vec's KNN query (L2 distance; the vectors are unit length, so the order is the cosine order).</summary>
    public static Func<float[], long[]> SearchSqliteVec(SqliteConnection connection, int k)
    {
        var query = connection.CreateCommand();
        query.CommandText = """
            SELECT rowid
            FROM vec_chunks
            WHERE embedding MATCH $query AND k = $k
            ORDER BY distance
            """;
        var vector = query.Parameters.Add("$query", SqliteType.Blob);
        query.Parameters.AddWithValue("$k", k);
        return q =>
        {
            vector.Value = MemoryMarshal.AsBytes(q.AsSpan()).ToArray();
            using var reader = query.ExecuteReader();
            var ids = new List<long>(k);
            while (reader.Read())
            {
                ids.Add(reader.GetInt64(0));
            }

            return [.. ids];
        };
    }

    /// <summary>A USearch HNSW graph over the vectors (inner product on unit vectors, float32, connectivity 16, expansion 128 when adding).</summary>
    public static USearchIndex BuildUSearch(IReadOnlyList<float[]> vectors)
    {
        var index = new USearchIndex(MetricKind.Ip, ScalarKind.Float32, (ulong)vectors[0].Length, connectivity: 16, expansionAdd: 128, expansionSearch: 64);
        for (var i = 0; i < vectors.Count; i++)
        {
            index.Add((ulong)(i + 1), vectors[i]);
        }

        return index;
    }

    public static Func<float[], long[]> SearchUSearch(USearchIndex index, int k) =>
        q =>
        {
            var found = index.Search(q, k, out ulong[] keys, out float[] _);
            return [.. keys.Take(found).Select(key => (long)key)];
        };

    /// <summary>
    /// Single-thread read bandwidth in bytes/s: the best of 5 sums over a 512 MB float array (far larger than any
    /// cache), the rate at which one core can stream vectors from memory.
    /// </summary>
    public static double ReadBandwidth(bool smoke)
    {
        var data = new float[smoke ? 1 << 22 : 1 << 27];
        data.AsSpan().Fill(1f);
        var best = double.MaxValue;
        for (var run = 0; run < 5; run++)
        {
            var t = Stopwatch.StartNew();
            var sum = TensorPrimitives.Sum<float>(data);
            best = Math.Min(best, t.Elapsed.TotalSeconds);
            GC.KeepAlive(sum);
        }

        return data.Length * (double)sizeof(float) / best;
    }

    /// <summary>QPS, p50/p95 (ms) and mean recall against the exact top k, one thread, after 20 warm-up queries.</summary>
    public static Measured Measure(IReadOnlyList<float[]> queries, IReadOnlyList<HashSet<long>> exact, Func<float[], IEnumerable<long>> search)
    {
        foreach (var q in queries.Take(20))
        {
            search(q);
        }

        var latencies = new List<double>();
        var recall = 0.0;
        var total = Stopwatch.StartNew();
        for (var i = 0; i < queries.Count; i++)
        {
            var t = Stopwatch.StartNew();
            var hits = search(queries[i]);
            latencies.Add(t.Elapsed.TotalMilliseconds);
            recall += hits.Count(exact[i].Contains) / (double)exact[i].Count;
        }

        var qps = queries.Count / total.Elapsed.TotalSeconds;
        latencies.Sort();
        return new Measured(qps, Machine.Percentile(latencies, 50), Machine.Percentile(latencies, 95), recall / queries.Count);
    }

    /// <summary>Resident memory of this process after a full collection: what building something kept.</summary>
    public static long SettledRss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Machine.RssBytes(Environment.ProcessId);
    }

    private static void Run(string tool, string directory, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, args) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed: {error.Result}");
        }
    }
}

public sealed record Measured(double Qps, double P50, double P95, double Recall);
