-- SQLite keeps a foreign key to a table that is gone; it points at the
-- new table of that name once there is one again.
CREATE TABLE parent (id INTEGER PRIMARY KEY);
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id));
DROP TABLE parent;
CREATE TABLE orphan (id INTEGER PRIMARY KEY, gone_id INTEGER REFERENCES nowhere (id));
