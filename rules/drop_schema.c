/* drop-schema: DROP SCHEMA of a schema that holds objects. */
#include "helpers.h"
#include "banned.h"

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	for (int i = 0; i < n; i++, ch++) {
		struct strbuf sb;

		if (ch->kind != CH_DROP_SCHEMA || !ch->nr_contents || ctx_rel_is_new(ctx, &ch->rel))
			continue;
		strbuf_init(&sb);
		strbuf_addf(&sb, "dropping schema \"%s\" removes the %d object%s it holds",
			    ch->name, ch->nr_contents, ch->nr_contents == 1 ? "" : "s");
		if (ch->nr_dropped) {
			strbuf_addstr(&sb, ": ");
			for (int j = 0; j < ch->nr_dropped; j++)
				strbuf_addf(&sb, "%s%s", j ? ", " : "", ch->dropped[j]);
		}
		if (!ch->cascade)
			strbuf_addstr(&sb, " (without CASCADE the statement fails)");
		report(ctx, RULE_DROP_SCHEMA, ch->name, "%s", sb.buf);
		strbuf_release(&sb);
	}
}

const struct rule_impl rule_drop_schema = { check, NULL };
