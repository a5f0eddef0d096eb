/*
 * prefer-timestamptz: a column the statement defines as timestamp
 * without time zone (CREATE TABLE, ADD COLUMN, ALTER COLUMN ... TYPE).
 *
 * This file also holds foreach_typed_column(), the walk over the columns
 * whose type a statement sets, shared by the column type rules
 * (prefer-identity, prefer-text, ban-char, prefer-jsonb).
 */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "types.h"
#include "banned.h"

/* --- shared with the other column type rules (declared there too) --- */

/*
 * A column whose type the statement sets. 'type' is as written (serial
 * kept); 'old' is the type before an ALTER COLUMN ... TYPE when the
 * column was known, NULL otherwise.
 */
static const struct change *find_change(const struct change *ch, int n, enum change_kind kind)
{
	for (int i = 0; i < n; i++)
		if (ch[i].kind == kind)
			return &ch[i];
	return NULL;
}

/*
 * CREATE TABLE: the columns as written. Quiet when IF NOT EXISTS found
 * the table already there (nothing was created); a statement that fails
 * otherwise (unknown schema) still shows what its author meant.
 */
static void create_table_columns(struct rule_ctx *ctx, const struct stmt *st,
				 const struct change *ch, int n, typed_column_fn fn)
{
	const struct create_table *ct = &st->u.create_table;
	const struct change *created = find_change(ch, n, CH_CREATE_TABLE);
	struct typed_column c = { 0 };

	if (!created && ct->if_not_exists)
		return;
	c.schema = created ? created->rel.schema : ct->name.schema;
	c.table = created ? created->rel.name : ct->name.name;
	for (int i = 0; i < ct->nr_columns; i++) {
		if (!ct->columns[i].type.name)
			continue;   /* PARTITION OF ... (col WITH OPTIONS ...) */
		c.column = ct->columns[i].name;
		c.type = &ct->columns[i].type;
		fn(ctx, &c);
	}
}

static bool same_column(const struct change *a, const struct change *b)
{
	return a->column && b->column && !strcmp(a->column, b->column) &&
	       a->rel.name && b->rel.name && !strcmp(a->rel.name, b->rel.name);
}

/* Does a later command of the same statement redefine or drop the column? */
static bool superseded(const struct change *ch, int i, int n)
{
	for (int j = i + 1; j < n; j++)
		if ((ch[j].kind == CH_ALTER_TYPE || ch[j].kind == CH_DROP_COLUMN) &&
		    same_column(&ch[j], &ch[i]))
			return true;
	return false;
}

/* Was the column added by an earlier command of the same statement? */
static bool added_before(const struct change *ch, int i)
{
	for (int j = 0; j < i; j++)
		if (ch[j].kind == CH_ADD_COLUMN && same_column(&ch[j], &ch[i]))
			return true;
	return false;
}

/*
 * Past this many changes, superseded() and added_before() are worked
 * out for all of them at once, from the changes sorted by column: each
 * read the statement's other changes, and four rules call this, so an
 * ALTER TABLE of 100,000 subcommands took minutes.
 */
#define CHANGE_SCAN 16
#define SUPERSEDED 1
#define ADDED_BEFORE 2

struct column_change {
	const char *table, *column;
	int i;
};

static int column_change_cmp(const void *a, const void *b)
{
	const struct column_change *p = a, *q = b;
	int d = strcmp(p->table, q->table);

	if (!d)
		d = strcmp(p->column, q->column);
	return d ? d : (p->i > q->i) - (p->i < q->i);
}

/* Of one column's changes v[0..nr), in statement order: the flags. */
static void flag_column(const struct change *ch, const struct column_change *v, int nr,
			unsigned char *flags)
{
	bool later = false, added = false;

	for (int k = nr - 1; k >= 0; k--) {
		if (later)
			flags[v[k].i] |= SUPERSEDED;
		later |= ch[v[k].i].kind == CH_ALTER_TYPE || ch[v[k].i].kind == CH_DROP_COLUMN;
	}
	for (int k = 0; k < nr; k++) {
		if (added)
			flags[v[k].i] |= ADDED_BEFORE;
		added |= ch[v[k].i].kind == CH_ADD_COLUMN;
	}
}

/* SUPERSEDED and ADDED_BEFORE of each change (malloc'ed). */
static unsigned char *column_flags(const struct change *ch, int n)
{
	struct column_change *v = xcalloc((size_t)n, sizeof(*v));
	unsigned char *flags = xcalloc((size_t)n, 1);
	int m = 0;

	for (int i = 0; i < n; i++)
		if (ch[i].column && ch[i].rel.name)
			v[m++] = (struct column_change){ ch[i].rel.name, ch[i].column, i };
	qsort(v, (size_t)m, sizeof(*v), column_change_cmp);
	for (int g = 0, e; g < m; g = e) {
		for (e = g + 1; e < m && !strcmp(v[e].table, v[g].table) &&
		     !strcmp(v[e].column, v[g].column); e++)
			;
		flag_column(ch, v + g, e - g, flags);
	}
	free(v);
	return flags;
}

void foreach_typed_column(struct rule_ctx *ctx, const struct stmt *st,
			  const struct change *ch, int n, typed_column_fn fn)
{
	unsigned char *flags = NULL;

	if (st->kind == ST_CREATE_TABLE) {
		create_table_columns(ctx, st, ch, n, fn);
		return;
	}
	if (n > CHANGE_SCAN)
		flags = column_flags(ch, n);
	for (int i = 0; i < n; i++) {
		struct typed_column c = { 0 };

		if (ch[i].kind == CH_ADD_COLUMN && ch[i].coldef)
			c.type = &ch[i].coldef->type;
		else if (ch[i].kind == CH_ALTER_TYPE)
			c.type = &ch[i].new_type;
		else
			continue;
		if (!c.type->name || (flags ? flags[i] & SUPERSEDED : superseded(ch, i, n)))
			continue;
		if (ch[i].kind == CH_ALTER_TYPE && ch[i].old_type.name &&
		    !(flags ? flags[i] & ADDED_BEFORE : added_before(ch, i)))
			c.old = &ch[i].old_type;
		c.schema = ch[i].rel.schema;
		c.table = ch[i].rel.name;
		c.column = ch[i].column;
		fn(ctx, &c);
	}
	free(flags);
}

/* --- the rule --- */

static bool is_timestamp(const struct type_ref *t)
{
	return t && !t->schema && t->name && !strcmp(t->name, "timestamp");
}

static void check_column(struct rule_ctx *ctx, const struct typed_column *c)
{
	if (!is_timestamp(c->type) || is_timestamp(c->old))
		return;   /* not timestamp, or it was one already */
	report(ctx, RULE_PREFER_TIMESTAMPTZ, object_path(c->schema, c->table, c->column),
	       "%s.\"%s\" is %s: the time zone offset of every value written to it is"
	       " dropped, so a value no longer names one instant",
	       quote_rel(c->schema, c->table), c->column, type_str(c->type));
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	if (st->kind == ST_CREATE_TABLE || st->kind == ST_ALTER_TABLE)
		foreach_typed_column(ctx, st, ch, n, check_column);
}

const struct rule_impl rule_prefer_timestamptz = { check, NULL };
