/*
 * table-rebuild-loses-data (SQLite): a table rebuild - a new table, the
 * old rows copied into it, the old table dropped - whose copy leaves
 * something behind: a column no copy reads, rows the copy filters out,
 * or a NOT NULL column of the new table the copy cannot fill. What the
 * copy leaves behind is gone when the old table is dropped.
 *
 * The rebuild is recognised by the SQLite dialect across the migration
 * file (sqlite_rebuild.c); this rule reads what its CH_REBUILD_TABLE
 * change says. Quiet when the old table is new (created in this file,
 * or in an explicit lint range): it holds no production rows.
 */
#include <string.h>

#include "helpers.h"
#include "sqlite_dialect.h"
#include "banned.h"

/* Which rows a clause of the copy keeps out. */
static const char *rows_left_out(const char *f)
{
	static const struct { const char *clause, *rows; } left_out[] = {
		{ "WHERE", "the rows its WHERE filters out" },
		{ "LIMIT", "the rows past its LIMIT" },
		{ "DISTINCT", "rows equal to another one" },
		{ "UNION", "rows equal to another one" },
		{ "GROUP BY", "all but one row of each group" },
		{ "EXCEPT", "the rows its EXCEPT removes" },
		{ "INTERSECT", "the rows its INTERSECT removes" },
		{ "JOIN", "rows without a match in the table it joins" },
		{ "OR IGNORE", "rows that break a constraint of the new table" },
		{ "OR REPLACE", "rows whose key a later row also has" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(left_out); i++)
		if (!strcmp(left_out[i].clause, f))
			return left_out[i].rows;
	return "some rows";
}

static void report_filters(struct rule_ctx *ctx, const struct change *ch, const char *old,
			   const char *target)
{
	const struct sqlite_rebuild *rb = ch->rebuild;

	for (int i = 0; i < rb->nr_filters; i++)
		report(ctx, RULE_TABLE_REBUILD_LOSES_DATA,
		       object_path(ch->rel.schema, ch->rel.name, NULL),
		       "the copy of %s into %s leaves out %s (%s): they are lost when %s is"
		       " dropped", old, target, rows_left_out(rb->filters[i]), rb->filters[i], old);
}

static void report_columns(struct rule_ctx *ctx, const struct change *ch, const char *old,
			   const char *target)
{
	const struct sqlite_rebuild *rb = ch->rebuild;

	for (int i = 0; i < rb->nr_lost; i++)
		report(ctx, RULE_TABLE_REBUILD_LOSES_DATA,
		       object_path(ch->rel.schema, ch->rel.name, rb->lost[i]),
		       "column \"%s\" of %s is not copied into %s: its values are lost when %s is"
		       " dropped", rb->lost[i], old, target, old);
	for (int i = 0; i < rb->nr_cols; i++) {
		const struct sqlite_copy_col *c = &rb->cols[i];

		if (!c->not_null)
			continue;
		if (c->filled && c->from && !c->from_not_null)
			report(ctx, RULE_TABLE_REBUILD_LOSES_DATA,
			       object_path(ch->rel.schema, ch->rel.name, c->from),
			       "column \"%s\" of %s is NOT NULL but is copied from %s.\"%s\", which"
			       " can be NULL: the copy fails on the first such row", c->name, target,
			       old, c->from);
		else if (!c->filled && !c->has_default)
			report(ctx, RULE_TABLE_REBUILD_LOSES_DATA,
			       object_path(ch->rel.schema, ch->rel.name, NULL),
			       "column \"%s\" of %s is NOT NULL without a default and the copy does not"
			       " fill it: the copy fails as soon as %s has a row", c->name, target, old);
	}
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	for (int i = 0; i < n; i++, ch++) {
		char old[2 * NAMEBUF + 8], target[2 * NAMEBUF + 8];

		if (ch->kind != CH_REBUILD_TABLE || !ch->rebuild || ctx_rel_is_new(ctx, &ch->rel))
			continue;
		snprintf(old, sizeof(old), "%s", quote_rel(NULL, ch->rebuild->table));
		snprintf(target, sizeof(target), "%s", quote_rel(NULL, ch->rebuild->target));
		report_columns(ctx, ch, old, target);
		report_filters(ctx, ch, old, target);
	}
}

const struct rule_impl rule_table_rebuild_loses_data = { check, NULL };
