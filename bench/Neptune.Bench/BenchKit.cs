using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Neptune.Bench;

/// <summary>What every suite needs: the repository, free ports, the real CLI, waiting for /ready, medians.</summary>
public static class BenchKit
{
    public static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Neptune.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Run the benchmark from inside the Neptune repository.");
    }

    public static string ManPagesDir(string repo) => Path.GetFullPath(Path.Combine(repo, "..", "shared", "datasets", "manpages"));

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task WaitReadyAsync(HttpClient client, Stopwatch started, TimeSpan? limit = null)
    {
        var until = limit ?? TimeSpan.FromSeconds(60);
        while (started.Elapsed < until)
        {
            try
            {
                using var response = await client.GetAsync(new Uri("/ready", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(5);
        }

        throw new TimeoutException($"neptune serve did not become ready in {until.TotalSeconds:F0} s");
    }

    public static async Task<string> RunCliAsync(string dll, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", [dll, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"neptune {string.Join(' ', args)} failed: {await error}");
    }

    public static Process StartServe(string dll, params string[] args) =>
        Process.Start(new ProcessStartInfo("dotnet", [dll, "serve", .. args]) { RedirectStandardOutput = true, RedirectStandardError = true })!;

    public static double Median(IEnumerable<double> values) => Machine.Percentile([.. values.Order()], 50);

    /// <summary>The lines every report opens with: title (marked when a smoke run), date, machine, command.</summary>
    public static StringBuilder Header(string title, bool smoke, string repo, string command, string? machineDetail = null) =>
        new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# {title}{(smoke ? " (smoke run: tiny sizes, figures meaningless)" : "")}").AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"- Date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC")
            .AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Machine.Describe(repo)}{(machineDetail is null ? "" : "; " + machineDetail)}")
            .AppendLine(CultureInfo.InvariantCulture, $"- Command: {command}");

    /// <summary>Where reports go: bench/results, or bench/out (ignored by git) for smoke runs.</summary>
    public static string OutDir(string repo, bool smoke)
    {
        var outDir = Path.Combine(repo, "bench", smoke ? "out" : "results");
        Directory.CreateDirectory(outDir);
        return outDir;
    }

    /// <summary>
    /// Draws one line per series into &lt;date&gt;-&lt;suite&gt;-&lt;name&gt;.png next to the report and returns the
    /// markdown that shows it. A series of one point draws as a marker (a method on a recall/QPS plane).
    /// </summary>
    public static string Plot(string repo, string suite, bool smoke, string name, string title, string xLabel, string yLabel, IEnumerable<PlotSeries> series, string? date = null)
    {
        var plot = new ScottPlot.Plot();
        foreach (var line in series)
        {
            var scatter = plot.Add.Scatter(line.Xs, line.Ys);
            scatter.LegendText = line.Label;
            scatter.MarkerSize = 7;
        }

        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        // Outside the data area, so no point hides behind it.
        plot.ShowLegend(ScottPlot.Edge.Right);
        var file = $"{date ?? DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}-{suite}-{name}.png";
        plot.SavePng(Path.Combine(OutDir(repo, smoke), file), 1100, 560);
        return $"![{title}]({file})";
    }

    /// <summary>Writes a report to bench/results (bench/out for smoke runs) and echoes it.</summary>
    public static async Task WriteReportAsync(string repo, string suite, bool smoke, string report)
    {
        var file = Path.Combine(OutDir(repo, smoke), $"{DateTimeOffset.UtcNow:yyyy-MM-dd}-{suite}.md");
        await File.WriteAllTextAsync(file, report);
        Console.WriteLine(report);
        Console.WriteLine($"bench: wrote {file}");
    }
}

/// <summary>One line of a plot: its legend and points.</summary>
public sealed record PlotSeries(string Label, double[] Xs, double[] Ys);
