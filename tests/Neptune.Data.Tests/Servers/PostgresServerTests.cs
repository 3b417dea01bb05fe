using Npgsql;
using Pgvector;

namespace Neptune.Data.Tests.Servers;

/// <summary>The PostgreSQL that server mode runs on answers from .NET, with pgvector.</summary>
public sealed class PostgresServerTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Npgsql_connects_and_pgvector_orders_by_distance()
    {
        var builder = new NpgsqlDataSourceBuilder(TestServers.PostgresConnectionString);
        builder.UseVector();
        await using var dataSource = builder.Build();
        await using var connection = await dataSource.OpenConnectionAsync(Ct);

        await using (var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS vector", connection))
        {
            await create.ExecuteNonQueryAsync(Ct);
        }

        await connection.ReloadTypesAsync(Ct);  // the data source loaded its types before the extension existed

        await using var query = new NpgsqlCommand("""
            SELECT v.id, current_setting('server_version_num')::int
            FROM (VALUES (1, '[1,0,0]'::vector), (2, '[0,1,0]'::vector), (3, '[0.9,0.1,0]'::vector)) AS v(id, embedding)
            ORDER BY v.embedding <=> $1
            """, connection);
        query.Parameters.Add(new NpgsqlParameter { Value = new Vector(new float[] { 1, 0, 0 }) });
        var ids = new List<int>();
        var serverVersion = 0;
        await using (var reader = await query.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                ids.Add(reader.GetInt32(0));
                serverVersion = reader.GetInt32(1);
            }
        }

        Assert.Equal([1, 3, 2], ids);
        Assert.InRange(serverVersion, 170000, 179999);
    }
}
