using System.CommandLine;
using Microsoft.Extensions.Options;

namespace Neptune.Host.Cli;

public static class ServeCommand
{
    private static readonly Option<int> Port = new("--port") { Description = "Port to listen on", DefaultValueFactory = _ => NeptuneApp.DefaultPort };
    private static readonly Option<string> Host = new("--host")
    {
        Description = "Address to listen on (default 127.0.0.1); any other than loopback needs tokens (Neptune:Auth:Mode=token, the default then)",
        DefaultValueFactory = _ => "127.0.0.1",
    };
    private static readonly Option<string> Role = new("--role") { Description = "all (desktop: every role in one process), backend (API + UI), indexer (background indexing + /indexer/v1) or llm; default: Neptune:Role, else all" };

    public static Command Create(Option<string?> data)
    {
        var command = new Command("serve", "Run Neptune (desktop mode: every role in one process, on 127.0.0.1)") { Port, Host, Role };
        command.SetAction((parse, ct) => RunAsync(parse, data, parse.GetValue(Port), ct));
        return command;
    }

    public static async Task<int> RunAsync(ParseResult parse, Option<string?> data, int port, CancellationToken ct)
    {
        var roleName = parse.GetValue(Role);
        NeptuneRole? role = null;
        if (roleName is not null)
        {
            if (Enum.TryParse<NeptuneRole>(roleName, ignoreCase: true, out var parsed) && !roleName.Any(char.IsDigit))
            {
                role = parsed;
            }
        }

        if (roleName is not null && role is null)
        {
            Console.Error.WriteLine($"neptune: role '{roleName}' is not available in this version: use --role all, backend, indexer or llm.");
            return 1;
        }

        var overrides = CliContext.Overrides(parse.GetValue(data));
        var host = parse.GetValue(Host) ?? "127.0.0.1";
        var address = $"http://{(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host)}:{port}";
        overrides["urls"] = address;
        try
        {
            // Building reads numeric settings (a bad one throws here), starting validates the options.
            var app = NeptuneApp.Build([], overrides, role);
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                var options = app.Services.GetRequiredService<Neptune.Data.StoreOptions>();
                Console.WriteLine($"Neptune ({roleName ?? app.Configuration["Neptune:Role"] ?? "all"}) is running at {address}  (data: {options.DataDir}; Ctrl+C to stop)");
            });
            await app.RunAsync(ct);
            return 0;
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            Console.Error.WriteLine($"neptune: port {port} is already in use: stop the other program or pass --port N.");
            return 1;
        }
        catch (Neptune.Core.NeptuneException e)
        {
            Console.Error.WriteLine($"neptune: cannot start: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is OptionsValidationException or InvalidOperationException { InnerException: FormatException or OverflowException or ArgumentException })
        {
            Console.Error.WriteLine($"neptune: invalid configuration: {e.Message} {e.InnerException?.Message}".TrimEnd());
            return 1;
        }
    }
}
