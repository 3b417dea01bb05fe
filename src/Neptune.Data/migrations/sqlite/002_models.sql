-- Embedding models Neptune has used. Every stored vector names its model; search reads only the active model's
-- vectors, so two vector spaces are never mixed. A new digest of the same name is a new model (re-embed).
CREATE TABLE models (
    id           INTEGER PRIMARY KEY,
    provider     TEXT    NOT NULL CHECK (provider IN ('onnx', 'ollama')),
    name         TEXT    NOT NULL,
    digest       TEXT    NOT NULL,
    dims         INTEGER NOT NULL CHECK (dims > 0),
    active       INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
    created_at   INTEGER NOT NULL,
    activated_at INTEGER,
    UNIQUE (provider, name, digest)
);
-- At most one active model.
CREATE UNIQUE INDEX ux_models_active ON models (active) WHERE active = 1;
