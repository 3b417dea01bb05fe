using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Neptune.Core;

namespace Neptune.Llm.Contract;

/// <summary>
/// <see cref="ILlmService"/> over HTTP, for roles in other processes. Problem responses become the same exceptions the
/// in-process binding throws, with the server's message; a dead llm service is <see cref="LlmErrorKind.Unreachable"/>.
/// </summary>
public sealed class LlmHttpClient(HttpClient http) : ILlmService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<EmbeddingsResponse> EmbedAsync(EmbeddingsRequest request, CancellationToken ct) =>
        SendAsync<EmbeddingsResponse>(HttpMethod.Post, "embeddings", request, ct);

    public Task<TopicsResponse> ExtractTopicsAsync(TopicsRequest request, CancellationToken ct) =>
        SendAsync<TopicsResponse>(HttpMethod.Post, "topics", request, ct);

    public Task<RelationsResponse> ScoreRelationsAsync(RelationsRequest request, CancellationToken ct) =>
        SendAsync<RelationsResponse>(HttpMethod.Post, "relations", request, ct);

    public Task<ModelsResponse> GetModelsAsync(CancellationToken ct) =>
        SendAsync<ModelsResponse>(HttpMethod.Get, "models", null, ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, $"{LlmApi.Prefix.TrimStart('/')}/{path}");
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e)
        {
            throw new LlmException(LlmErrorKind.Unreachable, "llm",
                $"The llm service at {http.BaseAddress} is not reachable ({e.Message}). Start it (`neptune serve --role llm`) or fix Neptune:Services:Llm.", e);
        }
        catch (Exception e) when (e is TaskCanceledException or TimeoutException && !ct.IsCancellationRequested)
        {
            throw new LlmException(LlmErrorKind.Timeout, "llm", $"The llm service at {http.BaseAddress} did not answer in time (Neptune:Services:LlmTimeout).", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await ProblemAsync(response, ct);
            }

            try
            {
                return await response.Content.ReadFromJsonAsync<T>(Json, ct)
                    ?? throw new JsonException("empty body");
            }
            catch (JsonException e)
            {
                throw new LlmException(LlmErrorKind.MalformedResponse, "llm", $"The llm service answered {path} with a body Neptune cannot read: {e.Message}", e);
            }
        }
    }

    private static async Task<Exception> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        Problem? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync<Problem>(Json, ct);
        }
        catch (JsonException)
        {
            // Not problem+json (a proxy's HTML page, say): report the status alone.
        }

        var detail = problem?.Detail ?? $"The llm service answered {(int)response.StatusCode} {response.ReasonPhrase}.";
        if (problem?.Kind is { } kindName && Enum.TryParse<LlmErrorKind>(kindName, out var kind))
        {
            return new LlmException(kind, problem.Provider ?? "llm", detail);
        }

        return response.StatusCode switch
        {
            HttpStatusCode.BadRequest => new NeptuneException(ErrorKind.Invalid, detail, problem?.Field),
            HttpStatusCode.RequestEntityTooLarge => new NeptuneException(ErrorKind.TooLarge, detail, problem?.Field),
            HttpStatusCode.NotFound => new NeptuneException(ErrorKind.NotFound, detail, problem?.Field),
            HttpStatusCode.Conflict => new NeptuneException(ErrorKind.Conflict, detail, problem?.Field),
            >= HttpStatusCode.InternalServerError => new LlmException(LlmErrorKind.ServerError, "llm", detail),
            _ => new LlmException(LlmErrorKind.InvalidRequest, "llm", detail),
        };
    }

    private sealed record Problem(int? Status, string? Title, string? Detail, string? Field, string? Kind, string? Provider);
}
