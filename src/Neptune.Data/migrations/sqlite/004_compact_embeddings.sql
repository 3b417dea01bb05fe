-- Embeddings as a rowid table. A 384-d vector is a 1,536-byte blob; in a WITHOUT ROWID table (index-format pages,
-- at most ~1 KB of a row on its page at 4 KB pages) every vector spilled into an overflow page of its own: 100k
-- vectors took 475 MB and ~10 s to load. As rowid rows they sit on their pages (2–3 per page): 213 MB, and the
-- index loads them in well under a second (bench "vectors"). Same columns and key, so writers do not change.
CREATE TABLE embeddings_compact (
    chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
    model_id INTEGER NOT NULL REFERENCES models(id),
    vector   BLOB    NOT NULL,
    PRIMARY KEY (chunk_id, model_id)
);
INSERT INTO embeddings_compact (chunk_id, model_id, vector) SELECT chunk_id, model_id, vector FROM embeddings;
DROP TABLE embeddings;
ALTER TABLE embeddings_compact RENAME TO embeddings;
CREATE INDEX ix_embeddings_model ON embeddings (model_id);
