-- One HNSW pass of bench/pgvector-hnsw.sql at hnsw.ef_search = :ef. Asks for 11 and drops the query chunk itself.
SET hnsw.ef_search = :ef;
SELECT clock_timestamp() AS t0 \gset
CREATE TEMP TABLE approx AS
    SELECT q.chunk_id AS qid, x.chunk_id FROM q CROSS JOIN LATERAL (
        SELECT e.chunk_id FROM embeddings e WHERE e.model_id = :model
        ORDER BY e.vector::vector(:dims) <=> q.v LIMIT 11) x;
SELECT :ef AS ef_search, round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000 / 200, 2) AS ms_per_query,
       round((SELECT count(*) FROM exact x JOIN approx a ON a.qid = x.qid AND a.chunk_id = x.chunk_id)::numeric / (SELECT count(*) FROM exact), 4) AS recall_at_10;
DROP TABLE approx;
