/*
 * replay.h - apply statements to the catalog, in order, and say what
 * each one changed.
 *
 * replay_stmt() updates the catalog and fills a replay_result with the
 * changes (what rules read) and the problems (statements that would fail
 * on a real database: unknown-object, duplicate-object). Changes carry
 * the state from *before* the statement that rules need (the old type of
 * a column, whether a NOT NULL check existed, what a CASCADE removed),
 * because by the time rules run the catalog has moved on.
 */
#ifndef MIGSAFE_REPLAY_H
#define MIGSAFE_REPLAY_H

#include "ast.h"
#include "catalog.h"
#include "rules.h"

struct sqlite_rebuild;

enum change_kind {
	CH_CREATE_TABLE,
	CH_DROP_TABLE,
	CH_ADD_COLUMN,
	CH_DROP_COLUMN,
	CH_ALTER_TYPE,
	CH_SET_NOT_NULL,
	CH_DROP_NOT_NULL,
	CH_SET_DEFAULT,
	CH_DROP_DEFAULT,
	CH_ADD_CONSTRAINT,
	CH_DROP_CONSTRAINT,
	CH_VALIDATE_CONSTRAINT,
	CH_CREATE_INDEX,
	CH_DROP_INDEX,
	CH_RENAME_TABLE,
	CH_RENAME_COLUMN,
	CH_RENAME_CONSTRAINT,
	CH_RENAME_INDEX,
	CH_CREATE_SCHEMA,
	CH_DROP_SCHEMA,
	CH_TRUNCATE,
	CH_CREATE_VIEW,
	CH_DROP_VIEW,
	CH_CREATE_SEQUENCE,
	CH_DROP_SEQUENCE,
	CH_CREATE_TYPE,
	CH_DROP_TYPE,
	CH_ALTER_ENUM,
	CH_DML,
	CH_REBUILD_TABLE,   /* SQLite: a table's rows copied into a new table
	                       that replaces it (change->rebuild) */
};

/* The relation a change concerns, as it was before the statement. */
struct rel_ref {
	cat_id id;                /* 0: unknown to the catalog */
	const char *schema;
	const char *name;
	char kind;                /* enum rel_kind, or 0 */
	int created_file;         /* -1: existed before the history */
	bool created_in_range;
	bool known;               /* false: not in the catalog (unknown-object
	                             was reported), treated as existing */
	bool absent;              /* not known because the history dropped it:
	                             the statement fails, nothing else to say */
};

struct change {
	enum change_kind kind;
	struct rel_ref rel;
	const char *column;           /* column concerned */
	const char *name;             /* index, constraint, schema, view name */
	const char *new_name;         /* renames */
	struct type_ref old_type;     /* ALTER TYPE: before */
	struct type_ref new_type;     /* ALTER TYPE: after; ADD COLUMN: type */
	const struct column_def *coldef;       /* ADD COLUMN */
	const struct constraint_def *con;      /* ADD CONSTRAINT */
	const char *con_name;         /* ADD CONSTRAINT: the name it got (the
	                                 one generated when 'con' has none);
	                                 NULL when it has none and the table
	                                 is unknown */
	const struct index_def *index;         /* CREATE INDEX */
	enum con_kind con_kind;       /* ADD/DROP/VALIDATE CONSTRAINT */
	bool concurrently;
	bool cascade;
	bool not_null_check;          /* SET NOT NULL: a validated CHECK
	                                 (col IS NOT NULL) existed before */
	bool was_not_null;            /* SET NOT NULL: column already NOT NULL */
	bool if_exists;
	const char **dropped;         /* objects that depend on it: removed
	                                 with CASCADE, else PostgreSQL refuses
	                                 the DROP (DROP SCHEMA, TRUNCATE: what
	                                 CASCADE reaches; TRUNCATE without it:
	                                 the tables whose foreign keys make
	                                 PostgreSQL refuse it) */
	int nr_dropped;
	const char **goes_with;       /* DROP COLUMN: the indexes, constraints
	                                 and sequences that go with the column,
	                                 CASCADE or not */
	int nr_goes_with;
	const char **parents;         /* DROP TABLE: tables its foreign keys
	                                 reference (they are locked too) */
	int nr_parents;
	int nr_contents;              /* DROP SCHEMA: objects it held */
	size_t start;                 /* byte offset of the subcommand */
	const struct sqlite_rebuild *rebuild;   /* CH_REBUILD_TABLE: what the
	                                 copy keeps (sqlite_dialect.h); 'name'
	                                 is the new table */
};

struct replay_problem {
	enum rule_id rule;
	size_t start;                 /* byte offset in the file */
	const char *object;
	const char *message;
};

/* Filled by replay_stmt; everything points into 'arena'. */
struct replay_result {
	struct arena arena;
	struct change *changes;
	int nr_changes;
	size_t alloc_changes;
	struct replay_problem *problems;
	int nr_problems;
	size_t alloc_problems;
};

void replay_result_init(struct replay_result *r);
void replay_result_reset(struct replay_result *r);   /* before each statement */
void replay_result_release(struct replay_result *r);

struct replay;

/* The replay borrows the catalog; both must outlive it. */
struct replay *replay_new(struct catalog *cat);
void replay_free(struct replay *r);

/* Resolve a relation name the way the current search_path does;
   0 and *out filled, or -1. */
int replay_find_rel(struct replay *r, const struct qname *qn, struct cat_rel *out);

/* Back to the session defaults (search_path "$user", public). */
void replay_reset_session(struct replay *r);

/* A new migration file starts (SET LOCAL settings end with the last). */
void replay_begin_file(struct replay *r);
/* After a file's last statement: its session's temporary tables go. */
void replay_end_file(struct replay *r);

/*
 * Apply one statement. The catalog's origin must already be set to the
 * statement. 'text' is the file's text (for view definitions).
 */
void replay_stmt(struct replay *r, const struct stmt *st, const char *text,
		 struct replay_result *res);

/*
 * The replay's own state between two files (search path, SET LOCAL's
 * saved search path, the relations the history dropped), for the
 * --cache of a replayed prefix: replay_save() appends it to 'out';
 * replay_restore() sets it on a replay fresh from replay_new() (whose
 * catalog is the one saved with it). Returns 0, or -1 when 'data' is
 * not what replay_save() writes (the replay is then only fit for
 * replay_free()).
 */
void replay_save(const struct replay *r, struct strbuf *out);
int replay_restore(struct replay *r, const void *data, size_t len);

/* Helpers for rules: quote a (schema, name) the way messages do:
   "users" for public, "billing"."invoices" otherwise. Static ring. */
const char *quote_rel(const char *schema, const char *name);

/* The object path findings carry: "public.users" or "public.users.email"
   (sub may be NULL; schema NULL means public). Static ring of 8. */
const char *object_path(const char *schema, const char *name, const char *sub);

#endif
