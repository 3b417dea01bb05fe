using System.Net;
using System.Net.Http.Json;

namespace Neptune.Api.Tests;

public sealed class SystemApiTests : ApiTest
{
    [Fact]
    public async Task Health_and_ready_answer_200_once_migrated()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health")).StatusCode);
        var ready = await Client.GetStringAsync("/ready");
        Assert.Contains("\"database\"", ready, StringComparison.Ordinal);
        Assert.Contains("Healthy", ready, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_reports_version_mode_and_counts()
    {
        await Client.CreateNoteAsync("x", title: "x");

        var info = await Client.GetJsonAsync<InfoDto>("/api/system/info");

        Assert.Equal("desktop", info.Mode);
        Assert.Equal(Factory.DatabaseProvider, info.Database);
        Assert.Equal(1, info.Counts.Notes);
    }

    [Fact]
    public async Task OpenApi_document_lists_the_routes_and_the_docs_page_is_served()
    {
        var doc = await Client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/notes/{id}", doc, StringComparison.Ordinal);
        Assert.Contains("/api/search", doc, StringComparison.Ordinal);

        var page = await Client.GetAsync("/api/docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Unknown_routes_are_problem_json()
    {
        Assert.Contains("/api/docs", (await (await Client.GetAsync("/api/nope")).ProblemAsync(404)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_that_says_what_to_send()
    {
        var response = await Client.PostAsync("/api/notes", new StringContent("content=x", System.Text.Encoding.UTF8, "text/plain"));

        Assert.Contains("application/json", (await response.ProblemAsync(415)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_for_a_non_loopback_host_are_refused()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/notes");
        request.Headers.Host = "attacker.example";

        await (await Client.SendAsync(request)).ProblemAsync(421);
    }

    [Fact]
    public async Task Cross_origin_writes_are_refused_and_same_origin_writes_allowed()
    {
        var evil = new HttpRequestMessage(HttpMethod.Post, "/api/notes") { Content = JsonContent.Create(new { content = "x" }) };
        evil.Headers.Add("Origin", "https://attacker.example");
        await (await Client.SendAsync(evil)).ProblemAsync(403);

        var fetchSite = new HttpRequestMessage(HttpMethod.Post, "/api/notes") { Content = JsonContent.Create(new { content = "x" }) };
        fetchSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        await (await Client.SendAsync(fetchSite)).ProblemAsync(403);

        var own = new HttpRequestMessage(HttpMethod.Post, "/api/notes") { Content = JsonContent.Create(new { content = "x" }) };
        own.Headers.Add("Origin", "http://localhost");
        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync(own)).StatusCode);
    }

    public sealed record CountsDto(long Notes, long Folders);

    public sealed record InfoDto(string Version, string Mode, string Database, CountsDto Counts);
}
