using Microsoft.Data.Sqlite;
using Neptune.Data.Sqlite;

namespace Neptune.Data.Tests;

/// <summary>
/// Queries run once per link of every note written must seek, never walk the owner's notes: SQLite plans without
/// statistics here, and a walk per link made importing 100k notes quadratic.
/// </summary>
public sealed class QueryPlanTests
{
    private static readonly string[] Parameters = ["$key", "$u", "$id", "$k0", "$k1", "$k2"];

    public static TheoryData<string, string> PerLinkQueries => new()
    {
        { "resolve a link key", LinkResolver.ResolveSql },
        { "links into a note, no keys", LinkResolver.IncomingSql(0) },
        { "links into a note by three keys", LinkResolver.IncomingSql(3) },
    };

    [Theory]
    [MemberData(nameof(PerLinkQueries))]
    public async Task Link_resolution_seeks_instead_of_walking_the_owners_notes(string query, string sql)
    {
        await using var store = await StoreFixture.CreateAsync();
        for (var i = 0; i < 20; i++)
        {
            await store.Notes.CreateAsync(UserId.Local, new NewNote(null, $"Note {i}", $"See [[Note {(i + 1) % 20}]]."), TestContext.Current.CancellationToken);
        }

        await using var c = new SqliteConnection($"Data Source={Path.Combine(store.DataDir, "neptune.db")}");
        await c.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = c.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in Parameters.Where(sql.Contains))
        {
            command.Parameters.AddWithValue(name, name == "$u" || name == "$id" ? 1 : "note 1");
        }

        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                plan.Add(reader.GetString(3));
            }
        }

        var walks = plan.Where(step => step.Contains("ix_notes_user", StringComparison.Ordinal) || step.StartsWith("SCAN", StringComparison.Ordinal)).ToList();
        Assert.True(walks.Count == 0, $"{query}: {string.Join(" / ", plan)}");
        Assert.Contains(plan, step => step.Contains("n USING INTEGER PRIMARY KEY", StringComparison.Ordinal));
    }
}
