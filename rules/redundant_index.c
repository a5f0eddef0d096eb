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

#define KEY_COLUMNS(ix) \
	"(SELECT group_concat(n, ', ') FROM (SELECT coalesce(c.name, x.expr) AS n" \
	"  FROM index_columns x LEFT JOIN columns c ON c.id = x.column_id" \
	"  WHERE x.index_id = " ix ".rel_id AND NOT x.is_include ORDER BY x.pos))"

/* Pairs (a, b): a's keys lead b's, same predicate, both btree. */
#define PAIRS_SELECT \
	" SELECT a.rel_id, b.rel_id, ra.name, rb.name, s.name, t.name," \
	"  ra.in_range, ra.created_file, ra.line, rb.in_range, rb.created_file, rb.line," \
	"  " KEY_COLUMNS("a") ", " KEY_COLUMNS("b") ", a.nr_key = b.nr_key"

/* CROSS JOIN fixes the order: SQLite's planner would scan every index
   first, and compare each index of a table with all the others in full;
   b is found through its first key column, which must be a's (what
   follows implies it) */
#define PAIRS_REST \
	" CROSS JOIN index_columns fa ON fa.index_id = a.rel_id AND fa.pos = 1" \
	" CROSS JOIN index_columns fb ON fb.column_id IS fa.column_id AND fb.pos = 1" \
	"  AND fb.expr IS fa.expr AND fb.index_id <> a.rel_id" \
	" CROSS JOIN indexes b ON b.rel_id = fb.index_id AND b.table_id = a.table_id" \
	" JOIN relations ra ON ra.id = a.rel_id JOIN relations rb ON rb.id = b.rel_id" \
	" JOIN relations t ON t.id = a.table_id JOIN schemas s ON s.id = t.schema_id" \
	" WHERE (ra.in_range OR rb.in_range)" \
	"   AND a.method = 'btree' AND b.method = 'btree'" \
	"   AND NOT a.is_unique AND NOT a.is_primary AND a.parent_index IS NULL" \
	"   AND NOT EXISTS (SELECT 1 FROM constraints k WHERE k.index_id = a.rel_id)" \
	"   AND a.predicate IS b.predicate AND a.nr_key <= b.nr_key" \
	/* every key column of a is b's key column at the same position; the \
	   direction matters unless a has one key (a btree scans backwards) */ \
	"   AND NOT EXISTS (SELECT 1 FROM index_columns x WHERE x.index_id = a.rel_id" \
	"     AND NOT x.is_include AND NOT EXISTS (SELECT 1 FROM index_columns y" \
	"       WHERE y.index_id = b.rel_id AND y.pos = x.pos AND NOT y.is_include" \
	"       AND y.column_id IS x.column_id AND y.expr IS x.expr" \
	"       AND (y.descending = x.descending OR a.nr_key = 1)))" \
	/* a's INCLUDE columns are somewhere in b (index-only scans) */ \
	"   AND NOT EXISTS (SELECT 1 FROM index_columns x WHERE x.index_id = a.rel_id" \
	"     AND x.is_include AND NOT EXISTS (SELECT 1 FROM index_columns y" \
	"       WHERE y.index_id = b.rel_id AND y.column_id IS x.column_id AND y.expr IS x.expr))" \
	" ORDER BY ra.created_file, ra.line, a.rel_id, b.rel_id"

/* A range that follows a history (a pre-commit run lints one file of a
   long one): only the tables with an index in range (a scan of the
   relations, which are C: catalog.c). */
static const char pairs_touched_sql[] =
	"WITH touched(id) AS (SELECT DISTINCT i.table_id FROM relations r"
	"  CROSS JOIN indexes i ON i.rel_id = r.id WHERE r.in_range)"
	PAIRS_SELECT " FROM touched CROSS JOIN indexes a ON a.table_id = touched.id" PAIRS_REST;

/* A range that is the whole history touches every table, and the list
   of touched tables cost more than it saved: every relation read, its
   index looked up, the tables sorted (40% of the query, and 15x the
   time for 10x the statements). The WHERE above keeps the same pairs. */
static const char pairs_all_sql[] = PAIRS_SELECT " FROM indexes a" PAIRS_REST;

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

static int num(const char *s)
{
	return s ? (int)strtol(s, NULL, 10) : 0;
}

static void fill_side(struct side *s, const char *id, const char *name, const char *in_range,
		      const char *file, const char *line, const char *columns)
{
	s->id = id ? strtoll(id, NULL, 10) : 0;
	snprintf(s->name, sizeof(s->name), "%s", name ? name : "");
	s->in_range = num(in_range) != 0;
	s->file = num(file);
	s->line = num(line);
	s->columns = xstrdup(columns ? columns : "");
}

static int collect(void *data, int ncols, const char *const *names, const char *const *v)
{
	struct pair_list *l = data;
	struct pair *p;

	(void)names;
	if (ncols < 15)
		return 0;
	ALLOC_GROW(l->items, (size_t)l->nr + 1, l->alloc);
	p = &l->items[l->nr++];
	memset(p, 0, sizeof(*p));
	fill_side(&p->a, v[0], v[2], v[6], v[7], v[8], v[12]);
	fill_side(&p->b, v[1], v[3], v[9], v[10], v[11], v[13]);
	snprintf(p->schema, sizeof(p->schema), "%s", v[4] ? v[4] : "");
	snprintf(p->table, sizeof(p->table), "%s", v[5] ? v[5] : "");
	p->same_keys = num(v[14]) != 0;
	return 0;
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
	char *err = NULL;
	cat_id last = 0;

	if (catalog_query(ctx_catalog(ctx), cat_range_indexed(ctx_catalog(ctx)) ?
			  pairs_touched_sql : pairs_all_sql, collect, &l, &err))
		BUG("redundant-index: %s", err ? err : "query failed");
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
