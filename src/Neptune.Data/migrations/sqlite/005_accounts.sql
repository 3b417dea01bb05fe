-- Users and personal access tokens (server mode; desktop has no accounts). A token is stored as the SHA-256 of its
-- secret, never the secret, with a short visible prefix so listings and `neptune tokens revoke` can name it.
CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE access_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    prefix       TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX ix_access_tokens_user ON access_tokens (user_id);
CREATE INDEX ix_access_tokens_prefix ON access_tokens (prefix);
