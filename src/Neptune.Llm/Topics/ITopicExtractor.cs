namespace Neptune.Llm.Topics;

/// <summary>
/// A note as topic extraction sees it: its title and its Markdown body. A caller that has embedded the note already may
/// add the vector of its lead chunk (the title and opening text) and the model that made it ("onnx/all-MiniLM-L6-v2"):
/// an extractor that embeds with that model then uses it instead of embedding the note again.
/// </summary>
public sealed record TopicInput(string Title, string Content, float[]? LeadVector = null, string? LeadModel = null);

/// <summary>A topic of one note: a normalised label (see <c>TopicLabel.Normalize</c>) and how central it is to the note (0..1].</summary>
public sealed record ExtractedTopic(string Label, double Weight);

/// <summary>What a note is about, as 1–N short labels.</summary>
public interface ITopicExtractor
{
    /// <summary>Names the extractor and its model, e.g. "keyphrase:all-MiniLM-L6-v2" or "ollama:llama3.2"; stored as provenance.</summary>
    string Name { get; }

    /// <summary>Topics ordered by weight, strongest first; never throws for ordinary notes (falls back instead).</summary>
    Task<IReadOnlyList<ExtractedTopic>> ExtractAsync(TopicInput note, CancellationToken cancellationToken = default);

    /// <summary>The topics of each note, in order; an extractor that can share model calls between notes does.</summary>
    async Task<IReadOnlyList<IReadOnlyList<ExtractedTopic>>> ExtractAsync(IReadOnlyList<TopicInput> notes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notes);
        var results = new List<IReadOnlyList<ExtractedTopic>>(notes.Count);
        foreach (var note in notes)
        {
            results.Add(await ExtractAsync(note, cancellationToken));
        }

        return results;
    }
}
