using Neptune.Llm.Models;
using Neptune.Llm.Relations;
using Neptune.Llm.Topics;

namespace Neptune.Llm.Contract;

/// <summary>POST /llm/v1/embeddings: texts to embed, with the model named as "provider/name" (or the active model when null).</summary>
public sealed record EmbeddingsRequest(IReadOnlyList<string> Inputs, string? Model = null);

/// <summary>One unit vector per input, in input order, and the exact model (registry id) that made them.</summary>
public sealed record EmbeddingsResponse(string Model, long ModelId, string Digest, int Dimensions, IReadOnlyList<float[]> Vectors, long Tokens);

/// <summary>POST /llm/v1/topics: notes whose topics to extract (one extraction per note).</summary>
public sealed record TopicsRequest(IReadOnlyList<TopicInput> Notes);

/// <summary>The topics of each note, in request order, and the extractor that produced them.</summary>
public sealed record TopicsResponse(IReadOnlyList<NoteTopics> Notes);

public sealed record NoteTopics(string Extractor, IReadOnlyList<ExtractedTopic> Topics);

/// <summary>
/// POST /llm/v1/notes: notes to index in one pass, each with its chunks (in order, the first holding the title and
/// opening text): the chunks are embedded with the active model and the note's topics extracted, the extractor using the
/// chunks' runs where it can (see <c>Neptune:Llm:Topics:Shortlist</c>).
/// </summary>
public sealed record NotesRequest(IReadOnlyList<NoteInput> Notes);

public sealed record NoteInput(string Title, string Content, IReadOnlyList<string> Chunks);

/// <summary>Each note's chunk vectors (unit length, in chunk order) and topics, in request order; the model that made the vectors.</summary>
public sealed record NotesResponse(string Model, long ModelId, string Digest, int Dimensions, IReadOnlyList<IndexedNote> Notes, long Tokens);

public sealed record IndexedNote(IReadOnlyList<float[]> Vectors, NoteTopics Topics);

/// <summary>POST /llm/v1/relations: topic pairs to score.</summary>
public sealed record RelationsRequest(IReadOnlyList<TopicPair> Pairs);

public sealed record RelationsResponse(IReadOnlyList<TopicRelation> Relations);

/// <summary>GET /llm/v1/models.</summary>
public sealed record ModelsResponse(IReadOnlyList<ModelState> Models);

/// <summary>
/// The llm role as the other roles see it, version 1. In one process it is bound to <see cref="LocalLlmService"/>;
/// across processes to <see cref="LlmHttpClient"/>, which calls the same contract over HTTP. Failures are
/// <see cref="LlmException"/> (model problems) or <see cref="Neptune.Core.NeptuneException"/> (bad requests) either way.
/// </summary>
public interface ILlmService
{
    Task<EmbeddingsResponse> EmbedAsync(EmbeddingsRequest request, CancellationToken ct);

    Task<TopicsResponse> ExtractTopicsAsync(TopicsRequest request, CancellationToken ct);

    /// <summary>Embeds each note's chunks and extracts its topics: what <see cref="EmbedAsync"/> and <see cref="ExtractTopicsAsync"/> give, in one pass.</summary>
    Task<NotesResponse> IndexNotesAsync(NotesRequest request, CancellationToken ct);

    Task<RelationsResponse> ScoreRelationsAsync(RelationsRequest request, CancellationToken ct);

    Task<ModelsResponse> GetModelsAsync(CancellationToken ct);
}
