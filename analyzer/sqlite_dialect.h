/*
 * sqlite_dialect.h - SQLite migrations.
 *
 * SQLite changes a schema differently from PostgreSQL: most changes are
 * table rebuilds (create the new table, copy the rows, drop the old one,
 * rename), and the exact semantics of each statement are SQLite's own.
 * So SQLite migrations are not modelled statement by statement: they are
 * executed, one by one, in a separate in-memory SQLite database (the
 * target, see sqlite_sandbox.h), and the schema is read back after each
 * statement (sqlite_model.h) into the same catalog PostgreSQL migrations
 * are replayed into. What a statement changed is the difference between
 * the schema before and after it.
 *
 * The engine drives it file by file:
 *   sqlite_replay_file()  splits the file with SQLite's parser
 *                         (sqlite3_prepare_v2 and its tail pointer),
 *                         executes each statement, and recognises table
 *                         rebuilds across the file; it returns one
 *                         'struct stmt' per statement (node "sqlite");
 *   sqlite_replay_stmt()  then, in order, writes statement i's effect
 *                         into the catalog and describes it as changes
 *                         and problems, exactly what replay_stmt() does
 *                         for PostgreSQL.
 *
 * Catalog conventions for SQLite: the main schema is the catalog's
 * "public" schema (temp objects are not modelled); a column's type is
 * its declared type as written (type_name: its first words in lower
 * case, with modifiers); SQLite does not name primary keys and foreign
 * keys, so they are called <table>_pkey and <table>_<columns>_fkey as
 * PostgreSQL would; UNIQUE constraints have the name of their automatic
 * index.
 */
#ifndef MIGSAFE_SQLITE_DIALECT_H
#define MIGSAFE_SQLITE_DIALECT_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "catalog.h"
#include "discover.h"
#include "replay.h"
#include "rules.h"

struct lock_list;
struct sandbox_limits;

/* ---- which SQL the migrations are written in ---- */

enum dialect {
	DIALECT_AUTO,          /* decided from the files' names */
	DIALECT_POSTGRESQL,
	DIALECT_SQLITE,
};

/* "postgresql"/"postgres" or "sqlite"/"sqlite3"; 0, or -1 when unknown. */
int dialect_parse(const char *name, enum dialect *out);
const char *dialect_name(enum dialect d);     /* "postgresql", "sqlite" */

/* Does the file name say SQLite ("*.sql.sqlite", "*.sqlite.sql")? */
bool dialect_sqlite_name(const char *path);

/*
 * The dialect of a history: 'd' unless it is DIALECT_AUTO; then SQLite
 * when the name of every migration says so, else PostgreSQL.
 */
enum dialect dialect_resolve(enum dialect d, const struct history *h);

/* ---- what rules read ---- */

/* One column of the table a rebuild copies rows into. */
struct sqlite_copy_col {
	const char *name;
	const char *type;            /* as declared */
	bool not_null;
	bool has_default;
	bool filled;                 /* the copy gives it a value */
	const char *from;            /* the old table's column it is a plain
	                                copy of, or NULL (an expression, or
	                                not filled) */
	const char *from_type;       /* that column's declared type */
	bool from_not_null;          /* that column cannot hold NULL */
};

/*
 * A table rebuild (CH_REBUILD_TABLE on the statement that copies the old
 * table's rows: INSERT INTO new SELECT ... FROM old, or CREATE TABLE new
 * AS SELECT), recognised over the whole migration file: the old table is
 * dropped later in the file, after its rows were copied.
 */
struct sqlite_rebuild {
	const char *table;           /* the old table, as the copy names it */
	const char *target;          /* the table the rows are copied into */
	const char *final_name;      /* the name the rows end the migration
	                                under (the old one for a rebuild) */
	bool strict;                 /* the new table is STRICT */
	const char **lost;           /* old columns no copy in the file reads */
	int nr_lost;
	const char **filters;        /* clauses of the copy that drop rows:
	                                "WHERE", "LIMIT", "GROUP BY", ... */
	int nr_filters;
	struct sqlite_copy_col *cols;   /* the new table's columns */
	int nr_cols;
};

/*
 * Does changing a column's declared type from 'from' to 'to' lose or
 * change stored values (SQLite's type affinity converts them when the
 * rows are copied)? *why says how.
 */
bool sqlite_type_change_narrows(const char *from, const char *to, bool strict,
				const char **why);

/* Rules whose verdicts hold for SQLite (the others are PostgreSQL's). */
bool sqlite_rule_applies(enum rule_id rule);

/* ---- replay ---- */

struct sqlite_replay;

/* The replay borrows the catalog. 'lim' may be NULL (defaults). 0 or -1. */
int sqlite_replay_new(struct sqlite_replay **out, struct catalog *cat,
		      const struct sandbox_limits *lim);
void sqlite_replay_free(struct sqlite_replay *r);

/*
 * Execute SQL that is not a migration (the tool's bookkeeping table,
 * --initial-schema) and record what it made with 'origin'. Returns how
 * many statements failed.
 */
int sqlite_replay_script(struct sqlite_replay *r, const char *sql,
			 const struct cat_origin *origin);

/* The bookkeeping table of the tool, as that tool creates it in SQLite. */
void sqlite_replay_prelude(struct sqlite_replay *r, enum layout layout,
			   const struct cat_origin *origin);

/*
 * Execute one migration file's text in the target and fill 'out' (which
 * must be empty) with its statements and comments. The file runs the
 * way the tool runs it: in one transaction unless 'tx' is TX_NONE (or
 * it is a plain SQL file that opens its own). Returns 0.
 */
int sqlite_replay_file(struct sqlite_replay *r, const char *text, size_t len,
		       enum tx_mode tx, enum layout layout, struct stmt_list *out);

/*
 * Statement 'index' of the last file: write its effect into the catalog
 * (objects it created get 'origin') and fill 'res'. Statements must be
 * replayed in order; ST_SYNTAX_ERROR ones may be skipped.
 */
void sqlite_replay_stmt(struct sqlite_replay *r, int index, const struct cat_origin *origin,
			struct replay_result *res);

/* The locks statement 'index' of the last file takes (SQLite locks the
   whole database for writing). */
void sqlite_stmt_locks(struct sqlite_replay *r, int index, struct lock_list *out);

#endif
