using Neptune.Data;

namespace Neptune.Indexer.Pipeline;

public enum JobResult
{
    /// <summary>Completed (its row is gone).</summary>
    Done,

    /// <summary>Failed because of this note or a fault: counts as an attempt.</summary>
    Failed,

    /// <summary>Could not run because the model is unavailable: put back without counting an attempt.</summary>
    Unavailable,
}

public sealed record JobOutcome(LeasedJob Job, JobResult Result, string? Error = null);

/// <summary>The jobs of one note in a batch, the note as read, and what the pipeline made of it so far.</summary>
internal sealed class NoteWork(IndexSource source, IReadOnlyList<LeasedJob> jobs)
{
    public IndexSource Source { get; } = source;

    public IReadOnlyList<LeasedJob> Jobs { get; } = jobs;

    public long NoteId => Source.NoteId;

    public IReadOnlyList<NoteChunk> Chunks { get; set; } = [];

    public IReadOnlyList<float[]> Vectors { get; set; } = [];

    public long ModelId { get; set; }

    /// <summary>The model's reference ("onnx/all-MiniLM-L6-v2"), as the llm named it when embedding the chunks.</summary>
    public string? Model { get; set; }

    public int Dimensions { get; set; }

    public long Tokens { get; set; }

    public string TopicSource { get; set; } = "";

    public IReadOnlyList<TopicToStore> Topics { get; set; } = [];

    /// <summary>Set when the note cannot go on in this batch.</summary>
    public (JobResult Result, string Error)? Stopped { get; set; }
}
