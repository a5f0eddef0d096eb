/*
 * locks.h - which relations a statement locks, in which mode, and
 * whether it rewrites or scans them, following the measured table in
 * ../shared/reference/pg_locks.md (PostgreSQL 15). 'migsafe locks'
 * prints it; rules that reason about locks read the same data.
 */
#ifndef MIGSAFE_LOCKS_H
#define MIGSAFE_LOCKS_H

#include <stdbool.h>

#include "ast.h"
#include "replay.h"

enum lock_mode {
	LOCK_NONE,
	LOCK_ACCESS_SHARE,
	LOCK_ROW_SHARE,
	LOCK_ROW_EXCLUSIVE,
	LOCK_SHARE_UPDATE_EXCLUSIVE,
	LOCK_SHARE,
	LOCK_SHARE_ROW_EXCLUSIVE,
	LOCK_EXCLUSIVE,
	LOCK_ACCESS_EXCLUSIVE,
};

struct lock {
	const char *schema;       /* NULL when the statement did not say and
	                             the relation is unknown */
	const char *relation;
	enum lock_mode mode;
	bool rewrite;             /* the relation's storage is rewritten */
	bool scan;                /* every row is read (validation, build) */
	bool is_new;              /* the relation is new in this range */
	bool nowait;              /* the statement fails rather than waits
	                             for it (LOCK ... NOWAIT) */
	const char *why;          /* which part of the statement, e.g. "ADD COLUMN" */
	size_t start;             /* of an ALTER TABLE subcommand's lock: the
	                             subcommand's byte offset (its change's
	                             start); else 0 */
};

struct lock_list {
	struct lock *items;       /* owned array; strings borrowed from the
	                             statement and the replay result, or from
	                             the pool */
	int nr;
	size_t alloc;
	char **pool;              /* owned copies of names found in the catalog */
	int nr_pool;
	size_t alloc_pool;
};

void lock_list_init(struct lock_list *l);
void lock_list_reset(struct lock_list *l);
void lock_list_release(struct lock_list *l);

struct rule_ctx;

/* Does ADD COLUMN of 'cd' fill the existing rows one by one whatever its
   type: serial or identity, stored generated, a volatile default, any
   default before PostgreSQL 11? (A domain with constraints rewrites
   too: the lock's 'rewrite' says so.) */
bool locks_fills_rows(const struct rule_ctx *ctx, const struct column_def *cd);

/*
 * The locks of one replayed statement (its changes from replay_stmt).
 * One entry per relation and reason; the strongest mode of a relation is
 * what blocks the application (lock_list_strongest).
 */
void locks_compute(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch,
		   int nr, struct lock_list *out);

/* "ACCESS EXCLUSIVE", ... and pg_locks' "AccessExclusiveLock", ... */
const char *lock_mode_name(enum lock_mode m);
const char *lock_mode_pg_name(enum lock_mode m);
/* What a held mode blocks for the application: "reads and writes",
   "writes", "writes and SELECT FOR UPDATE/SHARE", or "no ordinary DML". */
const char *lock_mode_blocks(enum lock_mode m);

#endif
