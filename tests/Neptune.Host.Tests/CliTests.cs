using System.Text.Json;
using System.Text.RegularExpressions;

namespace Neptune.Host.Tests;

public sealed partial class CliTests(ManCorpusFixture corpus) : IClassFixture<ManCorpusFixture>
{
    /// <summary>
    /// Known-item queries from queries-dev.jsonl whose every word occurs in the relevant page, so an
    /// all-words full-text search can find it (the test checks that precondition against the corpus).
    /// </summary>
    private static readonly string[] FindableQueries =
    [
        "q:pg_buildext.1",
        "q:pivot_root.2",
        "q:unshare.2",
        "q:ftruncate.2",
        "q:Git.3pm",
        "q:CREATE_TEXT_SEARCH_DICTIONARY.7",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Importing_the_man_corpus_creates_every_page()
    {
        var result = corpus.FirstImport;
        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = result.Json();
        Assert.Equal(ManCorpusFixture.PageCount, summary.GetProperty("created").GetInt32());
        Assert.Equal(0, summary.GetProperty("updated").GetInt32());
        Assert.Equal(0, summary.GetProperty("unchanged").GetInt32());
        Assert.Empty(summary.GetProperty("skipped").EnumerateArray());
    }

    [Fact(Timeout = 300_000)]
    public async Task Importing_the_man_corpus_again_changes_nothing()
    {
        var result = await corpus.RunAsync(["import", SharedDatasets.ManPagesCorpus, "--json"], Ct);

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = result.Json();
        Assert.Equal(0, summary.GetProperty("created").GetInt32());
        Assert.Equal(0, summary.GetProperty("updated").GetInt32());
        Assert.Equal(ManCorpusFixture.PageCount, summary.GetProperty("unchanged").GetInt32());
    }

    [Fact(Timeout = 300_000)]
    public async Task Models_activate_pins_the_embedded_model_and_models_lists_it_as_active()
    {
        var activate = await corpus.RunAsync(["models", "activate", "onnx/all-MiniLM-L6-v2-int8", "--json"], Ct);
        var list = await corpus.RunAsync(["models", "--json"], Ct);
        var unknown = await corpus.RunAsync(["models", "activate", "ollama/nomic-embed-text"], Ct);

        Assert.True(activate.ExitCode == 0, activate.ToString());
        var model = activate.Json().GetProperty("model");
        Assert.Equal("onnx", model.GetProperty("provider").GetString());
        Assert.Matches("^[0-9a-f]{64}$", model.GetProperty("digest").GetString());
        Assert.True(list.ExitCode == 0, list.ToString());
        var active = list.Json().GetProperty("models").EnumerateArray().Single(m => m.GetProperty("active").GetBoolean());
        Assert.Equal("onnx/all-MiniLM-L6-v2-int8", active.GetProperty("reference").GetString());
        Assert.Equal(384, active.GetProperty("dimensions").GetInt32());
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("Neptune__Llm__Ollama__BaseUrl", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 300_000)]
    public async Task Status_counts_every_imported_page_once()
    {
        var result = await corpus.RunAsync(["status", "--json"], Ct);

        Assert.True(result.ExitCode == 0, result.ToString());
        var status = result.Json();
        Assert.Equal(ManCorpusFixture.PageCount, status.GetProperty("counts").GetProperty("notes").GetInt64());
        Assert.Equal(Path.GetFullPath(corpus.DataDir), status.GetProperty("dataDir").GetString());
    }

    [Fact(Timeout = 300_000)]
    public async Task Search_for_a_distinctive_command_name_ranks_its_page_first()
    {
        var result = await corpus.RunAsync(["search", "objcopy", "--json"], Ct);

        Assert.True(result.ExitCode == 0, result.ToString());
        var sourceIds = SourceIds(result.Json());
        Assert.NotEmpty(sourceIds);
        Assert.Equal("objcopy.1", sourceIds[0]);
    }

    [Fact(Timeout = 300_000)]
    public async Task Search_results_carry_the_source_id_and_respect_the_limit()
    {
        var result = await corpus.RunAsync(["search", "remove sections from each line of files", "--limit", "5", "--json"], Ct);

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.Equal("fts", json.GetProperty("mode").GetString());
        var results = json.GetProperty("results").EnumerateArray().ToList();
        Assert.NotEmpty(results);
        Assert.InRange(results.Count, 1, 5);
        Assert.All(results, r => Assert.False(string.IsNullOrEmpty(r.GetProperty("sourceId").GetString())));
    }

    [Fact(Timeout = 300_000)]
    public async Task Search_mode_is_checked_and_the_output_says_which_mode_ran()
    {
        var unknown = await corpus.RunAsync(["search", "objcopy", "--mode", "magic"], Ct);
        var semantic = await corpus.RunAsync(["search", "objcopy", "--mode", "semantic", "--json"], Ct);

        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("fts, semantic, hybrid or auto", unknown.Stderr, StringComparison.Ordinal);
        Assert.True(semantic.ExitCode == 0, semantic.ToString());
        // Nothing has indexed these notes: semantic search has nothing to search, and says so.
        Assert.Equal("semantic", semantic.Json().GetProperty("mode").GetString());
        Assert.Contains("no vectors yet", semantic.Json().GetProperty("degraded").GetString(), StringComparison.Ordinal);
        Assert.Empty(semantic.Json().GetProperty("results").EnumerateArray());
    }

    [Fact(Timeout = 300_000)]
    public async Task Search_finds_most_known_items_in_the_top_10()
    {
        var queries = LoadQueries();
        var pages = LoadPages([.. FindableQueries.Select(q => queries[q].Relevant)]);
        var misses = new List<string>();
        foreach (var id in FindableQueries)
        {
            var (text, relevant) = queries[id];
            var missing = Words(text).Except(Words(pages[relevant])).ToList();
            Assert.True(missing.Count == 0, $"Precondition: '{text}' has words not in {relevant}: {string.Join(", ", missing)}");

            var result = await corpus.RunAsync(["search", text, "--json"], Ct);
            Assert.True(result.ExitCode == 0, result.ToString());
            var top10 = SourceIds(result.Json()).Take(10).ToList();
            if (!top10.Contains(relevant))
            {
                misses.Add($"'{text}' → expected {relevant}, got [{string.Join(", ", top10)}]");
            }
        }

        // "Most": all but one may miss, so a ranking tweak does not break the suite, a broken search does.
        Assert.True(misses.Count <= 1, string.Join("\n", misses));
    }

    [Fact(Timeout = 300_000)]
    public async Task Import_of_a_missing_path_fails_with_a_one_line_reason()
    {
        using var data = new TempDirectory("cli-missing");
        var result = await Cli.RunAsync(["import", data.Combine("does", "not", "exist"), "--data", data.Path], Ct);

        Assert.True(result.ExitCode != 0, result.ToString());
        AssertOneLineReason(result);
    }

    [Theory(Timeout = 300_000)]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("   ")]
    public async Task Search_without_searchable_words_fails_with_a_one_line_reason(string query)
    {
        using var data = new TempDirectory("cli-empty-query");
        var result = await Cli.RunAsync(["search", query, "--data", data.Path], Ct);

        Assert.True(result.ExitCode != 0, result.ToString());
        AssertOneLineReason(result);
    }

    [Fact(Timeout = 300_000)]
    public async Task Serve_on_a_busy_port_fails_with_a_one_line_reason()
    {
        using var data = new TempDirectory("cli-busy-port");
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var result = await Cli.RunAsync(["serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", data.Path], Ct);

        Assert.True(result.ExitCode == 1, result.ToString());
        AssertOneLineReason(result);
        Assert.Contains("already in use", result.Stderr, StringComparison.Ordinal);
    }

    [Theory(Timeout = 300_000)]
    [InlineData("cloud", "", "Neptune:Storage:Mode (or STORAGE_MODE) must be db, dual or s3")]
    [InlineData("s3", "", "Neptune:Storage:S3:Endpoint (or S3_ENDPOINT) is required")]
    [InlineData("s3", "ftp://minio", "must be an http:// or https:// URL")]
    [InlineData("s3", "http://127.0.0.1:1", "needs object storage to save any note")]
    public async Task Serve_with_bad_storage_settings_stops_with_a_one_line_reason(string mode, string endpoint, string reason)
    {
        using var data = new TempDirectory("cli-storage");

        var result = await Cli.RunAsync(["serve", "--port", "0", "--data", data.Path], Ct, environment: new Dictionary<string, string>
        {
            ["STORAGE_MODE"] = mode, ["S3_ENDPOINT"] = endpoint, ["S3_ACCESS_KEY"] = "key", ["S3_SECRET_KEY"] = "secret",
            ["S3_BUCKET"] = "neptune", ["Neptune__Storage__S3__MaxRetries"] = "0",
        });

        Assert.True(result.ExitCode == 1, result.ToString());
        AssertOneLineReason(result);
        Assert.Contains(reason, result.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 300_000)]
    public async Task Migrate_on_a_fresh_data_folder_succeeds()
    {
        using var data = new TempDirectory("cli-migrate");
        var dir = data.Combine("new");

        var result = await Cli.RunAsync(["migrate", "--data", dir], Ct);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(Path.Combine(dir, "neptune.db")), result.ToString());
        var again = await Cli.RunAsync(["migrate", "--data", dir, "--json"], Ct);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.True(again.Json().GetProperty("ready").GetBoolean(), again.ToString());
    }

    private static void AssertOneLineReason(CliResult result)
    {
        var stderr = result.Stderr.TrimEnd('\r', '\n');
        Assert.StartsWith("neptune: ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', stderr);
        Assert.True(stderr.Length > "neptune: ".Length + 10, $"The reason says nothing: {result}");
    }

    private static List<string> SourceIds(JsonElement json) =>
        [.. json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("sourceId").GetString()!)];

    private static Dictionary<string, (string Query, string Relevant)> LoadQueries()
    {
        var queries = new Dictionary<string, (string, string)>();
        foreach (var line in File.ReadLines(SharedDatasets.ManPagesQueries).Where(l => l.Length > 0))
        {
            using var query = JsonDocument.Parse(line);
            var q = query.RootElement;
            queries[q.GetProperty("id").GetString()!] = (q.GetProperty("query").GetString()!, q.GetProperty("relevant")[0].GetString()!);
        }

        return queries;
    }

    private static Dictionary<string, string> LoadPages(IReadOnlyCollection<string> ids)
    {
        var pages = new Dictionary<string, string>();
        foreach (var line in File.ReadLines(SharedDatasets.ManPagesCorpus))
        {
            using var page = JsonDocument.Parse(line);
            var id = page.RootElement.GetProperty("id").GetString()!;
            if (ids.Contains(id))
            {
                pages[id] = page.RootElement.GetProperty("title").GetString() + "\n" + page.RootElement.GetProperty("text").GetString();
            }
        }

        return pages;
    }

    private static HashSet<string> Words(string text) =>
        [.. WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value)];

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
