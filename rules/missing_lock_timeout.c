/*
 * missing-lock-timeout: a statement that takes a lock which blocks the
 * application (ACCESS EXCLUSIVE, EXCLUSIVE, SHARE ROW EXCLUSIVE, SHARE)
 * on an existing relation, with no lock_timeout set. While such a statement
 * waits for its lock behind a long transaction, every query that needs a
 * conflicting lock queues behind it (pg_locks.md section 7), so even an
 * instant ALTER can stall traffic.
 *
 * The locks are the lock list's (locks.h). One finding per statement
 * names each relation once, with its strongest mode. A relation that an
 * earlier statement of the same transaction already locked at least as
 * strongly is left out: that statement waited, this one does not.
 */
#include <string.h>
#include <strings.h>

#include "helpers.h"
#include "locks.h"
#include "banned.h"

#define M(x) (1u << LOCK_##x)

/* The modes each mode conflicts with (PostgreSQL's conflict table). */
static const unsigned conflicts[] = {
	[LOCK_NONE] = 0,
	[LOCK_ACCESS_SHARE] = M(ACCESS_EXCLUSIVE),
	[LOCK_ROW_SHARE] = M(EXCLUSIVE) | M(ACCESS_EXCLUSIVE),
	[LOCK_ROW_EXCLUSIVE] = M(SHARE) | M(SHARE_ROW_EXCLUSIVE) | M(EXCLUSIVE) |
			       M(ACCESS_EXCLUSIVE),
	[LOCK_SHARE_UPDATE_EXCLUSIVE] = M(SHARE_UPDATE_EXCLUSIVE) | M(SHARE) |
					M(SHARE_ROW_EXCLUSIVE) | M(EXCLUSIVE) | M(ACCESS_EXCLUSIVE),
	[LOCK_SHARE] = M(ROW_EXCLUSIVE) | M(SHARE_UPDATE_EXCLUSIVE) | M(SHARE_ROW_EXCLUSIVE) |
		       M(EXCLUSIVE) | M(ACCESS_EXCLUSIVE),
	[LOCK_SHARE_ROW_EXCLUSIVE] = M(ROW_EXCLUSIVE) | M(SHARE_UPDATE_EXCLUSIVE) | M(SHARE) |
				     M(SHARE_ROW_EXCLUSIVE) | M(EXCLUSIVE) | M(ACCESS_EXCLUSIVE),
	[LOCK_EXCLUSIVE] = M(ROW_SHARE) | M(ROW_EXCLUSIVE) | M(SHARE_UPDATE_EXCLUSIVE) |
			   M(SHARE) | M(SHARE_ROW_EXCLUSIVE) | M(EXCLUSIVE) | M(ACCESS_EXCLUSIVE),
	[LOCK_ACCESS_EXCLUSIVE] = ~0u,
};

static bool blocking(enum lock_mode m)
{
	return m == LOCK_ACCESS_EXCLUSIVE || m == LOCK_SHARE_ROW_EXCLUSIVE || m == LOCK_SHARE;
}

/* Holding 'held', is 'want' granted without waiting? Yes when every mode
   another session may hold next to 'held' is compatible with 'want'. */
static bool covers(enum lock_mode held, enum lock_mode want)
{
	return (conflicts[want] & ~conflicts[held]) == 0;
}

static bool same_relation(const struct lock *a, const char *schema, const char *name)
{
	return a->relation && !strcmp(a->relation, name) &&
	       (!a->schema || !schema || !strcmp(a->schema, schema));
}

/* A materialized view: only REFRESH writes it, so EXCLUSIVE on it (what
   REFRESH ... CONCURRENTLY takes) blocks no ordinary query. */
static bool on_matview(struct rule_ctx *ctx, const struct lock *l)
{
	struct qname q = { l->schema, l->relation };
	struct cat_rel rel;

	return !ctx_find_rel(ctx, &q, &rel) && rel.kind == REL_MATVIEW;
}

/* A blocking lock on an existing relation, waited for: what this rule
   is about (LOCK ... NOWAIT fails at once instead). EXCLUSIVE, which
   only LOCK TABLE takes on a table, blocks its writes. */
static bool counts(struct rule_ctx *ctx, const struct lock *l)
{
	return l->relation && !l->is_new && !l->nowait &&
	       (blocking(l->mode) || (l->mode == LOCK_EXCLUSIVE && !on_matview(ctx, l)));
}

/*
 * Does the statement reach the relation at all? A relation that replay
 * recorded in a change is reached (an unknown one is treated as existing,
 * as everywhere); otherwise it must exist now. What is left is a no-op
 * (ALTER TABLE IF EXISTS of a missing table) or a statement that fails
 * because the history dropped the table: neither waits for a lock.
 */
static bool reached(struct rule_ctx *ctx, const struct lock *l, const struct change *ch, int n)
{
	struct qname q = { l->schema, l->relation };
	struct cat_rel rel;

	for (int i = 0; i < n; i++)
		if (ch[i].rel.name && same_relation(l, ch[i].rel.schema, ch[i].rel.name))
			return true;
	return !ctx_find_rel(ctx, &q, &rel);
}

/* ---- locks the transaction already holds ---- */

/*
 * Did an earlier statement of the transaction lock l's relation so that
 * 'want' is granted at once? The earlier statements' locks are the ones
 * the engine computed when they ran.
 */
static bool already_held(struct rule_ctx *ctx, const struct lock *l, enum lock_mode want)
{
	unsigned held = ctx_held_modes(ctx, l->schema, l->relation);

	for (int m = LOCK_NONE + 1; m <= LOCK_ACCESS_EXCLUSIVE; m++)
		if (held & 1u << m && covers((enum lock_mode)m, want))
			return true;
	return false;
}

/* ---- the statement's own locks ---- */

/* The strongest blocking mode the statement takes on l's relation. */
static enum lock_mode strongest(struct rule_ctx *ctx, const struct lock_list *locks,
				const struct lock *l)
{
	enum lock_mode m = LOCK_NONE;

	for (int i = 0; i < locks->nr; i++) {
		const struct lock *o = &locks->items[i];

		if (counts(ctx, o) && same_relation(o, l->schema, l->relation) && o->mode > m)
			m = o->mode;
	}
	return m;
}

static bool listed_before(struct rule_ctx *ctx, const struct lock_list *locks, int upto)
{
	const struct lock *l = &locks->items[upto];

	for (int i = 0; i < upto; i++) {
		const struct lock *o = &locks->items[i];

		if (counts(ctx, o) && same_relation(o, l->schema, l->relation))
			return true;
	}
	return false;
}

/* One item of the message: 'MODE on "rel" (blocks ...)'. */
static void add_item(struct strbuf *sb, const struct lock *l, enum lock_mode m)
{
	if (sb->len)
		strbuf_addstr(sb, ", ");
	strbuf_addstr(sb, lock_mode_name(m));
	strbuf_addstr(sb, " on ");
	strbuf_addstr(sb, quote_rel(l->schema, l->relation));
	strbuf_addstr(sb, " (blocks ");
	strbuf_addstr(sb, lock_mode_blocks(m));
	strbuf_addch(sb, ')');
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	const struct lock_list *locks = ctx_locks(ctx);
	const char *object = NULL;
	struct strbuf sb;

	(void)st;
	if (ctx_lock_timeout_set(ctx))
		return;
	strbuf_init(&sb);
	for (int i = 0; i < locks->nr; i++) {
		const struct lock *l = &locks->items[i];
		enum lock_mode m;

		if (!counts(ctx, l) || listed_before(ctx, locks, i) || !reached(ctx, l, ch, n))
			continue;
		m = strongest(ctx, locks, l);
		if (already_held(ctx, l, m))
			continue;
		if (!object)
			object = object_path(l->schema, l->relation, NULL);
		add_item(&sb, l, m);
	}
	if (sb.len)
		report(ctx, RULE_MISSING_LOCK_TIMEOUT, object,
		       "the statement takes %s with no lock_timeout set: while it waits for a"
		       " running transaction to finish, the queries its lock blocks queue behind it",
		       sb.buf);
	strbuf_release(&sb);
}

const struct rule_impl rule_missing_lock_timeout = { check, NULL };
