using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Neptune.Host.Tests;

public sealed record CliResult(IReadOnlyList<string> Args, int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Stdout);
        return document.RootElement.Clone();
    }

    public override string ToString() =>
        $"neptune {string.Join(' ', Args)} → exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs the real <c>neptune</c> executable (neptune.dll from the test output folder) as a child process.</summary>
public static class Cli
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    public static string NeptuneDll { get; } = FindNeptuneDll();

    public static async Task<CliResult> RunAsync(IReadOnlyList<string> args, CancellationToken ct, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = StartInfo(args);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            ct.ThrowIfCancellationRequested();
            throw new TimeoutException(
                $"neptune {string.Join(' ', args)} did not exit within {timeout ?? DefaultTimeout}.\n--- stdout ---\n{await stdout}\n--- stderr ---\n{await stderr}");
        }

        return new CliResult(args, process.ExitCode, await stdout, await stderr);
    }

    /// <summary><c>dotnet neptune.dll args…</c>, with output redirected and no data folder inherited from the environment.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(NeptuneDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("NEPTUNE_DATA_DIR");
        info.Environment.Remove("ASPNETCORE_URLS");
        return info;
    }

    private static string DotnetHost()
    {
        // `dotnet test` tells its children where the host is; otherwise use the one on PATH.
        var fromCli = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromCli) && File.Exists(fromCli))
        {
            return fromCli;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? current
            : "dotnet";
    }

    private static string FindNeptuneDll()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "neptune.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"neptune.dll is not in {AppContext.BaseDirectory}: the test project must reference src/Neptune.Host.", path);
    }
}
