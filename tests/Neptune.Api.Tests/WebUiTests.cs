using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Neptune.Api.Tests;

/// <summary>The built web UI is served from the API's origin without hiding any API route.</summary>
public sealed class WebUiTests : ApiTest
{
    private readonly string _webRoot = Path.Combine(Path.GetTempPath(), "neptune-web-tests", Guid.NewGuid().ToString("N"));

    public override ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_webRoot, "assets"));
        File.WriteAllText(Path.Combine(_webRoot, "index.html"), "<!doctype html><title>Neptune UI</title>");
        File.WriteAllText(Path.Combine(_webRoot, "assets", "app-1234.js"), "console.log('ui');");
        Factory.Settings["Neptune:WebRoot"] = _webRoot;
        return base.InitializeAsync();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/notes/42")]
    [InlineData("/graph")]
    public async Task Client_routes_answer_the_page(string path)
    {
        var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Neptune UI", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hashed_assets_are_served_immutable_and_a_missing_one_is_404()
    {
        var asset = await Client.GetAsync("/assets/app-1234.js");
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Contains("immutable", asset.Headers.CacheControl?.ToString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/assets/missing-1234.js")).StatusCode);
    }

    [Theory]
    [InlineData("/api/nothing-here")]
    [InlineData("/api/notes/999999")]
    [InlineData("/llm/v1/nothing")]
    [InlineData("/openapi/none.json")]
    public async Task Api_paths_keep_their_problem_404(string path)
    {
        var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Wrong_method_on_an_api_route_is_still_405_and_the_docs_stay_reachable()
    {
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Client.DeleteAsync("/api/search")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/api/docs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Without_a_built_ui_the_root_shows_the_api_reference()
    {
        await using var bare = new NeptuneFactory();
        bare.Settings["Neptune:WebRoot"] = Path.Combine(_webRoot, "not-built");
        using var client = bare.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/api/docs", response.Headers.Location?.ToString());
    }
}
