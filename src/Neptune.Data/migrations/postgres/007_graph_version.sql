-- A counter that every write to the knowledge graph moves: edges, memberships, relations, topics, and the notes'
-- titles, folders and trash state that graph readers show or filter on. Readers keep the graph in memory and reload
-- it only when the counter moved (issue 4: no whole-graph load per request), also when another pod wrote. Triggers,
-- so that no writer can forget; per statement, so a bulk write bumps it once. The row lock it takes serialises graph
-- writers until commit, which the stores' single-writer turn does already.
CREATE TABLE graph_version (
    id      integer PRIMARY KEY CHECK (id = 1),
    version bigint  NOT NULL
);
INSERT INTO graph_version (id, version) VALUES (1, 0);

CREATE FUNCTION bump_graph_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE graph_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER tr_note_edges_graph AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON note_edges
    FOR EACH STATEMENT EXECUTE FUNCTION bump_graph_version();
CREATE TRIGGER tr_note_topics_graph AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON note_topics
    FOR EACH STATEMENT EXECUTE FUNCTION bump_graph_version();
CREATE TRIGGER tr_topic_relations_graph AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON topic_relations
    FOR EACH STATEMENT EXECUTE FUNCTION bump_graph_version();
CREATE TRIGGER tr_topics_graph AFTER INSERT OR DELETE OR UPDATE OF label ON topics
    FOR EACH STATEMENT EXECUTE FUNCTION bump_graph_version();
CREATE TRIGGER tr_notes_graph AFTER INSERT OR DELETE OR UPDATE OF title, folder_id, deleted_at ON notes
    FOR EACH STATEMENT EXECUTE FUNCTION bump_graph_version();
