-- the name is free again in a new session
CREATE TABLE ids (id bigint PRIMARY KEY, note text);
CREATE INDEX ids_id_idx ON ids (note);
