/*
 * drop-index-not-concurrent: DROP INDEX without CONCURRENTLY takes an
 * ACCESS EXCLUSIVE lock on the index's table (pg_locks.md section 1).
 * Only indexes the history knows are reported (replay records no change
 * for an unknown one: the statement fails, or IF EXISTS makes it a
 * no-op).
 */
#include "helpers.h"
#include "banned.h"

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	(void)st;
	for (int i = 0; i < n; i++, ch++) {
		const char *table;

		if (ch->kind != CH_DROP_INDEX || ch->concurrently || ctx_rel_is_new(ctx, &ch->rel))
			continue;
		table = quote_rel(ch->rel.schema, ch->rel.name);
		report(ctx, RULE_DROP_INDEX_NOT_CONCURRENT,
		       object_path(ch->rel.schema, ch->rel.name, NULL),
		       "dropping index \"%s\" without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on"
		       " existing table %s: reads and writes of %s wait for it, and queue behind it"
		       " while it waits%s", ch->name, table, table,
		       ch->rel.kind == REL_PARTITIONED
		       ? " (an index of a partitioned table cannot be dropped CONCURRENTLY: set a"
			 " short lock_timeout instead)" : "");
	}
}

const struct rule_impl rule_drop_index_not_concurrent = { check, NULL };
