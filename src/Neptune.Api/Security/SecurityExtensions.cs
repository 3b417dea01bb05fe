using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Neptune.Api.Security;

public static class SecurityExtensions
{
    public const string ServicePolicy = "service";

    /// <summary>Token mode: bearer authentication, every route needs a user unless it says otherwise, a per-token rate limit and the CORS allow-list.</summary>
    public static IServiceCollection AddNeptuneSecurity(this IServiceCollection services, SecurityMode security)
    {
        services.AddSingleton(security);
        if (!security.RequireTokens)
        {
            return services;
        }

        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            // A route that names no policy needs a user: a new route cannot slip through unauthenticated.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(BearerTokenHandler.SchemeName).RequireAuthenticatedUser().RequireClaim(BearerTokenHandler.UserIdClaim).Build())
            .AddPolicy(ServicePolicy, p => p.AddAuthenticationSchemes(BearerTokenHandler.SchemeName).RequireRole(BearerTokenHandler.ServiceRole));
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                // Only user tokens are limited: anonymous routes are health probes, the service token is the roles' own traffic.
                if (http.User.FindFirst(BearerTokenHandler.TokenIdClaim)?.Value is not { } tokenId)
                {
                    return RateLimitPartition.GetNoLimiter("");
                }

                var limits = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(tokenId, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1) / limits.RequestsPerMinute,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            o.OnRejected = async (context, ct) =>
            {
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                var seconds = (int)Math.Max(1, Math.Ceiling(wait.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Problems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"This token sent more requests than Neptune:RateLimit allows; try again in {seconds} s.");
            };
        });
        if (security.CorsOrigins.Count > 0)
        {
            services.AddCors(o => o.AddDefaultPolicy(p => p
                .WithOrigins([.. security.CorsOrigins])
                .WithMethods(HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete)
                .WithHeaders("Authorization", "Content-Type", "If-Match", "If-None-Match")
                .WithExposedHeaders("ETag", "Location", "Retry-After")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        }

        return services;
    }

    /// <summary>
    /// Desktop: the loopback guard. Token mode: CORS (preflights answer before authentication), then the public web UI
    /// shell, then authentication, authorization and the per-token rate limit.
    /// </summary>
    public static WebApplication UseNeptuneSecurity(this WebApplication app, Action<WebApplication>? publicFiles = null)
    {
        var security = app.Services.GetRequiredService<SecurityMode>();
        if (!security.RequireTokens)
        {
            app.UseMiddleware<LoopbackGuard>();
            publicFiles?.Invoke(app);
            return app;
        }

        if (security.CorsOrigins.Count > 0)
        {
            app.UseCors();
        }

        publicFiles?.Invoke(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>Routes for calls between roles: in token mode they take the service token only.</summary>
    public static IEndpointRouteBuilder ForServices(this WebApplication app) =>
        app.Services.GetRequiredService<SecurityMode>().RequireTokens ? app.MapGroup("").RequireAuthorization(ServicePolicy) : app;
}
