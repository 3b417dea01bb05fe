using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Neptune.Api.Security;

/// <summary>
/// Whether requests need a bearer token, decided once from configuration at start. "Neptune:Auth:Mode" is none or
/// token; unset, it is token when the database is PostgreSQL or Neptune listens on a non-loopback address, else none
/// (desktop). Listening beyond loopback without tokens is refused.
/// </summary>
public sealed partial record SecurityMode(bool RequireTokens, string? ServiceToken, IReadOnlyList<string> CorsOrigins)
{
    public const string Section = "Neptune:Auth";
    public const int MinServiceTokenLength = 32;

    /// <param name="needsServiceToken">This process calls or serves another role's contract over HTTP.</param>
    public static SecurityMode Resolve(IConfiguration configuration, bool needsServiceToken)
    {
        var problems = new List<string>();
        var mode = configuration[$"{Section}:Mode"]?.Trim().ToLowerInvariant();
        var exposed = ListenUrls(configuration).Where(u => !IsLoopbackUrl(u)).ToList();
        var postgres = string.Equals(configuration["Neptune:Database:Provider"], "postgres", StringComparison.OrdinalIgnoreCase);
        bool tokens;
        switch (mode)
        {
            case null or "":
                tokens = postgres || exposed.Count > 0;
                break;
            case "token":
                tokens = true;
                break;
            case "none":
                tokens = false;
                if (exposed.Count > 0)
                {
                    problems.Add($"{Section}:Mode is none, so Neptune listens on loopback only, but it was asked to listen on {string.Join(", ", exposed)}. "
                        + $"Set {Section}:Mode=token (and create tokens with `neptune tokens create`) or listen on 127.0.0.1.");
                }

                break;
            default:
                problems.Add($"{Section}:Mode must be 'none' or 'token' (got \"{mode}\").");
                tokens = true;
                break;
        }

        var serviceToken = configuration[$"{Section}:ServiceToken"];
        if (string.IsNullOrWhiteSpace(serviceToken))
        {
            serviceToken = null;
            if (tokens && needsServiceToken)
            {
                problems.Add($"{Section}:ServiceToken is required when roles run apart with tokens on: the backend, indexer and llm roles call each other with it. "
                    + $"Give every role the same random value of at least {MinServiceTokenLength} characters (e.g. `openssl rand -base64 48`).");
            }
        }
        else if (serviceToken.Length < MinServiceTokenLength)
        {
            problems.Add($"{Section}:ServiceToken must be at least {MinServiceTokenLength} characters (e.g. `openssl rand -base64 48`).");
        }

        var origins = configuration.GetSection("Neptune:Cors:Origins").Get<string[]>() ?? [];
        foreach (var origin in origins.Where(o => !IsOrigin(o)))
        {
            problems.Add($"Neptune:Cors:Origins: '{origin}' is not an origin: give scheme, host and port only, e.g. https://notes.example.com.");
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Section, typeof(SecurityMode), problems);
        }

        return new SecurityMode(tokens, serviceToken, [.. origins.Select(o => o.TrimEnd('/'))]);
    }

    /// <summary>Where Kestrel will listen: "urls" (--urls, ASPNETCORE_URLS) and any Kestrel:Endpoints:*:Url.</summary>
    internal static IEnumerable<string> ListenUrls(IConfiguration configuration)
    {
        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>();
        return urls.Concat(endpoints);
    }

    internal static bool IsLoopbackUrl(string url)
    {
        var match = UrlHost().Match(url);
        return match.Success && LoopbackGuard.IsLoopbackName(match.Groups[1].Value.Trim('[', ']'));
    }

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/"
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*://(\[[^\]]*\]|[^:/\[]+)")]
    private static partial Regex UrlHost();
}
