using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Neptune.Core;

namespace Neptune.Data;

public sealed record User(long Id, string Name, DateTimeOffset CreatedAt);

/// <summary>A personal access token as stored: never the secret, only its SHA-256 and a short visible prefix.</summary>
public sealed record AccessToken(
    long Id, long UserId, string UserName, string Name, string Prefix,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    public string State(DateTimeOffset now) => RevokedAt is not null ? "revoked" : ExpiresAt <= now ? "expired" : "active";
}

/// <summary>A token just created: <see cref="Secret"/> is shown once and never stored.</summary>
public sealed record CreatedToken(AccessToken Token, string Secret);

/// <summary>Users and their personal access tokens (server mode's accounts).</summary>
public interface IAccountStore
{
    Task<User> AddUserAsync(string name, CancellationToken ct);

    Task<IReadOnlyList<User>> ListUsersAsync(CancellationToken ct);

    Task<CreatedToken> CreateTokenAsync(string userName, string? name, DateTimeOffset? expiresAt, CancellationToken ct);

    Task<IReadOnlyList<AccessToken>> ListTokensAsync(CancellationToken ct);

    /// <summary>Revokes by id or by the visible prefix; revoking twice keeps the first revocation time.</summary>
    Task<AccessToken> RevokeTokenAsync(string idOrPrefix, CancellationToken ct);

    /// <summary>The token whose secret is <paramref name="secret"/>, active or not; null when there is none.</summary>
    Task<AccessToken?> FindBySecretAsync(string secret, CancellationToken ct);

    Task TouchTokenAsync(long id, DateTimeOffset usedAt, CancellationToken ct);
}

/// <summary>How token secrets look, are made and are hashed: "nep_" + 43 base64url characters (256 random bits).</summary>
public static partial class TokenSecrets
{
    public const string Scheme = "nep_";

    /// <summary>What listings show: the scheme and the first 8 secret characters (48 bits, enough to tell tokens apart).</summary>
    public const int PrefixLength = 12;

    public static string Create()
    {
        Span<byte> random = stackalloc byte[32];
        RandomNumberGenerator.Fill(random);
        return Scheme + Convert.ToBase64String(random).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static string PrefixOf(string secret) => secret[..Math.Min(PrefixLength, secret.Length)];

    public static bool LooksLikeSecret(string value) => value.Length == Scheme.Length + 43 && value.StartsWith(Scheme, StringComparison.Ordinal);

    public static string ValidUserName(string name)
    {
        var trimmed = name.Trim();
        if (!UserName().IsMatch(trimmed))
        {
            throw NeptuneException.Invalid("name", $"User name '{name}' is not valid: use 1–64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        return trimmed;
    }

    public static string ValidTokenName(string? name)
    {
        var trimmed = string.IsNullOrWhiteSpace(name) ? "token" : name.Trim();
        if (trimmed.Length > 100 || trimmed.Any(char.IsControl))
        {
            throw NeptuneException.Invalid("name", "A token name is at most 100 characters, without control characters.");
        }

        return trimmed;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex UserName();
}

internal static class Revocation
{
    /// <summary>The one token <paramref name="wanted"/> names, or a message saying why it names none or several.</summary>
    public static AccessToken Pick(string wanted, IReadOnlyList<AccessToken> matches) => matches.Count switch
    {
        1 => matches[0],
        0 => throw new NeptuneException(ErrorKind.NotFound, $"No token with id or prefix '{wanted}': `neptune tokens list` shows them.", "token"),
        _ => throw new NeptuneException(ErrorKind.Conflict,
            $"Prefix '{wanted}' names {matches.Count} tokens (ids {string.Join(", ", matches.Select(t => t.Id))}): revoke by id.", "token"),
    };
}
