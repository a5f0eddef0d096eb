/* drop-table: DROP TABLE of a table that is in production. */
#include "helpers.h"
#include "banned.h"

void append_dropped(struct strbuf *sb, const struct change *ch)
{
	if (!ch->nr_dropped)
		return;
	strbuf_addstr(sb, "; it also removes ");
	for (int i = 0; i < ch->nr_dropped; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", ch->dropped[i]);
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	for (int i = 0; i < n; i++, ch++) {
		struct strbuf sb;

		if (ch->kind != CH_DROP_TABLE || ctx_rel_is_new(ctx, &ch->rel))
			continue;
		strbuf_init(&sb);
		strbuf_addf(&sb, "dropping existing table %s loses its data",
			    quote_rel(ch->rel.schema, ch->rel.name));
		append_dropped(&sb, ch);
		report(ctx, RULE_DROP_TABLE, object_path(ch->rel.schema, ch->rel.name, NULL),
		       "%s", sb.buf);
		strbuf_release(&sb);
	}
}

const struct rule_impl rule_drop_table = { check, NULL };
