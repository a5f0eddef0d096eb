-- valgrind: replay.c create_index() copies its uninitialised stack buffer
-- name into the change (and index-not-concurrent prints it) for an
-- unnamed index on a table the history does not know
CREATE INDEX ON missing_table (x);
