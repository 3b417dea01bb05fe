-- What the indexer derives from each note: chunks, their vectors (per model), topics and graph edges.
-- Everything here is rebuilt per note by idempotent jobs; nothing a user wrote lives here.

-- Token-aware pieces of a note at the version that was indexed; start/end are character offsets into its content.
CREATE TABLE chunks (
    id       INTEGER PRIMARY KEY,
    note_id  INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    ordinal  INTEGER NOT NULL,
    start    INTEGER NOT NULL,
    "end"    INTEGER NOT NULL,
    tokens   INTEGER NOT NULL,
    UNIQUE (note_id, ordinal)
);

-- One vector per chunk and model: little-endian float32, dims × 4 bytes. Search reads only the active model's rows.
CREATE TABLE embeddings (
    chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
    model_id INTEGER NOT NULL REFERENCES models(id),
    vector   BLOB    NOT NULL,
    PRIMARY KEY (chunk_id, model_id)
) WITHOUT ROWID;
CREATE INDEX ix_embeddings_model ON embeddings (model_id);

-- Each note's index state: pending (a job is waiting), indexed (with which model and note version) or failed (why).
CREATE TABLE note_index (
    note_id    INTEGER PRIMARY KEY REFERENCES notes(id) ON DELETE CASCADE,
    state      TEXT    NOT NULL CHECK (state IN ('pending', 'indexed', 'failed')),
    model_id   INTEGER REFERENCES models(id),
    version    INTEGER,
    error      TEXT,
    updated_at INTEGER NOT NULL
);
CREATE INDEX ix_note_index_state ON note_index (state);

-- Topics by identity key (TopicLabel.Key); label is the display form first seen. note_count and weight_sum are kept
-- incrementally as memberships change.
CREATE TABLE topics (
    id         INTEGER PRIMARY KEY,
    key        TEXT    NOT NULL UNIQUE,
    label      TEXT    NOT NULL,
    note_count INTEGER NOT NULL DEFAULT 0,
    weight_sum REAL    NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE note_topics (
    note_id  INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    weight   REAL    NOT NULL,
    source   TEXT    NOT NULL,   -- the extractor, e.g. keyphrase:all-MiniLM-L6-v2 or ollama:llama3.2
    PRIMARY KEY (note_id, topic_id)
) WITHOUT ROWID;
CREATE INDEX ix_note_topics_topic ON note_topics (topic_id);

-- Topic↔topic relations, stored once per pair (a < b).
CREATE TABLE topic_relations (
    a          INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    b          INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    strength   REAL    NOT NULL,
    source     TEXT    NOT NULL,   -- llm:<model> or embedding:<model>
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (a, b),
    CHECK (a < b)
) WITHOUT ROWID;
CREATE INDEX ix_topic_relations_b ON topic_relations (b);

-- Note↔note edges of the knowledge graph, stored once per pair and kind (a < b); links keep their direction in
-- provenance. kind: link (explicit [[link]] or Markdown link) or semantic (kNN of note vectors). Note↔topic and
-- topic↔topic edges are note_topics and topic_relations.
CREATE TABLE note_edges (
    a          INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    b          INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('link', 'semantic')),
    weight     REAL    NOT NULL,
    provenance TEXT    NOT NULL,
    PRIMARY KEY (a, b, kind),
    CHECK (a < b)
) WITHOUT ROWID;
CREATE INDEX ix_note_edges_b ON note_edges (b, kind);
