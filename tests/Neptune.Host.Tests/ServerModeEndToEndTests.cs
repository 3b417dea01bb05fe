using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Neptune.Host.Tests;

/// <summary>
/// Server mode end to end (issue 6): PostgreSQL, S3 and the three roles as separate processes. Man pages are imported
/// through the API and indexed through the indexer → llm HTTP path while the llm process and then an indexer are killed
/// with SIGKILL (and started again); every note ends indexed exactly once, and search and graph retrieval answer as
/// the same import does in desktop mode.
/// </summary>
public sealed class ServerModeEndToEndTests(ITestOutputHelper output)
{
    /// <summary>Pages to import; <see cref="DefaultPages"/> unless set (a developer's shorter run, e.g. 150).</summary>
    public const string PagesVariable = "NEPTUNE_E2E_PAGES";

    /// <summary>
    /// The run: 500 pages, each indexed twice (server and desktop mode). On this 2-core machine that took 16.5 min
    /// at load 25–35 (server 430 s of indexing, desktop 319 s); CI's runner ran the 150-page version in under 3 min.
    /// </summary>
    public const int DefaultPages = 500;

    /// <summary>Dev queries (the pages' one-line descriptions) asked of both deployments.</summary>
    private const int Queries = 40;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Page(string Id, string Title, string Text);

    private sealed record Hit(long Id, string Title, double Score);

    private sealed record SearchBody(string Mode, string? Degraded, List<Hit> Results);

    private sealed record Retrieved(long Id, string Title, double Score, bool Seed, List<JsonElement> Path);

    private sealed record RetrieveBody(string SeedMode, List<Retrieved> Results);

    [Fact(Timeout = 3_600_000)]
    public async Task Three_roles_survive_kill_9_of_llm_and_indexer_and_answer_as_desktop_mode_does()
    {
        var servers = ServerRoles.RequireServers();
        var pageCount = int.TryParse(Environment.GetEnvironmentVariable(PagesVariable), CultureInfo.InvariantCulture, out var n) ? n : DefaultPages;
        var pages = File.ReadLines(SharedDatasets.ManPagesCorpus).Take(pageCount).Select(l =>
        {
            var p = JsonDocument.Parse(l).RootElement;
            return new Page(p.GetProperty("id").GetString()!, p.GetProperty("title").GetString()!, p.GetProperty("text").GetString()!);
        }).ToList();
        var queries = DevQueries(pages);
        var clock = Stopwatch.StartNew();

        await using var roles = await ServerRoles.CreateAsync(servers, Ct);
        await roles.StartAsync("llm", Ct);
        await roles.StartAsync("indexer", Ct);
        var backend = await roles.StartAsync("backend", Ct);
        Log($"{clock.Elapsed.TotalSeconds:F0} s: three roles ready; importing {pages.Count} pages through the API");

        await ImportAsync(backend.Http, pages);
        var imported = clock.Elapsed;
        Log($"{imported.TotalSeconds:F0} s: imported");

        // Partway: the llm process dies. Jobs must wait (not fail) until it is back on the same address.
        var atLlmKill = await WaitForAsync(backend.Http, s => s.Indexed >= pages.Count / 5, TimeSpan.FromMinutes(20));
        Assert.True(atLlmKill.Indexed < pages.Count, $"Everything was indexed before the llm was killed ({atLlmKill.Summary}).");
        await roles.KillAsync("llm");
        Log($"{clock.Elapsed.TotalSeconds:F0} s: killed llm at {atLlmKill.Summary}");
        // At least 10 s, and until the indexer says (still ready, degraded) that it waits for the llm: its HTTP client
        // retries a few times before it gives the jobs back.
        var llmDown = Stopwatch.StartNew();
        IndexProgress whileDown;
        string indexerReady;
        do
        {
            whileDown = await IndexProgress.ReadAsync(backend.Http, Ct);
            Assert.Equal(0, whileDown.Failed);
            Assert.Equal(0, whileDown.DeadJobs);
            indexerReady = await roles["indexer"].Http.GetStringAsync("/ready", Ct);
            Assert.True(llmDown.Elapsed < TimeSpan.FromMinutes(2), $"The indexer did not report the llm missing in 2 min: {indexerReady}");
            await Task.Delay(250, Ct);
        }
        while (llmDown.Elapsed < TimeSpan.FromSeconds(10) || !indexerReady.Contains("indexer waiting: The llm service", StringComparison.Ordinal));

        Assert.True(whileDown.Indexed < pages.Count, $"Indexing finished without the llm process: {whileDown.Summary}");
        Log($"{clock.Elapsed.TotalSeconds:F0} s: llm down {llmDown.Elapsed.TotalSeconds:F0} s at {whileDown.Summary}; indexer /ready: {indexerReady}");
        await roles.StartAsync("llm", Ct);

        // Later: an indexer dies holding leased jobs; its replacement takes them over (the dead owner's leases end at start).
        var atIndexerKill = await WaitForAsync(backend.Http, s => s.Indexed >= Math.Max(whileDown.Indexed + 1, pages.Count / 2), TimeSpan.FromMinutes(20));
        Assert.True(atIndexerKill.Indexed < pages.Count, $"Everything was indexed before the indexer was killed ({atIndexerKill.Summary}).");
        var indexerPid = roles["indexer"].Pid;
        await roles.KillAsync("indexer");
        var leased = await roles.ScalarAsync("SELECT count(*) FROM jobs WHERE state = 'leased'", Ct);
        var leasedByDead = await roles.ScalarAsync($"SELECT count(*) FROM jobs WHERE state = 'leased' AND lease_owner LIKE '%/{indexerPid}/%'", Ct);
        Log($"{clock.Elapsed.TotalSeconds:F0} s: killed indexer (pid {indexerPid}) at {atIndexerKill.Summary}; {leased} jobs leased, {leasedByDead} by it");
        await roles.StartAsync("indexer", Ct);

        var done = await WaitForAsync(backend.Http, s => s.Indexed == pages.Count && s.QueueDepth == 0, TimeSpan.FromMinutes(30));
        var serverIndexed = clock.Elapsed;
        Assert.Equal($"{pages.Count}/{pages.Count} indexed, 0 failed", done.Summary);
        Assert.Equal(0, done.DeadJobs);
        Log($"{serverIndexed.TotalSeconds:F0} s: server mode indexed ({(serverIndexed - imported).TotalSeconds:F0} s after the import)");

        await AssertIndexedExactlyOnceAsync(roles, pages.Count);
        await AssertNoteTextInS3Async(roles, pages.Count);
        // The embeddings came from the llm process (its counter, since its restart), none from the indexer's own model.
        Assert.True(await MetricAsync(roles["llm"].Http, "neptune_llm_embedding_tokens") > 0, "The restarted llm process embedded nothing.");
        Assert.Equal(0, await MetricAsync(roles["indexer"].Http, "neptune_llm_embedding_tokens"));

        // The backend has run since before the first page: it searches the vectors the indexer wrote in another
        // process (pgvector, the default on PostgreSQL), not a copy loaded when it started.
        var server = await AskAsync(backend.Http, queries);

        // It goes down with SIGKILL too: nothing the API accepted may depend on it shutting down cleanly.
        await roles.KillAsync("backend");
        backend = await roles.StartAsync("backend", Ct);
        Compare(pages, queries, server, await AskAsync(backend.Http, queries));

        // The same pages, imported the same way into desktop mode (one process, SQLite, the embedded model).
        using var desktopData = new TempDirectory("e2e-desktop");
        await using var desktop = await NeptuneProcess.StartAsync(desktopData.Path, Ct);
        var desktopStarted = clock.Elapsed;
        await ImportAsync(desktop.Http, pages);
        var desktopDone = await WaitForAsync(desktop.Http, s => s.Indexed == pages.Count && s.QueueDepth == 0, TimeSpan.FromMinutes(30));
        Assert.Equal($"{pages.Count}/{pages.Count} indexed, 0 failed", desktopDone.Summary);
        Log($"{clock.Elapsed.TotalSeconds:F0} s: desktop mode indexed ({(clock.Elapsed - desktopStarted).TotalSeconds:F0} s with its import)");
        var local = await AskAsync(desktop.Http, queries);

        Compare(pages, queries, server, local);
        Log($"{clock.Elapsed.TotalSeconds:F0} s in all for {pages.Count} pages");
    }

    /// <summary>Each query's answers; SemanticWide is semantic search's top 30, where a note that left the top 10 shows its score.</summary>
    private sealed record Answers(
        Dictionary<string, SearchBody> Semantic, Dictionary<string, SearchBody> SemanticWide, Dictionary<string, SearchBody> Hybrid, Dictionary<string, RetrieveBody> Graph);

    private static List<(string Query, string Relevant)> DevQueries(List<Page> pages)
    {
        var ids = pages.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var titles = pages.ToDictionary(p => p.Id, p => p.Title, StringComparer.Ordinal);
        return [.. File.ReadLines(SharedDatasets.ManPagesQueries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(q => (Query: q.GetProperty("query").GetString()!, Relevant: q.GetProperty("relevant").EnumerateArray().Select(r => r.GetString()!).ToList()))
            .Where(q => q.Relevant.Count == 1 && ids.Contains(q.Relevant[0]))
            .Take(Queries)
            .Select(q => (q.Query, titles[q.Relevant[0]]))];
    }

    /// <summary>POST /api/notes for every page, in corpus order, one at a time (both deployments get the same sequence).</summary>
    private static async Task ImportAsync(HttpClient http, List<Page> pages)
    {
        foreach (var page in pages)
        {
            using var response = await http.PostAsJsonAsync("/api/notes", new { title = page.Title, content = page.Text }, JsonSerializerOptions.Web, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{page.Id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        }
    }

    private static async Task<Answers> AskAsync(HttpClient http, List<(string Query, string Relevant)> queries)
    {
        var answers = new Answers([], [], [], []);
        foreach (var (query, _) in queries)
        {
            var q = Uri.EscapeDataString(query);
            answers.Semantic[query] = (await http.GetFromJsonAsync<SearchBody>($"/api/search?q={q}&mode=semantic&limit=10", JsonSerializerOptions.Web, Ct))!;
            answers.SemanticWide[query] = (await http.GetFromJsonAsync<SearchBody>($"/api/search?q={q}&mode=semantic&limit=30", JsonSerializerOptions.Web, Ct))!;
            answers.Hybrid[query] = (await http.GetFromJsonAsync<SearchBody>($"/api/search?q={q}&mode=hybrid&limit=10", JsonSerializerOptions.Web, Ct))!;
            using var retrieve = await http.PostAsJsonAsync("/api/graph/retrieve", new { query, k = 10 }, JsonSerializerOptions.Web, Ct);
            Assert.True(retrieve.IsSuccessStatusCode, await retrieve.Content.ReadAsStringAsync(Ct));
            answers.Graph[query] = (await retrieve.Content.ReadFromJsonAsync<RetrieveBody>(JsonSerializerOptions.Web, Ct))!;
        }

        return answers;
    }

    /// <summary>
    /// What must agree between the deployments, and how closely:
    /// - semantic: the same model embeds the same chunks, so a note both return has the same score (to float noise: the
    ///   desktop re-ranks from float16 copies), except where the deployments batched its chunks with different ones (after
    ///   the kill -9s): the int8 model quantises a run's activations together, so a query's score for a chunk moves with
    ///   the chunk's companions (600 man-page chunks embedded in two batchings, 200 queries: p99 0.019, max 0.043;
    ///   docs/decisions.md, "The embedded model runs with int8 weights"), and so can its rank: a note the desktop ranks
    ///   9th may fall below the server's 10th (a CI run saw two in one query). Such a note is outranked, not missed,
    ///   when the server's top 30 holds it at a score no higher than its own 10th and within the batch noise of the
    ///   desktop's. The server searches pgvector's HNSW index, which is approximate (99.7 % of the exact top-10 notes for text
    ///   queries at ef_search 4 × k on the full man corpus, 2 queries in 400 losing two:
    ///   bench/results/2026-12-07-pgvector-text-queries.md), so of the notes the desktop's exact scan ranks above its
    ///   10th score's tie band the server may miss (not return where its own score would place it) one in a query, and
    ///   finds at least 95 % over all queries (at ef_search = k a CI run lost two in one of 40 queries);
    /// - hybrid: the full-text half differs by design (FTS5 bm25 against PostgreSQL's bm25 over tsvectors, whose lengths
    ///   are distinct words and whose stemming differs), so the lists are compared by overlap and by finding the page
    ///   the query describes;
    /// - graph retrieval: seeds from hybrid, walks over edges whose semantic part depends on indexing order (decisions:
    ///   "Semantic edges"), so it is compared by overlap and by finding the page.
    /// </summary>
    private const double BatchNoise = 0.05;

    private void Compare(List<Page> pages, List<(string Query, string Relevant)> queries, Answers server, Answers local)
    {
        double semanticWorst = 0;
        int semanticExpected = 0, semanticMissed = 0, semanticOutranked = 0;
        var hybridOverlap = new List<double>();
        var graphOverlap = new List<double>();
        int hybridTop1 = 0, serverFound = 0, localFound = 0, serverGraphFound = 0, localGraphFound = 0;
        foreach (var (query, relevant) in queries)
        {
            foreach (var answers in new[] { server, local })
            {
                Assert.Equal("semantic", answers.Semantic[query].Mode);
                Assert.Null(answers.Semantic[query].Degraded);
                Assert.Equal("hybrid", answers.Hybrid[query].Mode);
                Assert.Null(answers.Hybrid[query].Degraded);
                Assert.NotEmpty(answers.Graph[query].Results);
                Assert.All(answers.Graph[query].Results.Where(r => !r.Seed), r => Assert.NotEmpty(r.Path));
            }

            var (s, l) = (server.Semantic[query].Results, local.Semantic[query].Results);
            Assert.Equal(l.Count, s.Count);
            var serverScores = s.ToDictionary(h => h.Title, h => h.Score);
            foreach (var hit in l.Where(h => serverScores.ContainsKey(h.Title)))
            {
                semanticWorst = Math.Max(semanticWorst, Math.Abs(serverScores[hit.Title] - hit.Score));
            }

            const double tie = 1e-4;
            var floor = l[^1].Score + tie;
            var expected = l.Where(h => h.Score > floor).Select(h => h.Title).ToList();
            var serverTenth = s[^1].Score + tie;
            var wide = server.SemanticWide[query].Results.ToDictionary(h => h.Title, h => h.Score);
            var missed = new List<string>();
            foreach (var title in expected.Where(t => !serverScores.ContainsKey(t)))
            {
                var desktopScore = l.First(h => h.Title == title).Score;
                if (wide.TryGetValue(title, out var serverScore) && serverScore <= serverTenth && Math.Abs(serverScore - desktopScore) < BatchNoise)
                {
                    semanticWorst = Math.Max(semanticWorst, Math.Abs(serverScore - desktopScore));
                    semanticOutranked++;
                }
                else
                {
                    missed.Add(wide.TryGetValue(title, out serverScore) ? $"{title} (desktop {desktopScore:F4}, server {serverScore:F4} above its 10th {s[^1].Score:F4})" : title);
                }
            }

            Assert.True(missed.Count <= 1, $"The server's semantic top {s.Count} for \"{query}\" misses {string.Join(", ", missed)} of the desktop's.");
            // Approximate search can miss, never invent (beyond what another batch can move a score).
            Assert.DoesNotContain(s, h => h.Score > floor + BatchNoise && !l.Any(x => x.Title == h.Title));
            semanticExpected += expected.Count;
            semanticMissed += missed.Count;

            var (sh, lh) = (server.Hybrid[query].Results.Select(h => h.Title).ToList(), local.Hybrid[query].Results.Select(h => h.Title).ToList());
            hybridOverlap.Add(sh.Intersect(lh).Count() / (double)Math.Max(1, lh.Count));
            hybridTop1 += sh.FirstOrDefault() == lh.FirstOrDefault() ? 1 : 0;
            serverFound += sh.Contains(relevant) ? 1 : 0;
            localFound += lh.Contains(relevant) ? 1 : 0;

            var (sg, lg) = (server.Graph[query].Results.Select(r => r.Title).ToList(), local.Graph[query].Results.Select(r => r.Title).ToList());
            graphOverlap.Add(sg.Intersect(lg).Count() / (double)Math.Max(1, lg.Count));
            serverGraphFound += sg.Contains(relevant) ? 1 : 0;
            localGraphFound += lg.Contains(relevant) ? 1 : 0;
        }

        Log($"{queries.Count} queries over {pages.Count} pages: semantic max score difference {semanticWorst:E1}, "
            + $"{semanticMissed} of {semanticExpected} notes above the desktop's 10th score missed by the server ({semanticOutranked} outranked there); hybrid overlap@10 mean {hybridOverlap.Average():P0} "
            + $"(min {hybridOverlap.Min():P0}), same top 1 {hybridTop1}/{queries.Count}, page found server {serverFound} / desktop {localFound}; "
            + $"graph overlap@10 mean {graphOverlap.Average():P0} (min {graphOverlap.Min():P0}), page found server {serverGraphFound} / desktop {localGraphFound}");
        Assert.True(semanticWorst < BatchNoise, $"Semantic scores differ by {semanticWorst} between server and desktop mode.");
        Assert.True(semanticMissed <= semanticExpected * 0.05, $"The server's semantic search missed {semanticMissed} of {semanticExpected} notes the desktop ranks above its 10th score.");
        Assert.True(hybridOverlap.Average() >= 0.8, $"Hybrid top 10s overlap by {hybridOverlap.Average():P0} on average.");
        Assert.True(hybridTop1 >= queries.Count * 0.8, $"Hybrid's first result is the same for {hybridTop1}/{queries.Count} queries.");
        Assert.True(Math.Abs(serverFound - localFound) <= queries.Count / 10, $"Hybrid finds the page for {serverFound} queries on the server, {localFound} on the desktop.");
        Assert.True(graphOverlap.Average() >= 0.6, $"Graph retrieval's top 10s overlap by {graphOverlap.Average():P0} on average.");
        Assert.True(Math.Abs(serverGraphFound - localGraphFound) <= queries.Count / 10, $"Graph retrieval finds the page for {serverGraphFound} queries on the server, {localGraphFound} on the desktop.");
    }

    /// <summary>Every note indexed once at its current version: no job left, no edge twice, chunks whole, one vector each, topic counts true.</summary>
    private static async Task AssertIndexedExactlyOnceAsync(ServerRoles roles, int pages)
    {
        Assert.Equal(pages, await roles.ScalarAsync("SELECT count(DISTINCT title) FROM notes WHERE deleted_at IS NULL", Ct));
        Assert.Equal(pages, await roles.ScalarAsync("SELECT count(*) FROM notes", Ct));
        Assert.Equal(0, await roles.ScalarAsync("SELECT count(*) FROM jobs", Ct));
        Assert.Equal(0, await roles.ScalarAsync("SELECT count(*) - count(DISTINCT (a, b, kind)) FROM note_edges", Ct));
        Assert.Equal(0, await roles.ScalarAsync("SELECT count(*) FROM note_edges WHERE a >= b", Ct));
        Assert.True(await roles.ScalarAsync("SELECT count(*) FROM note_edges WHERE kind = 'semantic'", Ct) > 0);
        Assert.Equal(0, await roles.ScalarAsync("SELECT count(*) FROM (SELECT note_id FROM chunks GROUP BY note_id HAVING max(ordinal) + 1 <> count(*)) x", Ct));
        Assert.Equal(0, await roles.ScalarAsync("""
            SELECT count(*) FROM chunks c
            WHERE (SELECT count(*) FROM embeddings e JOIN models m ON m.id = e.model_id AND m.active WHERE e.chunk_id = c.id) <> 1
            """, Ct));
        Assert.Equal(pages, await roles.ScalarAsync("""
            SELECT count(*) FROM note_index i JOIN notes n ON n.id = i.note_id
            WHERE i.state = 'indexed' AND i.version = n.version AND EXISTS (SELECT 1 FROM chunks c WHERE c.note_id = n.id)
            """, Ct));
        Assert.Equal(0, await roles.ScalarAsync("""
            SELECT count(*) FROM (SELECT t.id FROM topics t LEFT JOIN note_topics nt ON nt.topic_id = t.id
                                  GROUP BY t.id HAVING t.note_count <> count(nt.note_id) OR abs(t.weight_sum - coalesce(sum(nt.weight), 0)) > 1e-9) x
            """, Ct));
    }

    /// <summary>Mode s3: every note's text is an object under the roles' prefix, named by its SHA-256.</summary>
    private static async Task AssertNoteTextInS3Async(ServerRoles roles, int pages)
    {
        var s3 = roles.Servers;
        using var client = new AmazonS3Client(new BasicAWSCredentials(s3.S3AccessKey, s3.S3SecretKey), new AmazonS3Config
        {
            ServiceURL = s3.S3Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var request = new ListObjectsV2Request { BucketName = s3.S3Bucket, Prefix = $"{roles.S3Prefix}/notes/" };
        ListObjectsV2Response response;
        do
        {
            response = await client.ListObjectsV2Async(request, Ct);
            keys.UnionWith((response.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);

        var hashes = await roles.RowsAsync("SELECT content_hash FROM notes");
        Assert.Equal(pages, hashes.Count);
        Assert.All(hashes, h => Assert.Contains($"{roles.S3Prefix}/notes/{h}.md", keys));
    }

    /// <summary>The sum of a Prometheus counter's series at /metrics (0 when the process has none).</summary>
    private static async Task<double> MetricAsync(HttpClient http, string name)
    {
        var text = await http.GetStringAsync("/metrics", Ct);
        return text.Split('\n').Where(l => l.StartsWith(name, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    private async Task<IndexProgress> WaitForAsync(HttpClient http, Func<IndexProgress, bool> done, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await IndexProgress.ReadAsync(http, Ct);
            if (done(status))
            {
                return status;
            }

            Assert.True(clock.Elapsed < limit, $"Indexing did not get there in {limit.TotalSeconds} s: {status.Summary}, {status.QueueDepth} jobs queued.");
            Assert.Equal(0, status.Failed);
            await Task.Delay(200, Ct);
        }
    }

    private void Log(string line) => output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");
}
