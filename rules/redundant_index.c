/*
 * redundant-index (note): at the end of the range, a btree index whose
 * key columns are the leading key columns of another btree index on the
 * same table, with the same predicate, where one of the two was created
 * in the range. The shorter index serves no query the longer one cannot.
 *
 * An index that enforces something (unique, primary key, a constraint's
 * index) is never the redundant one, nor a partition's copy of its
 * parent's index (the parent's is reported). Of two identical indexes
 * the newer is reported. The finding is at the redundant index's
 * creation, or at the new index's when the redundant one predates the
 * range.
 *
 * Not modelled by the catalog: operator classes and collations of index
 * columns (text_pattern_ops serves LIKE 'x%', the default does not).
 */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

struct side {
	cat_id id;
	char name[NAMEBUF];
	char *columns;          /* "a, b" (malloc'ed) */
	bool in_range;
	int file, line;
};

struct pair {
	struct side a, b;       /* a is redundant next to b */
	char schema[NAMEBUF], table[NAMEBUF];
	bool same_keys;
};

struct pair_list {
	struct pair *items;
	int nr;
	size_t alloc;
};

static void fill_side(struct side *s, cat_id id, const char *name, bool in_range, int file,
		      int line, const char *columns)
{
	s->id = id;
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->in_range = in_range;
	s->file = file;
	s->line = line;
	s->columns = xstrdup(columns);
}

static void collect(void *data, const struct cat_index_pair *q)
{
	struct pair_list *l = data;
	struct pair *p;

	ALLOC_GROW(l->items, (size_t)l->nr + 1, l->alloc);
	p = &l->items[l->nr++];
	memset(p, 0, sizeof(*p));
	fill_side(&p->a, q->a, q->a_name, q->a_in_range, q->a_file, q->a_line, q->a_columns);
	fill_side(&p->b, q->b, q->b_name, q->b_in_range, q->b_file, q->b_line, q->b_columns);
	snprintf(p->schema, sizeof(p->schema), "%s", q->schema);
	snprintf(p->table, sizeof(p->table), "%s", q->table);
	p->same_keys = q->same_keys;
}

static bool older(const struct side *x, const struct side *y)
{
	if (x->file != y->file)
		return x->file < y->file;
	if (x->line != y->line)
		return x->line < y->line;
	return x->id < y->id;
}

/* Pair order: by a, then by b (to find (b, a) by bsearch()). */
static int by_ids(const void *x, const void *y)
{
	const struct pair *p = x, *q = y;

	if (p->a.id != q->a.id)
		return p->a.id < q->a.id ? -1 : 1;
	return p->b.id < q->b.id ? -1 : p->b.id > q->b.id;
}

/* Of two identical indexes, only the newer is redundant: is (b, a) a
   pair too, with a the older? 'sorted' is the list in by_ids() order. */
static bool older_twin(const struct pair *sorted, int nr, const struct pair *p)
{
	struct pair key;

	key.a.id = p->b.id;
	key.b.id = p->a.id;
	return older(&p->a, &p->b) && bsearch(&key, sorted, (size_t)nr, sizeof(key), by_ids);
}

static void report_pair(struct rule_ctx *ctx, const struct pair *p)
{
	const struct side *at = p->a.in_range ? &p->a : &p->b;
	struct loc loc = { 0 };
	const char *obj = object_path(p->schema, p->table, NULL);
	const char *tbl = quote_rel(p->schema, p->table);

	if (at->file < 0)
		return;
	/* relations keep the file and line of the creating statement only */
	loc.file_index = at->file;
	loc.line = at->line;
	loc.col = 1;
	if (!p->a.in_range)
		report_at(ctx, RULE_REDUNDANT_INDEX, &loc, obj,
			  "new index \"%s\" on %s (%s) makes index \"%s\" (%s) redundant: it serves"
			  " every lookup \"%s\" serves; dropping \"%s\" saves its upkeep on every write",
			  p->b.name, tbl, p->b.columns, p->a.name, p->a.columns, p->a.name, p->a.name);
	else if (p->same_keys)
		report_at(ctx, RULE_REDUNDANT_INDEX, &loc, obj,
			  "index \"%s\" on %s (%s) duplicates index \"%s\" (%s): it serves no query"
			  " the other does not, and costs upkeep on every write",
			  p->a.name, tbl, p->a.columns, p->b.name, p->b.columns);
	else
		report_at(ctx, RULE_REDUNDANT_INDEX, &loc, obj,
			  "index \"%s\" on %s (%s) is redundant: index \"%s\" (%s) starts with the"
			  " same column%s and serves the same lookups; \"%s\" only costs upkeep on"
			  " every write",
			  p->a.name, tbl, p->a.columns, p->b.name, p->b.columns,
			  strchr(p->a.columns, ',') ? "s" : "", p->a.name);
}

/*
 * One finding per redundant index, for its first pair in the query's
 * order (the query sorts by a's creation): the pairs of one index a are
 * consecutive, so "reported" is "a is the one reported last".
 */
static void check_range(struct rule_ctx *ctx)
{
	struct pair_list l = { NULL, 0, 0 };
	struct pair *sorted;
	cat_id last = 0;

	cat_foreach_redundant_pair(ctx_catalog(ctx), collect, &l);
	sorted = xcalloc((size_t)l.nr + 1, sizeof(*sorted));
	if (l.nr)
		memcpy(sorted, l.items, (size_t)l.nr * sizeof(*sorted));
	qsort(sorted, (size_t)l.nr, sizeof(*sorted), by_ids);
	for (int i = 0; i < l.nr; i++) {
		if ((last && l.items[i].a.id == last) || older_twin(sorted, l.nr, &l.items[i]))
			continue;
		report_pair(ctx, &l.items[i]);
		last = l.items[i].a.id;
	}
	free(sorted);
	for (int i = 0; i < l.nr; i++) {
		free(l.items[i].a.columns);
		free(l.items[i].b.columns);
	}
	free(l.items);
}

const struct rule_impl rule_redundant_index = { NULL, check_range };
