/*
 * foreign-keys-left-off (SQLite): PRAGMA foreign_keys = OFF with no
 * PRAGMA foreign_keys = ON after it in the same migration.
 *
 * The setting belongs to the connection, not the migration: left off, it
 * stays off for every later migration the tool runs on that connection,
 * and for the application when the connection is pooled, so rows that
 * reference nothing go in unnoticed. Inside a transaction (most tools
 * run each migration in one) the PRAGMA does nothing at all, so the
 * rebuild it was meant to protect runs with the checks on.
 */
#include <string.h>

#include "helpers.h"
#include "banned.h"

/* Is 'st' PRAGMA foreign_keys = <value>? *on tells which. */
static bool foreign_keys_pragma(const struct stmt *st, bool *on)
{
	static const char *const off_values[] = { "off", "0", "false", "no" };
	const char *v;

	if (st->kind != ST_SET || !st->node || strcmp(st->node, "sqlite") || !st->u.set.name ||
	    strcmp(st->u.set.name, "foreign_keys") || st->u.set.nr_values < 1)
		return false;
	v = st->u.set.values[0];
	*on = true;
	for (size_t i = 0; v && i < ARRAY_SIZE(off_values); i++)
		if (!strcmp(v, off_values[i]))
			*on = false;
	return v != NULL;
}

static bool turned_on_later(const struct rule_ctx *ctx)
{
	const struct stmt *stmts;
	int nr, cur;
	bool on;

	ctx_file_statements(ctx, &stmts, &nr, &cur);
	for (int i = cur + 1; i < nr; i++)
		if (foreign_keys_pragma(&stmts[i], &on) && on)
			return true;
	return false;
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	bool on;

	if (!foreign_keys_pragma(st, &on) || on || turned_on_later(ctx))
		return;
	if (ctx_in_transaction(ctx))
		report(ctx, RULE_FOREIGN_KEYS_LEFT_OFF, NULL,
		       "PRAGMA foreign_keys = OFF does nothing inside the transaction the migration"
		       " tool runs this file in, so foreign keys stay enforced here; and run outside"
		       " one, nothing in the migration turns them back on");
	else
		report(ctx, RULE_FOREIGN_KEYS_LEFT_OFF, NULL,
		       "PRAGMA foreign_keys = OFF is not turned back on by the end of the migration:"
		       " the connection goes on without foreign key checks, for the next migrations"
		       " and for the application if it reuses the connection");
}

const struct rule_impl rule_foreign_keys_left_off = { check, NULL };
