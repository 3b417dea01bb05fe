using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Data;

namespace Neptune.Api.Security;

/// <summary>
/// The user a request acts for, as a handler parameter: the token's user in token mode, the built-in user on the
/// desktop (no tokens). Handlers pass <see cref="Id"/> to every store call over user data.
/// </summary>
public sealed record Caller(UserId Id)
{
    public static ValueTask<Caller?> BindAsync(HttpContext http)
    {
        if (http.User.FindFirst(BearerTokenHandler.UserIdClaim)?.Value is { } claim)
        {
            return ValueTask.FromResult<Caller?>(new Caller(new UserId(long.Parse(claim, CultureInfo.InvariantCulture))));
        }

        // In token mode the fallback policy lets no user route through without the claim; were one marked anonymous,
        // it must not fall back to the built-in user's notes.
        if (http.RequestServices.GetRequiredService<SecurityMode>().RequireTokens)
        {
            throw new InvalidOperationException($"{http.Request.Path} reads user data but its request carries no user: it must not allow anonymous access.");
        }

        return ValueTask.FromResult<Caller?>(new Caller(UserId.Local));
    }
}
