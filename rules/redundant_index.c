/*
 * redundant-index (note): at the end of the range, a btree index whose
 * key columns are the leading key columns of another btree index on the
 * same table, with the same predicate, where one of the two was created
 * in the range. The shorter index serves no query the longer one cannot.
 *
 * An index that enforces something (unique, primary key, a constraint's
 * index) is the redundant one only next to a twin that enforces the
 * same: a unique index (a UNIQUE constraint's too) next to a unique
 * index or the primary key on the same key columns; a primary key or an
 * exclusion constraint's index never, nor a partition's copy of its
 * parent's index (the parent's is reported). Of two identical indexes
 * the newer is reported; next to the primary key, the other one. The finding is at the redundant index's
 * creation, or at the new index's when the redundant one predates the
 * range.
 *
 * Key columns match with the same operator class as written
 * (text_pattern_ops serves LIKE 'x%', the default does not). Not
 * modelled by the catalog: collations of index columns.
 */
#include "helpers.h"

#include <string.h>

#include "banned.h"

static void report_pair(void *data, const struct cat_index_pair *p)
{
	struct rule_ctx *ctx = data;
	bool at_a = p->a_in_range;
	struct loc loc = { 0 };
	const char *obj = object_path(p->schema, p->table, NULL);
	const char *tbl = quote_rel(p->schema, p->table);

	if ((at_a ? p->a_file : p->b_file) < 0)
		return;
	/* relations keep the file and line of the creating statement only */
	loc.file_index = at_a ? p->a_file : p->b_file;
	loc.line = at_a ? p->a_line : p->b_line;
	loc.col = 1;
	if (!at_a)
		report_at(ctx, RULE_REDUNDANT_INDEX, &loc, obj,
			  "new index \"%s\" on %s (%s) makes index \"%s\" (%s) redundant: it serves"
			  " every lookup \"%s\" serves; dropping \"%s\" saves its upkeep on every write",
			  p->b_name, tbl, p->b_columns, p->a_name, p->a_columns, p->a_name, p->a_name);
	else if (p->unique)
		report_at(ctx, RULE_REDUNDANT_INDEX, &loc, obj,
			  "unique index \"%s\" on %s (%s) duplicates unique index \"%s\" (%s): it"
			  " enforces nothing and serves no query the other does not, and costs"
			  " upkeep on every write",
			  p->a_name, tbl, p->a_columns, p->b_name, p->b_columns);
	else if (p->same_keys)
		report_at(ctx, RULE_REDUNDANT_INDEX, &loc, obj,
			  "index \"%s\" on %s (%s) duplicates index \"%s\" (%s): it serves no query"
			  " the other does not, and costs upkeep on every write",
			  p->a_name, tbl, p->a_columns, p->b_name, p->b_columns);
	else
		report_at(ctx, RULE_REDUNDANT_INDEX, &loc, obj,
			  "index \"%s\" on %s (%s) is redundant: index \"%s\" (%s) starts with the"
			  " same column%s and serves the same lookups; \"%s\" only costs upkeep on"
			  " every write",
			  p->a_name, tbl, p->a_columns, p->b_name, p->b_columns,
			  strchr(p->a_columns, ',') ? "s" : "", p->a_name);
}

/* One finding per redundant index, for the pair the catalog gives. */
static void check_range(struct rule_ctx *ctx)
{
	cat_foreach_redundant_pair(ctx_catalog(ctx), report_pair, ctx);
}

const struct rule_impl rule_redundant_index = { NULL, check_range };
