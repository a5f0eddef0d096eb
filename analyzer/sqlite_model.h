/*
 * sqlite_model.h - the schema of the target database as migsafe reads
 * it back after a statement: sqlite_schema, PRAGMA table_xinfo,
 * index_list, index_xinfo and foreign_key_list, plus what only the
 * stored CREATE text says (CHECK and generated expressions, index
 * expressions and WHERE).
 *
 * A snapshot is the whole schema after one statement. Its tables are
 * immutable versions shared between snapshots: a table the statement
 * did not touch is the same object in the snapshot before and after.
 * Everything lives in the arena given to the reader and dies with it.
 *
 * Identity: a table keeps its 'tid' across versions and renames (SQLite
 * keeps a table's root page when it renames it); a table created anew
 * (a rebuild's new table) gets a new tid. Each object points at the
 * origin of the statement that created it (kept across versions), which
 * the dialect fills in when that statement is replayed into the catalog.
 */
#ifndef MIGSAFE_SQLITE_MODEL_H
#define MIGSAFE_SQLITE_MODEL_H

#include <stdbool.h>

#include "catalog.h"
#include "sqlite_sandbox.h"
#include "util.h"

/* Where a statement is; filled when it is replayed into the catalog. */
struct sq_origin {
	struct cat_origin o;
	bool set;
};

struct sq_col {
	const char *name;
	const char *type;          /* as declared; "" when none */
	bool not_null;
	const char *dflt;          /* the DEFAULT expression, or NULL */
	int pk;                    /* position in the primary key, 0: none */
	int hidden;                /* table_xinfo: 0, 1 hidden, 2 virtual, 3 stored */
	const char *generated;     /* expression of a generated column */
	struct sq_origin *origin;
};

struct sq_index_col {
	const char *name;          /* column, or NULL for an expression */
	const char *expr;          /* expression text, or NULL */
	bool desc;
};

struct sq_index {
	const char *name;
	const char *sql;           /* NULL for an automatic index */
	bool unique;
	char made_by;              /* 'c' CREATE INDEX, 'u' UNIQUE, 'p' PRIMARY KEY */
	const char *predicate;     /* partial index WHERE, or NULL */
	struct sq_index_col *cols;
	int nr_cols;
	struct sq_origin *origin;
};

struct sq_fk {
	const char *table;         /* the referenced table, as written */
	const char **from, **to;   /* to[i] NULL: the referenced primary key */
	int nr;
	char on_delete, on_update; /* enum fk_action */
	struct sq_origin *origin;
};

struct sq_check {
	const char *name;          /* NULL when the CHECK is not named */
	const char *expr;
	const char *column;        /* a column's own CHECK, or NULL */
	struct sq_origin *origin;
};

struct sq_table {
	int tid;
	const char *name;
	const char *sql;
	const char *signature;     /* name, sql and its indexes and triggers */
	int rootpage;
	bool temp;                 /* in the temp schema (not in the catalog) */
	bool view;
	struct sq_col *cols;
	int nr_cols;
	struct sq_index *ix;
	int nr_ix;
	struct sq_fk *fks;
	int nr_fks;
	struct sq_check *checks;
	int nr_checks;
	const char **triggers;
	int nr_triggers;
	struct sq_origin *origin;
};

struct sq_schema {
	struct sq_table **t;
	int nr;
};

/* Allocates tids. */
struct sq_reader {
	struct sandbox *sb;
	struct arena *arena;       /* where new versions go */
	int next_tid;
};

/*
 * Read the schema as it is now. Tables unchanged since 'prev' are
 * reused; new objects get 'origin'. Returns the new snapshot (in the
 * reader's arena).
 */
struct sq_schema *sq_read(struct sq_reader *r, const struct sq_schema *prev,
			  struct sq_origin *origin);

/* The table called 'name' (any case; temp first, as SQLite resolves an
   unqualified name; 'db' "main" or "temp" or NULL), or NULL. */
struct sq_table *sq_find(const struct sq_schema *s, const char *db, const char *name);
struct sq_table *sq_find_tid(const struct sq_schema *s, int tid);
const struct sq_col *sq_col_find(const struct sq_table *t, const char *name);

/* The referenced table of a foreign key, or NULL (a dangling one). */
struct sq_table *sq_fk_target(const struct sq_schema *s, const struct sq_table *t,
			      const struct sq_fk *fk);
/* The referenced column name at position i (the target's primary key
   when the FK names none), or NULL. */
const char *sq_fk_to(const struct sq_table *target, const struct sq_fk *fk, int i);

/* SQLite's type affinity of a declared type: 'i' INTEGER, 't' TEXT,
   'b' BLOB (none), 'r' REAL, 'n' NUMERIC. */
char sq_affinity(const char *decl_type);

#endif
