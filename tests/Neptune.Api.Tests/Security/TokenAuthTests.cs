using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Data;

namespace Neptune.Api.Tests.Security;

/// <summary>Token mode: every route but /health, /ready and /metrics needs a valid bearer token.</summary>
public sealed partial class TokenAuthTests : IAsyncLifetime
{
    internal const string ServiceToken = "service-token-for-tests-0123456789abcdef";
    private static readonly string[] Anonymous = ["/health", "/ready", "/metrics"];

    private readonly NeptuneFactory _factory = new();
    private HttpClient _client = null!;

    public ValueTask InitializeAsync()
    {
        _factory.Settings["Neptune:Auth:Mode"] = "token";
        _factory.Settings["Neptune:Auth:ServiceToken"] = ServiceToken;
        _client = _factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private IAccountStore Accounts => _factory.Services.GetRequiredService<IAccountStore>();

    [Fact]
    public async Task Every_route_but_health_ready_and_metrics_answers_401_without_a_token()
    {
        var routes = Routes();
        Assert.True(routes.Any(r => r.Path == "/api/notes/" && r.Method == "POST"), string.Join("\n", routes));  // the table really is the app's
        Assert.True(routes.Any(r => r.Path.StartsWith("/llm/v1/", StringComparison.Ordinal)), string.Join("\n", routes));

        foreach (var (method, path, anonymous) in routes)
        {
            var response = await _client.SendAsync(Request(method, path, null));
            if (anonymous)
            {
                Assert.True(IsPublic(path), $"{method} {path} allows anonymous calls: only {string.Join(", ", Anonymous)} and the API docs' static files may.");
                Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
                continue;
            }

            var problem = await response.ProblemAsync(401);
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            Assert.Contains("neptune tokens create", problem.Detail, StringComparison.Ordinal);
        }

        Assert.Equal(Anonymous.Order(), routes.Where(r => r.Anonymous && Anonymous.Contains(r.Path)).Select(r => r.Path).Distinct().Order());
    }

    /// <summary>The probes, and the API reference's own script and icon files (the same bytes for everyone; the page and the OpenAPI document need a token).</summary>
    private static bool IsPublic(string path) =>
        Anonymous.Contains(path) || (path.StartsWith("/api/docs/", StringComparison.Ordinal) && Path.HasExtension(path) && !path.Contains("json", StringComparison.Ordinal));

    [Fact]
    public async Task Every_protected_route_answers_401_with_a_revoked_an_expired_an_unknown_or_a_malformed_token()
    {
        await Accounts.AddUserAsync("alice", default);
        var revoked = await Accounts.CreateTokenAsync("alice", "revoked", null, default);
        await Accounts.RevokeTokenAsync(revoked.Token.Prefix, default);
        var expired = await Accounts.CreateTokenAsync("alice", "expired", DateTimeOffset.UtcNow.AddDays(1), default);
        await _factory.ExecuteSqlAsync($"UPDATE access_tokens SET expires_at = 1 WHERE id = {expired.Token.Id}");
        (string Secret, string Says)[] bad = [(revoked.Secret, "revoked"), (expired.Secret, "expired"), (TokenSecrets.Create(), "not known"), ("hunter2", "not a Neptune token")];

        foreach (var (method, path, _) in Routes().Where(r => !r.Anonymous))
        {
            foreach (var (secret, says) in bad)
            {
                var response = await _client.SendAsync(Request(method, path, secret));
                var problem = await response.ProblemAsync(401);
                Assert.Contains(says, problem.Detail, StringComparison.Ordinal);
                Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_valid_token_opens_the_notes_api_and_records_its_last_use()
    {
        await Accounts.AddUserAsync("alice", default);
        var token = await Accounts.CreateTokenAsync("alice", null, null, default);
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Secret);

        var note = await _client.CreateNoteAsync("# Hello\n\nworld");
        var read = await _client.GetJsonAsync<NoteDto>($"/api/notes/{note.Id}");

        Assert.Equal("Hello", read.Title);
        Assert.NotNull((await Accounts.FindBySecretAsync(token.Secret, default))!.LastUsedAt);
    }

    [Fact]
    public async Task Role_contracts_take_the_service_token_and_the_notes_api_takes_only_user_tokens()
    {
        await Accounts.AddUserAsync("alice", default);
        var user = await Accounts.CreateTokenAsync("alice", null, null, default);

        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(Request("GET", "/indexer/v1/status", ServiceToken))).StatusCode);
        await (await _client.SendAsync(Request("GET", "/indexer/v1/status", user.Secret))).ProblemAsync(403);
        await (await _client.SendAsync(Request("GET", "/api/folders/tree", ServiceToken))).ProblemAsync(403);
    }

    [Fact]
    public async Task Unknown_api_paths_and_the_openapi_document_need_a_token()
    {
        // Unknown /api paths must not tell an anonymous caller which routes exist.
        await (await _client.GetAsync("/api/nothing/here")).ProblemAsync(401);
        await (await _client.GetAsync("/openapi/v1.json")).ProblemAsync(401);
    }

    /// <summary>Every route of the running app, from its EndpointDataSource, with placeholder values for parameters.</summary>
    private List<(string Method, string Path, bool Anonymous)> Routes()
    {
        _ = _client;  // the host is running
        var source = _factory.Services.GetRequiredService<EndpointDataSource>();
        var routes = new List<(string, string, bool)>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var path = Parameter().Replace("/" + endpoint.RoutePattern.RawText!.TrimStart('/'), m =>
                m.Groups["catchall"].Success ? "x/y.png" : m.Value.Contains(":long", StringComparison.Ordinal) || m.Value.Contains(":int", StringComparison.Ordinal) ? "1" : "x");
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                routes.Add((method, path, anonymous));
            }
        }

        return routes;
    }

    internal static HttpRequestMessage Request(string method, string path, string? token)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = JsonContent.Create(new { });
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    [GeneratedRegex(@"\{(?<catchall>\*\*?)?[^}]+\}")]
    private static partial Regex Parameter();
}
