/*
 * add-column-volatile-default: ADD COLUMN that fills existing rows with
 * per-row values (volatile default, serial/identity, stored generated
 * column, a domain with constraints; any default before PostgreSQL 11)
 * rewrites the table under
 * ACCESS EXCLUSIVE. The lock table (locks.c) decides what rewrites.
 */
#include <string.h>

#include "helpers.h"
#include "locks.h"
#include "banned.h"

static const char *why_rewrite(const struct rule_ctx *ctx, const struct column_def *cd)
{
	if (cd->type.serial)
		return "a serial column fills every existing row from its sequence";
	if (cd->identity)
		return "an identity column fills every existing row from its sequence";
	if (cd->generated)
		return "a stored generated column is computed for every existing row";
	if (!locks_fills_rows(ctx, cd))   /* what else rewrites (locks.c) */
		return "the column's domain has constraints, checked against every existing row's"
		       " value, which takes the rewrite path";
	if (ctx_pg_version(ctx) < 11)
		return "before PostgreSQL 11 any default is written into every existing row";
	return "a volatile default is evaluated and written for every existing row";
}

/*
 * Does the column's own ADD COLUMN rewrite the table (its lock, found
 * by the subcommand's start)? Any rewriting ADD COLUMN of the statement
 * counted before, so ADD COLUMN a int, ADD COLUMN b bigserial reported
 * a as rewriting too. The locks and the changes come in subcommand
 * order: the search starts after the last lock found.
 */
static bool rewrites(const struct rule_ctx *ctx, const struct change *ch, int *from)
{
	const struct lock_list *locks = ctx_locks(ctx);

	for (int k = 0; k < locks->nr; k++) {
		int i = (*from + k) % locks->nr;
		const struct lock *l = &locks->items[i];

		if (l->start != ch->start || !l->why || strcmp(l->why, "ADD COLUMN"))
			continue;
		*from = i + 1;
		return l->rewrite && !l->is_new && l->relation &&
		       !strcmp(l->relation, ch->rel.name);
	}
	return false;
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	int from = 0;

	for (int i = 0; i < n; i++, ch++) {
		if (ch->kind != CH_ADD_COLUMN || !ch->coldef || ctx_rel_is_new(ctx, &ch->rel))
			continue;
		if (!rewrites(ctx, ch, &from))
			continue;
		report(ctx, RULE_ADD_COLUMN_VOLATILE_DEFAULT,
		       object_path(ch->rel.schema, ch->rel.name, ch->column),
		       "adding column \"%s\" rewrites existing table %s under an ACCESS EXCLUSIVE"
		       " lock: %s", ch->column, quote_rel(ch->rel.schema, ch->rel.name),
		       why_rewrite(ctx, ch->coldef));
	}
}

const struct rule_impl rule_add_column_volatile_default = { check, NULL };
