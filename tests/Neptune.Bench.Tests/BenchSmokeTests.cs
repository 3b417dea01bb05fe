using System.Diagnostics;
using System.Reflection;

namespace Neptune.Bench.Tests;

/// <summary>Every benchmark suite still runs end to end at tiny sizes; no timing is asserted (timings live in bench/).</summary>
public sealed class BenchSmokeTests
{
    private static readonly string BenchDll = Path.GetFullPath(typeof(BenchSmokeTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BenchDll").Value!);

    [Theory]
    [InlineData("core")]
    [InlineData("embedding")]
    [InlineData("runs")]
    [InlineData("index")]
    [InlineData("search")]
    [InlineData("topics")]
    [InlineData("vectors")]
    [InlineData("scale")]
    [InlineData("fulltext")]
    [InlineData("graph")]
    public async Task Smoke_run_of_suite_exits_zero_and_writes_its_report(string suite)
    {
        var started = DateTime.UtcNow;
        using var process = Process.Start(new ProcessStartInfo("dotnet", [BenchDll, suite, "--smoke"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"bench {suite} --smoke exited {process.ExitCode}:\n{await error}\n{await output}");
        var written = (await output).Split('\n').Last(l => l.StartsWith("bench: wrote ", StringComparison.Ordinal))["bench: wrote ".Length..].Trim();
        Assert.Contains(Path.Combine("bench", "out"), written, StringComparison.Ordinal);
        Assert.True(File.GetLastWriteTimeUtc(written) >= started.AddSeconds(-1), $"{written} was not rewritten by this run");
    }
}
