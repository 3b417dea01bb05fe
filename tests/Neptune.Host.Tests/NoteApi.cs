using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Neptune.Host.Tests;

/// <summary>The parts of GET/POST/PUT /api/notes answers these tests look at.</summary>
public sealed record NoteBody(long Id, long Version, string Content, string Title);

/// <summary>Requests against the notes API of a served process, exactly as a client would send them.</summary>
public static class NoteApi
{
    public static Task<HttpResponseMessage> CreateAsync(HttpClient http, string content, CancellationToken ct) =>
        http.PostAsJsonAsync("/api/notes", new { content }, JsonSerializerOptions.Web, ct);

    public static Task<HttpResponseMessage> UpdateAsync(HttpClient http, long id, string content, long? ifMatchVersion, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/notes/{id}")
        {
            Content = JsonContent.Create(new { content }, options: JsonSerializerOptions.Web),
        };
        if (ifMatchVersion is { } version)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));
        }

        return http.SendAsync(request, ct);
    }

    public static async Task<NoteBody> ReadAsync(HttpResponseMessage response, CancellationToken ct) =>
        await response.Content.ReadFromJsonAsync<NoteBody>(JsonSerializerOptions.Web, ct)
        ?? throw new InvalidOperationException("The response had no note in its body.");
}
