using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Neptune.Llm.Contract;

/// <summary>The llm role's HTTP contract, version 1: a thin mapping of <see cref="ILlmService"/> onto routes.</summary>
public static class LlmApi
{
    public const string Prefix = "/llm/v1";

    public static IEndpointRouteBuilder MapLlmApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(Prefix).WithTags("LLM");
        group.MapPost("/embeddings", async Task<Ok<EmbeddingsResponse>> (EmbeddingsRequest request, LocalLlmService llm, CancellationToken ct) =>
            TypedResults.Ok(await llm.EmbedAsync(request, ct)))
            .WithSummary("Embed texts with the active (or named) model");
        group.MapPost("/topics", async Task<Ok<TopicsResponse>> (TopicsRequest request, LocalLlmService llm, CancellationToken ct) =>
            TypedResults.Ok(await llm.ExtractTopicsAsync(request, ct)))
            .WithSummary("Extract 1–N topics per note");
        group.MapPost("/notes", async Task<Ok<NotesResponse>> (NotesRequest request, LocalLlmService llm, CancellationToken ct) =>
            TypedResults.Ok(await llm.IndexNotesAsync(request, ct)))
            .WithSummary("Embed notes' chunks and extract their topics in one pass");
        group.MapPost("/relations", async Task<Ok<RelationsResponse>> (RelationsRequest request, LocalLlmService llm, CancellationToken ct) =>
            TypedResults.Ok(await llm.ScoreRelationsAsync(request, ct)))
            .WithSummary("Score how related topic pairs are (0..1)");
        group.MapGet("/models", async Task<Ok<ModelsResponse>> (LocalLlmService llm, CancellationToken ct) =>
            TypedResults.Ok(await llm.GetModelsAsync(ct)))
            .WithSummary("Registered models, the active one, and their state");
        return routes;
    }

    /// <summary>The HTTP status a model failure is reported with; the problem body carries the kind so clients can rebuild it.</summary>
    public static int StatusFor(LlmErrorKind kind) => kind switch
    {
        LlmErrorKind.InvalidRequest => StatusCodes.Status400BadRequest,
        LlmErrorKind.ModelNotFound => StatusCodes.Status404NotFound,
        LlmErrorKind.ModelChanged => StatusCodes.Status409Conflict,
        LlmErrorKind.Timeout => StatusCodes.Status504GatewayTimeout,
        LlmErrorKind.ServerError or LlmErrorKind.MalformedResponse => StatusCodes.Status502BadGateway,
        _ => StatusCodes.Status503ServiceUnavailable,
    };
}
