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
--     keys did, cheaper (each foreign key action was a trigger program
--     of its own, run for every row deleted whether or not a row referred
--     to it); there are no foreign keys, and MIGSAFE_CHECK_CATALOG checks
--     the references instead. What goes with a relation is catalog.c's
--     (rel_gone()).
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
--   definition: a view's query text
--   partition_key: a partitioned table's PARTITION BY ("RANGE
--             (created_at)"); partition_bound: a partition's bound ("FOR
--             VALUES IN ('eu')", "DEFAULT"), as DDL
--   columns_unknown: CREATE TABLE AS whose query's columns could not all
--             be derived: a column named on it is taken on trust, as for
--             a view
--
-- A virtual table: catalog.c keeps the relations in C (relstore.h; an
-- INSERT into the table with its unique key and two indexes cost 12,000
-- instructions, a DELETE with its triggers 65,000). Its columns, in
-- this order:
--   id, schema_id, name, kind, table_id, parent_id, unlogged,
--   rls_enabled, rls_forced, comment, definition, partition_key,
--   partition_bound, columns_unknown, created_file, in_range, file_ref
--   (files.id), file, line
-- with "id" its rowid, (schema_id, name) unique, and lookups by id, by
-- (schema_id, name), by schema_id (rows by name, as the unique key's
-- index gave them), by table_id and by parent_id (rows by id).
-- What refers to a relation goes with it, in C (catalog.c, rel_gone():
-- what the triggers relation_gone, index_relation_gone,
-- index_partitions_gone, sequence_relation_gone and
-- relation_columns_gone did), whether the relation goes through a
-- cat_* function or a DELETE of the triggers below.
CREATE VIRTUAL TABLE relations USING migsafe_relations;

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
-- catalog.c's rel_gone()'s.
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
-- prints it). definition is, for a domain, the clauses after the type as
-- they stand now (DEFAULT, NOT NULL and each validated CHECK with its
-- name, normalised: ALTER DOMAIN changes them), or CREATE TYPE AS the
-- attribute list ("(w integer, h integer)"), for inspect --format sql.
-- default_expr and not_null are a domain's DEFAULT (normalised) and
-- NOT NULL; its CHECKs are in domain_constraints.
CREATE TABLE types (
	id            INTEGER PRIMARY KEY,
	schema_id     INTEGER NOT NULL,
	name          TEXT NOT NULL,
	kind          TEXT NOT NULL,
	base_type     TEXT,
	definition    TEXT,
	default_expr  TEXT,
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

-- A domain's CHECK constraints (PostgreSQL 15 keeps a domain's NOT NULL
-- as a flag, types.not_null, not as a constraint), in the order they
-- were added. expr is the CHECK's expression (normalised); validated is
-- 0 for one added NOT VALID and not validated since.
CREATE TABLE domain_constraints (
	id            INTEGER PRIMARY KEY,
	type_id       INTEGER NOT NULL,       -- types.id
	name          TEXT NOT NULL,
	expr          TEXT,
	validated     INTEGER NOT NULL DEFAULT 1,
	UNIQUE (type_id, name)
);
-- a generated constraint name avoids every constraint name in its schema
CREATE INDEX domain_constraints_name ON domain_constraints(name);

CREATE TABLE enum_values (
	type_id       INTEGER NOT NULL,
	sort_order    REAL NOT NULL,
	label         TEXT NOT NULL,
	UNIQUE (type_id, label)
);
-- ADD VALUE places a label by the type's highest or its neighbour's
-- sort_order: without this, a scan of the type's labels each time
CREATE INDEX enum_values_order ON enum_values(type_id, sort_order);

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

-- What ON DELETE CASCADE did for schemas, types and functions (see the
-- conventions above for why these are triggers).
CREATE TRIGGER schema_gone AFTER DELETE ON schemas
BEGIN
	DELETE FROM relations WHERE schema_id = OLD.id;
	DELETE FROM types WHERE schema_id = OLD.id;
	DELETE FROM functions WHERE schema_id = OLD.id;
END;

CREATE TRIGGER type_gone AFTER DELETE ON types
BEGIN
	DELETE FROM enum_values WHERE type_id = OLD.id;
	DELETE FROM domain_constraints WHERE type_id = OLD.id;
END;

CREATE TRIGGER function_gone AFTER DELETE ON functions
BEGIN
	DELETE FROM triggers WHERE function_id = OLD.id;
END;

-- A column going away, and what used it (what the foreign keys on
-- columns.id did, ON DELETE CASCADE, when it was a table): the rows
-- that name it go; their tables' triggers take the indexes, constraints,
-- views and sequences along. cat_col_drop() (one column; catalog.c)
-- comes through here; a relation's columns go with it (rel_gone()).
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

INSERT INTO schemas (name) VALUES ('pg_catalog'), ('public');

-- Lookups the replay makes for every dropped relation or column (found
-- by profiling: without them each is a scan, and histories grow
-- quadratically).
CREATE INDEX sequence_owners_column ON sequence_owners(column_id);
CREATE INDEX triggers_function ON triggers(function_id);
