/* truncate-table: TRUNCATE empties tables, and CASCADE reaches further;
   without it, another table's foreign key makes PostgreSQL refuse. */
#include "helpers.h"
#include "banned.h"

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	for (int i = 0; i < n; i++, ch++) {
		struct strbuf sb;

		if (ch->kind != CH_TRUNCATE)
			continue;
		strbuf_init(&sb);
		strbuf_addf(&sb, "TRUNCATE deletes every row of %s",
			    quote_rel(ch->rel.schema, ch->rel.name));
		if (ch->nr_dropped)
			strbuf_addstr(&sb, ch->cascade ? "; CASCADE also empties "
					   : "; PostgreSQL refuses it without CASCADE, since foreign"
					     " keys of tables it does not empty reference it: ");
		for (int j = 0; j < ch->nr_dropped; j++)
			strbuf_addf(&sb, "%s%s", j ? ", " : "", ch->dropped[j]);
		report(ctx, RULE_TRUNCATE_TABLE, object_path(ch->rel.schema, ch->rel.name, NULL),
		       "%s", sb.buf);
		strbuf_release(&sb);
	}
}

const struct rule_impl rule_truncate_table = { check, NULL };
