using Microsoft.Data.Sqlite;
using Neptune.Data.Sqlite;

namespace Neptune.Data.Tests;

public sealed class VectorIndexProviderTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Loads_the_models_vectors_of_live_notes_only()
    {
        await using var store = await StoreFixture.CreateAsync();
        var kept = await store.Notes.CreateAsync(UserId.Local, new NewNote(null, "kept", "one"), Ct);
        var trashed = await store.Notes.CreateAsync(UserId.Local, new NewNote(null, "trashed", "two"), Ct);
        await using (var c = new SqliteConnection($"Data Source={Path.Combine(store.DataDir, "neptune.db")}"))
        {
            await c.OpenAsync(Ct);
            await ExecAsync(c, "INSERT INTO models (id, provider, name, digest, dims, created_at) VALUES (1, 'onnx', 'a', 'x', 2, 0), (2, 'onnx', 'b', 'y', 2, 0)");
            await ExecAsync(c, $"""
                INSERT INTO chunks (id, note_id, ordinal, start, "end", tokens) VALUES
                    (10, {kept.Id}, 0, 0, 3, 1), (11, {kept.Id}, 1, 0, 3, 1), (12, {kept.Id}, 2, 0, 3, 1), (20, {trashed.Id}, 0, 0, 3, 1)
                """);
            await InsertVectorAsync(c, 10, 1, [1, 0]);
            await InsertVectorAsync(c, 11, 1, [0, 1]);
            await InsertVectorAsync(c, 12, 1, [1, 0, 0]);  // not 2-dimensional: left out, never misread
            await InsertVectorAsync(c, 10, 2, [0.6f, 0.8f]);  // another model's vector
            await InsertVectorAsync(c, 20, 1, [1, 0]);
        }

        await store.Notes.DeleteAsync(UserId.Local, trashed.Id, null, Ct);
        using var provider = new SqliteVectorIndexProvider(store.Get<SqliteDatabase>());
        var index = await provider.GetAsync(1, 2, Ct);

        Assert.Equal(2, index.Count);
        Assert.Equal(1, index.NoteCount);
        Assert.Equal([10L, 11L], index.Search([1, 0], 5).Select(h => h.ChunkId));
        Assert.Same(index, await provider.GetAsync(1, 2, Ct));
        Assert.Equal(1, (await provider.GetAsync(2, 2, Ct)).Count);
    }

    private static async Task InsertVectorAsync(SqliteConnection c, long chunk, long model, float[] vector)
    {
        await using var command = c.CreateCommand();
        command.CommandText = "INSERT INTO embeddings (chunk_id, model_id, vector) VALUES ($c, $m, $v)";
        command.Parameters.AddWithValue("$c", chunk);
        command.Parameters.AddWithValue("$m", model);
        command.Parameters.AddWithValue("$v", SqliteVectorIndexProvider.ToBlob(vector));
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static async Task ExecAsync(SqliteConnection c, string sql)
    {
        await using var command = c.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }
}
