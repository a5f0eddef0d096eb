/*
 * add-check-validates: a CHECK added to an existing table without NOT
 * VALID is checked against every row while the table is held in ACCESS
 * EXCLUSIVE mode (pg_locks.md section 4; also for ADD COLUMN ... CHECK,
 * section 2).
 */
#include "helpers.h"
#include "banned.h"

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	for (int i = 0; i < n; i++, ch++) {
		const struct constraint_def *cd = ch->con;
		const char *table, *name;

		if (ch->kind != CH_ADD_CONSTRAINT || ch->con_kind != CON_CHECK || !cd ||
		    cd->not_valid || ctx_rel_is_new(ctx, &ch->rel))
			continue;
		name = ch->con_name;
		table = quote_rel(ch->rel.schema, ch->rel.name);
		report(ctx, RULE_ADD_CHECK_VALIDATES,
		       object_path(ch->rel.schema, ch->rel.name, NULL),
		       "adding CHECK %s%s%s(%s) on existing table %s without NOT VALID scans every"
		       " row while holding an ACCESS EXCLUSIVE lock: reads and writes of %s wait"
		       " until the scan ends",
		       name ? "\"" : "", name ? name : "", name ? "\" " : "",
		       cd->check && cd->check->text ? cd->check->text : "...", table, table);
	}
}

const struct rule_impl rule_add_check_validates = { check, NULL };
