using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Data;

namespace Neptune.Api.Tests.Security;

public sealed class RateLimitAndCorsTests : IAsyncLifetime
{
    private const string Allowed = "https://notes.example.com";
    private readonly NeptuneFactory _factory = new();
    private HttpClient _client = null!;

    public ValueTask InitializeAsync()
    {
        _factory.Settings["Neptune:Auth:Mode"] = "token";
        _factory.Settings["Neptune:RateLimit:Burst"] = "3";
        _factory.Settings["Neptune:RateLimit:RequestsPerMinute"] = "1";
        _factory.Settings["Neptune:Cors:Origins:0"] = Allowed;
        _client = _factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private async Task<string> TokenAsync(string user)
    {
        var accounts = _factory.Services.GetRequiredService<IAccountStore>();
        await accounts.AddUserAsync(user, default);
        return (await accounts.CreateTokenAsync(user, null, null, default)).Secret;
    }

    [Fact]
    public async Task A_token_over_its_budget_gets_429_with_retry_after_and_other_tokens_do_not()
    {
        var alice = await TokenAsync("alice");
        var bob = await TokenAsync("bob");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(TokenAuthTests.Request("GET", "/api/folders/tree", alice))).StatusCode);
        }

        var limited = await _client.SendAsync(TokenAuthTests.Request("GET", "/api/folders/tree", alice));
        var problem = await limited.ProblemAsync(429);
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Contains("Neptune:RateLimit", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(TokenAuthTests.Request("GET", "/api/folders/tree", bob))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Preflight_from_an_allowed_origin_is_answered_without_a_token_and_other_origins_get_no_cors_headers()
    {
        var allowed = await _client.SendAsync(Preflight(Allowed));
        var other = await _client.SendAsync(Preflight("https://evil.example.net"));

        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(Allowed, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("authorization", string.Join(",", allowed.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));

        var token = await TokenAsync("alice");
        var request = TokenAuthTests.Request("GET", "/api/folders/tree", token);
        request.Headers.Add("Origin", Allowed);
        var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Allowed, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/notes");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }
}
