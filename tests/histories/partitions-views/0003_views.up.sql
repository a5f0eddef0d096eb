CREATE TABLE note (id serial PRIMARY KEY, event_id bigint, body text, pinned boolean DEFAULT false);
CREATE VIEW recent_event AS
    SELECT id, created_at, kind FROM event WHERE created_at > now() - interval '7 days';
CREATE VIEW event_kinds AS SELECT kind, count(*) AS n FROM recent_event GROUP BY kind;
CREATE MATERIALIZED VIEW event_stats AS
    SELECT kind, count(*) AS n FROM event GROUP BY kind;
CREATE UNIQUE INDEX event_stats_kind_idx ON event_stats (kind);
CREATE VIEW note_view AS SELECT * FROM note;
CREATE VIEW pinned_note AS SELECT id, body FROM note_view WHERE pinned;
CREATE VIEW note_event AS
    SELECT n.id, n.body, e.kind FROM note n JOIN event e ON e.id = n.event_id;
CREATE OR REPLACE VIEW event_kinds AS
    SELECT kind, count(*) AS n, max(created_at) AS last_at FROM recent_event GROUP BY kind;
ALTER VIEW event_kinds RENAME TO event_kind_counts;
