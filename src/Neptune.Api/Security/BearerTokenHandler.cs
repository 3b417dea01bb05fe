using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Neptune.Data;

namespace Neptune.Api.Security;

/// <summary>
/// "Authorization: Bearer …" with a personal access token (a user) or the roles' shared service token (another role).
/// Unknown, revoked and expired tokens are one answer each: 401 problem+json that says what to do.
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IAccountStore accounts, SecurityMode security, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    public const string UserIdClaim = "neptune:user_id";
    public const string TokenIdClaim = "neptune:token_id";
    public const string ServiceRole = "service";

    // Last use is written at most this often per token: a write per request would serialise reads behind the writer.
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <token>'.");
        }

        var secret = header["Bearer ".Length..].Trim();
        if (security.ServiceToken is { } service && FixedTimeEquals(secret, service))
        {
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, ServiceRole), new Claim(ClaimTypes.Role, ServiceRole)], SchemeName);
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
        }

        if (!TokenSecrets.LooksLikeSecret(secret))
        {
            return AuthenticateResult.Fail("This is not a Neptune token (they start with 'nep_'): create one with `neptune tokens create --user NAME`.");
        }

        var token = await accounts.FindBySecretAsync(secret, Context.RequestAborted);
        var now = time.GetUtcNow();
        if (token is null)
        {
            return AuthenticateResult.Fail("This token is not known: create one with `neptune tokens create --user NAME`.");
        }

        if (token.RevokedAt is not null)
        {
            return AuthenticateResult.Fail($"Token {token.Prefix}… was revoked at {token.RevokedAt:u}: create a new one with `neptune tokens create`.");
        }

        if (token.ExpiresAt <= now)
        {
            return AuthenticateResult.Fail($"Token {token.Prefix}… expired at {token.ExpiresAt:u}: create a new one with `neptune tokens create`.");
        }

        if (token.LastUsedAt is not { } used || now - used >= TouchInterval)
        {
            await accounts.TouchTokenAsync(token.Id, now, Context.RequestAborted);
        }

        Claim[] claims =
        [
            new(ClaimTypes.Name, token.UserName),
            new(UserIdClaim, token.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(TokenIdClaim, token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var reason = result.Failure?.Message;
        Response.Headers.WWWAuthenticate = reason is null ? "Bearer realm=\"neptune\"" : "Bearer realm=\"neptune\", error=\"invalid_token\"";
        await Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Authentication required",
            reason ?? "Send a personal access token as 'Authorization: Bearer <token>': an administrator creates one with `neptune tokens create --user NAME`.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Not allowed with this token",
            Context.User.IsInRole(ServiceRole)
                ? "The service token is for calls between Neptune's roles; the notes API takes a user's personal access token."
                : "This route is for calls between Neptune's roles (llm, indexer) and takes the service token (Neptune:Auth:ServiceToken), not a personal access token.");

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}
