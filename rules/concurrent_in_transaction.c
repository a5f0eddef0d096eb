/*
 * concurrent-in-transaction: CONCURRENTLY cannot run inside a
 * transaction block. The block is explicit (BEGIN) or made by the
 * migration tool; the engine knows which.
 */
#include <string.h>

#include "helpers.h"
#include "banned.h"

static const char *concurrent_what(const struct stmt *st)
{
	switch (st->kind) {
	case ST_CREATE_INDEX:
		return st->u.index.concurrently ? "CREATE INDEX CONCURRENTLY" : NULL;
	case ST_DROP:
		return st->u.drop.concurrently ? "DROP INDEX CONCURRENTLY" : NULL;
	case ST_MAINTENANCE:
		/* REFRESH MATERIALIZED VIEW CONCURRENTLY may run in a block */
		return st->u.maint.concurrently && !strcmp(st->u.maint.what, "reindex")
			? "REINDEX CONCURRENTLY" : NULL;
	case ST_ALTER_TABLE:
		for (int i = 0; i < st->u.alter_table.nr_cmds; i++)
			if (st->u.alter_table.cmds[i].kind == AT_DETACH_PARTITION &&
			    st->u.alter_table.cmds[i].concurrently)
				return "DETACH PARTITION CONCURRENTLY";
		return NULL;
	default:
		return NULL;
	}
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	const char *what = concurrent_what(st);

	if (!what || !ctx_in_transaction(ctx))
		return;
	report(ctx, RULE_CONCURRENT_IN_TRANSACTION, NULL,
	       "%s cannot run inside a transaction block, and this migration runs in one",
	       what);
}

const struct rule_impl rule_concurrent_in_transaction = { check, NULL };
