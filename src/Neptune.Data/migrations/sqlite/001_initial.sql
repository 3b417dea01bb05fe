-- Neptune desktop schema (ARCHITECTURE §3). Times are Unix milliseconds (UTC).

CREATE TABLE folders (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES folders(id),
    name        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER
);
CREATE UNIQUE INDEX ux_folders_parent_name ON folders (ifnull(parent_id, 0), name) WHERE deleted_at IS NULL;
CREATE INDEX ix_folders_parent ON folders (parent_id);

-- Small columns first, content last: SQLite reads a row's columns in order, and a large
-- content spills into overflow pages that a metadata query should never have to walk.
CREATE TABLE notes (
    id           INTEGER PRIMARY KEY,
    folder_id    INTEGER REFERENCES folders(id),
    deleted_at   INTEGER,
    version      INTEGER NOT NULL,
    size_bytes   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    source_id    TEXT,               -- id in the source it was imported from (JSONL id)
    name         TEXT    NOT NULL,   -- title given on creation or import; the title when the content names none
    file_name    TEXT    NOT NULL,   -- unique stem per folder, used on export and to resolve links by file name
    title        TEXT    NOT NULL,   -- front matter title, else first H1, else name
    content_hash TEXT    NOT NULL,
    content      TEXT    NOT NULL
);
CREATE UNIQUE INDEX ux_notes_folder_file ON notes (ifnull(folder_id, 0), file_name) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX ux_notes_source ON notes (source_id) WHERE source_id IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX ix_notes_updated ON notes (updated_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX ix_notes_folder_updated ON notes (folder_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX ix_notes_folder_name ON notes (ifnull(folder_id, 0), name) WHERE deleted_at IS NULL;
CREATE INDEX ix_notes_deleted ON notes (deleted_at) WHERE deleted_at IS NOT NULL;

CREATE TABLE note_revisions (
    id           INTEGER PRIMARY KEY,
    note_id      INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    size_bytes   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    title        TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    content_hash TEXT    NOT NULL,
    content      TEXT    NOT NULL,
    UNIQUE (note_id, version)
);

-- Names a note answers to when links are resolved: its title, aliases and file name.
CREATE TABLE note_names (
    note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    key     TEXT    NOT NULL,
    kind    INTEGER NOT NULL,  -- 0 file name, 1 title, 2 alias: lower wins when several notes match
    PRIMARY KEY (note_id, key, kind)
) WITHOUT ROWID;
CREATE INDEX ix_note_names_key ON note_names (key);

CREATE TABLE note_tags (
    note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    tag     TEXT    NOT NULL,
    PRIMARY KEY (note_id, tag)
) WITHOUT ROWID;
CREATE INDEX ix_note_tags_tag ON note_tags (tag);

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    path         TEXT    NOT NULL UNIQUE,  -- relative, '/'-separated, under <data>/attachments
    file_key     TEXT    NOT NULL,         -- lower-case file name, to resolve links that name only the file
    content_type TEXT    NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX ix_attachments_file_key ON attachments (file_key);

CREATE TABLE links (
    id                   INTEGER PRIMARY KEY,
    source_note_id       INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    ordinal              INTEGER NOT NULL,
    kind                 TEXT    NOT NULL,  -- wiki | markdown
    target               TEXT    NOT NULL,  -- as written
    target_key           TEXT    NOT NULL,  -- LinkKey.Normalize(target)
    heading              TEXT,
    alias                TEXT,
    is_embed             INTEGER NOT NULL,
    is_attachment        INTEGER NOT NULL,
    target_note_id       INTEGER REFERENCES notes(id) ON DELETE SET NULL,
    target_attachment_id INTEGER REFERENCES attachments(id) ON DELETE SET NULL
);
CREATE INDEX ix_links_source ON links (source_note_id);
CREATE INDEX ix_links_target_note ON links (target_note_id);
CREATE INDEX ix_links_target_key ON links (target_key);

-- Outbox for the indexer: written in the same transaction as the note change.
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,   -- index_note | remove_note
    note_id     INTEGER,
    state       TEXT    NOT NULL DEFAULT 'queued',  -- queued | leased | done | dead
    attempts    INTEGER NOT NULL DEFAULT 0,
    run_after   INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER,
    last_error  TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
-- One queued job per note and kind: a burst of edits coalesces into one.
CREATE UNIQUE INDEX ux_jobs_queued ON jobs (kind, note_id) WHERE state = 'queued';
CREATE INDEX ix_jobs_ready ON jobs (state, run_after);
CREATE INDEX ix_jobs_note ON jobs (note_id);

-- Full text over title and content; only live (not trashed) notes are indexed.
CREATE VIRTUAL TABLE notes_fts USING fts5 (
    title, content,
    content = 'notes', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Per-term document counts, to leave near-universal words out of a query.
CREATE VIRTUAL TABLE notes_fts_vocab USING fts5vocab (notes_fts, 'row');

CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO notes_fts (rowid, title, content) VALUES (new.id, new.title, new.content);
END;

CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes WHEN old.deleted_at IS NULL BEGIN
    INSERT INTO notes_fts (notes_fts, rowid, title, content) VALUES ('delete', old.id, old.title, old.content);
END;

CREATE TRIGGER notes_fts_update AFTER UPDATE OF title, content, deleted_at ON notes BEGIN
    INSERT INTO notes_fts (notes_fts, rowid, title, content)
        SELECT 'delete', old.id, old.title, old.content WHERE old.deleted_at IS NULL;
    INSERT INTO notes_fts (rowid, title, content)
        SELECT new.id, new.title, new.content WHERE new.deleted_at IS NULL;
END;
