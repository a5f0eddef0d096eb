/*
 * drop-database: DROP DATABASE destroys every schema, table and row of a
 * database. No replayed state is needed: a migration never creates the
 * database it runs in, so there is no "new" case to stay quiet on.
 */
#include "helpers.h"
#include "banned.h"

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	const char *name = st->u.database.name ? st->u.database.name : "?";

	if (st->kind != ST_DROP_DATABASE)
		return;
	report(ctx, RULE_DROP_DATABASE, name,
	       "DROP DATABASE \"%s\" destroys the whole database: every schema, table and row"
	       " in it", name);
}

const struct rule_impl rule_drop_database = { check, NULL };
