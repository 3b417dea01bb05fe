using Neptune.Data.Tests.Servers;
using Microsoft.Extensions.Options;
using Neptune.Data.Postgres;

namespace Neptune.Data.Tests;

public sealed class PostgresMigrationTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Two_pods_migrating_at_once_apply_each_migration_exactly_once()
    {
        await using var database = await PostgresTestDatabase.CreateAsync(TestServers.PostgresConnectionString);
        // Two databases objects, each with its own connection pool: two pods starting together.
        await using var podA = Open(database);
        await using var podB = Open(database);

        var applied = await Task.WhenAll(podA.MigrateAsync(Ct), podB.MigrateAsync(Ct));

        var all = applied[0].Concat(applied[1]).ToList();
        Assert.Equal(all.Distinct().Count(), all.Count);  // nothing applied twice
        Assert.Contains("001_initial", all);
        Assert.Null(await podA.CheckReadyAsync(Ct));
        Assert.Null(await podB.CheckReadyAsync(Ct));
        Assert.Empty(await podB.MigrateAsync(Ct));
    }

    [Fact]
    public async Task An_empty_database_is_not_ready_until_migrated()
    {
        await using var database = await PostgresTestDatabase.CreateAsync(TestServers.PostgresConnectionString);
        await using var pod = Open(database);

        Assert.Contains("run 'neptune migrate'", await pod.CheckReadyAsync(Ct));
        await pod.MigrateAsync(Ct);
        Assert.Null(await pod.CheckReadyAsync(Ct));
    }

    private static PostgresDatabase Open(PostgresTestDatabase database) => new(
        Options.Create(new DatabaseOptions { Provider = DatabaseOptions.Postgres, ConnectionString = database.ConnectionString }),
        Options.Create(new StoreOptions()),
        TimeProvider.System);
}
