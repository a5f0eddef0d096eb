/* index-not-concurrent: CREATE INDEX without CONCURRENTLY on a busy table. */
#include "helpers.h"
#include "banned.h"

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	for (int i = 0; i < n; i++, ch++) {
		if (ch->kind != CH_CREATE_INDEX || ch->concurrently || ctx_rel_is_new(ctx, &ch->rel))
			continue;
		/* no name: an unnamed index on a table the history does not know */
		report(ctx, RULE_INDEX_NOT_CONCURRENT,
		       object_path(ch->rel.schema, ch->rel.name, NULL),
		       "creating %s%s%s on existing table %s without CONCURRENTLY blocks"
		       " writes to the table for the whole build",
		       ch->name ? "index \"" : "an index", ch->name ? ch->name : "",
		       ch->name ? "\"" : "", quote_rel(ch->rel.schema, ch->rel.name));
	}
}

const struct rule_impl rule_index_not_concurrent = { check, NULL };
