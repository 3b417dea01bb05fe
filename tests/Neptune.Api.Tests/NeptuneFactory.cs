using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Neptune.Api.Tests;

/// <summary>The real app on a real SQLite file in a fresh temp folder, one per test class instance.</summary>
public sealed class NeptuneFactory() : NeptuneAppFactory("neptune-api-tests")
{
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>Test doubles to put over the app's own services (a fake model, a clock, an llm that can be switched off).</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Neptune:Llm:WarmUp", "false");  // most API tests never embed: skip loading the model
        builder.UseSetting("Neptune:Indexer:Enabled", "false");  // nor index: a test that wants the worker turns it on
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        if (TestServices is { } configure)
        {
            builder.ConfigureTestServices(configure);
        }
    }
}

/// <summary>Small typed calls so tests read as behaviour, not plumbing.</summary>
public static class Api
{
    public static async Task<NoteDto> CreateNoteAsync(this HttpClient client, string content, string? title = null, long? folderId = null)
    {
        var response = await client.PostAsJsonAsync("/api/notes", new { content, title, folderId });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<NoteDto>())!;
    }

    public static async Task<FolderDto> CreateFolderAsync(this HttpClient client, string name, long? parentId = null)
    {
        var response = await client.PostAsJsonAsync("/api/folders", new { name, parentId });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<FolderDto>())!;
    }

    public static async Task<HttpResponseMessage> PutNoteAsync(this HttpClient client, long id, string content, long? ifMatch, string? title = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/notes/{id}") { Content = JsonContent.Create(new { content, title }) };
        if (ifMatch is { } v)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{v}\""));
        }

        return await client.SendAsync(request);
    }

    public static async Task<T> GetJsonAsync<T>(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"GET {url} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    public static async Task<ProblemDto> ProblemAsync(this HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return System.Text.Json.JsonSerializer.Deserialize<ProblemDto>(body, System.Text.Json.JsonSerializerOptions.Web)!;
    }
}

public sealed record NoteDto(long Id, long? FolderId, string Title, string FileName, long Version, string? SourceId, string[] Tags, string[] Aliases, string Content, DateTimeOffset? DeletedAt);

public sealed record NoteSummaryDto(long Id, long? FolderId, string Title, long Version, string[] Tags);

public sealed record PageDto(NoteSummaryDto[] Items, string? NextCursor);

public sealed record FolderDto(long Id, long? ParentId, string Name, DateTimeOffset? DeletedAt);

public sealed record FolderNodeDto(long Id, long? ParentId, string Name, int NoteCount, int TotalNoteCount, FolderNodeDto[] Children);

public sealed record FolderTreeDto(int RootNoteCount, int TotalNoteCount, FolderNodeDto[] Folders);

public sealed record ProblemDto(string Title, int Status, string? Detail, string? Field);

public sealed record LinkDto(long SourceNoteId, string Kind, string Target, string? Heading, string? Alias, bool IsEmbed, long? TargetNoteId, bool Dangling);

public sealed record RevisionDto(long NoteId, long Version, string Title, string? Content);

public sealed record SearchResultDto(long Id, string Title, long? FolderId, string Snippet, double Score, string? SourceId, string[] Tags, DateTimeOffset UpdatedAt, SearchWhyDto Why);

public sealed record SearchWhyDto(int? FtsRank, double? FtsScore, double? SemanticScore, ChunkDto? Chunk);

public sealed record ChunkDto(int Ordinal, string? Text);

public sealed record SearchDto(string Mode, string? Degraded, SearchResultDto[] Results);

public sealed record RelatedResultDto(long Id, string Title, double Score, bool Linked);

public sealed record RelatedDto(long NoteId, RelatedResultDto[] Results);

public sealed record TrashDto(FolderDto[] Folders, NoteSummaryDto[] Notes);
