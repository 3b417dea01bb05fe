-- pgvector HNSW search (issue 6): the active model's HNSW index, for stores whose model was activated before
-- activation started creating it (PostgresModelStore.ActivateAsync → PgvectorIndexes.EnsureAsync, same definition).
-- One partial expression index per model: embeddings.vector has no fixed size, an HNSW index needs one.
DO $$
DECLARE
    m record;
BEGIN
    FOR m IN SELECT id, dims FROM models WHERE active LOOP
        EXECUTE format(
            'CREATE INDEX IF NOT EXISTS ix_embeddings_hnsw_%s ON embeddings USING hnsw ((vector::vector(%s)) vector_cosine_ops) '
            'WHERE model_id = %s AND vector_dims(vector) = %s',
            m.id, m.dims, m.id, m.dims);
    END LOOP;
END
$$;
