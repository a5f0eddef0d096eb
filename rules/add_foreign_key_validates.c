/*
 * add-foreign-key-validates: a foreign key added to an existing table
 * without NOT VALID is validated at once: the table is scanned while
 * both it and the referenced table are held in SHARE ROW EXCLUSIVE mode
 * (pg_locks.md section 4). Whether the scan happens is the lock list's
 * verdict (a column added by the same statement holds only NULLs).
 */
#include <string.h>

#include "helpers.h"
#include "locks.h"
#include "banned.h"

/*
 * The lock that locks_compute() recorded for the subcommand starting at
 * 'start': the k-th foreign key of the ALTER TABLE has the k-th
 * "ADD FOREIGN KEY" lock.
 */
static const struct lock *fk_lock(const struct rule_ctx *ctx, const struct stmt *st,
				  size_t start)
{
	const struct alter_table *at = &st->u.alter_table;
	const struct lock_list *locks = ctx_locks(ctx);
	int k = 0;

	for (int i = 0; i < at->nr_cmds && at->cmds[i].start != start; i++)
		k += at->cmds[i].kind == AT_ADD_CONSTRAINT && at->cmds[i].con->kind == CON_FOREIGN;
	for (int i = 0; i < locks->nr; i++)
		if (!strcmp(locks->items[i].why, "ADD FOREIGN KEY") && !k--)
			return &locks->items[i];
	return NULL;
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	if (st->kind != ST_ALTER_TABLE)
		return;
	for (int i = 0; i < n; i++, ch++) {
		const struct constraint_def *cd = ch->con;
		const struct lock *l;
		const char *table, *parent, *name;

		if (ch->kind != CH_ADD_CONSTRAINT || ch->con_kind != CON_FOREIGN || !cd ||
		    cd->not_valid || ctx_rel_is_new(ctx, &ch->rel))
			continue;
		l = fk_lock(ctx, st, ch->start);
		if (l && !l->scan)
			continue;
		name = ch->con_name;
		table = quote_rel(ch->rel.schema, ch->rel.name);
		parent = quote_rel(cd->ref_table.schema, cd->ref_table.name);
		report(ctx, RULE_ADD_FOREIGN_KEY_VALIDATES,
		       object_path(ch->rel.schema, ch->rel.name, NULL),
		       "adding foreign key %s%s%son existing table %s without NOT VALID scans %s"
		       " to validate it while holding SHARE ROW EXCLUSIVE locks on %s and %s:"
		       " writes to both wait until the scan ends",
		       name ? "\"" : "", name ? name : "", name ? "\" " : "",
		       table, table, table, parent);
	}
}

const struct rule_impl rule_add_foreign_key_validates = { check, NULL };
