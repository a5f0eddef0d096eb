/*
 * rename-column: renaming a column of a table that is in production
 * breaks the application version still running, which reads and writes
 * the old name.
 *
 * Quiet on new tables, on a column added earlier in the same migration
 * (no application uses it yet), and when a column with the old name is
 * back in the table before the migration ends: added back (a generated
 * column mirroring the new one, as Atlas's BC102 accepts) or another
 * column renamed to it (the swap that ends an expand/contract type
 * change).
 */
#include <string.h>

#include "helpers.h"
#include "banned.h"

/* Defined here, declared in helpers.h. */
bool names_table(struct rule_ctx *ctx, const struct qname *q, const struct rel_ref *rel)
{
	struct cat_rel r;

	if (!q->name)
		return false;
	if (rel->known && !ctx_find_rel(ctx, q, &r))
		return r.id == rel->id;
	return !strcmp(q->name, rel->name) && (!q->schema || !strcmp(q->schema, rel->schema));
}

/* Does 's' add a column called 'column' (or rename another one to it)? */
static bool adds(const struct stmt *s, const char *column)
{
	if (s->kind == ST_RENAME)
		return s->u.rename.kind == OBJ_COLUMN && s->u.rename.newname &&
		       !strcmp(s->u.rename.newname, column);
	if (s->kind != ST_ALTER_TABLE)
		return false;
	for (int i = 0; i < s->u.alter_table.nr_cmds; i++) {
		const struct alter_cmd *cmd = &s->u.alter_table.cmds[i];

		if (cmd->kind == AT_ADD_COLUMN && cmd->coldef && cmd->coldef->name &&
		    !strcmp(cmd->coldef->name, column))
			return true;
	}
	return false;
}

static const struct qname *table_of(const struct stmt *s)
{
	return s->kind == ST_RENAME ? &s->u.rename.rel : &s->u.alter_table.rel;
}

/* Is 'column' added to the table before (or after) the current statement
   of the file? */
static bool added_between(struct rule_ctx *ctx, const struct rel_ref *rel, const char *column,
			  bool after)
{
	const struct stmt *stmts;
	const int *idx;
	int nr, cur, n = ctx_stmts_naming(ctx, rel->name, &idx);

	ctx_file_statements(ctx, &stmts, &nr, &cur);
	for (int j = 0; j < n; j++) {
		int i = idx[j];

		if ((after ? i > cur : i < cur) && adds(&stmts[i], column) &&
		    names_table(ctx, table_of(&stmts[i]), rel))
			return true;
	}
	return false;
}

static bool is_table(char kind)
{
	return !kind || kind == REL_TABLE || kind == REL_PARTITIONED || kind == REL_FOREIGN;
}

/* Unknown because the history dropped it: the statement fails, nothing
   else to say. ('absent' is only meaningful when the relation is not
   known: replay leaves it unset for known ones.) */
static bool dropped_earlier(const struct rel_ref *rel)
{
	return !rel->known && rel->absent;
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	for (int i = 0; i < n; i++, ch++) {
		const struct rel_ref *rel = &ch->rel;

		if (ch->kind != CH_RENAME_COLUMN || dropped_earlier(rel) || !is_table(rel->kind) ||
		    ctx_rel_is_new(ctx, rel))
			continue;
		if (added_between(ctx, rel, ch->column, false) ||
		    added_between(ctx, rel, ch->column, true))
			continue;
		report(ctx, RULE_RENAME_COLUMN, object_path(rel->schema, rel->name, ch->column),
		       "renaming column %s.\"%s\" to \"%s\" breaks the application version"
		       " still running, which reads and writes \"%s\"",
		       quote_rel(rel->schema, rel->name), ch->column, ch->new_name, ch->column);
	}
}

const struct rule_impl rule_rename_column = { check, NULL };
