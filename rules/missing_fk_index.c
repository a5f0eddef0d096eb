/*
 * missing-fk-index: at the end of the range, every foreign key added in
 * it should have an index whose leading columns are its columns, or
 * every DELETE/UPDATE of a parent row scans the child table.
 */
#include "helpers.h"
#include "banned.h"

static void check_fk(void *data, const struct cat_fk *fk)
{
	struct rule_ctx *ctx = data;

	if (cat_index_covers(ctx_catalog(ctx), fk->rel_id, fk->col_ids, fk->nr_cols))
		return;
	report_at(ctx, RULE_MISSING_FK_INDEX, &fk->loc, object_path(fk->schema, fk->table, NULL),
		  "foreign key \"%s\" on %s (%s) has no index that starts with its column%s:"
		  " deleting or updating a referenced row scans %s",
		  fk->name, quote_rel(fk->schema, fk->table), fk->columns,
		  fk->nr_cols == 1 ? "" : "s", quote_rel(fk->schema, fk->table));
}

static void check_range(struct rule_ctx *ctx)
{
	cat_foreach_range_fk(ctx_catalog(ctx), check_fk, ctx);
}

const struct rule_impl rule_missing_fk_index = { NULL, check_range };
