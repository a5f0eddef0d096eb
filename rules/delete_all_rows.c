/*
 * delete-all-rows: DELETE or UPDATE without WHERE on a table that is in
 * production touches every row: DELETE loses them, UPDATE overwrites a
 * column in each and holds a row lock on all of them until commit.
 *
 * Quiet on new tables (no rows), and on an UPDATE that only sets columns
 * added to the table earlier in the same migration (under whatever name
 * they have now): that is the backfill of a new column, whose old values
 * (NULL or the default) nobody has read yet, so nothing is lost.
 */
#include <string.h>

#include "helpers.h"
#include "banned.h"

static bool added_by(const struct alter_table *at, const char *column)
{
	for (int i = 0; i < at->nr_cmds; i++) {
		const struct alter_cmd *cmd = &at->cmds[i];

		if (cmd->kind == AT_ADD_COLUMN && cmd->coldef && cmd->coldef->name &&
		    !strcmp(cmd->coldef->name, column))
			return true;
	}
	return false;
}

/*
 * Was 'column' added to the table earlier in this file? The catalog
 * knows of a known table, whatever the renames in between (and a file
 * of thousands of UPDATEs no longer reads back through it for each);
 * of a table it does not know, an ALTER TABLE of this file that added
 * a column of that name says so.
 */
static bool column_added_here(struct rule_ctx *ctx, const struct rel_ref *rel,
			      const char *column)
{
	const struct stmt *stmts;
	const int *idx;
	int nr, cur, n;

	if (rel->known)
		return ctx_col_is_new(ctx, rel, column);
	n = ctx_stmts_naming(ctx, rel->name, &idx);
	ctx_file_statements(ctx, &stmts, &nr, &cur);
	for (int j = 0; j < n && idx[j] < cur; j++) {
		const struct stmt *s = &stmts[idx[j]];

		if (s->kind == ST_ALTER_TABLE && added_by(&s->u.alter_table, column) &&
		    names_table(ctx, &s->u.alter_table.rel, rel))
			return true;
	}
	return false;
}

/* The columns an UPDATE sets that held data before this migration:
   "a", "b" into 'out'; how many. */
static int old_columns(struct rule_ctx *ctx, const struct dml_stmt *d, const struct rel_ref *rel,
		       struct strbuf *out)
{
	int nr = 0;

	for (int i = 0; i < d->nr_set_columns; i++) {
		if (column_added_here(ctx, rel, d->set_columns[i]))
			continue;
		strbuf_addf(out, "%s\"%s\"", nr++ ? ", " : "", d->set_columns[i]);
	}
	return nr;
}

static void check_update(struct rule_ctx *ctx, const struct dml_stmt *d,
			 const struct rel_ref *rel)
{
	struct strbuf cols;

	strbuf_init(&cols);
	if (old_columns(ctx, d, rel, &cols) || !d->nr_set_columns)
		report(ctx, RULE_DELETE_ALL_ROWS, object_path(rel->schema, rel->name, NULL),
		       "UPDATE without WHERE overwrites %s in every row of %s and keeps every"
		       " row locked until the transaction commits",
		       cols.len ? cols.buf : "the columns it sets",
		       quote_rel(rel->schema, rel->name));
	strbuf_release(&cols);
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
	const struct dml_stmt *d = &st->u.dml;

	if ((st->kind != ST_DELETE && st->kind != ST_UPDATE) || d->has_where)
		return;
	for (int i = 0; i < n; i++, ch++) {
		if (ch->kind != CH_DML || dropped_earlier(&ch->rel) ||
		    ctx_rel_is_new(ctx, &ch->rel))
			continue;
		if (st->kind == ST_DELETE) {
			report(ctx, RULE_DELETE_ALL_ROWS,
			       object_path(ch->rel.schema, ch->rel.name, NULL),
			       "DELETE without WHERE removes every row of %s",
			       quote_rel(ch->rel.schema, ch->rel.name));
		} else {
			check_update(ctx, d, &ch->rel);
		}
	}
}

const struct rule_impl rule_delete_all_rows = { check, NULL };
