using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Neptune.Core;

namespace Neptune.Llm.Contract;

/// <summary>How a call to another role failed on the way, before or after its answer.</summary>
public enum RoleCallFailure
{
    Unreachable,
    Timeout,
    Unreadable,

    /// <summary>Any other 4xx: the role refused the call.</summary>
    Refused,

    /// <summary>A 5xx: the role failed on its side.</summary>
    Failed,
}

/// <summary>
/// Calls one role's versioned HTTP contract (e.g. /llm/v1) for a role in another process. Client errors the role
/// reports as problem+json become the same <see cref="NeptuneException"/> the in-process binding throws; everything
/// else becomes the role's own exception, built by <see cref="Failure"/>.
/// </summary>
public abstract class RoleHttpClient(HttpClient http, string prefix, string role, string configKey)
{
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The role's exception for a failure of <paramref name="kind"/>.</summary>
    protected abstract Exception Failure(RoleCallFailure kind, string message, Exception? inner);

    /// <summary>A problem answer the role can rebuild exactly (e.g. from its own "kind" extension), or null for the default mapping.</summary>
    protected virtual Exception? FromProblem(ProblemBody problem, string detail) => null;

    protected async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, $"{prefix.TrimStart('/')}/{path}");
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
            throw Failure(RoleCallFailure.Unreachable,
                $"The {role} service at {http.BaseAddress} is not reachable ({e.Message}). Start it (`neptune serve --role {role}`) or fix {configKey}.", e);
        }
        catch (Exception e) when (e is TaskCanceledException or TimeoutException && !ct.IsCancellationRequested)
        {
            throw Failure(RoleCallFailure.Timeout, $"The {role} service at {http.BaseAddress} did not answer in time.", e);
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
                throw Failure(RoleCallFailure.Unreadable, $"The {role} service answered {path} with a body Neptune cannot read: {e.Message}", e);
            }
        }
    }

    private async Task<Exception> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        ProblemBody? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync<ProblemBody>(Json, ct);
        }
        catch (JsonException)
        {
            // Not problem+json (a proxy's HTML page, say): report the status alone.
        }

        var detail = problem?.Detail ?? $"The {role} service answered {(int)response.StatusCode} {response.ReasonPhrase}.";
        if (problem is not null && FromProblem(problem, detail) is { } rebuilt)
        {
            return rebuilt;
        }

        return response.StatusCode switch
        {
            HttpStatusCode.BadRequest => new NeptuneException(ErrorKind.Invalid, detail, problem?.Field),
            HttpStatusCode.RequestEntityTooLarge => new NeptuneException(ErrorKind.TooLarge, detail, problem?.Field),
            HttpStatusCode.NotFound => new NeptuneException(ErrorKind.NotFound, detail, problem?.Field),
            HttpStatusCode.Conflict => new NeptuneException(ErrorKind.Conflict, detail, problem?.Field),
            >= HttpStatusCode.InternalServerError => Failure(RoleCallFailure.Failed, detail, null),
            _ => Failure(RoleCallFailure.Refused, detail, null),
        };
    }
}

/// <summary>The fields of a problem+json answer the clients read; <c>kind</c>/<c>provider</c> are Neptune's extensions for model failures.</summary>
public sealed record ProblemBody(int? Status, string? Title, string? Detail, string? Field, string? Kind, string? Provider);
