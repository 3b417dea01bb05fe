using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Neptune.Api.Web;

/// <summary>
/// Serves the built web UI (web/dist) from the API's own origin: its files, and index.html for the client's routes.
/// Server paths are never answered with the page, so a wrong API URL still gets its problem+json 404 or 405.
/// </summary>
public static class WebUi
{
    private static readonly string[] ServerPrefixes = ["api", "llm", "openapi", "health", "ready", "metrics"];

    /// <summary>Where the built UI is: <c>Neptune:WebRoot</c> (the ./neptune wrapper points it at web/dist), else wwwroot beside the executable.</summary>
    public static string? FindRoot(IConfiguration configuration)
    {
        var root = configuration["Neptune:WebRoot"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(AppContext.BaseDirectory, "wwwroot");
        return File.Exists(Path.Combine(root, "index.html")) ? root : null;
    }

    /// <summary>A path the UI owns: not under the server's own prefixes, and not a file name (a missing asset is a 404, not the page).</summary>
    public static bool IsClientRoute(string path)
    {
        var trimmed = path.TrimStart('/');
        var first = trimmed.Split('/', 2)[0];
        if (ServerPrefixes.Any(p => first.Equals(p, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        return !trimmed[(trimmed.LastIndexOf('/') + 1)..].Contains('.', StringComparison.Ordinal);
    }

    /// <summary>Maps the UI when it has been built; otherwise "/" shows the API reference, as before there was a UI.</summary>
    public static WebApplication UseNeptuneWeb(this WebApplication app)
    {
        if (FindRoot(app.Configuration) is not { } root)
        {
            app.MapGet("/", () => Results.Redirect("/api/docs")).ExcludeFromDescription();
            return app;
        }

        var files = new PhysicalFileProvider(root);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl =
                c.Context.Request.Path.StartsWithSegments("/assets")
                    ? "public, max-age=31536000, immutable"  // Vite names these by content hash
                    : "no-cache",
        });
        // After routing: only a GET that no endpoint took (not even a 405) and that names no file gets the page.
        app.Use(async (http, next) =>
        {
            if (http.GetEndpoint() is null && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
                && IsClientRoute(http.Request.Path.Value ?? "/"))
            {
                http.Response.Headers.CacheControl = "no-cache";
                http.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
                http.Response.ContentType = "text/html; charset=utf-8";
                await http.Response.SendFileAsync(files.GetFileInfo("index.html"));
                return;
            }

            await next(http);
        });
        return app;
    }
}
