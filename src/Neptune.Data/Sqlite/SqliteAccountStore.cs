using Microsoft.Data.Sqlite;
using Neptune.Core;

namespace Neptune.Data.Sqlite;

public sealed class SqliteAccountStore(SqliteDatabase db) : IAccountStore
{
    private const string TokenColumns = """
        t.id, t.user_id, u.name, t.name, t.prefix, t.created_at, t.expires_at, t.last_used_at, t.revoked_at
        FROM access_tokens t JOIN users u ON u.id = t.user_id
        """;

    public Task<User> AddUserAsync(string name, CancellationToken ct)
    {
        var valid = TokenSecrets.ValidUserName(name);
        return db.WriteAsync(async (c, tx) =>
        {
            if (await FindUserAsync(c, tx, valid, ct) is not null)
            {
                throw new NeptuneException(ErrorKind.Conflict, $"User '{valid}' exists already: `neptune users list` shows them.", "name");
            }

            var now = db.NowMs;
            var id = await c.Sql("INSERT INTO users (name, created_at) VALUES ($n, $now) RETURNING id", tx)
                .With("$n", valid).With("$now", now).ScalarAsync<long>(ct);
            return new User(id, valid, DateTimeOffset.FromUnixTimeMilliseconds(now));
        }, ct);
    }

    public Task<IReadOnlyList<User>> ListUsersAsync(CancellationToken ct) => db.ReadAsync<IReadOnlyList<User>>(async c =>
        await c.Sql("SELECT id, name, created_at FROM users ORDER BY name").ListAsync(MapUser, ct), ct);

    public Task<CreatedToken> CreateTokenAsync(string userName, string? name, DateTimeOffset? expiresAt, CancellationToken ct)
    {
        var tokenName = TokenSecrets.ValidTokenName(name);
        var now = db.Time.GetUtcNow();
        if (expiresAt <= now)
        {
            throw NeptuneException.Invalid("expires", $"The expiry {expiresAt:u} has passed already: give a time in the future.");
        }

        var secret = TokenSecrets.Create();
        return db.WriteAsync(async (c, tx) =>
        {
            var user = await FindUserAsync(c, tx, userName.Trim(), ct)
                ?? throw new NeptuneException(ErrorKind.NotFound, $"No user '{userName}': add one with `neptune users add {userName}`.", "user");
            var id = await c.Sql("""
                INSERT INTO access_tokens (user_id, name, prefix, token_hash, created_at, expires_at)
                VALUES ($u, $n, $p, $h, $now, $exp) RETURNING id
                """, tx).With("$u", user.Id).With("$n", tokenName).With("$p", TokenSecrets.PrefixOf(secret))
                .With("$h", TokenSecrets.Hash(secret)).With("$now", now.ToUnixTimeMilliseconds())
                .With("$exp", expiresAt?.ToUnixTimeMilliseconds()).ScalarAsync<long>(ct);
            var token = await c.Sql($"SELECT {TokenColumns} WHERE t.id = $id", tx).With("$id", id).FirstOrDefaultAsync(MapToken, ct);
            return new CreatedToken(token!, secret);
        }, ct);
    }

    public Task<IReadOnlyList<AccessToken>> ListTokensAsync(CancellationToken ct) => db.ReadAsync<IReadOnlyList<AccessToken>>(async c =>
        await c.Sql($"SELECT {TokenColumns} ORDER BY u.name, t.id").ListAsync(MapToken, ct), ct);

    public Task<AccessToken> RevokeTokenAsync(string idOrPrefix, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var wanted = idOrPrefix.Trim();
        var matches = long.TryParse(wanted, out var id)
            ? await c.Sql($"SELECT {TokenColumns} WHERE t.id = $id", tx).With("$id", id).ListAsync(MapToken, ct)
            : await c.Sql($"SELECT {TokenColumns} WHERE t.prefix = $p", tx).With("$p", TokenSecrets.PrefixOf(wanted)).ListAsync(MapToken, ct);
        var token = Revocation.Pick(wanted, matches);
        await c.Sql("UPDATE access_tokens SET revoked_at = coalesce(revoked_at, $now) WHERE id = $id", tx)
            .With("$now", db.NowMs).With("$id", token.Id).ExecAsync(ct);
        return (await c.Sql($"SELECT {TokenColumns} WHERE t.id = $id", tx).With("$id", token.Id).FirstOrDefaultAsync(MapToken, ct))!;
    }, ct);

    public Task<AccessToken?> FindBySecretAsync(string secret, CancellationToken ct) => db.ReadAsync(c =>
        c.Sql($"SELECT {TokenColumns} WHERE t.token_hash = $h").With("$h", TokenSecrets.Hash(secret)).FirstOrDefaultAsync(MapToken, ct), ct);

    public Task TouchTokenAsync(long id, DateTimeOffset usedAt, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
        await c.Sql("UPDATE access_tokens SET last_used_at = max(coalesce(last_used_at, 0), $t) WHERE id = $id", tx)
            .With("$t", usedAt.ToUnixTimeMilliseconds()).With("$id", id).ExecAsync(ct), ct);

    private static Task<User?> FindUserAsync(SqliteConnection c, SqliteTransaction tx, string name, CancellationToken ct) =>
        c.Sql("SELECT id, name, created_at FROM users WHERE name = $n", tx).With("$n", name).FirstOrDefaultAsync(MapUser, ct);

    private static User MapUser(SqliteDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetTime(2));

    private static AccessToken MapToken(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4),
        r.GetTime(5), r.GetNullableTime(6), r.GetNullableTime(7), r.GetNullableTime(8));
}
