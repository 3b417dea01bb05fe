-- A counter that every write to the knowledge graph moves: edges, memberships, relations, topics, and the notes'
-- titles, folders and trash state that graph readers show or filter on. Readers keep the graph in memory and reload
-- it only when the counter moved (issue 4: no whole-graph load per request). Triggers, so that no writer can forget
-- to bump it, and a row in the database, so that a process sees what another process wrote.
CREATE TABLE graph_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO graph_version (id, version) VALUES (1, 0);

CREATE TRIGGER tr_note_edges_insert_graph AFTER INSERT ON note_edges BEGIN UPDATE graph_version SET version = version + 1; END;
CREATE TRIGGER tr_note_edges_update_graph AFTER UPDATE ON note_edges BEGIN UPDATE graph_version SET version = version + 1; END;
CREATE TRIGGER tr_note_edges_delete_graph AFTER DELETE ON note_edges BEGIN UPDATE graph_version SET version = version + 1; END;
CREATE TRIGGER tr_note_topics_insert_graph AFTER INSERT ON note_topics BEGIN UPDATE graph_version SET version = version + 1; END;
CREATE TRIGGER tr_note_topics_update_graph AFTER UPDATE ON note_topics BEGIN UPDATE graph_version SET version = version + 1; END;
CREATE TRIGGER tr_note_topics_delete_graph AFTER DELETE ON note_topics BEGIN UPDATE graph_version SET version = version + 1; END;
CREATE TRIGGER tr_topic_relations_insert_graph AFTER INSERT ON topic_relations BEGIN UPDATE graph_version SET version = version + 1; END;
CREATE TRIGGER tr_topic_relations_update_graph AFTER UPDATE ON topic_relations BEGIN UPDATE graph_version SET version = version + 1; END;
CREATE TRIGGER tr_topic_relations_delete_graph AFTER DELETE ON topic_relations BEGIN UPDATE graph_version SET version = version + 1; END;
CREATE TRIGGER tr_topics_insert_graph AFTER INSERT ON topics BEGIN UPDATE graph_version SET version = version + 1; END;
CREATE TRIGGER tr_topics_delete_graph AFTER DELETE ON topics BEGIN UPDATE graph_version SET version = version + 1; END;
CREATE TRIGGER tr_topics_label_graph AFTER UPDATE OF label ON topics WHEN OLD.label IS NOT NEW.label
BEGIN UPDATE graph_version SET version = version + 1; END;
CREATE TRIGGER tr_notes_insert_graph AFTER INSERT ON notes BEGIN UPDATE graph_version SET version = version + 1; END;
CREATE TRIGGER tr_notes_delete_graph AFTER DELETE ON notes BEGIN UPDATE graph_version SET version = version + 1; END;
CREATE TRIGGER tr_notes_update_graph AFTER UPDATE OF title, folder_id, deleted_at ON notes
WHEN OLD.title IS NOT NEW.title OR OLD.folder_id IS NOT NEW.folder_id OR OLD.deleted_at IS NOT NEW.deleted_at
BEGIN UPDATE graph_version SET version = version + 1; END;
