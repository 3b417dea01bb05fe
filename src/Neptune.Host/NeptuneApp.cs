using Microsoft.Extensions.Diagnostics.HealthChecks;
using Neptune.Api;
using Neptune.Api.Security;
using Neptune.Api.Web;
using Neptune.Data;
using Neptune.Indexer;
using Neptune.Indexer.Contract;
using Neptune.Indexer.Worker;
using Neptune.Llm;
using Neptune.Llm.Contract;
using OpenTelemetry.Metrics;

namespace Neptune.Host;

/// <summary>Which roles one process runs: all of them (desktop), or one (server mode).</summary>
public enum NeptuneRole
{
    All,
    Backend,
    Llm,
    Indexer,
}

/// <summary>Composes the roles into one web application (ARCHITECTURE §1).</summary>
public static class NeptuneApp
{
    public const int DefaultPort = 7700;

    /// <summary>Builds the app for <paramref name="role"/>; when null, "Neptune:Role" from configuration decides (default all).</summary>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?> overrides, NeptuneRole? role = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(overrides);
        var roles = role ?? builder.Configuration.GetValue("Neptune:Role", NeptuneRole.All);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Microsoft.Hosting", LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical)  // start failures are reported by `serve` in one line
            .AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);

        var services = builder.Services;
        // The llm and indexer roles exist to be called, and Services:* means this process calls them: both need the service token.
        var callsRoles = builder.Configuration["Neptune:Services:Llm"] is not null || builder.Configuration["Neptune:Services:Indexer"] is not null;
        services.AddNeptuneSecurity(SecurityMode.Resolve(builder.Configuration, needsServiceToken: roles is NeptuneRole.Llm or NeptuneRole.Indexer || callsRoles));
        services.AddNeptuneHttp();
        services.AddHostedService<DatabaseMigrator>();
        var runsLlm = roles is NeptuneRole.All or NeptuneRole.Llm
            || (roles is NeptuneRole.Backend or NeptuneRole.Indexer && builder.Configuration["Neptune:Services:Llm"] is null);
        var runsIndexer = roles is NeptuneRole.All or NeptuneRole.Indexer;
        if (runsLlm)
        {
            services.AddNeptuneLlm(builder.Configuration);
            services.AddSingleton<LlmStartup>().AddHostedService(sp => sp.GetRequiredService<LlmStartup>());
            // Desktop keeps serving notes and full-text search while the model loads: only the llm role itself is not ready without it.
            services.AddHealthChecks().AddCheck<LlmHealthCheck>("llm",
                failureStatus: roles is NeptuneRole.Llm ? HealthStatus.Unhealthy : HealthStatus.Degraded, tags: ["ready"]);
        }

        if (roles is not NeptuneRole.Llm)
        {
            services.AddLlmService(builder.Configuration);
        }

        if (roles is NeptuneRole.All or NeptuneRole.Backend)
        {
            // Search answers from the vector index: have it in memory before the first query asks.
            services.AddHostedService<Neptune.Api.Search.VectorIndexWarmUp>();
        }

        if (runsIndexer)
        {
            // The worker starts after the host and reports through a check that never makes /ready fail.
            services.AddNeptuneIndexer();
            services.AddIndexerService(builder.Configuration);
            services.AddHealthChecks().AddCheck<IndexerHealthCheck>("indexer", failureStatus: HealthStatus.Degraded, tags: ["ready"]);
        }

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(LlmMetrics.MeterName)
            .AddMeter(IndexerMetrics.MeterName)
            .AddPrometheusExporter());

        var maxNoteBytes = builder.Configuration.GetValue("Neptune:MaxNoteBytes", new StoreOptions().MaxNoteBytes);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // JSON may escape every character of a note as \uXXXX: allow for that, and reject anything larger early.
            k.Limits.MaxRequestBodySize = (maxNoteBytes * 6L) + (64 * 1024);
        });

        var app = builder.Build();
        if (roles is NeptuneRole.Llm or NeptuneRole.Indexer)
        {
            app.UseNeptuneHttp(web: false);
            app.MapGet("/", () => Results.Redirect("/api/docs")).ExcludeFromDescription();
        }
        else
        {
            app.UseNeptuneApi();
        }

        if (runsLlm)
        {
            app.ForServices().MapLlmApi();
        }

        if (runsIndexer)
        {
            app.ForServices().MapIndexerApi();
        }

        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
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
