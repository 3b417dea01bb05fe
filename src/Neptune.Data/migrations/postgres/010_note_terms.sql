-- Full-text postings (issue 7): one row per live note and word, with the word's count in the title and in the body
-- and the note's length in distinct words, so BM25 is computed from the postings of the query's words alone, as FTS5
-- does from its doclists. Scoring from the matching notes' tsvectors read (and detoasted) every matching note: at
-- 100k notes a one-word query took up to 1.6 s. Keyed by owner first: each user's search and its idf see only
-- their own notes. The covering key lets a query read postings without visiting the table.
-- The GIN index on notes.search stays: queries with phrases, prefixes, OR, NOT or the title filter select notes with it.
CREATE TABLE note_terms (
    user_id  bigint   NOT NULL,
    lexeme   text     COLLATE "C" NOT NULL,
    note_id  bigint   NOT NULL,
    len      integer  NOT NULL,  -- the note's distinct words: length(search)
    tf       smallint NOT NULL,  -- occurrences in the body (tsvector keeps at most 256 positions a word; a word kept
                                 -- without positions counts once)
    title_tf smallint NOT NULL   -- occurrences in the title
);

-- A live note's postings, from its tsvector: the one definition the triggers, the import, the backfill and the search
-- of tsvectors (PostgresNoteSearch) share. A trashed note has none, as it is not searched.
CREATE FUNCTION note_terms_of(n notes) RETURNS SETOF note_terms LANGUAGE sql IMMUTABLE AS $$
    SELECT n.user_id, u.lexeme, n.id, length(n.search),
           (coalesce(cardinality(u.weights), 1) - t.title)::smallint, t.title::smallint
    FROM unnest(n.search) AS u
    CROSS JOIN LATERAL (SELECT coalesce(cardinality(array_positions(u.weights, 'A')), 0) AS title) AS t
    WHERE n.deleted_at IS NULL;
$$;

CREATE FUNCTION note_terms_add_notes(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO note_terms
    SELECT p.* FROM notes n CROSS JOIN LATERAL note_terms_of(n) AS p
    WHERE n.id = ANY (ids)
    ORDER BY 1, 2, 3
    ON CONFLICT DO NOTHING;  -- a note the batch also updated got its postings from the update's trigger
$$;

-- Kept by triggers on notes, so no writer (API, import, purge, account deletion) can leave them behind.
CREATE FUNCTION note_terms_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL THEN
        DELETE FROM note_terms t
        WHERE t.user_id = OLD.user_id AND t.lexeme = ANY (tsvector_to_array(OLD.search)) AND t.note_id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO note_terms SELECT * FROM note_terms_of(NEW);
    END IF;
    RETURN NULL;
END
$$;

-- A bulk import sets neptune.defer_postings for its transaction and adds the postings of its new notes at the end,
-- sorted (note_terms_add_notes): row by row, each note's ~150 postings land on ~150 random pages of the key.
CREATE TRIGGER notes_terms_insert AFTER INSERT ON notes
    FOR EACH ROW WHEN (coalesce(current_setting('neptune.defer_postings', true), '') <> 'on')
    EXECUTE FUNCTION note_terms_sync();
CREATE TRIGGER notes_terms_update AFTER UPDATE ON notes
    FOR EACH ROW WHEN (OLD.search IS DISTINCT FROM NEW.search OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.user_id <> NEW.user_id)
    EXECUTE FUNCTION note_terms_sync();
CREATE TRIGGER notes_terms_delete AFTER DELETE ON notes
    FOR EACH ROW EXECUTE FUNCTION note_terms_sync();

-- The notes already there, then the key (built once, faster than row by row).
INSERT INTO note_terms SELECT p.* FROM notes n CROSS JOIN LATERAL note_terms_of(n) AS p;

ALTER TABLE note_terms ADD CONSTRAINT pk_note_terms PRIMARY KEY (user_id, lexeme, note_id) INCLUDE (len, tf, title_tf);
