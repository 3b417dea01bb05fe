namespace Neptune.Llm.Contract;

/// <summary>
/// <see cref="ILlmService"/> over HTTP, for roles in other processes. Problem responses become the same exceptions the
/// in-process binding throws, with the server's message; a dead llm service is <see cref="LlmErrorKind.Unreachable"/>.
/// </summary>
public sealed class LlmHttpClient(HttpClient http) : RoleHttpClient(http, LlmApi.Prefix, "llm", "Neptune:Services:Llm"), ILlmService
{
    public Task<EmbeddingsResponse> EmbedAsync(EmbeddingsRequest request, CancellationToken ct) =>
        SendAsync<EmbeddingsResponse>(HttpMethod.Post, "embeddings", request, ct);

    public Task<TopicsResponse> ExtractTopicsAsync(TopicsRequest request, CancellationToken ct) =>
        SendAsync<TopicsResponse>(HttpMethod.Post, "topics", request, ct);

    public Task<NotesResponse> IndexNotesAsync(NotesRequest request, CancellationToken ct) =>
        SendAsync<NotesResponse>(HttpMethod.Post, "notes", request, ct);

    public Task<RelationsResponse> ScoreRelationsAsync(RelationsRequest request, CancellationToken ct) =>
        SendAsync<RelationsResponse>(HttpMethod.Post, "relations", request, ct);

    public Task<ModelsResponse> GetModelsAsync(CancellationToken ct) =>
        SendAsync<ModelsResponse>(HttpMethod.Get, "models", null, ct);

    protected override Exception Failure(RoleCallFailure kind, string message, Exception? inner) => kind switch
    {
        RoleCallFailure.Unreachable => new LlmException(LlmErrorKind.Unreachable, "llm", message, inner),
        RoleCallFailure.Timeout => new LlmException(LlmErrorKind.Timeout, "llm", $"{message} (Neptune:Services:LlmTimeout)", inner),
        RoleCallFailure.Unreadable => new LlmException(LlmErrorKind.MalformedResponse, "llm", message, inner),
        RoleCallFailure.Refused => new LlmException(LlmErrorKind.InvalidRequest, "llm", message, inner),
        _ => new LlmException(LlmErrorKind.ServerError, "llm", message, inner),
    };

    protected override Exception? FromProblem(ProblemBody problem, string detail) =>
        problem.Kind is { } name && Enum.TryParse<LlmErrorKind>(name, out var kind) ? new LlmException(kind, problem.Provider ?? "llm", detail) : null;
}
