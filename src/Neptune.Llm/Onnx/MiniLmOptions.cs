using System.ComponentModel.DataAnnotations;

namespace Neptune.Llm.Onnx;

/// <summary>The embedded embedding model, bound from "Neptune:Llm:Onnx".</summary>
public sealed class MiniLmOptions
{
    public const string Section = "Neptune:Llm:Onnx";

    /// <summary>
    /// Which build of all-MiniLM-L6-v2 runs: <see cref="MiniLmEmbeddingGenerator.Int8ModelName"/> (weights quantised to
    /// int8 when first needed, ~1.8× faster, a quarter of the size) or <see cref="MiniLmEmbeddingGenerator.ModelName"/> (the
    /// float original). Changing it re-embeds every note in the background at the next start.
    /// </summary>
    [Required]
    [AllowedValues(MiniLmEmbeddingGenerator.Int8ModelName, MiniLmEmbeddingGenerator.ModelName)]
    public string Model { get; set; } = MiniLmEmbeddingGenerator.Int8ModelName;

    /// <summary>Threads ONNX Runtime may use, shared between the <see cref="ParallelRuns"/>.</summary>
    [Range(1, 256)]
    public int Threads { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>
    /// Runs of bulk calls (the indexer's batches; one call or several at once) given to the model at once, each on
    /// Threads / ParallelRuns threads of its own; a query's one run goes beside them.
    /// Threads working on one run wait for each other at every operator, and the int8 model's products are too small to
    /// share well: on 2 cores, two single-threaded runs at once embedded 300 man pages at 25–27k tokens/s against
    /// 21–24k for one run on both threads (the float model: 12.7–13.5k against 12.5–12.7k).
    /// </summary>
    [Range(1, 64)]
    public int ParallelRuns { get; set; } = 2;

    /// <summary>
    /// The nice value (0–19, higher yields more) of the threads that run the indexer's batches, on Linux: the API's
    /// requests and queries, at the usual priority, take a core from them at once. 0: the usual priority.
    /// </summary>
    [Range(0, 19)]
    public int IndexingNice { get; set; } = 5;

    /// <summary>Intra-op threads of one run.</summary>
    public int ThreadsPerRun => Math.Max(1, Threads / ParallelRuns);

    /// <summary>Tokens per input, [CLS] and [SEP] included; the model was trained on at most 256.</summary>
    [Range(8, 512)]
    public int MaxTokens { get; set; } = 256;

    /// <summary>
    /// Inputs per ONNX run (activations grow with the batch). With threads that sleep between operators 4 is as fast as
    /// 8 and smaller: 790 man-page chunks took 27.8–29.0 CPU-s at peak RSS 365–381 MB, against 29.7–33.3 CPU-s and
    /// 408–415 MB at 8 (2 shared cores; with spinning threads 8 had been best, 16 and 32 slower and larger still).
    /// </summary>
    [Range(1, 1024)]
    public int MaxBatch { get; set; } = 4;

    /// <summary>
    /// Let ONNX Runtime's threads spin between operators instead of sleeping. On 2 shared cores spinning took the CPU the
    /// other threads needed: 504 man-page chunks took 49–52 s and 31–33 CPU-s with it, 32–35 s and 21–22 CPU-s without,
    /// and a one-line query 5.8–7.7 ms (p50) against 4.5–5.1 ms.
    /// </summary>
    public bool Spin { get; set; }

    /// <summary>
    /// How long a bulk call (the indexer's, more than one input) waits before each run for the searches in flight in
    /// this process to finish; a search that starts during a run stops it, and it is run again after (once per batch).
    /// On 2 cores a query otherwise shares them with a batch run. Zero: bulk calls never give way.
    /// </summary>
    public TimeSpan YieldToQueriesFor { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Give the memory batches took back to the system after this long without embedding (zero: never).</summary>
    public TimeSpan ShrinkArenaAfterIdle { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Where the model file is unpacked once (the runtime loads it from disk, so no second copy stays in managed memory).</summary>
    [Required]
    public string CacheDir { get; set; } = Path.Combine(Path.GetTempPath(), "neptune-models");
}
