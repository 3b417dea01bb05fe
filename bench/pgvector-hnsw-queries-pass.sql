-- One pass of bench/pgvector-hnsw-queries.sql at hnsw.ef_search = :ef, with semantic search's settings.
SET hnsw.ef_search = :ef;
SET hnsw.iterative_scan = strict_order;
SET enable_sort = off;
SELECT clock_timestamp() AS t0 \gset
CREATE TEMP TABLE approx AS
    SELECT qs.id AS qid, x.chunk_id, x.note_id, x.sim FROM qs CROSS JOIN LATERAL (
        SELECT e.chunk_id, c.note_id, 1 - (e.vector::vector(:dims) <=> qs.v) AS sim
        FROM embeddings e JOIN chunks c ON c.id = e.chunk_id JOIN notes n ON n.id = c.note_id
        WHERE e.model_id = :model AND vector_dims(e.vector) = :dims AND n.deleted_at IS NULL
        ORDER BY e.vector::vector(:dims) <=> qs.v LIMIT :k) x;
SELECT :ef AS ef_search, round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000 / :n, 2) AS ms_per_query,
       round((SELECT count(*) FROM exact x JOIN approx a USING (qid, chunk_id) WHERE x.r <= 10)::numeric
             / (SELECT count(*) FROM exact WHERE r <= 10), 4) AS chunk_recall_at_10,
       round((SELECT count(*) FROM exact x JOIN approx a USING (qid, chunk_id))::numeric / (SELECT count(*) FROM exact), 4) AS chunk_recall_at_k,
       round((SELECT count(*) FROM exact_notes x JOIN (
                  SELECT qid, note_id FROM (SELECT qid, note_id, row_number() OVER (PARTITION BY qid ORDER BY max(sim) DESC) AS nr
                                            FROM approx GROUP BY qid, note_id) t WHERE nr <= 10) a USING (qid, note_id))::numeric
             / (SELECT count(*) FROM exact_notes), 4) AS note_recall_at_10,
       (SELECT count(*) FROM (SELECT qid FROM exact_notes x
                              WHERE NOT EXISTS (SELECT 1 FROM approx a WHERE a.qid = x.qid AND a.note_id = x.note_id)
                              GROUP BY qid HAVING count(*) >= 2) t) AS queries_losing_2_notes;
RESET hnsw.ef_search;
RESET hnsw.iterative_scan;
RESET enable_sort;
DROP TABLE approx;
