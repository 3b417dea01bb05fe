-- Per-user isolation (issue 6): every folder, note and attachment has an owner; what derives from a note (revisions,
-- names, tags, links, chunks, vectors, topics memberships, edges, jobs) follows its note. Existing data and the
-- desktop belong to the built-in user 1 ('local'). If an account already holds id 1, that account owns the old data.
-- No REFERENCES on the added columns: SQLite only adds a foreign-key column whose default is NULL.
INSERT INTO users (id, name, created_at) VALUES (1, 'local', 0) ON CONFLICT DO NOTHING;

ALTER TABLE folders ADD COLUMN user_id INTEGER NOT NULL DEFAULT 1;
DROP INDEX ux_folders_parent_name;
CREATE UNIQUE INDEX ux_folders_parent_name ON folders (user_id, ifnull(parent_id, 0), name) WHERE deleted_at IS NULL;
CREATE INDEX ix_folders_user ON folders (user_id);

ALTER TABLE notes ADD COLUMN user_id INTEGER NOT NULL DEFAULT 1;
DROP INDEX ux_notes_folder_file;
DROP INDEX ux_notes_source;
-- user_id leads: a top-level note of one user and of another both have folder_id NULL.
CREATE UNIQUE INDEX ux_notes_folder_file ON notes (user_id, ifnull(folder_id, 0), file_name) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX ux_notes_source ON notes (user_id, source_id) WHERE source_id IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX ix_notes_user_updated ON notes (user_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL;
-- Every note, trashed too: "does anyone else own notes?" is asked per search, as two range seeks (user_id < u, > u).
CREATE INDEX ix_notes_user ON notes (user_id);

-- attachments.path was UNIQUE inline, which SQLite cannot drop: the table is rebuilt with the same ids. Dropping the old
-- table sets links.target_attachment_id to NULL (ON DELETE SET NULL, foreign keys are on), so those are kept aside first.
CREATE TEMP TABLE owners_link_attachments AS SELECT id, target_attachment_id FROM links WHERE target_attachment_id IS NOT NULL;
CREATE TABLE attachments_owned (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    path         TEXT    NOT NULL,  -- relative, '/'-separated, unique per user
    file_key     TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (user_id, path)
);
INSERT INTO attachments_owned (id, user_id, path, file_key, content_type, size_bytes, sha256, created_at)
    SELECT id, 1, path, file_key, content_type, size_bytes, sha256, created_at FROM attachments;
DROP TABLE attachments;
ALTER TABLE attachments_owned RENAME TO attachments;
CREATE INDEX ix_attachments_file_key ON attachments (user_id, file_key);
UPDATE links SET target_attachment_id = (SELECT o.target_attachment_id FROM owners_link_attachments o WHERE o.id = links.id)
    WHERE id IN (SELECT id FROM owners_link_attachments);
DROP TABLE owners_link_attachments;
