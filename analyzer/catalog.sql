-- migsafe catalog schema: the ephemeral database that migrations are
-- replayed into. One in-memory SQLite database per run.
--
-- Conventions:
--   * every object records where it was created: created_file is the
--     migration's position in the history (-1: before the history, e.g.
--     --initial-schema; -2: the migration tool's own bookkeeping table,
--     such as golang-migrate's schema_migrations), file /
--     line / col the statement that created it, in_range whether that
--     statement was in the lint range.
--   * names are stored as PostgreSQL stores them (folded, truncated to 63
--     bytes).
--   * triggers model what PostgreSQL drops together with an object:
--     dropping a table drops its columns, indexes and constraints (and
--     foreign keys that point at it); dropping a column drops the indexes
--     and constraints that use it. They do what ON DELETE CASCADE foreign
--     keys did, cheaper (see relation_gone); there are no foreign keys,
--     and MIGSAFE_CHECK_CATALOG checks the references instead.
--
-- Custom rules (config "custom_rules") query these tables read-only.

-- The paths objects were created in, each stored once: every table
-- below that has a "file" column computes it from "file_ref" (the
-- function is catalog.c's copy of this table), so a long path costs its
-- rows eight bytes, not its length.
CREATE TABLE files (
	id            INTEGER PRIMARY KEY,
	path          TEXT NOT NULL
);

-- Namespaces. 'public' and 'pg_catalog' exist from the start.
CREATE TABLE schemas (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,
	created_file  INTEGER NOT NULL DEFAULT -1,
	in_range      INTEGER NOT NULL DEFAULT 0,
	file_ref      INTEGER,        -- files.id
	file          TEXT GENERATED ALWAYS AS (migsafe_file(file_ref)) VIRTUAL,
	line          INTEGER
);

-- Everything PostgreSQL keeps in pg_class: tables, partitioned tables,
-- views, materialized views, sequences, indexes, foreign tables. They
-- share one namespace per schema, as in PostgreSQL.
--   kind: 'r' table, 'p' partitioned table, 'v' view, 'm' materialized
--         view, 'S' sequence, 'i' index, 'f' foreign table
--   table_id: for an index, its table; for a sequence, the table that owns
--             it (OWNED BY / serial), NULL otherwise
--   parent_id: for a partition, its partitioned table
CREATE TABLE relations (
	id            INTEGER PRIMARY KEY,
	schema_id     INTEGER NOT NULL,
	name          TEXT NOT NULL,
	kind          TEXT NOT NULL,
	table_id      INTEGER,
	parent_id     INTEGER,
	unlogged      INTEGER NOT NULL DEFAULT 0,
	rls_enabled   INTEGER NOT NULL DEFAULT 0,
	rls_forced    INTEGER NOT NULL DEFAULT 0,
	comment       TEXT,
	definition    TEXT,            -- views: the query text
	-- a partitioned table's PARTITION BY ("RANGE (created_at)"), a
	-- partition's bound ("FOR VALUES IN ('eu')", "DEFAULT"), as DDL
	partition_key TEXT,
	partition_bound TEXT,
	-- CREATE TABLE AS whose query's columns could not all be derived:
	-- a column named on it is taken on trust, as for a view
	columns_unknown INTEGER NOT NULL DEFAULT 0,
	created_file  INTEGER NOT NULL DEFAULT -1,
	in_range      INTEGER NOT NULL DEFAULT 0,
	file_ref      INTEGER,        -- files.id
	file          TEXT GENERATED ALWAYS AS (migsafe_file(file_ref)) VIRTUAL,
	line          INTEGER,
	UNIQUE (schema_id, name)
);
-- Indexes on references that are mostly NULL (here and below) leave the
-- NULLs out: an insert with none touches no index, and every lookup,
-- the cascades' "= id" included, implies IS NOT NULL, so SQLite still
-- uses them.
CREATE INDEX relations_table ON relations(table_id) WHERE table_id IS NOT NULL;
CREATE INDEX relations_parent ON relations(parent_id) WHERE parent_id IS NOT NULL;
-- what the range rules start from: relations_in_range, a partial index
-- made when a lint range begins after a history (catalog.c,
-- range_indexes)

-- Columns of tables, views and composite types (attnum order).
--   type:        as PostgreSQL's format_type() prints it
--                ('character varying(64)', 'timestamp with time zone')
--   type_name:   canonical internal name ('varchar', 'timestamptz', 'int4'),
--   type_schema: NULL for built-in types
--   typmod1/2:   type modifiers (varchar length; numeric precision, scale)
--   default_volatility: 'i' immutable, 's' stable, 'v' volatile
--   identity:    'a' ALWAYS, 'd' BY DEFAULT, NULL
--
-- A virtual table: catalog.c keeps the columns in C (a history adds them
-- by the hundred thousand, and a B-tree row with its two indexes cost
-- more than the rest of the statement). Its columns, in this order:
--   id, rel_id (relations.id), attnum, name, type, type_schema,
--   type_name, typmod1, typmod2, array_dims, not_null, default_expr,
--   default_volatility, identity, generated, comment, created_file,
--   in_range, file_ref (files.id), file, line
-- with "id" its rowid, and lookups by id, rel_id and (rel_id, name).
-- No foreign key can point at it: the ON DELETE CASCADE that the tables
-- below had on their column ids is the trigger column_gone for one
-- column (catalog.c), and relation_columns_gone for a relation's.
CREATE VIRTUAL TABLE columns USING migsafe_columns;

-- Index details; the index itself is a row of relations (kind 'i').
-- Kept in C as index_columns is (a linkstore; catalog.c), shown as
--   rel_id (the index's relation; also the rowid), table_id, is_unique,
--   is_primary, method, predicate (partial index WHERE, normalised),
--   nulls_not_distinct, nr_key (key columns; INCLUDE ones come after),
--   parent_index (the partitioned table's index this partition's index
--   belongs to)
-- found by rel_id, by table_id (rows by rel_id), by parent_index. What
-- goes with an index (its columns, its partitions' indexes) is
-- index_relation_gone's.
CREATE VIRTUAL TABLE indexes USING migsafe_indexes;

-- An index's columns, kept in C like the columns (linkstore.h; the
-- virtual table's code is in catalog.c) and shown as a table of
--   index_id, pos (1-based), column_id (columns.id; NULL: an expression,
--   whose normalised text is expr), expr, is_include, descending,
--   opclass (the operator class as written, NULL: the type's default)
-- found by index_id (rows by pos), by index_id and pos, by column_id.
-- Dropping a column drops every index that uses it: column_gone.
CREATE VIRTUAL TABLE index_columns USING migsafe_index_columns;

-- Columns an index uses in an expression or in its predicate.
CREATE TABLE index_deps (
	index_id      INTEGER NOT NULL,
	column_id     INTEGER NOT NULL    -- columns.id
);
CREATE INDEX index_deps_column ON index_deps(column_id);
CREATE INDEX index_deps_index ON index_deps(index_id);

CREATE TRIGGER index_dep_gone AFTER DELETE ON index_deps
BEGIN
	DELETE FROM relations WHERE id = OLD.index_id;
END;

-- Table constraints, kept in C as the columns are (constore.h; the
-- virtual table's code is in catalog.c) and shown as a table of
--   id (also the rowid), rel_id, name, kind, expr, not_null_column,
--   validated, ref_rel_id, on_delete, on_update, is_deferrable,
--   index_id, created_file, in_range, file_ref (files.id), file, line,
--   col, end_line, end_col, start_offset, end_offset, stmt_hash,
--   parent_con
-- found by id, rel_id, name, ref_rel_id, index_id and parent_con (rows
-- in id order).
--   kind: 'p' primary key, 'u' unique, 'c' check, 'f' foreign key,
--         'x' exclusion
--   index_id: the index that enforces a 'p'/'u'/'x' constraint
--   not_null_column: for a CHECK that is exactly "col IS NOT NULL"
--   on_delete/on_update: 'a' no action, 'r' restrict, 'c' cascade,
--         'n' set null, 'd' set default
--   start_offset/end_offset/stmt_hash and the position columns locate the
--   statement that added the constraint (range rules report there)
--   parent_con: the partitioned (or parent) table's constraint this one
--         inherits
-- A constraint that goes (a DELETE here, from the triggers below) takes
-- its constraint_columns rows and the constraints that inherit it along,
-- in C: what the trigger constraint_gone did when it was a table.
CREATE VIRTUAL TABLE constraints USING migsafe_constraints;

-- A constraint's columns, in C as index_columns is:
--   con_id, pos, column_id (columns.id), ref_column_id (for a foreign
--   key, the referenced column at this position; columns.id)
-- found by con_id (rows by pos), by con_id and pos, by column_id, by
-- ref_column_id. Dropping a column drops the constraints that use it:
-- column_gone.
CREATE VIRTUAL TABLE constraint_columns USING migsafe_constraint_columns;

-- Which relations and columns a view (or materialized view) reads, in C
-- as index_columns is: view_id, rel_id, column_id (columns.id; NULL:
-- the relation as a whole), found by each. A view goes with what it
-- reads (only reachable by CASCADE in PostgreSQL): where a trigger
-- deletes rows of it, it first puts their views in dropping_views (a
-- view's own rows, replaced by CREATE OR REPLACE VIEW, go in C without
-- it: cat_view_clear_deps()).
CREATE VIRTUAL TABLE view_deps USING migsafe_view_deps;

-- Views whose dependencies went, to go too: catalog.c drops them after
-- the statement, round by round, and empties this table. Dropping them
-- in the trigger nested one trigger program per view of a chain, and
-- SQLite stops at 1,000 levels (500 views).
CREATE TABLE dropping_views (
	view_id       INTEGER PRIMARY KEY
);

-- A sequence owned by a column goes with that column.
CREATE TABLE sequence_owners (
	seq_id        INTEGER PRIMARY KEY,
	column_id     INTEGER NOT NULL    -- columns.id
);
-- ALTER SEQUENCE ... OWNED BY NONE unlinks a sequence and keeps it.
CREATE TABLE disowning_sequences (
	seq_id        INTEGER PRIMARY KEY
);
CREATE TRIGGER sequence_owner_gone AFTER DELETE ON sequence_owners
WHEN OLD.seq_id NOT IN (SELECT seq_id FROM disowning_sequences)
BEGIN
	DELETE FROM relations WHERE id = OLD.seq_id;
END;

-- Types that are not relations: enums, domains, composite types ('e',
-- 'd', 'c'). base_type is a domain's underlying type (as format_type()
-- prints it). definition is what CREATE DOMAIN gave after the type (its
-- NOT NULL, DEFAULT and CHECK clauses, normalised) or CREATE TYPE AS the
-- attribute list ("(w integer, h integer)"), for inspect --format sql.
CREATE TABLE types (
	id            INTEGER PRIMARY KEY,
	schema_id     INTEGER NOT NULL,
	name          TEXT NOT NULL,
	kind          TEXT NOT NULL,
	base_type     TEXT,
	definition    TEXT,
	not_null      INTEGER NOT NULL DEFAULT 0,
	constrained   INTEGER NOT NULL DEFAULT 0,   -- a domain with NOT NULL or CHECK
	created_file  INTEGER NOT NULL DEFAULT -1,
	in_range      INTEGER NOT NULL DEFAULT 0,
	file_ref      INTEGER,        -- files.id
	file          TEXT GENERATED ALWAYS AS (migsafe_file(file_ref)) VIRTUAL,
	line          INTEGER,
	UNIQUE (schema_id, name)
);
-- ADD COLUMN asks, by name alone, whether the type is a constrained domain
CREATE INDEX types_name ON types(name);

CREATE TABLE enum_values (
	type_id       INTEGER NOT NULL,
	sort_order    REAL NOT NULL,
	label         TEXT NOT NULL,
	UNIQUE (type_id, label)
);

CREATE TABLE extensions (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,
	schema_name   TEXT,
	created_file  INTEGER NOT NULL DEFAULT -1
);

-- Functions and procedures by signature ("(int4,text)").
CREATE TABLE functions (
	id            INTEGER PRIMARY KEY,
	schema_id     INTEGER NOT NULL,
	name          TEXT NOT NULL,
	signature     TEXT NOT NULL,
	kind          TEXT NOT NULL DEFAULT 'f',   -- 'f' function, 'p' procedure
	language      TEXT,
	volatility    TEXT,
	created_file  INTEGER NOT NULL DEFAULT -1,
	UNIQUE (schema_id, name, signature)
);

CREATE TABLE triggers (
	id            INTEGER PRIMARY KEY,
	rel_id        INTEGER NOT NULL,
	name          TEXT NOT NULL,
	-- the trigger function, when the model holds it: DROP FUNCTION ...
	-- CASCADE and DROP SCHEMA ... CASCADE take the trigger with it
	function_id   INTEGER,
	created_file  INTEGER NOT NULL DEFAULT -1,
	UNIQUE (rel_id, name)
);

CREATE TABLE policies (
	id            INTEGER PRIMARY KEY,
	rel_id        INTEGER NOT NULL,
	name          TEXT NOT NULL,
	created_file  INTEGER NOT NULL DEFAULT -1,
	UNIQUE (rel_id, name)
);

-- What ON DELETE CASCADE did for schemas, types and functions (see
-- relation_gone below for why these are triggers).
CREATE TRIGGER schema_gone AFTER DELETE ON schemas
BEGIN
	DELETE FROM relations WHERE schema_id = OLD.id;
	DELETE FROM types WHERE schema_id = OLD.id;
	DELETE FROM functions WHERE schema_id = OLD.id;
END;

CREATE TRIGGER type_gone AFTER DELETE ON types
BEGIN
	DELETE FROM enum_values WHERE type_id = OLD.id;
END;

CREATE TRIGGER function_gone AFTER DELETE ON functions
BEGIN
	DELETE FROM triggers WHERE function_id = OLD.id;
END;

-- A column going away, and what used it (what the foreign keys on
-- columns.id did, ON DELETE CASCADE, when it was a table): the rows
-- that name it go; their tables' triggers take the indexes, constraints,
-- views and sequences along. cat_col_drop() (one column; catalog.c)
-- comes through here; a relation's columns go with relation_columns_gone.
CREATE TABLE gone_columns (
	id            INTEGER PRIMARY KEY
);

-- The indexes and constraints that use the column go too, in triggers
-- of their own (each IN list is a temporary table, made only when there
-- is a row for it).
CREATE TRIGGER column_indexes_gone AFTER INSERT ON gone_columns
WHEN EXISTS (SELECT 1 FROM index_columns WHERE column_id = NEW.id)
BEGIN
	DELETE FROM relations WHERE id IN
		(SELECT index_id FROM index_columns WHERE column_id = NEW.id);
END;

CREATE TRIGGER column_constraints_gone AFTER INSERT ON gone_columns
WHEN EXISTS (SELECT 1 FROM constraint_columns WHERE column_id = NEW.id)
  OR EXISTS (SELECT 1 FROM constraint_columns WHERE ref_column_id = NEW.id)
BEGIN
	DELETE FROM constraints WHERE id IN
		(SELECT con_id FROM constraint_columns WHERE column_id = NEW.id
		 UNION ALL
		 SELECT con_id FROM constraint_columns WHERE ref_column_id = NEW.id);
END;

CREATE TRIGGER column_gone AFTER INSERT ON gone_columns
BEGIN
	DELETE FROM index_deps WHERE column_id = NEW.id;
	INSERT OR IGNORE INTO dropping_views
		SELECT view_id FROM view_deps WHERE column_id = NEW.id;
	DELETE FROM view_deps WHERE column_id = NEW.id;
	DELETE FROM sequence_owners WHERE column_id = NEW.id;
END;

-- What refers to a relation goes with it: what ON DELETE CASCADE (and
-- SET NULL for parent_id) on thirteen foreign keys did. Each foreign key
-- action is a trigger program of its own, run for every relation row
-- deleted whether or not a row refers to it (a frame, cursors, a seek):
-- dropping a table with three indexes ran 54 of them. One trigger does
-- the same deletes in one program (-2.6% instructions on the 20,000-
-- statement benchmark). The columns holding these ids no longer say
-- REFERENCES relations(id); the catalog's code never inserts an id of a
-- relation that does not exist, and with MIGSAFE_CHECK_CATALOG set (the
-- test suite sets it) migsafe checks that as it ends (catalog.c).
-- An index or a sequence has its own trigger with the few deletes that
-- can find a row (an index is what most dropped relations are: 13
-- statements each for nothing cost 1% of the benchmark).
CREATE TRIGGER relation_gone AFTER DELETE ON relations
WHEN OLD.kind NOT IN ('i', 'S')
BEGIN
	DELETE FROM relations WHERE table_id = OLD.id;
	UPDATE relations SET parent_id = NULL WHERE parent_id = OLD.id;
	DELETE FROM indexes WHERE table_id = OLD.id;
	DELETE FROM constraints WHERE rel_id = OLD.id;
	DELETE FROM constraints WHERE ref_rel_id = OLD.id;
	DELETE FROM view_deps WHERE view_id = OLD.id;
	INSERT OR IGNORE INTO dropping_views
		SELECT view_id FROM view_deps WHERE rel_id = OLD.id;
	DELETE FROM view_deps WHERE rel_id = OLD.id;
	DELETE FROM triggers WHERE rel_id = OLD.id;
	DELETE FROM policies WHERE rel_id = OLD.id;
END;

CREATE TRIGGER index_relation_gone AFTER DELETE ON relations
WHEN OLD.kind = 'i'
BEGIN
	DELETE FROM indexes WHERE rel_id = OLD.id;
	DELETE FROM index_columns WHERE index_id = OLD.id;
	DELETE FROM index_deps WHERE index_id = OLD.id;
	DELETE FROM constraints WHERE index_id = OLD.id;
END;

-- An index partition goes with its parent index (a trigger of its own:
-- the IN list is a temporary table made whether or not a row is found).
CREATE TRIGGER index_partitions_gone AFTER DELETE ON relations
WHEN OLD.kind = 'i' AND EXISTS (SELECT 1 FROM indexes WHERE parent_index = OLD.id)
BEGIN
	DELETE FROM relations WHERE id IN
		(SELECT rel_id FROM indexes WHERE parent_index = OLD.id);
END;

CREATE TRIGGER sequence_relation_gone AFTER DELETE ON relations
WHEN OLD.kind = 'S'
BEGIN
	INSERT OR IGNORE INTO dropping_views
		SELECT view_id FROM view_deps WHERE rel_id = OLD.id;
	DELETE FROM view_deps WHERE rel_id = OLD.id;
	DELETE FROM sequence_owners WHERE seq_id = OLD.id;
END;

-- A relation's columns go with it. Of what column_gone does for one
-- column, only the sequences they own are not already gone with the
-- relation: the indexes and constraints that use its columns are its
-- own (relation_gone and index_relation_gone take them, and their
-- index_columns, index_deps and constraint_columns), foreign keys that
-- point at them have ref_rel_id = OLD.id, and views that read them a
-- view_deps row with rel_id = OLD.id. A sequence OWNED BY one of them
-- may have another table_id. (Through column_gone, a table of ten
-- columns ran sixty deletes.)
CREATE TRIGGER relation_columns_gone AFTER DELETE ON relations
WHEN EXISTS (SELECT 1 FROM columns WHERE rel_id = OLD.id)
BEGIN
	DELETE FROM sequence_owners
	WHERE column_id IN (SELECT id FROM columns WHERE rel_id = OLD.id);
	DELETE FROM columns WHERE rel_id = OLD.id;
END;

INSERT INTO schemas (name) VALUES ('pg_catalog'), ('public');

-- Lookups the replay makes for every dropped relation or column (found
-- by profiling: without them each is a scan, and histories grow
-- quadratically).
CREATE INDEX sequence_owners_column ON sequence_owners(column_id);
CREATE INDEX triggers_function ON triggers(function_id);
