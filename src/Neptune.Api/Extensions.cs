using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Neptune.Api.Attachments;
using Neptune.Api.Errors;
using Neptune.Api.Folders;
using Neptune.Api.Graph;
using Neptune.Api.Index;
using Neptune.Api.Notes;
using Neptune.Api.Search;
using Neptune.Api.Security;
using Neptune.Api.Status;
using Neptune.Api.Web;
using Neptune.Core;
using Neptune.Data;
using Scalar.AspNetCore;

namespace Neptune.Api;

public static class Extensions
{
    /// <summary>The backend role: the notes API on top of <see cref="AddNeptuneHttp"/>.</summary>
    public static IServiceCollection AddNeptuneApi(this IServiceCollection services) => services.AddNeptuneHttp();

    /// <summary>What every role's HTTP surface shares: the store, problem details, strict JSON, health checks and OpenAPI.</summary>
    public static IServiceCollection AddNeptuneHttp(this IServiceCollection services)
    {
        services.AddNeptuneStore();
        services.AddNeptuneSearch();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            // The framework's own 4xx (no route, wrong method, not JSON) say what to do too.
            c.ProblemDetails.Detail ??= c.ProblemDetails.Status switch
            {
                StatusCodes.Status404NotFound => $"Nothing is at {c.HttpContext.Request.Path}: see /api/docs for the routes.",
                StatusCodes.Status405MethodNotAllowed => $"{c.HttpContext.Request.Method} is not allowed on {c.HttpContext.Request.Path}: see /api/docs for the methods it takes.",
                StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON with the header Content-Type: application/json.",
                _ => null,
            };
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => ConfigureJson(o.SerializerOptions));
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<ObjectStorageHealthCheck>("object-storage", failureStatus: Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, tags: ["ready"]);
        services.AddHostedService<ObjectStorageStartupCheck>();
        return services;
    }

    /// <summary>Search and graph retrieval over the store; they need an <see cref="Neptune.Llm.Contract.ILlmService"/> binding.</summary>
    public static IServiceCollection AddNeptuneSearch(this IServiceCollection services)
    {
        // Factories, so roles without an llm binding (the llm role itself) never try to build them: only search routes ask.
        services.TryAddSingleton<ForegroundWork>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<SearchEngine>(sp));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<GraphRetrieval>(sp));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<RelatedNotes>(sp));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<GraphCache>(sp));
        return services;
    }

    /// <summary>Strict input: unknown fields, missing required fields and nulls where a value is needed are all 400s.</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    }

    /// <summary>The shared pipeline and routes (errors, security, OpenAPI, /health, /ready), the web UI, then the backend's routes.</summary>
    public static WebApplication UseNeptuneApi(this WebApplication app)
    {
        app.UseNeptuneHttp(web: true);
        app.MapFoldersApi();
        app.MapNotesApi();
        app.MapSearchApi();
        app.MapGraphApi();
        app.MapAttachmentsApi();
        app.MapIndexApi();
        return app;
    }

    /// <summary>Errors, then security (<see cref="SecurityExtensions.UseNeptuneSecurity"/>) with the web UI shell in front of authentication when <paramref name="web"/>.</summary>
    public static WebApplication UseNeptuneHttp(this WebApplication app, bool web)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseNeptuneSecurity(web ? a => a.UseNeptuneWeb() : null);

        app.MapOpenApi();
        app.MapScalarApiReference("/api/docs", o => o.WithTitle("Neptune API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapSystemApi();
        return app;
    }
}
