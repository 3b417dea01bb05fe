namespace Neptune.Llm.Topics;

/// <summary>A note as topic extraction sees it: its title and its Markdown body.</summary>
public sealed record TopicInput(string Title, string Content);

/// <summary>A topic of one note: a normalised label (see <c>TopicLabel.Normalize</c>) and how central it is to the note (0..1].</summary>
public sealed record ExtractedTopic(string Label, double Weight);

/// <summary>What a note is about, as 1–N short labels; one call per note.</summary>
public interface ITopicExtractor
{
    /// <summary>Names the extractor and its model, e.g. "keyphrase:all-MiniLM-L6-v2" or "ollama:llama3.2"; stored as provenance.</summary>
    string Name { get; }

    /// <summary>Topics ordered by weight, strongest first; never throws for ordinary notes (falls back instead).</summary>
    Task<IReadOnlyList<ExtractedTopic>> ExtractAsync(TopicInput note, CancellationToken cancellationToken = default);
}
