using Neptune.Core;

namespace Neptune.Data.Tests;

/// <summary>Users and personal access tokens, against SQLite and PostgreSQL alike.</summary>
public abstract class AccountStoreConformance(StoreProvider provider) : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private StoreFixture _store = null!;

    public async ValueTask InitializeAsync() => _store = await StoreFixture.CreateAsync(provider: provider);

    public ValueTask DisposeAsync() => _store?.DisposeAsync() ?? ValueTask.CompletedTask;

    private IAccountStore Accounts => _store.Get<IAccountStore>();

    [Fact]
    public async Task A_user_name_is_unique_and_validated()
    {
        var alice = await Accounts.AddUserAsync("alice", Ct);

        Assert.Equal("alice", alice.Name);
        Assert.Equal(ErrorKind.Conflict, (await Assert.ThrowsAsync<NeptuneException>(() => Accounts.AddUserAsync("alice", Ct))).Kind);
        Assert.Equal(ErrorKind.Invalid, (await Assert.ThrowsAsync<NeptuneException>(() => Accounts.AddUserAsync("Not Valid", Ct))).Kind);
        // "local" is the built-in user (id 1) that owns the desktop's and the CLI's notes.
        Assert.Equal(["alice", "local"], (await Accounts.ListUsersAsync(Ct)).Select(u => u.Name).Order());
        Assert.Equal(UserId.Local.Value, (await Accounts.ListUsersAsync(Ct)).Single(u => u.Name == "local").Id);
        Assert.NotEqual(UserId.Local.Value, alice.Id);
    }

    [Fact]
    public async Task A_token_is_stored_as_its_hash_and_found_by_its_secret()
    {
        await Accounts.AddUserAsync("alice", Ct);
        var created = await Accounts.CreateTokenAsync("alice", "laptop", null, Ct);

        Assert.True(TokenSecrets.LooksLikeSecret(created.Secret));
        Assert.Equal(created.Secret[..TokenSecrets.PrefixLength], created.Token.Prefix);
        var found = await Accounts.FindBySecretAsync(created.Secret, Ct);
        Assert.Equal(created.Token.Id, found!.Id);
        Assert.Equal("alice", found.UserName);
        Assert.Null(await Accounts.FindBySecretAsync(TokenSecrets.Create(), Ct));
        Assert.DoesNotContain(await Accounts.ListTokensAsync(Ct), t => t.Prefix.Length > TokenSecrets.PrefixLength);
    }

    [Fact]
    public async Task Two_tokens_never_share_a_secret()
    {
        await Accounts.AddUserAsync("alice", Ct);
        var a = await Accounts.CreateTokenAsync("alice", null, null, Ct);
        var b = await Accounts.CreateTokenAsync("alice", null, null, Ct);

        Assert.NotEqual(a.Secret, b.Secret);
        Assert.Equal(2, (await Accounts.ListTokensAsync(Ct)).Count);
    }

    [Fact]
    public async Task Revoking_by_prefix_or_id_ends_the_token_and_keeps_the_first_time()
    {
        await Accounts.AddUserAsync("alice", Ct);
        var a = await Accounts.CreateTokenAsync("alice", null, null, Ct);
        var b = await Accounts.CreateTokenAsync("alice", null, null, Ct);

        var revoked = await Accounts.RevokeTokenAsync(a.Token.Prefix, Ct);
        var again = await Accounts.RevokeTokenAsync(a.Token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct);

        Assert.NotNull(revoked.RevokedAt);
        Assert.Equal(revoked.RevokedAt, again.RevokedAt);
        Assert.False((await Accounts.FindBySecretAsync(a.Secret, Ct))!.IsActive(DateTimeOffset.UtcNow));
        Assert.True((await Accounts.FindBySecretAsync(b.Secret, Ct))!.IsActive(DateTimeOffset.UtcNow));
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<NeptuneException>(() => Accounts.RevokeTokenAsync("nep_nothing", Ct))).Kind);
    }

    [Fact]
    public async Task A_token_for_an_unknown_user_or_in_the_past_is_refused_and_last_use_only_moves_forward()
    {
        await Accounts.AddUserAsync("alice", Ct);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<NeptuneException>(() => Accounts.CreateTokenAsync("bob", null, null, Ct))).Kind);
        Assert.Equal(ErrorKind.Invalid, (await Assert.ThrowsAsync<NeptuneException>(() =>
            Accounts.CreateTokenAsync("alice", null, DateTimeOffset.UtcNow.AddMinutes(-1), Ct))).Kind);

        var token = await Accounts.CreateTokenAsync("alice", null, DateTimeOffset.UtcNow.AddDays(1), Ct);
        var later = DateTimeOffset.UtcNow.AddSeconds(5);
        await Accounts.TouchTokenAsync(token.Token.Id, later, Ct);
        await Accounts.TouchTokenAsync(token.Token.Id, later.AddSeconds(-3), Ct);

        Assert.Equal(later.ToUnixTimeMilliseconds(), (await Accounts.FindBySecretAsync(token.Secret, Ct))!.LastUsedAt!.Value.ToUnixTimeMilliseconds());
    }
}

public sealed class SqliteAccountStoreTests() : AccountStoreConformance(StoreProvider.Sqlite);

public sealed class PostgresAccountStoreTests() : AccountStoreConformance(StoreProvider.Postgres);
