using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Neptune.Host.Tests;

/// <summary>`neptune users` and `neptune tokens` through the real executable, and a server in token mode using what they made.</summary>
public sealed class AccountsCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 300_000)]
    public async Task A_token_made_by_the_cli_opens_the_api_once_and_revoking_it_closes_it()
    {
        using var data = new TempDirectory("accounts");
        Assert.Equal(0, (await Cli.RunAsync(["users", "add", "alice", "--data", data.Path], Ct)).ExitCode);
        var duplicate = await Cli.RunAsync(["users", "add", "alice", "--data", data.Path], Ct);
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Contains("exists already", duplicate.Stderr, StringComparison.Ordinal);

        var created = await Cli.RunAsync(["tokens", "create", "--user", "alice", "--name", "laptop", "--expires", "30d", "--data", data.Path], Ct);
        Assert.True(created.ExitCode == 0, created.ToString());
        var secret = created.Stdout.Trim();  // stdout is the secret alone, so $(neptune tokens create …) captures it
        Assert.StartsWith("nep_", secret, StringComparison.Ordinal);
        Assert.Contains("not shown again", created.Stderr, StringComparison.Ordinal);

        var list = await Cli.RunAsync(["tokens", "list", "--json", "--data", data.Path], Ct);
        Assert.DoesNotContain(secret, list.Stdout, StringComparison.Ordinal);
        var token = Assert.Single(list.Json().GetProperty("tokens").EnumerateArray());
        Assert.Equal(secret[..12], token.GetProperty("prefix").GetString());
        Assert.Equal("active", token.GetProperty("state").GetString());

        await using (var server = await NeptuneProcess.StartAsync(data.Path, Ct, new Dictionary<string, string> { ["Neptune__Auth__Mode"] = "token" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetAsync("/api/folders/tree", Ct)).StatusCode);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/folders/tree");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            Assert.Equal(HttpStatusCode.OK, (await server.Http.SendAsync(request, Ct)).StatusCode);

            Assert.Equal(0, (await Cli.RunAsync(["tokens", "revoke", secret[..12], "--data", data.Path], Ct)).ExitCode);
            using var again = new HttpRequestMessage(HttpMethod.Get, "/api/folders/tree");
            again.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.SendAsync(again, Ct)).StatusCode);
        }

        var after = await Cli.RunAsync(["tokens", "list", "--json", "--data", data.Path], Ct);
        var used = Assert.Single(after.Json().GetProperty("tokens").EnumerateArray());
        Assert.Equal("revoked", used.GetProperty("state").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, used.GetProperty("lastUsedAt").ValueKind);
    }

    [Fact(Timeout = 120_000)]
    public async Task Serve_refuses_a_non_loopback_address_without_tokens()
    {
        using var data = new TempDirectory("exposed");
        var info = Cli.StartInfo(["serve", "--host", "0.0.0.0", "--port", "0", "--data", data.Path]);
        info.Environment["Neptune__Auth__Mode"] = "none";
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("Neptune:Auth:Mode=token", await stderr, StringComparison.Ordinal);
    }
}
