using System.Globalization;
using Microsoft.Extensions.Options;
using Neptune.Core.Topics;
using Neptune.Core.Vectors;
using Npgsql;
using Pgvector;

namespace Neptune.Data.Postgres;

/// <summary>
/// Nearest chunks from pgvector's HNSW index of the model (<see cref="PgvectorIndexes"/>), so a backend pod holds no
/// vectors and sees every indexer's writes as soon as they commit. Approximate: hnsw.ef_search
/// (<see cref="SearchOptions.EfSearchFor"/>: HnswEfPerChunk × k) trades recall for time; filters keep the scan going
/// (hnsw.iterative_scan = strict_order) until k live, accepted chunks are found.
/// </summary>
/// <remarks>
/// With the joins to chunks and notes the planner costs a full scan and sort below the index scan on small stores
/// (600 chunks in the tests), so sorting is disabled for the query unless it is limited to a set of notes: those few
/// notes' chunks are then best scanned exactly, which the planner may still choose.
/// </remarks>
public sealed class PgvectorSearch(PostgresDatabase db, IOptions<SearchOptions> options) : IVectorSearch
{
    public Task<bool> HasVectorsAsync(long modelId, int dimensions, CancellationToken ct) => db.ReadAsync(c =>
        c.Sql("SELECT EXISTS (SELECT 1 FROM embeddings WHERE model_id = @m)").With("m", modelId).ScalarAsync<bool>(ct), ct);

    public Task<IReadOnlyList<VectorHit>> SearchAsync(VectorQuery query, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(query.Vector.Length, query.Dimensions);
        return db.ReadAsync<IReadOnlyList<VectorHit>>(async c =>
        {
            await using var transaction = await c.BeginTransactionAsync(ct);  // SET LOCAL lasts until its end
            await c.Sql(SettingsSql(options.Value.EfSearchFor(query.K), query.OnlyNotes is not null), transaction).ExecAsync(ct);
            var command = c.Sql(NearestSql(query.ModelId, query.Dimensions, query.OnlyNotes is not null, query.ExceptNote is not null), transaction)
                .With("q", new Vector(query.Vector)).With("k", query.K);
            if (query.OnlyNotes is { } only)
            {
                command.With("only", only.ToArray());
            }

            if (query.ExceptNote is { } except)
            {
                command.With("except", except);
            }

            var hits = await command.ListAsync(r => new VectorHit(r.GetInt64(0), r.GetInt64(1), (float)(1 - r.GetDouble(2))), ct);
            await transaction.CommitAsync(ct);
            return hits;
        }, ct);
    }

    /// <summary>The settings <see cref="NearestSql"/> runs with, for the rest of the transaction (ef_search from <see cref="SearchOptions.EfSearchFor"/>).</summary>
    public static string SettingsSql(int efSearch, bool onlyNotes) => string.Create(CultureInfo.InvariantCulture, $"""
        SET LOCAL hnsw.ef_search = {efSearch};
        SET LOCAL hnsw.iterative_scan = strict_order;
        {(onlyNotes ? "" : "SET LOCAL enable_sort = off;")}
        """);

    /// <summary>
    /// The nearest-chunks query as the HNSW index of <paramref name="modelId"/> answers it. The model id and dimensions
    /// are written into the text (numbers, never user input) so that the planner matches the index's expression and
    /// its partial predicate on every plan, generic ones included.
    /// </summary>
    public static string NearestSql(long modelId, int dimensions, bool onlyNotes, bool exceptNote)
    {
        var vector = PgvectorIndexes.Expression("e.vector", dimensions);
        return $"""
            SELECT c.note_id, e.chunk_id, {vector} <=> @q AS distance
            FROM embeddings e
            JOIN chunks c ON c.id = e.chunk_id
            JOIN notes n ON n.id = c.note_id
            WHERE {PgvectorIndexes.Predicate("e.model_id", "e.vector", modelId, dimensions)} AND n.deleted_at IS NULL
              {(onlyNotes ? "AND c.note_id = ANY(@only)" : "")} {(exceptNote ? "AND c.note_id <> @except" : "")}
            ORDER BY {vector} <=> @q
            LIMIT @k
            """;
    }

    public Task<IReadOnlyDictionary<long, float[]>> NoteVectorsAsync(long modelId, int dimensions, IReadOnlyCollection<long> noteIds, CancellationToken ct)
    {
        if (noteIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<long, float[]>>(new Dictionary<long, float[]>());
        }

        return db.ReadAsync<IReadOnlyDictionary<long, float[]>>(async c =>
        {
            // The sum of unit vectors points where their mean does; normalised here, as the in-memory index does.
            var sums = await c.Sql($"""
                SELECT c.note_id, sum({PgvectorIndexes.Expression("e.vector", dimensions)})
                FROM embeddings e
                JOIN chunks c ON c.id = e.chunk_id
                JOIN notes n ON n.id = c.note_id
                WHERE c.note_id = ANY(@ids) AND {PgvectorIndexes.Predicate("e.model_id", "e.vector", modelId, dimensions)} AND n.deleted_at IS NULL
                GROUP BY c.note_id
                """).With("ids", noteIds.ToArray()).ListAsync(r => (Note: r.GetInt64(0), Sum: r.GetFieldValue<Vector>(1).ToArray()), ct);
            return sums.ToDictionary(s => s.Note, s => UnitVectors.Normalized(s.Sum));
        }, ct);
    }

    public Task NoteChangedAsync(long modelId, int dimensions, long noteId, IReadOnlyList<ChunkVector> chunks, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>
/// One HNSW index per model: embeddings.vector has no fixed size (models differ), an HNSW index needs one, so each
/// model gets a partial index on its rows cast to its dimensions. Created when the model is activated (migration 009
/// for a model active before it); kept when another model is activated, so switching back needs no rebuild.
/// </summary>
public static class PgvectorIndexes
{
    public static string Name(long modelId) => string.Create(CultureInfo.InvariantCulture, $"ix_embeddings_hnsw_{modelId}");

    public static string Expression(string column, int dimensions) =>
        string.Create(CultureInfo.InvariantCulture, $"({column}::vector({dimensions}))");

    /// <summary>The model's rows of the right size (a row of another size is not the model's; the cast would fail on it).</summary>
    public static string Predicate(string modelColumn, string vectorColumn, long modelId, int dimensions) =>
        string.Create(CultureInfo.InvariantCulture, $"{modelColumn} = {modelId} AND vector_dims({vectorColumn}) = {dimensions}");

    /// <summary>Builds the model's index unless it exists (from the model's stored vectors: instant for a new model).</summary>
    public static async Task EnsureAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long modelId, int dimensions, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        await connection.Sql($"""
            CREATE INDEX IF NOT EXISTS {Name(modelId)} ON embeddings
            USING hnsw ({Expression("vector", dimensions)} vector_cosine_ops)
            WHERE {Predicate("model_id", "vector", modelId, dimensions)}
            """, transaction).ExecAsync(ct);
    }
}
