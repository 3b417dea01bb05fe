using Microsoft.AspNetCore.Http;

namespace Neptune.Api.Security;

/// <summary>
/// Desktop safety: answer only requests addressed to a loopback name (defeats DNS rebinding)
/// and refuse writes that a browser sent from another origin (defeats CSRF from web pages).
/// </summary>
public sealed class LoopbackGuard(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var host = context.Request.Host.Host;
        if (!IsLoopbackName(host))
        {
            await RejectAsync(context, StatusCodes.Status421MisdirectedRequest, "Host not allowed",
                $"Neptune desktop answers only on loopback names (localhost, 127.0.0.1, [::1]), not '{host}'. Open it at http://localhost:{context.Connection.LocalPort}.");
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method)
            && IsCrossOrigin(context.Request))
        {
            await RejectAsync(context, StatusCodes.Status403Forbidden, "Cross-origin write refused",
                "This request came from another web site. Neptune desktop accepts changes only from its own pages.");
            return;
        }

        await next(context);
    }

    internal static bool IsLoopbackName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || host is "127.0.0.1" or "[::1]" or "::1"
        || (System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip));

    private static bool IsCrossOrigin(HttpRequest request)
    {
        if (request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site")
        {
            return true;
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return false;  // not sent by a browser page (curl, the CLI, tests)
        }

        return !Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || !IsLoopbackName(uri.Host)
            || uri.Port != (request.Host.Port ?? (request.IsHttps ? 443 : 80));
    }

    private static Task RejectAsync(HttpContext context, int status, string title, string detail) =>
        Problems.WriteAsync(context, status, title, detail);
}
