/* narrowing-type-change: ALTER COLUMN ... TYPE that can lose values. */
#include "helpers.h"
#include "sqlite_dialect.h"
#include "types.h"
#include "banned.h"

/* SQLite: a rebuild that copies a column into one of another affinity. */
static void check_rebuild(struct rule_ctx *ctx, const struct change *ch)
{
	const struct sqlite_rebuild *rb = ch->rebuild;

	for (int i = 0; i < rb->nr_cols; i++) {
		const struct sqlite_copy_col *c = &rb->cols[i];
		const char *why = NULL;

		if (!c->from || !sqlite_type_change_narrows(c->from_type, c->type, rb->strict, &why))
			continue;
		report(ctx, RULE_NARROWING_TYPE_CHANGE,
		       object_path(ch->rel.schema, ch->rel.name, c->from),
		       "the rebuild copies %s.\"%s\" (%s) into \"%s\" (%s) of %s, which can change"
		       " its values: %s", quote_rel(ch->rel.schema, rb->table), c->from,
		       *c->from_type ? c->from_type : "no type", c->name, *c->type ? c->type : "no type",
		       quote_rel(ch->rel.schema, rb->target), why);
	}
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	for (int i = 0; i < n; i++, ch++) {
		const char *why = NULL;

		if (ch->kind == CH_REBUILD_TABLE && ch->rebuild && !ctx_rel_is_new(ctx, &ch->rel)) {
			check_rebuild(ctx, ch);
			continue;
		}
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
