using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Core.Vectors;
using Neptune.Data;
using Neptune.Data.Sqlite;
using Neptune.Host.Evaluation;
using Neptune.Llm.Contract;

namespace Neptune.Bench;

/// <summary>
/// The desktop vector index at 10k and 100k 384-d vectors: MiniLM vectors of man-page chunks, perturbed into clusters,
/// searched with real embedded dev queries. Loading from the embeddings table, scan variants (float32 exact, int8 +
/// float16 re-rank as shipped, a System.Numerics.Tensors reference), QPS, p50/p95, recall against the float32 exact
/// scan, memory.
/// </summary>
public static class VectorSuite
{
    private const int ChunksPerNote = 4;

    public static async Task RunAsync(bool smoke, IReadOnlyList<int> sizes)
    {
        var repo = BenchKit.FindRepo();
        var culture = CultureInfo.InvariantCulture;
        var loadAtStart = Machine.LoadAverage();
        await using var subset = await ManPageSubset.OpenAsync(repo, smoke ? 40 : 500);
        var bases = await ReadVectorsAsync(Path.Combine(subset.DataDir, "neptune.db"));
        var llm = subset.Services.GetRequiredService<ILlmService>();
        var texts = EvalFiles.ReadQueries(Path.Combine(BenchKit.ManPagesDir(repo), "queries-dev.jsonl")).Select(q => q.Text).Take(smoke ? 20 : 300).ToList();
        var queries = (await llm.EmbedAsync(new EmbeddingsRequest(texts), CancellationToken.None)).Vectors;
        var report = new StringBuilder();
        report.Append(BenchKit.Header("Vector index benchmark", smoke, repo, "`./bench.sh vectors`", $"AVX-VNNI {System.Runtime.Intrinsics.X86.AvxVnni.IsSupported}, AVX-512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}"))
            .AppendLine(culture, $"- Vectors: the {bases.Count} MiniLM chunk vectors of {subset.Built.Split(',')[0]}, each copy = unit(base + 0.35 × another base + N(0, 0.02²) per dimension), so they form realistic near-duplicate clusters; {ChunksPerNote} chunks per note")
            .AppendLine(culture, $"- Queries: {queries.Count} dev queries embedded by MiniLM; one thread, sequential, after 20 warm-up queries")
            .AppendLine();

        var runs = new StringBuilder("| vectors | vectors made s | embeddings table written s | database MB | process RSS after the index loaded, MB |\n|---|---|---|---|---|\n");
        var loads = new StringBuilder("| vectors | loader | load ms (median of 3) | allocated during load | index arrays |\n|---|---|---|---|---|\n");
        var bandwidth = VectorPeers.ReadBandwidth(smoke);
        var peers = new SortedDictionary<int, List<(string Method, Measured M, double BuildSeconds, double MemoryMb)>>();
        var scans = new StringBuilder("| vectors | scan | k | QPS | p50 ms | p95 ms | recall@k vs float32 exact |\n|---|---|---|---|---|---|---|\n");
        foreach (var size in sizes.Count > 0 ? sizes : smoke ? [2000] : new[] { 10_000, 100_000 })
        {
            var dir = Path.Combine(Path.GetTempPath(), $"neptune-bench-vectors-{Guid.NewGuid():N}"[..40]);
            try
            {
                var clock = Stopwatch.StartNew();
                var vectors = Perturb(bases, size, seed: size);
                var perturbed = clock.Elapsed.TotalSeconds;
                clock.Restart();
                await using var services = await CreateStoreAsync(dir, vectors);
                var written = clock.Elapsed.TotalSeconds;
                var db = services.GetRequiredService<SqliteDatabase>();
                ExactVectorIndex index = null!;
                SqliteVectorIndexProvider? provider = null;
                var (ms, allocated) = await TimeLoadAsync(async () =>
                {
                    provider?.Dispose();
                    provider = new SqliteVectorIndexProvider(db);
                    index = (ExactVectorIndex)await provider.GetAsync(1, 384, CancellationToken.None);
                });
                using var loaded = provider;
                using var fullProvider = new SqliteVectorIndexProvider(db, VectorPrecision.Full);
                var full = (ExactVectorIndex)await fullProvider.GetAsync(1, 384, CancellationToken.None);  // float32 copies: the exact reference
                runs.AppendLine(culture, $"| {size:N0} | {perturbed:F1} | {written:F1} | {new FileInfo(Path.Combine(dir, "neptune.db")).Length / 1e6:F0} | {VectorPeers.SettledRss() / 1e6:F0} |");
                loads.AppendLine(culture, $"| {size:N0} | SqliteVectorIndexProvider (SQLite C API, blob copied straight into the index) | {ms:F0} | {allocated / 1e6:F1} MB | {index.ArrayBytes / 1e6:F0} MB (float32 copies instead: {full.ArrayBytes / 1e6:F0} MB) |");
                loads.AppendLine(culture, $"| {size:N0} | (for scale: first touch of {index.ArrayBytes / 1e6:F0} MB of fresh memory on this machine) | {FirstTouchMs(index.ArrayBytes):F0} | | |");
                var (adoMs, adoAllocated) = await TimeLoadAsync(() => LoadWithAdoNetAsync(db, 384));
                loads.AppendLine(culture, $"| {size:N0} | ADO.NET reader, a byte[] and float[] per row (the first version) | {adoMs:F0} | {adoAllocated / 1e6:F1} MB | |");

                var flat = new float[vectors.Count * 384];
                for (var i = 0; i < vectors.Count; i++)
                {
                    vectors[i].CopyTo(flat, i * 384);
                }

                foreach (var k in new[] { 10, 200 })
                {
                    var exact = queries.Select(q => full.Search(q, k, null, VectorScan.Full).Select(h => h.ChunkId).ToHashSet()).ToList();
                    Run("float32 exact (Core, Vector256 FMA)", q => full.Search(q, k, null, VectorScan.Full));
                    Run("float32 exact, TensorPrimitives.Dot (reference)", q => ScanWithTensorPrimitives(flat, q, k));
                    Run("float16 exact (the shipped index's copies, widened on the fly)", q => index.Search(q, k, null, VectorScan.Full));
                    Run("int8 only (its own top k, re-scored in float16 but not re-ranked beyond them)", q => index.Search(q, k, null, new VectorScan(true, 1, 0)));
                    Run("int8 + float32 re-rank of max(2k, 40) (the float32 index)", q => full.Search(q, k, null, VectorScan.Default));
                    foreach (var oversample in new[] { 2, 4, 8 })
                    {
                        var scan = new VectorScan(true, oversample, 40);
                        Run($"int8 + float16 re-rank of max({oversample}k, 40){(scan == VectorScan.Default ? " (shipped)" : "")}", q => index.Search(q, k, null, scan));
                    }

                    Run("shipped scan, 10 % of notes accepted by the filter", q => index.Search(q, k, note => note % 10 == 0));

                    void Run(string label, Func<float[], IReadOnlyList<VectorHit>> search)
                    {
                        var m = VectorPeers.Measure(queries, exact, q => search(q).Select(h => h.ChunkId));
                        var recallText = label.Contains("filter", StringComparison.Ordinal) ? "(filtered)" : m.Recall.ToString("F4", culture);
                        scans.AppendLine(culture, $"| {size:N0} | {label} | {k} | {m.Qps:N0} | {m.P50:F2} | {m.P95:F2} | {recallText} |");
                    }
                }

                peers.Add(size, VectorPeers.Compare(dir, size, vectors, queries, index, full, ms / 1000));
            }

            finally
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(dir, recursive: true);
            }
        }

        report.AppendLine("## The run's own cost").AppendLine()
            .AppendLine("What each size takes before anything is measured: the perturbed vectors made in memory, the embeddings table written (one transaction), and this process's resident memory once the index is loaded (the vectors list, a flat copy for the reference scan and the index itself: about 3 × 1.5 KB per vector, so 1M vectors need about 5 GB).").AppendLine()
            .Append(runs).AppendLine();
        report.AppendLine("## Loading from the embeddings table").AppendLine().Append(loads).AppendLine()
            .AppendLine("## Search").AppendLine().Append(scans).AppendLine()
            .AppendLine("k = 200 is what semantic and hybrid search ask for (50 candidate notes × 4 chunks). Recall is measured on chunk ids against the float32 exact scan of the same index.")
            .AppendLine();
        report.Append(VectorPeers.Section(repo, smoke, peers, bandwidth));
        report.AppendLine(culture, $"Load average (1/5/15 min) at the start: {loadAtStart}; at the end: {Machine.LoadAverage()} — on 2 shared cores, timings scale with it.").AppendLine();
        await BenchKit.WriteReportAsync(repo, "vectors", smoke, report.ToString());
    }

    private static async Task<List<float[]>> ReadVectorsAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT vector FROM embeddings ORDER BY chunk_id";
        await using var reader = await command.ExecuteReaderAsync();
        var vectors = new List<float[]>();
        while (await reader.ReadAsync())
        {
            vectors.Add(MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(0)).ToArray());
        }

        return vectors;
    }

    /// <summary>unit(a + 0.35 × b + N(0, 0.02²) per dimension): a realistic near-duplicate of <paramref name="a"/>.</summary>
    internal static float[] Perturb(float[] a, float[] b, Random random)
    {
        var v = new float[a.Length];
        for (var d = 0; d < v.Length; d++)
        {
            // Box–Muller: one standard normal per dimension.
            var gauss = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            v[d] = a[d] + (0.35f * b[d]) + (float)(0.02 * gauss);
        }

        TensorPrimitives.Divide(v, MathF.Sqrt(TensorPrimitives.Dot(v, v)), v);
        return v;
    }

    private static List<float[]> Perturb(List<float[]> bases, int count, int seed)
    {
        var random = new Random(seed);
        var vectors = new List<float[]>(count);
        for (var i = 0; i < count; i++)
        {
            var a = bases[random.Next(bases.Count)];
            vectors.Add(Perturb(a, bases[random.Next(bases.Count)], random));
        }

        return vectors;
    }

    /// <summary>A real data dir with the migrations applied, one model, and notes / chunks / embeddings rows for the vectors.</summary>
    private static async Task<ServiceProvider> CreateStoreAsync(string dir, List<float[]> vectors)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Neptune:DataDir"] = dir }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddNeptuneStore().BuildServiceProvider();
        await services.GetRequiredService<IDatabase>().MigrateAsync(CancellationToken.None);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dir, "neptune.db")}");
        await connection.OpenAsync();
        await using var tx = connection.BeginTransaction();
        await using (var model = connection.CreateCommand())
        {
            model.CommandText = "INSERT INTO models (id, provider, name, digest, dims, active, created_at) VALUES (1, 'onnx', 'bench', 'x', 384, 1, 0)";
            await model.ExecuteNonQueryAsync();
        }

        await using var note = connection.CreateCommand();
        note.CommandText = """
            INSERT INTO notes (id, version, size_bytes, created_at, updated_at, name, file_name, title, content_hash, content)
            VALUES ($id, 1, 0, 0, 0, $name, $name, $name, '', '')
            """;
        var noteId = note.Parameters.Add("$id", SqliteType.Integer);
        var name = note.Parameters.Add("$name", SqliteType.Text);
        await using var chunk = connection.CreateCommand();
        chunk.CommandText = """INSERT INTO chunks (id, note_id, ordinal, start, "end", tokens) VALUES ($id, $note, $ordinal, 0, 0, 0)""";
        var chunkId = chunk.Parameters.Add("$id", SqliteType.Integer);
        var chunkNote = chunk.Parameters.Add("$note", SqliteType.Integer);
        var ordinal = chunk.Parameters.Add("$ordinal", SqliteType.Integer);
        await using var embedding = connection.CreateCommand();
        embedding.CommandText = "INSERT INTO embeddings (chunk_id, model_id, vector) VALUES ($chunk, 1, $vector)";
        var embeddingChunk = embedding.Parameters.Add("$chunk", SqliteType.Integer);
        var blob = embedding.Parameters.Add("$vector", SqliteType.Blob);
        for (var i = 0; i < vectors.Count; i++)
        {
            var owner = (i / ChunksPerNote) + 1;
            if (i % ChunksPerNote == 0)
            {
                (noteId.Value, name.Value) = (owner, $"n{owner}");
                await note.ExecuteNonQueryAsync();
            }

            (chunkId.Value, chunkNote.Value, ordinal.Value) = (i + 1, owner, i % ChunksPerNote);
            await chunk.ExecuteNonQueryAsync();
            (embeddingChunk.Value, blob.Value) = (i + 1, SqliteVectorIndexProvider.ToBlob(vectors[i]));
            await embedding.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
        return services;
    }

    private static async Task<(double Ms, long Allocated)> TimeLoadAsync(Func<Task> load)
    {
        var times = new List<double>();
        long allocated = 0;
        for (var run = 0; run < 3; run++)
        {
            GC.Collect();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var t = Stopwatch.StartNew();
            await load();
            times.Add(t.Elapsed.TotalMilliseconds);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        }

        return (BenchKit.Median(times), allocated);
    }

    /// <summary>
    /// What writing once to every page of <paramref name="bytes"/> of newly allocated memory costs. In a microVM whose
    /// host backs guest memory lazily (free-page reporting), this dominates loading; on a desktop it is a few ms.
    /// </summary>
    private static double FirstTouchMs(long bytes)
    {
        GC.Collect();
        var t = Stopwatch.StartNew();
        var memory = GC.AllocateUninitializedArray<byte>((int)Math.Min(bytes, int.MaxValue));
        for (var i = 0; i < memory.Length; i += 4096)
        {
            memory[i] = 1;
        }

        GC.KeepAlive(memory);
        return t.Elapsed.TotalMilliseconds;
    }

    /// <summary>The loader as first written: the same query through ADO.NET, copying every blob twice.</summary>
    private static async Task LoadWithAdoNetAsync(SqliteDatabase db, int dimensions)
    {
        using var index = new ExactVectorIndex(1, dimensions);
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.note_id, e.chunk_id, e.vector
            FROM embeddings e
            JOIN chunks c ON c.id = e.chunk_id
            JOIN notes n ON n.id = c.note_id
            WHERE e.model_id = 1 AND n.deleted_at IS NULL
            """;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var vector = MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(2)).ToArray();
            index.Add(reader.GetInt64(0), reader.GetInt64(1), vector);
        }
    }

    private static List<VectorHit> ScanWithTensorPrimitives(float[] flat, float[] query, int k)
    {
        var best = new PriorityQueue<int, float>(k + 1);
        for (var slot = 0; slot < flat.Length / 384; slot++)
        {
            var score = TensorPrimitives.Dot(query, flat.AsSpan(slot * 384, 384));
            if (best.Count < k)
            {
                best.Enqueue(slot, score);
            }
            else if (best.TryPeek(out _, out var worst) && score > worst)
            {
                best.DequeueEnqueue(slot, score);
            }
        }

        var hits = new List<VectorHit>(best.Count);
        while (best.TryDequeue(out var slot, out var score))
        {
            hits.Add(new VectorHit((slot / ChunksPerNote) + 1, slot + 1, score));
        }

        hits.Reverse();
        return hits;
    }
}
