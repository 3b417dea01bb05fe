-- A synthetic store for bench/pgvector-hnsw.sql when no indexed corpus is at hand: 20,000 unit vectors of 384
-- dimensions in near-duplicate clusters (200 random centres; each vector = unit(centre + 0.35 × another centre +
-- uniform noise of ±0.085 per dimension)), in the two tables the bench reads (models, embeddings).
--   createdb hnsw_bench && psql -d hnsw_bench -f bench/pgvector-synthetic.sql && psql -d hnsw_bench -f bench/pgvector-hnsw.sql
\set ON_ERROR_STOP 1
CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE models (id bigint PRIMARY KEY, dims int, active boolean);
INSERT INTO models VALUES (1, 384, true);
CREATE TABLE embeddings (chunk_id bigint PRIMARY KEY, model_id bigint NOT NULL, vector vector NOT NULL);
CREATE TEMP TABLE centres AS SELECT c, array_agg(random() - 0.5) AS v FROM generate_series(1, 200) c, generate_series(1, 384) d GROUP BY c;
INSERT INTO embeddings
SELECT g, 1, l2_normalize(x.v::vector)
FROM generate_series(1, 20000) g
CROSS JOIN LATERAL (
    SELECT array_agg(a.v[d] + 0.35 * b.v[d] + (random() - 0.5) * 0.17 ORDER BY d) AS v
    FROM centres a, centres b, generate_series(1, 384) d
    WHERE a.c = 1 + (g % 200) AND b.c = 1 + ((g * 7919) % 200) AND g > 0
) x;
ANALYZE embeddings;
