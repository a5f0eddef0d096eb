/* add-required-column: ADD COLUMN ... NOT NULL with no default. */
#include "helpers.h"
#include "banned.h"

static bool fills_itself(const struct column_def *cd)
{
	if (cd->default_expr && !cd->default_expr->is_null)
		return true;
	return cd->type.serial || cd->identity || cd->generated;
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	for (int i = 0; i < n; i++, ch++) {
		const struct column_def *cd = ch->coldef;

		if (ch->kind != CH_ADD_COLUMN || !cd || !cd->not_null || fills_itself(cd))
			continue;
		if (ctx_rel_is_new(ctx, &ch->rel))
			continue;
		report(ctx, RULE_ADD_REQUIRED_COLUMN,
		       object_path(ch->rel.schema, ch->rel.name, ch->column),
		       "adding NOT NULL column \"%s\" without a default to existing table %s"
		       " fails if the table has any row", ch->column,
		       quote_rel(ch->rel.schema, ch->rel.name));
	}
}

const struct rule_impl rule_add_required_column = { check, NULL };
