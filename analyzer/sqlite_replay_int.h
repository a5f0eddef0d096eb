/*
 * sqlite_replay_int.h - what the files of the SQLite dialect share
 * (sqlite_dialect.c runs the statements, sqlite_rebuild.c recognises
 * rebuilds across a file, sqlite_sync.c writes the catalog and the
 * changes). Not for other modules: they use sqlite_dialect.h.
 */
#ifndef MIGSAFE_SQLITE_REPLAY_INT_H
#define MIGSAFE_SQLITE_REPLAY_INT_H

#include "sqlite_dialect.h"
#include "sqlite_model.h"
#include "sqlite_sandbox.h"

/* What a statement is, from its first keywords. */
enum sq_verb {
	V_OTHER,
	V_CREATE_TABLE,
	V_CREATE_TABLE_AS,
	V_CREATE_INDEX,
	V_CREATE_VIEW,
	V_CREATE_TRIGGER,
	V_DROP_TABLE,
	V_DROP_INDEX,
	V_DROP_VIEW,
	V_DROP_TRIGGER,
	V_RENAME_TABLE,
	V_RENAME_COLUMN,
	V_ADD_COLUMN,
	V_DROP_COLUMN,
	V_INSERT,
	V_UPDATE,
	V_DELETE,
	V_SELECT,
	V_PRAGMA,
	V_BEGIN,
	V_COMMIT,
	V_ROLLBACK,
	V_SAVEPOINT,
	V_RELEASE,
	V_VACUUM,
	V_ATTACH,
	V_DETACH,
};

/* A column (or a table, column NULL) as SQLite names it. */
struct sq_ref {
	const char *db, *table, *column;
};

#define SQ_MAX_FILTERS 8

/* INSERT ... SELECT or CREATE TABLE ... AS SELECT: rows copied. */
struct sq_copy {
	const char *target_db, *target;
	const char **columns;          /* the INSERT's column list; NULL: all */
	int nr_columns;
	struct sq_ref *results;        /* per result column: the column it is
	                                  a plain copy of (table NULL: not) */
	int nr_results;
	struct sq_ref *reads;          /* every column the SELECT reads */
	int nr_reads;
	const char *filters[SQ_MAX_FILTERS];
	int nr_filters;
	const char **not_null;         /* columns its WHERE requires to be
	                                  NOT NULL (col IS NOT NULL AND ...) */
	int nr_not_null;
	/* resolved by sqlite_rebuild.c */
	int source_tid, target_tid;
};

/* One statement of the current file. */
struct sq_rec {
	size_t start, end;             /* the statement, trimmed, without ';' */
	enum sq_verb verb;
	/* how it went */
	bool ok;                       /* SQLite executed it */
	bool skipped;                  /* not executed on purpose (VACUUM) */
	bool syntax;                   /* rejected by the parser: ST_SYNTAX_ERROR */
	enum rule_id rule;             /* when !ok && !syntax && !skipped */
	const char *message;           /* SQLite's message (or migsafe's) */
	size_t err_offset;             /* byte offset in the file */
	bool writes;                   /* !sqlite3_stmt_readonly() */
	struct sq_schema *before, *after;
	struct sq_origin *origin;
	/* what it names (from the text and the authorizer) */
	const char *db, *object;       /* the table (index, view...) it acts on */
	const char *table;             /* CREATE INDEX/TRIGGER: the table */
	const char *new_name;          /* RENAME: the new name */
	const char *column;            /* RENAME/DROP COLUMN: the column */
	const char **set_columns;      /* UPDATE: the columns it sets */
	int nr_set_columns;
	const char *pragma, *pragma_value;   /* lower case */
	bool has_where, if_exists, temp;
	struct sq_copy *copy;
	/* the file's rebuilds (sqlite_rebuild.c) */
	int *no_drop;                  /* tids whose DROP here is a rebuild's */
	int nr_no_drop;
	size_t alloc_no_drop;
	int *no_rename;                /* tids whose RENAME here is a rebuild's */
	int nr_no_rename;
	size_t alloc_no_rename;
	struct sqlite_rebuild *rebuild;
	const struct sq_table *rebuild_old;   /* the production table whose rows
	                                         'rebuild' carries on */
	/* findings about the schema it leaves (foreign keys to no table) */
	const char **notes;
	int nr_notes;
};

struct sqlite_replay {
	struct catalog *cat;
	cat_id public_id;
	struct sandbox *sb;
	struct arena arena;            /* the run: schema versions, origins */
	struct sq_reader reader;
	struct sq_schema *cur;         /* the target's schema now */
	int64_t cookie;                /* its schema_version */
	struct sq_schema *synced;      /* what the catalog holds */
	/* the current file */
	struct arena file_arena;
	struct sq_rec *recs;
	int nr_recs;
	size_t alloc_recs;
};

/* sqlite_rebuild.c: find the file's rebuilds (fills the no_* lists,
   'rebuild', and moves the old tables' origins to their new ones). */
void sq_find_rebuilds(struct sqlite_replay *r);

/* sqlite_rebuild.c: foreign keys that reference no table at the end of
   the file, noted on the statement that left them so. */
void sq_find_dangling(struct sqlite_replay *r);

/* sqlite_sync.c: make the catalog hold 'to' (objects with their
   origins); the catalog's current origin is left changed. */
void sq_sync(struct sqlite_replay *r, struct sq_schema *to);

/* sqlite_sync.c: the changes of statement 'rec' (the catalog is synced
   to rec->after on the way). */
void sq_changes(struct sqlite_replay *r, struct sq_rec *rec, struct replay_result *res);

/* Pieces of the statement IR made from the model (in arena 'a'). */
void sq_type_ref(struct arena *a, const char *decl, struct type_ref *out);
struct column_def *sq_coldef(struct arena *a, const struct sq_col *c);
struct index_def *sq_index_def(struct arena *a, const struct sq_table *t,
			       const struct sq_index *ix);

/* Is 'tid' in the list? */
bool sq_tid_in(const int *list, int nr, int tid);

/* The table 'ref' names, as the schema 's' resolves it. */
struct sq_table *sq_resolve(const struct sq_schema *s, const struct sq_ref *ref);

/* Is the table STRICT (from its CREATE text)? */
bool sq_strict(const struct sq_table *t);

#endif
