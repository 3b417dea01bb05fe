-- Per-user isolation (see migrations/sqlite/007_owners.sql): folders, notes and attachments get an owner; existing
-- data belongs to the built-in user 1 ('local'), or to the account that already holds id 1.
INSERT INTO users (id, name, created_at) VALUES (1, 'local', 0) ON CONFLICT DO NOTHING;
-- An explicit id does not move the identity: without this the next account would be given id 1 again.
SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users));

ALTER TABLE folders ADD COLUMN user_id bigint NOT NULL DEFAULT 1 REFERENCES users(id);
DROP INDEX ux_folders_parent_name;
CREATE UNIQUE INDEX ux_folders_parent_name ON folders (user_id, coalesce(parent_id, 0), name) WHERE deleted_at IS NULL;
CREATE INDEX ix_folders_user ON folders (user_id);

ALTER TABLE notes ADD COLUMN user_id bigint NOT NULL DEFAULT 1 REFERENCES users(id);
DROP INDEX ux_notes_folder_file;
DROP INDEX ux_notes_source;
CREATE UNIQUE INDEX ux_notes_folder_file ON notes (user_id, coalesce(folder_id, 0), file_name) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX ux_notes_source ON notes (user_id, source_id) WHERE source_id IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX ix_notes_user_updated ON notes (user_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL;
-- Every note, trashed too: "does anyone else own notes?" is asked per search, as two range seeks (user_id < u, > u).
CREATE INDEX ix_notes_user ON notes (user_id);

ALTER TABLE attachments ADD COLUMN user_id bigint NOT NULL DEFAULT 1 REFERENCES users(id);
ALTER TABLE attachments DROP CONSTRAINT attachments_path_key;
ALTER TABLE attachments ADD CONSTRAINT attachments_user_path_key UNIQUE (user_id, path);
DROP INDEX ix_attachments_file_key;
CREATE INDEX ix_attachments_file_key ON attachments (user_id, file_key);
