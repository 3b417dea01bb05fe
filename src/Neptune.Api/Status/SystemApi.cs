using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Neptune.Api.Security;
using Neptune.Data;

namespace Neptune.Api.Status;

public sealed record SystemInfo(string Version, string Mode, string Roles, string Database, string DataDir, StoreCounts Counts);

/// <summary>Ready when the database answers and its schema is current.</summary>
public sealed class DatabaseHealthCheck(IDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await database.CheckReadyAsync(cancellationToken) is { } problem
            ? HealthCheckResult.Unhealthy(problem)
            : HealthCheckResult.Healthy($"{database.Provider} reachable, migrations applied");
}

public static class SystemApi
{
    public static readonly string Version =
        typeof(SystemApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static IEndpointRouteBuilder MapSystemApi(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/health", new HealthCheckOptions { Predicate = _ => false }).WithTags("System").AllowAnonymous();
        routes.MapHealthChecks("/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteReport }).WithTags("System").AllowAnonymous();

        routes.MapGet("/api/system/info", async Task<Ok<SystemInfo>> (IDatabase database, StoreOptions options, Caller caller, CancellationToken ct) =>
            TypedResults.Ok(new SystemInfo(Version, "desktop", "all", database.Provider, options.DataDir, await database.GetCountsAsync(caller.Id, ct))))
            .WithTags("System").WithSummary("Version, mode and counts");
        return routes;
    }

    private static Task WriteReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            dependencies = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), detail = e.Value.Description }),
        }));
    }
}
