using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Neptune.Core;

namespace Neptune.Indexer.Contract;

/// <summary>
/// <see cref="IIndexerService"/> over HTTP, for roles in other processes. 4xx problems become the same
/// <see cref="NeptuneException"/> the in-process binding throws; an unreachable or failing indexer is an <see cref="IndexerException"/>.
/// </summary>
public sealed class IndexerHttpClient(HttpClient http) : IIndexerService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<ReindexResponse> ReindexAsync(long noteId, CancellationToken ct) =>
        SendAsync<ReindexResponse>(HttpMethod.Post, $"notes/{noteId}/reindex", ct);

    public Task<QueuedResponse> RefreshGraphAsync(CancellationToken ct) => SendAsync<QueuedResponse>(HttpMethod.Post, "graph/refresh", ct);

    public Task<QueuedResponse> BackfillAsync(CancellationToken ct) => SendAsync<QueuedResponse>(HttpMethod.Post, "backfill", ct);

    public Task<IndexerStatusResponse> GetStatusAsync(CancellationToken ct) => SendAsync<IndexerStatusResponse>(HttpMethod.Get, "status", ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, $"{IndexerApi.Prefix.TrimStart('/')}/{path}");
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e)
        {
            throw new IndexerException($"The indexer at {http.BaseAddress} is not reachable ({e.Message}). Start it (`neptune serve --role indexer`) or fix Neptune:Services:Indexer.", e);
        }
        catch (Exception e) when (e is TaskCanceledException or TimeoutException && !ct.IsCancellationRequested)
        {
            throw new IndexerException($"The indexer at {http.BaseAddress} did not answer in time.", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await ProblemAsync(response, ct);
            }

            try
            {
                return await response.Content.ReadFromJsonAsync<T>(Json, ct) ?? throw new JsonException("empty body");
            }
            catch (JsonException e)
            {
                throw new IndexerException($"The indexer answered {path} with a body Neptune cannot read: {e.Message}", e);
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
            // Not problem+json (a proxy's page): the status alone says it.
        }

        var detail = problem?.Detail ?? $"The indexer answered {(int)response.StatusCode} {response.ReasonPhrase}.";
        return response.StatusCode switch
        {
            HttpStatusCode.BadRequest => new NeptuneException(ErrorKind.Invalid, detail, problem?.Field),
            HttpStatusCode.NotFound => new NeptuneException(ErrorKind.NotFound, detail, problem?.Field),
            HttpStatusCode.Conflict => new NeptuneException(ErrorKind.Conflict, detail, problem?.Field),
            _ => new IndexerException(detail),
        };
    }

    private sealed record Problem(int? Status, string? Title, string? Detail, string? Field);
}
