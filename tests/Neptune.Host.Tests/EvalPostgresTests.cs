using System.Diagnostics;
using Npgsql;

namespace Neptune.Host.Tests;

/// <summary>
/// `neptune eval` with the configuration on PostgreSQL (scripts/services.sh): it runs in a temporary database of its own
/// and drops it at the end, also when it is interrupted. Skipped without the server (CI never skips it).
/// </summary>
public sealed class EvalPostgresTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 300_000)]
    public async Task Eval_on_postgres_indexes_in_a_temporary_database_and_drops_it()
    {
        var server = Server();
        var before = await EvalDatabasesAsync(server);
        var result = await RunAsync(server, ["--limit", "24", "--mode", "fts,hybrid", "--json"], TimeSpan.FromMinutes(5));

        Assert.True(result.ExitCode == 0, result.ToString());
        var report = result.Json();
        var store = report.GetProperty("store");
        Assert.Equal("postgres", store.GetProperty("provider").GetString());
        var database = store.GetProperty("location").GetString()!;
        Assert.StartsWith("neptune_eval_", database, StringComparison.Ordinal);
        Assert.Equal(24, report.GetProperty("index").GetProperty("indexed").GetInt32());
        var fts = report.GetProperty("modes").EnumerateArray().Single(m => m.GetProperty("mode").GetString() == "fts");
        Assert.Equal(0, fts.GetProperty("failed").GetInt32());
        Assert.True(fts.GetProperty("mrr10").GetDouble() > 0.5, fts.ToString());
        Assert.Equal(before, await EvalDatabasesAsync(server));
    }

    [Fact(Timeout = 420_000)]
    public async Task Interrupted_eval_on_postgres_still_drops_its_database()
    {
        var server = Server();
        var before = await EvalDatabasesAsync(server);
        using var process = Process.Start(StartInfo(server, ["--limit", "200"]))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);

        // Wait until it indexes (the database exists and holds notes), then press Ctrl-C.
        string? line;
        while ((line = await process.StandardError.ReadLineAsync(Ct)) is not null && !line.Contains("indexing", StringComparison.Ordinal))
        {
        }

        Assert.NotNull(line);
        Assert.NotEqual(before, await EvalDatabasesAsync(server));
        // Ctrl-C, unless this test run was started as a background job of a shell without job control (as CI may be):
        // then SIGINT is ignored from there down, the eval inherits that and .NET leaves it ignored; SIGTERM takes the
        // same path (System.CommandLine cancels the command on either).
        var signal = SigIntIgnored() ? "-TERM" : "-INT";
        using (var interrupt = Process.Start("kill", [signal, $"{process.Id}"]))
        {
            await interrupt.WaitForExitAsync(Ct);
            Assert.Equal(0, interrupt.ExitCode);
        }

        var rest = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        // It finishes the statement in flight before it drops the database: on a machine busy with the other process
        // suites (the server-mode end-to-end test runs beside this one) that took over a minute once.
        deadline.CancelAfter(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode != 0, $"exit {process.ExitCode} after kill {signal}: {await stdout}\n{await rest}");
        Assert.Equal(before, await EvalDatabasesAsync(server));
    }

    /// <summary>Whether this process ignores SIGINT (bit 1 of /proc/self/status SigIgn), as its children then do.</summary>
    private static bool SigIntIgnored()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0b10) != 0;
    }

    private static string Server()
    {
        var value = Environment.GetEnvironmentVariable("Neptune__Database__ConnectionString");
        var why = "Neptune__Database__ConnectionString is not set (./test.sh starts the servers; or eval \"$(scripts/services.sh up)\")";
        Assert.False(string.IsNullOrWhiteSpace(value) && Environment.GetEnvironmentVariable("CI") == "true", $"The PostgreSQL suite cannot run under CI, which never skips it: {why}");
        Assert.SkipWhen(string.IsNullOrWhiteSpace(value), $"PostgreSQL suite skipped: {why}");
        return value!;
    }

    private static ProcessStartInfo StartInfo(string server, string[] args)
    {
        var info = Cli.StartInfo(["eval", "--corpus", SharedDatasets.ManPagesCorpus, "--queries", SharedDatasets.ManPagesQueries, .. args]);
        info.Environment["Neptune__Database__Provider"] = "postgres";
        info.Environment["Neptune__Database__ConnectionString"] = server;
        return info;
    }

    private static async Task<CliResult> RunAsync(string server, string[] args, TimeSpan timeout)
    {
        using var process = Process.Start(StartInfo(server, args))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(timeout);
        await process.WaitForExitAsync(deadline.Token);
        return new CliResult(args, process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The scratch databases eval left on the server (tests running beside this one may add their own, not eval's).</summary>
    private static async Task<string> EvalDatabasesAsync(string server)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database WHERE datname LIKE 'neptune\\_eval\\_%' AND datname NOT LIKE 'neptune\\_eval\\_keep\\_%'", connection);
        return await command.ExecuteScalarAsync(Ct) as string ?? "";
    }
}
