/* narrowing-type-change: ALTER COLUMN ... TYPE that can lose values. */
#include "helpers.h"
#include "types.h"
#include "banned.h"

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	for (int i = 0; i < n; i++, ch++) {
		const char *why = NULL;

		if (ch->kind != CH_ALTER_TYPE || !ch->rel.known || ctx_rel_is_new(ctx, &ch->rel))
			continue;
		if (type_change_classify(&ch->old_type, &ch->new_type, &why) != TC_NARROWING)
			continue;
		report(ctx, RULE_NARROWING_TYPE_CHANGE,
		       object_path(ch->rel.schema, ch->rel.name, ch->column),
		       "changing %s.\"%s\" from %s to %s can lose data: %s",
		       quote_rel(ch->rel.schema, ch->rel.name), ch->column,
		       type_str(&ch->old_type), type_str(&ch->new_type), why);
	}
}

const struct rule_impl rule_narrowing_type_change = { check, NULL };
