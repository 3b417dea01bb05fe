using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Api.Graph;
using Neptune.Core.Graph;
using Neptune.Data;

namespace Neptune.Api.Tests.Graph;

/// <summary>The graph endpoints over rows as the indexer writes them (inserted directly here).</summary>
public sealed class GraphApiTests : ApiTest
{
    private long _ssh, _scp, _sftp, _cake;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _ssh = (await Client.CreateNoteAsync("ssh logs into a remote machine over an encrypted channel", "ssh")).Id;
        _scp = (await Client.CreateNoteAsync("scp copies files between hosts", "scp")).Id;
        _sftp = (await Client.CreateNoteAsync("interactive file transfer program", "sftp")).Id;
        _cake = (await Client.CreateNoteAsync("flour, eggs and sugar", "Birthday cake")).Id;
        await Factory.ExecuteSqlAsync($"""
            INSERT INTO topics (id, key, label, note_count, weight_sum, created_at, updated_at) VALUES
              (1, 'remote login', 'remote login', 2, 1.5, 0, 0), (2, 'file transfer', 'file transfer', 2, 1.6, 0, 0), (3, 'baking', 'baking', 1, 0.9, 0, 0);
            INSERT INTO note_topics (note_id, topic_id, weight, source) VALUES
              ({_ssh}, 1, 0.9, 'keyphrase'), ({_scp}, 1, 0.6, 'keyphrase'), ({_scp}, 2, 0.8, 'keyphrase'), ({_sftp}, 2, 0.8, 'keyphrase'), ({_cake}, 3, 0.9, 'keyphrase');
            INSERT INTO topic_relations (a, b, strength, source, updated_at) VALUES (1, 2, 0.4, 'embedding:test', 0);
            INSERT INTO note_edges (a, b, kind, weight, provenance) VALUES ({Math.Min(_ssh, _scp)}, {Math.Max(_ssh, _scp)}, 'semantic', 0.7, 'cosine 0.70');
            """);
    }

    [Fact]
    public async Task The_graph_has_notes_topics_and_weighted_links_strongest_first()
    {
        var graph = await Client.GetJsonAsync<JsonElement>("/api/graph");

        var links = graph.GetProperty("links").EnumerateArray().ToList();
        Assert.Equal(7, links.Count);
        Assert.Equal(0.9, links[0].GetProperty("weight").GetDouble());
        Assert.Contains(links, l => l.GetProperty("kind").GetString() == "relation" && l.GetProperty("source").GetString() == "topic:1");
        var nodes = graph.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Contains(nodes, n => n.GetProperty("id").GetString() == $"note:{_scp}" && n.GetProperty("degree").GetInt32() == 3 && n.GetProperty("topicId").GetInt64() == 2);
        Assert.Contains(nodes, n => n.GetProperty("label").GetString() == "baking");
    }

    [Fact]
    public async Task Limit_and_min_weight_cap_the_graph()
    {
        var capped = await Client.GetJsonAsync<JsonElement>("/api/graph?limit=2");
        var strong = await Client.GetJsonAsync<JsonElement>("/api/graph?minWeight=0.85");

        Assert.Equal(2, capped.GetProperty("links").GetArrayLength());
        Assert.True(capped.GetProperty("truncated").GetBoolean());
        Assert.Equal(7, capped.GetProperty("totalLinks").GetInt32());
        Assert.All(strong.GetProperty("links").EnumerateArray(), l => Assert.True(l.GetProperty("weight").GetDouble() >= 0.85));
    }

    [Fact]
    public async Task Bad_graph_parameters_name_the_field()
    {
        var limit = await Client.GetAsync("/api/graph?limit=0");
        var weight = await Client.GetAsync("/api/graph?minWeight=2");
        var depth = await Client.GetAsync($"/api/graph/notes/{_ssh}/neighborhood?depth=9");

        Assert.Equal("limit", (await limit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equal("minWeight", (await weight.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equal("depth", (await depth.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_neighbourhood_holds_what_is_within_depth_hops()
    {
        var one = await Client.GetJsonAsync<JsonElement>($"/api/graph/notes/{_ssh}/neighborhood?depth=1");
        var ids = one.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()).ToHashSet();

        Assert.Contains($"note:{_scp}", ids);
        Assert.Contains("topic:1", ids);
        Assert.DoesNotContain($"note:{_sftp}", ids);
        Assert.DoesNotContain($"note:{_cake}", ids);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/graph/notes/999999/neighborhood")).StatusCode);
    }

    [Fact]
    public async Task Retrieval_reaches_notes_the_words_miss_and_explains_each_with_a_real_path()
    {
        var response = await Client.PostAsJsonAsync("/api/graph/retrieve", new { query = "remote machine", k = 5 });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(_ssh, results[0].GetProperty("id").GetInt64());
        Assert.True(results[0].GetProperty("seed").GetBoolean());
        var sftp = results.Single(r => r.GetProperty("id").GetInt64() == _sftp);  // shares no word with the query
        Assert.False(sftp.GetProperty("seed").GetBoolean());
        Assert.DoesNotContain(results, r => r.GetProperty("id").GetInt64() == _cake);
        var graph = await Client.GetJsonAsync<JsonElement>("/api/graph?limit=1000");
        var existing = graph.GetProperty("links").EnumerateArray().Select(l => (l.GetProperty("source").GetString(), l.GetProperty("target").GetString(), l.GetProperty("kind").GetString())).ToHashSet();
        foreach (var result in results)
        {
            var at = $"note:{result.GetProperty("reachedFrom").GetInt64()}";
            foreach (var step in result.GetProperty("path").EnumerateArray())
            {
                var (source, target) = (step.GetProperty("source").GetString(), step.GetProperty("target").GetString());
                Assert.Contains((source, target, step.GetProperty("kind").GetString()), existing);
                Assert.True(source == at || target == at);
                at = source == at ? target : source;
            }

            Assert.Equal($"note:{result.GetProperty("id").GetInt64()}", at);
        }
    }

    [Fact]
    public async Task Topics_count_live_notes_and_filter_the_note_list()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/notes/{_ssh}")).StatusCode);

        var topics = (await Client.GetJsonAsync<JsonElement>("/api/topics")).EnumerateArray()
            .Select(t => (Id: t.GetProperty("id").GetInt64(), Label: t.GetProperty("label").GetString(), Count: t.GetProperty("count").GetInt32())).ToList();
        var transfer = await Client.GetJsonAsync<JsonElement>("/api/notes?topicId=2&sort=title");
        var remote = await Client.GetJsonAsync<JsonElement>("/api/notes?topicId=1");

        // The trashed ssh note no longer counts for "remote login"; topics with most notes come first.
        Assert.Equal([(2, "file transfer", 2), (3, "baking", 1), (1, "remote login", 1)], topics);
        Assert.Equal(["scp", "sftp"], transfer.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("title").GetString()));
        Assert.Equal([_scp], remote.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("id").GetInt64()));
        Assert.Single((await Client.GetJsonAsync<JsonElement>("/api/topics?limit=1")).EnumerateArray());
        Assert.Equal("limit", (await (await Client.GetAsync("/api/topics?limit=0")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task PageRank_from_one_note_ranks_the_notes_it_reaches_nearest_first_without_itself()
    {
        var near = await Factory.Services.GetRequiredService<GraphRetrieval>().NearNoteAsync(UserId.Local, _ssh, 5, TestContext.Current.CancellationToken);

        // scp: a semantic edge and a shared topic; sftp: only through a related topic; the cake: unreachable.
        Assert.Equal([_scp, _sftp], near.Select(n => n.Node.Id));
        Assert.All(near, n => Assert.Equal(NodeKind.Note, n.Node.Kind));
    }

    [Fact]
    public async Task A_graph_edit_is_seen_by_the_next_retrieval_without_a_restart()
    {
        var retrieval = Factory.Services.GetRequiredService<GraphRetrieval>();
        var ct = TestContext.Current.CancellationToken;
        Assert.DoesNotContain(_cake, (await retrieval.NearNoteAsync(UserId.Local, _ssh, 5, ct)).Select(n => n.Node.Id));  // the graph is now in memory
        Assert.Equal(7, (await Client.GetJsonAsync<JsonElement>("/api/graph")).GetProperty("totalLinks").GetInt32());

        // Written behind the app's back, as the indexer or another process would.
        await Factory.ExecuteSqlAsync($"INSERT INTO note_edges (a, b, kind, weight, provenance) VALUES ({Math.Min(_ssh, _cake)}, {Math.Max(_ssh, _cake)}, 'link', 1.0, 'ssh→cake')");
        var retrieved = await (await Client.PostAsJsonAsync("/api/graph/retrieve", new { query = "flour eggs", k = 5 }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);

        Assert.Contains(_cake, (await retrieval.NearNoteAsync(UserId.Local, _ssh, 5, ct)).Select(n => n.Node.Id));
        Assert.Contains(retrieved.GetProperty("results").EnumerateArray(), r => r.GetProperty("id").GetInt64() == _ssh);
        Assert.Equal(8, (await Client.GetJsonAsync<JsonElement>("/api/graph")).GetProperty("totalLinks").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/notes/{_scp}", ct)).StatusCode);
        Assert.DoesNotContain(_scp, (await retrieval.NearNoteAsync(UserId.Local, _ssh, 5, ct)).Select(n => n.Node.Id));
    }

    [Fact]
    public async Task Retrieval_needs_a_query()
    {
        var response = await Client.PostAsJsonAsync("/api/graph/retrieve", new { query = " " });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("query", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }
}
