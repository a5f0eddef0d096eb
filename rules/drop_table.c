/* drop-table: DROP TABLE of a table that is in production. */
#include "helpers.h"
#include "banned.h"

static void add_list(struct strbuf *sb, const char *const *items, int n, bool more)
{
	for (int i = 0; i < n; i++)
		strbuf_addf(sb, "%s%s", i || more ? ", " : "", items[i]);
}

/*
 * What else the DROP does: what goes with the object anyway (a column's
 * indexes, constraints and sequences), and what depends on it, which
 * CASCADE removes too and without which PostgreSQL refuses the DROP.
 */
void append_dropped(struct strbuf *sb, const struct change *ch)
{
	if (ch->nr_goes_with || (ch->cascade && ch->nr_dropped)) {
		strbuf_addstr(sb, "; it also removes ");
		add_list(sb, ch->goes_with, ch->nr_goes_with, false);
		if (ch->cascade)
			add_list(sb, ch->dropped, ch->nr_dropped, ch->nr_goes_with > 0);
	}
	if (!ch->cascade && ch->nr_dropped) {
		strbuf_addstr(sb, "; PostgreSQL refuses it without CASCADE: ");
		add_list(sb, ch->dropped, ch->nr_dropped, false);
		strbuf_addstr(sb, ch->nr_dropped == 1 ? " depends on it" : " depend on it");
	}
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
