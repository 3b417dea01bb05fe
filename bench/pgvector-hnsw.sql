-- pgvector HNSW against exact search on a Neptune PostgreSQL store (issue 6): recall@10 and per-query latency.
-- Queries are 200 stored chunk vectors (a fixed pseudo-random sample), each chunk itself left out of its answers.
-- The HNSW index is a partial expression index for the active model, as a per-model index would be (vector is
-- untyped, so each model's vectors get a cast to their own dims); it is dropped at the end.
--   psql -d DB -f bench/pgvector-hnsw.sql
\set ON_ERROR_STOP 1
\pset footer off
SELECT id AS model, dims FROM models WHERE active \gset
SELECT count(*) AS chunks FROM embeddings WHERE model_id = :model;

\timing on
CREATE INDEX bench_hnsw ON embeddings USING hnsw ((vector::vector(:dims)) vector_cosine_ops) WHERE model_id = :model;
\timing off
ANALYZE embeddings;

CREATE TEMP TABLE q AS
    SELECT chunk_id, vector::vector(:dims) AS v FROM embeddings WHERE model_id = :model ORDER BY md5(chunk_id::text) LIMIT 200;

-- Exact: the planner may not use the index.
SET enable_indexscan = off;
SELECT clock_timestamp() AS t0 \gset
CREATE TEMP TABLE exact AS
    SELECT q.chunk_id AS qid, x.chunk_id FROM q CROSS JOIN LATERAL (
        SELECT e.chunk_id FROM embeddings e WHERE e.model_id = :model AND e.chunk_id <> q.chunk_id
        ORDER BY e.vector::vector(:dims) <=> q.v LIMIT 10) x;
SELECT 'exact' AS search, round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000 / 200, 2) AS ms_per_query;
RESET enable_indexscan;

EXPLAIN (COSTS OFF) SELECT e.chunk_id FROM embeddings e WHERE e.model_id = :model
    ORDER BY e.vector::vector(:dims) <=> (SELECT v FROM q LIMIT 1) LIMIT 11;

\set ef 10
\ir pgvector-hnsw-pass.sql
\set ef 40
\ir pgvector-hnsw-pass.sql
\set ef 100
\ir pgvector-hnsw-pass.sql
\set ef 200
\ir pgvector-hnsw-pass.sql

DROP INDEX bench_hnsw;
