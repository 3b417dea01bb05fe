using Neptune.Api;
using Neptune.Data;

namespace Neptune.Host;

/// <summary>Composes the roles into one web application. Today every role runs in-process (desktop mode).</summary>
public static class DesktopApp
{
    public const int DefaultPort = 7700;

    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?> overrides)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(overrides);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Microsoft.Hosting", LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);  // start failures are reported by `serve` in one line

        builder.Services.AddNeptuneApi();
        builder.Services.AddHostedService<DatabaseMigrator>();
        var maxNoteBytes = builder.Configuration.GetValue("Neptune:MaxNoteBytes", new StoreOptions().MaxNoteBytes);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // JSON may escape every character of a note as \uXXXX: allow for that, and reject anything larger early.
            k.Limits.MaxRequestBodySize = (maxNoteBytes * 6L) + (64 * 1024);
        });

        var app = builder.Build();
        app.UseNeptuneApi(loopbackOnly: true);
        app.MapGet("/", () => Results.Redirect("/api/docs")).ExcludeFromDescription();
        return app;
    }
}

/// <summary>Applies pending migrations before the server takes requests.</summary>
public sealed class DatabaseMigrator(IDatabase database, ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var name in await database.MigrateAsync(cancellationToken))
        {
            logger.LogInformation("Applied migration {Migration}", name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
