-- pgvector HNSW against exact search for text queries, as semantic search asks it (the model's partial expression
-- index, hnsw.iterative_scan = strict_order, sorting off, deleted notes left out), on a Neptune PostgreSQL store.
-- Queries: a fixed pseudo-random :n of the vectors bench/embed-queries.cs wrote to /tmp/queries.tsv. For each pass
-- at hnsw.ef_search = :ef it prints ms per query, recall of the exact 10 and :k nearest chunks, recall of the top 10
-- notes (best chunk per note among the :k) and how many queries lost two or more of those notes.
--   dotnet run bench/embed-queries.cs -- ../shared/datasets/manpages/queries-dev.jsonl /tmp/queries.tsv
--   psql -d DB -v n=400 -v k=60 -f bench/pgvector-hnsw-queries.sql     (k: semantic search's 60, hybrid's 200)
\set ON_ERROR_STOP 1
\pset footer off
SELECT id AS model, dims FROM models WHERE active \gset
SELECT count(*) AS chunks FROM embeddings WHERE model_id = :model;
CREATE TEMP TABLE qv (id text, v text);
\copy qv FROM '/tmp/queries.tsv'
CREATE TEMP TABLE qs AS SELECT id, v::vector(:dims) AS v FROM qv ORDER BY md5(id) LIMIT :n;

-- Exact: the planner may not use the index.
SET enable_indexscan = off;
SELECT clock_timestamp() AS t0 \gset
CREATE TEMP TABLE exact AS
    SELECT qs.id AS qid, x.chunk_id, x.note_id, x.sim, x.r FROM qs CROSS JOIN LATERAL (
        SELECT e.chunk_id, c.note_id, 1 - (e.vector::vector(:dims) <=> qs.v) AS sim, row_number() OVER () AS r
        FROM embeddings e JOIN chunks c ON c.id = e.chunk_id JOIN notes n ON n.id = c.note_id
        WHERE e.model_id = :model AND vector_dims(e.vector) = :dims AND n.deleted_at IS NULL
        ORDER BY e.vector::vector(:dims) <=> qs.v LIMIT :k) x;
SELECT 'exact' AS search, round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000 / :n, 2) AS ms_per_query,
       round(avg(sim) FILTER (WHERE r = 1)::numeric, 3) AS mean_best_cosine FROM exact;
RESET enable_indexscan;
CREATE TEMP TABLE exact_notes AS
    SELECT qid, note_id FROM (SELECT qid, note_id, row_number() OVER (PARTITION BY qid ORDER BY max(sim) DESC) AS nr
                              FROM exact GROUP BY qid, note_id) t WHERE nr <= 10;

-- Passes at ef_search = 1, 2, 3, 4 and 8 × k (at most pgvector's 1,000): semantic search runs at HnswEfPerChunk × k.
SELECT least(:k * 1, 1000) AS ef \gset
\ir pgvector-hnsw-queries-pass.sql
SELECT least(:k * 2, 1000) AS ef \gset
\ir pgvector-hnsw-queries-pass.sql
SELECT least(:k * 3, 1000) AS ef \gset
\ir pgvector-hnsw-queries-pass.sql
SELECT least(:k * 4, 1000) AS ef \gset
\ir pgvector-hnsw-queries-pass.sql
SELECT least(:k * 8, 1000) AS ef \gset
\ir pgvector-hnsw-queries-pass.sql
