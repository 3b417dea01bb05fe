using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Neptune.Host.Tests;

/// <summary>
/// The indexer's outbox under a crash: a served process is killed with SIGKILL while it indexes; after a restart on the
/// same data every note ends up indexed exactly once, with no job lost, no edge twice and no half-written note.
/// </summary>
public sealed class IndexerCrashTests
{
    private const int Pages = 60;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Status(long Notes, long Indexed, long Failed, long QueueDepth, long DeadJobs, string Summary);

    [Fact(Timeout = 300_000)]
    public async Task Kill_9_mid_index_loses_no_job_and_duplicates_no_edge()
    {
        using var data = new TempDirectory("index-crash");
        var corpus = data.Combine("pages.jsonl");
        await File.WriteAllLinesAsync(corpus, File.ReadLines(SharedDatasets.ManPagesCorpus)
            .Where(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!.Length is > 1500 and < 3500).Take(Pages), Ct);
        var import = await Cli.RunAsync(["import", corpus, "--data", data.Path], Ct);
        Assert.True(import.ExitCode == 0, import.ToString());

        Status atKill;
        await using (var server = await NeptuneProcess.StartAsync(data.Path, Ct))
        {
            atKill = await WaitForAsync(server.Http, s => s.Indexed > 0, TimeSpan.FromMinutes(2));
            Assert.True(atKill.Indexed < Pages, $"Everything was indexed before the kill ({atKill.Summary}): use more or longer pages.");
            await server.KillAsync();
        }

        var leased = await ScalarAsync(data.Path, "SELECT count(*) FROM jobs WHERE state = 'leased'");
        TestContext.Current.TestOutputHelper?.WriteLine($"Killed at {atKill.Summary} with {leased} jobs leased.");

        await using (var restarted = await NeptuneProcess.StartAsync(data.Path, Ct))
        {
            var done = await WaitForAsync(restarted.Http, s => s.Indexed == Pages && s.QueueDepth == 0, TimeSpan.FromMinutes(3));
            Assert.Equal($"{Pages}/{Pages} indexed, 0 failed", done.Summary);
            Assert.Equal(0, done.DeadJobs);
        }

        Assert.Equal(0, await ScalarAsync(data.Path, "SELECT count(*) FROM jobs"));
        Assert.Equal(0, await ScalarAsync(data.Path, "SELECT count(*) - count(DISTINCT a || '-' || b || '-' || kind) FROM note_edges"));
        Assert.Equal(0, await ScalarAsync(data.Path, "SELECT count(*) FROM note_edges WHERE a >= b"));
        Assert.True(await ScalarAsync(data.Path, "SELECT count(*) FROM note_edges WHERE kind = 'semantic'") > 0);
        // Every note whole: chunks numbered 0..n-1, each with one vector of the active model, and indexed at its current version.
        Assert.Equal(0, await ScalarAsync(data.Path, """
            SELECT count(*) FROM (SELECT note_id FROM chunks GROUP BY note_id HAVING max(ordinal) + 1 <> count(*))
            """));
        Assert.Equal(0, await ScalarAsync(data.Path, """
            SELECT count(*) FROM chunks c
            WHERE (SELECT count(*) FROM embeddings e JOIN models m ON m.id = e.model_id AND m.active = 1 WHERE e.chunk_id = c.id) <> 1
            """));
        Assert.Equal(Pages, await ScalarAsync(data.Path, """
            SELECT count(*) FROM note_index i JOIN notes n ON n.id = i.note_id
            WHERE i.state = 'indexed' AND i.version = n.version AND EXISTS (SELECT 1 FROM chunks c WHERE c.note_id = n.id)
            """));
        Assert.Equal(0, await ScalarAsync(data.Path, """
            SELECT count(*) FROM (SELECT t.id FROM topics t LEFT JOIN note_topics nt ON nt.topic_id = t.id
                                  GROUP BY t.id HAVING t.note_count <> count(nt.note_id) OR abs(t.weight_sum - ifnull(sum(nt.weight), 0)) > 1e-9)
            """));
    }

    private static async Task<Status> WaitForAsync(HttpClient http, Func<Status, bool> done, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = (await http.GetFromJsonAsync<Status>("/api/index/status", JsonSerializerOptions.Web, Ct))!;
            if (done(status))
            {
                return status;
            }

            Assert.True(clock.Elapsed < limit, $"Indexing did not get there in {limit.TotalSeconds} s: {status.Summary}, {status.QueueDepth} jobs queued.");
            Assert.Equal(0, status.Failed);
            await Task.Delay(50, Ct);
        }
    }

    private static async Task<long> ScalarAsync(string dataDir, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "neptune.db")};Pooling=false");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
