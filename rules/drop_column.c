/* drop-column: ALTER TABLE ... DROP COLUMN on a table in production. */
#include "helpers.h"
#include "banned.h"

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	for (int i = 0; i < n; i++, ch++) {
		struct strbuf sb;

		if (ch->kind != CH_DROP_COLUMN || ctx_rel_is_new(ctx, &ch->rel))
			continue;
		strbuf_init(&sb);
		strbuf_addf(&sb, "dropping column \"%s\" of existing table %s loses its data",
			    ch->column, quote_rel(ch->rel.schema, ch->rel.name));
		append_dropped(&sb, ch);
		report(ctx, RULE_DROP_COLUMN, object_path(ch->rel.schema, ch->rel.name, ch->column),
		       "%s", sb.buf);
		strbuf_release(&sb);
	}
}

const struct rule_impl rule_drop_column = { check, NULL };
