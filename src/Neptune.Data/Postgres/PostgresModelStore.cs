using Neptune.Core;
using Npgsql;

namespace Neptune.Data.Postgres;

public sealed class PostgresModelStore(PostgresDatabase db) : IModelStore
{
    private const string Columns = "id, provider, name, digest, dims, active, created_at, activated_at";

    public Task<IReadOnlyList<EmbeddingModel>> ListAsync(CancellationToken ct) => db.ReadAsync<IReadOnlyList<EmbeddingModel>>(async c =>
        await c.Sql($"SELECT {Columns} FROM models ORDER BY id").ListAsync(Map, ct), ct);

    public Task<EmbeddingModel?> GetActiveAsync(CancellationToken ct) => db.ReadAsync(c =>
        c.Sql($"SELECT {Columns} FROM models WHERE active").FirstOrDefaultAsync(Map, ct), ct);

    public Task<EmbeddingModel> GetAsync(long id, CancellationToken ct) => db.ReadAsync(c => GetAsync(c, null, id, ct), ct);

    public Task<EmbeddingModel> RegisterAsync(ModelIdentity model, CancellationToken ct)
    {
        if (model.Dimensions <= 0)
        {
            throw NeptuneException.Invalid("dims", $"Model {model.Provider}/{model.Name} reports {model.Dimensions} dimensions; it must be positive.");
        }

        return db.WriteAsync(async (c, tx) =>
        {
            var id = await c.Sql("""
                INSERT INTO models (provider, name, digest, dims, created_at) VALUES (@p, @n, @d, @dims, @now)
                ON CONFLICT (provider, name, digest) DO UPDATE SET dims = models.dims
                RETURNING id
                """, tx).With("p", model.Provider).With("n", model.Name).With("d", model.Digest)
                .With("dims", model.Dimensions).With("now", db.NowMs).ScalarAsync<long>(ct);
            var stored = await GetAsync(c, tx, id, ct);
            if (stored.Dimensions != model.Dimensions)
            {
                throw new NeptuneException(ErrorKind.Conflict,
                    $"Model {stored.Reference} ({stored.ShortDigest}) was recorded with {stored.Dimensions} dimensions but now reports {model.Dimensions}.");
            }

            return stored;
        }, ct);
    }

    public Task<ModelActivation> ActivateAsync(long id, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var model = await GetAsync(c, tx, id, ct);
        if (model.Active)
        {
            return new ModelActivation(model, Changed: false, NotesQueued: 0);
        }

        var now = db.NowMs;
        await c.Sql("""
            UPDATE models SET active = false WHERE active;
            UPDATE models SET active = true, activated_at = @now WHERE id = @id;
            """, tx).With("now", now).With("id", id).ExecAsync(ct);
        // Re-embed every live note for the new model; an already-queued job for a note covers it.
        var queued = await c.Sql("""
            INSERT INTO jobs (kind, note_id, state, run_after, created_at, updated_at)
            SELECT @kind, id, 'queued', @now, @now, @now FROM notes WHERE deleted_at IS NULL
            ON CONFLICT (kind, note_id) WHERE state = 'queued' DO NOTHING
            """, tx).With("kind", JobKinds.IndexNote).With("now", now).ExecAsync(ct);
        await c.Sql("""
            INSERT INTO note_index (note_id, state, updated_at) SELECT id, 'pending', @now FROM notes WHERE deleted_at IS NULL
            ON CONFLICT (note_id) DO UPDATE SET state = 'pending', error = NULL, updated_at = excluded.updated_at
            """, tx).With("now", now).ExecAsync(ct);
        // Its HNSW index, in the same transaction: empty for a new model, so instant; a model that already has vectors
        // (switching back) builds it here, while writes wait, as they do for the re-embedding this queues anyway.
        await PgvectorIndexes.EnsureAsync(c, tx, model.Id, model.Dimensions, ct);
        return new ModelActivation(await GetAsync(c, tx, id, ct), Changed: true, NotesQueued: queued);
    }, ct);

    private static async Task<EmbeddingModel> GetAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long id, CancellationToken ct) =>
        await c.Sql($"SELECT {Columns} FROM models WHERE id = @id", tx).With("id", id).FirstOrDefaultAsync(Map, ct)
        ?? throw NeptuneException.NotFound("Model", id);

    private static EmbeddingModel Map(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetBoolean(5), r.GetTime(6), r.GetNullableTime(7));
}
