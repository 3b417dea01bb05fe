using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Neptune.Host.Tests;

/// <summary>
/// A real <c>neptune serve</c> process on a free 127.0.0.1 port. Disposing kills it (SIGKILL);
/// the data folder belongs to the caller, so a test can restart on the same data.
/// </summary>
public sealed class NeptuneProcess : IAsyncDisposable
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The process id, e.g. to find the job leases it held (their owner is host/pid/random).</summary>
    public int Pid => _process.Id;

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NeptuneProcess(string dataDir, int port, IReadOnlyDictionary<string, string>? environment, IReadOnlyList<string> args)
    {
        DataDir = dataDir;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        _process = new Process { StartInfo = Cli.StartInfo(["serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", dataDir, .. args]) };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            _process.StartInfo.Environment[key] = value;
        }

        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        Http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(100),
        };
    }

    public string DataDir { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>Everything the process printed so far, stdout and stderr interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <c>neptune serve --port P --data DIR args…</c> and waits for /ready. Without <paramref name="port"/> a free
    /// one is picked (and another tried if it is taken meanwhile); a fixed port is how a restarted role keeps the address
    /// the other roles were configured with.
    /// </summary>
    public static async Task<NeptuneProcess> StartAsync(string dataDir, CancellationToken ct, IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyList<string>? args = null, int? port = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = new NeptuneProcess(dataDir, port ?? FreePort(), environment, args ?? []);
            try
            {
                server._process.Start();
                server._process.StandardInput.Close();
                server._process.BeginOutputReadLine();
                server._process.BeginErrorReadLine();
                await server.WaitUntilReadyAsync(ct);
                return server;
            }
            catch (PortTakenException) when (attempt < 5 && port is null)
            {
                // Another program took the port between our probe and neptune's bind: try another one.
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Kills the process with SIGKILL, like a crash or a power cut of the app: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has exited already, or never started.
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
            // Never started, or the kernel is slow to reap it: nothing more we can do.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await KillAsync();
        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(ct);  // flushes the redirected output
                if (Output.Contains("already in use", StringComparison.Ordinal))
                {
                    throw new PortTakenException();
                }

                throw new InvalidOperationException($"neptune serve exited with code {_process.ExitCode} before it was ready:\n{Output}");
            }

            if (deadline.Elapsed > ReadyTimeout)
            {
                throw new TimeoutException($"neptune serve was not ready within {ReadyTimeout.TotalSeconds} s:\n{Output}");
            }

            try
            {
                using var probe = CancellationTokenSource.CreateLinkedTokenSource(ct);
                probe.CancelAfter(TimeSpan.FromSeconds(5));
                using var response = await Http.GetAsync("/ready", probe.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(100, ct);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class PortTakenException : Exception;
}

/// <summary>One served process on a fresh data folder, shared by a test class.</summary>
public sealed class NeptuneServerFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new("serve");
    private NeptuneProcess? _server;

    public NeptuneProcess Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public HttpClient Http => Server.Http;

    public async ValueTask InitializeAsync() => _server = await NeptuneProcess.StartAsync(_data.Path, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _data.Dispose();
    }
}
