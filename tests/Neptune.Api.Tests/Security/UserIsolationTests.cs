using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Data;

namespace Neptune.Api.Tests.Security;

/// <summary>
/// Issue 6: user A never sees user B's data, on any route. Two users with the same folder and note titles, revisions,
/// trash, an attachment and indexed notes (the real indexer and embedded model); then user B calls every route of the
/// app that takes an id with A's ids (404, as for a missing id, and A's data unchanged), and every list, search, graph,
/// tags, trash, topics and status answer B gets holds none of A's ids or words. Runs on either database.
/// </summary>
public sealed partial class UserIsolationTests : IAsyncLifetime
{
    private readonly NeptuneFactory _factory = new();
    private HttpClient _alice = null!;
    private HttpClient _bob = null!;

    public async ValueTask InitializeAsync()
    {
        _factory.Settings["Neptune:Auth:Mode"] = "token";
        _factory.Settings["Neptune:Auth:ServiceToken"] = TokenAuthTests.ServiceToken;
        _factory.Settings["Neptune:Indexer:Enabled"] = "true";
        _factory.Settings["Neptune:Indexer:PollInterval"] = "00:00:00.100";
        _factory.Settings["Neptune:RateLimit:RequestsPerMinute"] = "100000";
        _factory.Settings["Neptune:RateLimit:Burst"] = "100000";
        _alice = await ClientForAsync("alice");
        _bob = await ClientForAsync("bob");
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private async Task<HttpClient> ClientForAsync(string name)
    {
        var accounts = _factory.Services.GetRequiredService<IAccountStore>();
        await accounts.AddUserAsync(name, default);
        var token = await accounts.CreateTokenAsync(name, null, null, default);
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Secret);
        return client;
    }

    /// <summary>What one user owns; <see cref="Word"/> is in every note of theirs and in no note of the other's.</summary>
    private sealed record Owned(string Word, long Folder, long Subfolder, long Plan, long Site, long Only, long TrashedNote, long TrashedFolder, string OnlyAttachment)
    {
        public long[] NoteIds => [Plan, Site, Only, TrashedNote];

        public long[] FolderIds => [Folder, Subfolder, TrashedFolder];
    }

    private static async Task<Owned> FillAsync(HttpClient client, string word)
    {
        var folder = await client.CreateFolderAsync("Projects");
        var subfolder = await client.CreateFolderAsync("Plans", folder.Id);
        var site = await client.CreateNoteAsync($"# Launch site\n\nA desert pad where the {word} rocket stands before launch.", folderId: folder.Id);
        var plan = await client.CreateNoteAsync($"# Secret plan\n\nThe {word} rocket leaves from [[Launch site]]. #mission\n\n![[diagram.png]]", folderId: subfolder.Id);
        var edited = await client.PutNoteAsync(plan.Id, $"# Secret plan\n\nThe {word} rocket leaves at dawn from [[Launch site]]. #mission\n\n![[diagram.png]]", plan.Version);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);  // a revision
        var only = await client.CreateNoteAsync($"# Only {word}\n\nNotes on the {word} rocket's fuel and engines. #{word}-fuel");
        var trashed = await client.CreateNoteAsync($"# Old idea\n\nAn abandoned {word} rocket design.");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/notes/{trashed.Id}")).StatusCode);
        var archive = await client.CreateFolderAsync("Archive");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/folders/{archive.Id}")).StatusCode);
        await UploadAsync(client, "diagram.png");
        await UploadAsync(client, $"{word}-only.png");
        return new Owned(word, folder.Id, subfolder.Id, plan.Id, site.Id, only.Id, trashed.Id, archive.Id, $"{word}-only.png");
    }

    private static async Task UploadAsync(HttpClient client, string path)
    {
        var content = new ByteArrayContent([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. System.Text.Encoding.UTF8.GetBytes(path)]);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var response = await client.PutAsync($"/api/attachments/{path}", content);
        Assert.True(response.IsSuccessStatusCode, $"upload {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact(Timeout = 240_000)]
    public async Task A_user_never_sees_or_changes_another_users_data_on_any_route()
    {
        var a = await FillAsync(_alice, "zircon");
        var b = await FillAsync(_bob, "basalt");
        await WaitIndexedAsync(_alice, 3);
        await WaitIndexedAsync(_bob, 3);

        // Same titles, resolved within each user: Bob's [[Launch site]] is Bob's note.
        var bobLinks = await _bob.GetJsonAsync<LinkDto[]>($"/api/notes/{b.Plan}/links");
        Assert.Equal(b.Site, Assert.Single(bobLinks, l => l.Target == "Launch site").TargetNoteId);
        Assert.Equal(a.Site, Assert.Single(await _alice.GetJsonAsync<LinkDto[]>($"/api/notes/{a.Plan}/links"), l => l.Target == "Launch site").TargetNoteId);

        var aliceBefore = await SnapshotAsync(_alice, a);

        // Every route with an id, from the app's own route table, called by Bob with Alice's ids.
        var routes = IdRoutes();
        Assert.Contains(routes, r => r.Pattern == "/api/notes/{id:long}" && r.Method == "GET");  // the table really is the app's
        foreach (var (method, pattern) in routes)
        {
            foreach (var path in PathsFor(pattern, a))
            {
                var request = new HttpRequestMessage(new HttpMethod(method), path);
                request.Content = BodyFor(method, pattern);

                request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"2\""));
                var response = await _bob.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} ({pattern}) with Alice's id answered Bob {(int)response.StatusCode}: {body}");
                // The 404 may repeat the path Bob sent (an attachment's), never anything else of Alice's.
                Assert.DoesNotContain(a.Word, body.Replace(path, "", StringComparison.Ordinal).Replace(a.OnlyAttachment, "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
            }
        }

        // Bob's bulk routes act on Bob's notes only.
        Assert.True((await _bob.DeleteAsync("/api/trash")).IsSuccessStatusCode);
        Assert.True((await _bob.PostAsync("/api/index/rebuild", null)).IsSuccessStatusCode);
        Assert.True((await _bob.PostAsync("/api/index/retry", null)).IsSuccessStatusCode);
        Assert.Equal(aliceBefore, await SnapshotAsync(_alice, a));

        // Everything Bob can list, search or walk holds none of Alice's ids or words.
        var reads = ListRoutes().Select(p => (Method: "GET", Path: p, Body: (object?)null)).ToList();
        Assert.Contains(reads, r => r.Path == "/api/trash");
        foreach (var mode in new[] { "fts", "semantic", "hybrid", "auto" })
        {
            foreach (var q in new[] { "rocket", "zircon", "launch site", "secret plan" })
            {
                reads.Add(("GET", $"/api/search?mode={mode}&q={Uri.EscapeDataString(q)}", null));
            }
        }

        reads.AddRange(
        [
            ("GET", $"/api/search?q=rocket&folderId={a.Folder}", null),
            ("GET", "/api/notes?tag=mission", null),
            ("GET", "/api/graph?minWeight=0", null),
            ("GET", $"/api/graph/notes/{b.Plan}/neighborhood?depth=3", null),
            ("GET", $"/api/notes/{b.Plan}/related?limit=50", null),
            ("GET", $"/api/notes/{b.Site}/related?limit=50", null),
            ("GET", $"/api/notes/{b.Site}/backlinks", null),
            ("GET", $"/api/notes/{b.Plan}/links", null),
            ("GET", $"/api/notes/{b.Plan}/revisions", null),
            ("POST", "/api/graph/retrieve", new { query = "zircon rocket launch", k = 100 }),
            ("POST", "/api/graph/retrieve", new { query = "rocket", k = 100 }),
        ]);
        var aliceIds = a.NoteIds.Select(id => ('n', id)).Concat(a.FolderIds.Select(id => ('f', id))).ToHashSet();
        foreach (var topic in await _alice.GetJsonAsync<TopicDto[]>("/api/topics"))
        {
            reads.Add(("GET", $"/api/notes?topicId={topic.Id}", null));
        }

        foreach (var (method, path, body) in reads)
        {
            var response = method == "GET" ? await _bob.GetAsync(path) : await _bob.PostAsJsonAsync(path, body);
            var text = await response.Content.ReadAsStringAsync();
            // A list route that needs a parameter (/api/search without q) answers 400; anything else must succeed.
            Assert.True(response.IsSuccessStatusCode || (response.StatusCode == HttpStatusCode.BadRequest && !path.Contains('?', StringComparison.Ordinal)),
                $"{method} {path} → {(int)response.StatusCode}: {text}");
            text = WithoutQueryEcho(text);
            Assert.DoesNotContain(a.Word, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(a.OnlyAttachment, text, StringComparison.Ordinal);
            var leaked = NoteAndFolderIds(JsonDocument.Parse(text).RootElement).Where(aliceIds.Contains).ToList();
            Assert.True(leaked.Count == 0, $"{method} {path} shows Bob Alice's ids {string.Join(", ", leaked)}: {text}");
        }

        // And Bob still sees his own: the filters did not simply hide everything.
        var found = await _bob.GetJsonAsync<SearchDto>("/api/search?mode=fts&q=rocket");
        Assert.Equal(new[] { b.Plan, b.Site, b.Only }.Order(), found.Results.Select(r => r.Id).Order());
        var semantic = await _bob.GetJsonAsync<SearchDto>("/api/search?mode=semantic&q=rocket%20launch&limit=50");
        Assert.Equal("semantic", semantic.Mode);
        Assert.NotEmpty(semantic.Results);
        Assert.All(semantic.Results, r => Assert.Contains(r.Id, new[] { b.Plan, b.Site, b.Only }));
        // Counts are Bob's alone too (Alice has the same tag and as many notes, folders and attachments).
        Assert.Equal(1, Assert.Single(await _bob.GetJsonAsync<TagCountDto[]>("/api/tags"), t => t.Tag == "mission").Count);
        var counts = (await _bob.GetJsonAsync<SystemInfoDto>("/api/system/info")).Counts;
        Assert.Equal((3, 2, 0, 2), (counts.Notes, counts.Folders, counts.Trashed, counts.Attachments));
        var graph = await _bob.GetStringAsync("/api/graph?minWeight=0");
        Assert.Contains($"\"note:{b.Plan}\"", graph, StringComparison.Ordinal);
    }

    /// <summary>Alice's notes, revisions, trash, tree and attachments as she sees them, to compare before and after Bob's calls.</summary>
    private static async Task<string> SnapshotAsync(HttpClient alice, Owned a)
    {
        var parts = new List<string>();
        foreach (var id in new[] { a.Plan, a.Site, a.Only })
        {
            parts.Add(await alice.GetStringAsync($"/api/notes/{id}"));
            parts.Add(await alice.GetStringAsync($"/api/notes/{id}/revisions"));
        }

        parts.Add(await alice.GetStringAsync("/api/trash"));
        parts.Add(await alice.GetStringAsync("/api/folders/tree"));
        parts.Add(await alice.GetStringAsync("/api/attachments"));
        parts.Add(await alice.GetStringAsync($"/api/attachments/{a.OnlyAttachment}"));
        return string.Join("\n", parts);
    }

    private static async Task WaitIndexedAsync(HttpClient client, int notes)
    {
        var status = await client.GetJsonAsync<IndexStatusDto>("/api/index/status");
        for (var i = 0; i < 1200 && (status.Indexed < notes || status.QueueDepth > 0); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            status = await client.GetJsonAsync<IndexStatusDto>("/api/index/status");
        }

        Assert.True(status.Indexed == notes && status.Failed == 0, $"indexing did not finish: {status}");
    }

    /// <summary>The user routes of the app that take an id or a path, as (method, pattern); the roles' contracts take the service token, not a user's.</summary>
    private List<(string Method, string Pattern)> IdRoutes() =>
        [.. Endpoints().Where(e => e.Pattern.Contains('{', StringComparison.Ordinal))
            // An upload to a path writes the caller's own attachment there: it names no one else's data.
            .Where(e => !(e.Method == "PUT" && e.Pattern.StartsWith("/api/attachments/", StringComparison.Ordinal)))];

    /// <summary>The user routes that read without parameters (lists, tags, trash, topics, status).</summary>
    private List<string> ListRoutes() =>
        [.. Endpoints().Where(e => e.Method == "GET" && !e.Pattern.Contains('{', StringComparison.Ordinal)).Select(e => e.Pattern.TrimEnd('/')).Distinct()];

    private List<(string Method, string Pattern)> Endpoints()
    {
        var source = _factory.Services.GetRequiredService<EndpointDataSource>();
        var endpoints = new List<(string, string)>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (!pattern.StartsWith("/api/", StringComparison.Ordinal) || pattern.StartsWith("/api/docs", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                endpoints.Add((method, pattern));
            }
        }

        return endpoints;
    }

    /// <summary>Concrete paths for a pattern, with each of Alice's ids its parameter can name (notes, trashed notes, folders, revisions, attachments).</summary>
    private static IEnumerable<string> PathsFor(string pattern, Owned a)
    {
        var folders = pattern.Contains("folders", StringComparison.Ordinal);
        long[] ids = folders ? a.FolderIds : a.NoteIds;
        foreach (var id in ids)
        {
            yield return Parameter().Replace(pattern, m => m.Groups["name"].Value switch
            {
                "version" => "1",
                "path" => a.OnlyAttachment,
                _ => id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            if (pattern.Contains("{**path}", StringComparison.Ordinal))
            {
                yield break;
            }
        }
    }

    /// <summary>A valid body for the routes that take one, so that only the id can make the answer a 404.</summary>
    private static JsonContent? BodyFor(string method, string pattern) => (method, pattern) switch
    {
        ("PUT", "/api/notes/{id:long}") => JsonContent.Create(new { content = "# Taken\n\nbasalt", title = "Taken" }),
        ("POST", "/api/notes/{id:long}/move") => JsonContent.Create(new { folderId = (long?)null }),
        ("PATCH", "/api/folders/{id:long}") => JsonContent.Create(new { name = "Taken" }),
        ("POST", "/api/folders/{id:long}/move") => JsonContent.Create(new { parentId = (long?)null }),
        _ => null,
    };

    /// <summary>Search and retrieval answers repeat the query, which is the caller's own text.</summary>
    private static string WithoutQueryEcho(string json)
    {
        if (System.Text.Json.Nodes.JsonNode.Parse(json) is System.Text.Json.Nodes.JsonObject root && root.Remove("query"))
        {
            return root.ToJsonString();
        }

        return json;
    }

    /// <summary>
    /// Every note or folder id in an answer: properties that name one (noteId, folderId, …), the id of an object that
    /// is a note (it has a title) or a folder (it has a parentId), and every "note:N" graph node. Topic and attachment
    /// ids are left out: they are other tables' numbers.
    /// </summary>
    private static IEnumerable<(char Kind, long Id)> NoteAndFolderIds(JsonElement element, string? property = null, char owner = ' ')
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var isNote = element.TryGetProperty("title", out _)
                    || (element.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() == "note");
                var of = isNote ? 'n' : element.TryGetProperty("parentId", out _) ? 'f' : ' ';
                foreach (var p in element.EnumerateObject())
                {
                    foreach (var id in NoteAndFolderIds(p.Value, p.Name, of))
                    {
                        yield return id;
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var id in NoteAndFolderIds(item, property))
                    {
                        yield return id;
                    }
                }

                break;
            case JsonValueKind.Number when property is not null && element.TryGetInt64(out var number):
                if (property is "folderId" or "parentId")
                {
                    yield return ('f', number);
                }
                else if (NoteIdProperty().IsMatch(property))
                {
                    yield return ('n', number);
                }
                else if (owner != ' ' && property is "id" or "refId")
                {
                    yield return (owner, number);
                }

                break;
            case JsonValueKind.String when NoteNode().Match(element.GetString()!) is { Success: true } node:
                yield return ('n', long.Parse(node.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }

    [GeneratedRegex(@"\{\*{0,2}(?<name>[a-zA-Z]+)(:[a-z]+)?\}")]
    private static partial Regex Parameter();

    [GeneratedRegex("^(noteId|sourceNoteId|targetNoteId|reachedFrom)$")]
    private static partial Regex NoteIdProperty();

    [GeneratedRegex(@"^note:(\d+)$")]
    private static partial Regex NoteNode();

    private sealed record TopicDto(long Id, string Label, int Count);

    private sealed record TagCountDto(string Tag, int Count);

    private sealed record SystemInfoDto(StoreCounts Counts);
}
