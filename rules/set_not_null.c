/*
 * set-not-null: SET NOT NULL scans the table under ACCESS EXCLUSIVE.
 * From PostgreSQL 12 a validated CHECK (col IS NOT NULL) lets it skip
 * the scan, so that is quiet.
 */
#include "helpers.h"
#include "banned.h"

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	for (int i = 0; i < n; i++, ch++) {
		if (ch->kind != CH_SET_NOT_NULL || ctx_rel_is_new(ctx, &ch->rel))
			continue;
		if (ch->was_not_null)
			continue;   /* already NOT NULL: nothing to check */
		if (ch->not_null_check && ctx_pg_version(ctx) >= 12)
			continue;
		report(ctx, RULE_SET_NOT_NULL, object_path(ch->rel.schema, ch->rel.name, ch->column),
		       "SET NOT NULL on %s.\"%s\" scans the whole table under an ACCESS EXCLUSIVE"
		       " lock and fails if any row is NULL",
		       quote_rel(ch->rel.schema, ch->rel.name), ch->column);
	}
}

const struct rule_impl rule_set_not_null = { check, NULL };
