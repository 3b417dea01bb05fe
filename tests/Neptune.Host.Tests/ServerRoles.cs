using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Neptune.Host.Tests;

/// <summary>
/// Neptune in server mode as separate processes: `neptune serve --role llm`, `--role indexer` and `--role backend` on one
/// PostgreSQL database of their own (scripts/services.sh) with note text in S3 (mode s3, a prefix of their own), the
/// roles calling each other with a shared service token, and a user's token for the API. Each role keeps its port, so a
/// role killed with SIGKILL comes back where the others expect it.
/// </summary>
public sealed class ServerRoles : IAsyncDisposable
{
    private readonly PostgresTestDatabase _database;
    private readonly TempDirectory _data = new("server-roles");
    private readonly Dictionary<string, string> _common;
    private readonly Dictionary<string, NeptuneProcess> _running = [];
    private readonly Dictionary<string, int> _ports = new() { ["llm"] = NeptuneProcess.FreePort(), ["indexer"] = NeptuneProcess.FreePort(), ["backend"] = NeptuneProcess.FreePort() };

    private ServerRoles(PostgresTestDatabase database, ServerSettings servers)
    {
        _database = database;
        S3Prefix = "e2e" + Guid.NewGuid().ToString("N")[..12];
        _common = new()
        {
            ["Neptune__Database__Provider"] = "postgres",
            ["Neptune__Database__ConnectionString"] = database.ConnectionString,
            ["Neptune__Auth__ServiceToken"] = "e2e-service-token-" + Guid.NewGuid().ToString("N"),
            ["Neptune__Storage__Mode"] = "s3",
            ["Neptune__Storage__S3__Endpoint"] = servers.S3Endpoint,
            ["Neptune__Storage__S3__AccessKey"] = servers.S3AccessKey,
            ["Neptune__Storage__S3__SecretKey"] = servers.S3SecretKey,
            ["Neptune__Storage__S3__Bucket"] = servers.S3Bucket,
            ["Neptune__Storage__S3__Prefix"] = S3Prefix,
            // While the llm role is down, jobs wait with backoff: keep the wait short so the test does not sleep minutes.
            ["Neptune__Indexer__BackoffMax"] = "00:00:02",
            // Hundreds of creates and status polls from one token are this test's client, not abuse.
            ["Neptune__RateLimit__Burst"] = "100000",
            ["Neptune__RateLimit__RequestsPerMinute"] = "1000000",
        };
        Servers = servers;
    }

    /// <summary>What scripts/services.sh exported (see test.sh).</summary>
    public sealed record ServerSettings(string PostgresAdmin, string S3Endpoint, string S3AccessKey, string S3SecretKey, string S3Bucket);

    public ServerSettings Servers { get; }

    public string S3Prefix { get; }

    public string ConnectionString => _database.ConnectionString;

    /// <summary>The user token the API client sends.</summary>
    public string UserToken { get; private set; } = "";

    public NeptuneProcess this[string role] => _running[role];

    /// <summary>The servers from the environment, or a skip with the reason (a failure under CI, which never skips them).</summary>
    public static ServerSettings RequireServers()
    {
        string[] names = ["Neptune__Database__ConnectionString", "S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_BUCKET"];
        var missing = names.Where(n => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(n))).ToList();
        var why = $"{string.Join(", ", missing)} not set (./test.sh starts the servers; or eval \"$(scripts/services.sh up)\")";
        Assert.False(missing.Count > 0 && Environment.GetEnvironmentVariable("CI") == "true", $"The server-mode suite cannot run under CI, which never skips it: {why}");
        Assert.SkipWhen(missing.Count > 0, $"Server-mode suite skipped: {why}");
        var values = names.Select(Environment.GetEnvironmentVariable).ToArray();
        return new ServerSettings(values[0]!, values[1]!, values[2]!, values[3]!, values[4]!);
    }

    /// <summary>A fresh database, migrated, with a user and a token; no role runs yet.</summary>
    public static async Task<ServerRoles> CreateAsync(ServerSettings servers, CancellationToken ct)
    {
        var roles = new ServerRoles(await PostgresTestDatabase.CreateAsync(servers.PostgresAdmin), servers);
        try
        {
            var migrate = await roles.CliAsync(["migrate"], ct);
            Assert.True(migrate.ExitCode == 0, migrate.ToString());
            var user = await roles.CliAsync(["users", "add", "e2e"], ct);
            Assert.True(user.ExitCode == 0, user.ToString());
            var token = await roles.CliAsync(["tokens", "create", "--user", "e2e", "--name", "e2e"], ct);
            Assert.True(token.ExitCode == 0, token.ToString());
            roles.UserToken = token.Stdout.Trim();
            return roles;
        }
        catch
        {
            await roles.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts <paramref name="role"/> (llm, indexer or backend) on its port with <paramref name="extra"/> settings; the
    /// backend's client carries the user token. The indexer and backend reach the llm role over HTTP.
    /// </summary>
    public async Task<NeptuneProcess> StartAsync(string role, CancellationToken ct, IReadOnlyDictionary<string, string>? extra = null, string? name = null)
    {
        name ??= role;
        var port = _ports.TryGetValue(name, out var known) ? known : _ports[name] = NeptuneProcess.FreePort();
        var environment = new Dictionary<string, string>(_common);
        if (role is "indexer" or "backend")
        {
            environment["Neptune__Services__Llm"] = $"http://127.0.0.1:{_ports["llm"]}";
        }

        if (role is "backend")
        {
            environment["Neptune__Services__Indexer"] = $"http://127.0.0.1:{_ports["indexer"]}";
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var data = _data.Combine(name);
        Directory.CreateDirectory(data);
        var process = await NeptuneProcess.StartAsync(data, ct, environment, ["--role", role], port);
        if (role is "backend")
        {
            process.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", UserToken);
        }

        _running[name] = process;
        return process;
    }

    /// <summary>SIGKILL: no shutdown code runs. <see cref="StartAsync"/> with the same name starts it again on its port.</summary>
    public async Task KillAsync(string name)
    {
        await _running[name].DisposeAsync();
        _running.Remove(name);
    }

    public Task<CliResult> CliAsync(IReadOnlyList<string> args, CancellationToken ct) =>
        Cli.RunAsync([.. args, "--data", _data.Path], ct, environment: _common);

    /// <summary>One value of a query against the roles' database.</summary>
    public async Task<long> ScalarAsync(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task<List<string>> RowsAsync(string sql) => _database.RowsAsync(sql);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _running.Values)
        {
            await process.DisposeAsync();
        }

        await _database.DisposeAsync();
        _data.Dispose();
    }
}

/// <summary>GET /api/index/status as the tests read it.</summary>
public sealed record IndexProgress(long Notes, long Indexed, long Failed, long QueueDepth, long DeadJobs, string Summary)
{
    public static async Task<IndexProgress> ReadAsync(HttpClient http, CancellationToken ct) =>
        (await http.GetFromJsonAsync<IndexProgress>("/api/index/status", JsonSerializerOptions.Web, ct))!;
}
