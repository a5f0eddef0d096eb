/*
 * sqlite_rebuild.c - recognise table rebuilds across one migration file.
 *
 * SQLite alters most of a table by rebuilding it, in one of a few
 * shapes:
 *
 *   CREATE TABLE new_t (...);            ALTER TABLE t RENAME TO old_t;
 *   INSERT INTO new_t SELECT ... FROM t; CREATE TABLE t (...);
 *   DROP TABLE t;                        INSERT INTO t SELECT ... FROM old_t;
 *   ALTER TABLE new_t RENAME TO t;       DROP TABLE old_t;
 *
 * or through a (temporary) backup table. Seen one statement at a time,
 * that is a table dropped and one renamed; seen across the file, it is
 * one change: the old table's rows moved to a new table. So:
 *
 *   - a table holds production rows when it existed before the file, or
 *     when rows were copied into it from such a table in the file;
 *   - dropping such a table after its rows were copied out is a
 *     rebuild's drop, not a drop-table: the copy that carries the rows on
 *     gets one CH_REBUILD_TABLE that says what the copy keeps and loses;
 *   - the table that holds the rows at the end of the file (the "holder",
 *     normally under the old name) takes over the old table's origins:
 *     it is not new, and neither are its columns, foreign keys and
 *     indexes that the old table already had;
 *   - renaming the old table away, or the holder to the old name, is
 *     part of the rebuild, not a rename-table.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sqlite_lex.h"
#include "sqlite_replay_int.h"
#include "banned.h"

struct ints {
	int *v;
	int nr;
	size_t alloc;
};

static void ints_add(struct ints *l, int x)
{
	if (sq_tid_in(l->v, l->nr, x))
		return;
	ALLOC_GROW(l->v, (size_t)l->nr + 1, l->alloc);
	l->v[l->nr++] = x;
}

bool sq_tid_in(const int *list, int nr, int tid)
{
	for (int i = 0; i < nr; i++)
		if (list[i] == tid)
			return true;
	return false;
}

struct sq_table *sq_resolve(const struct sq_schema *s, const struct sq_ref *ref)
{
	if (!ref->table)
		return NULL;
	return sq_find(s, ref->db, ref->table);
}

bool sq_strict(const struct sq_table *t)
{
	struct sqlx_tokens k = { 0 };
	bool strict = false;
	int close = -1;

	if (!t->sql)
		return false;
	sqlx_tokenize(&k, t->sql, 0, strlen(t->sql));
	for (int i = 0; i < k.nr; i++)
		if (k.tok[i].kind == SQLX_RP && k.tok[i].depth == 0)
			close = i;
	for (int i = close + 1; close >= 0 && i < k.nr; i++)
		strict |= sqlx_is(&k, i, "STRICT");
	sqlx_tokens_release(&k);
	return strict;
}

/* A table rows are copied out of, and then dropped. */
struct source {
	int tid;
	int drop;                   /* the record that drops it */
	struct sq_table *last;      /* its version before the drop */
	const char *orig_name;      /* its name when the file began */
};

struct scan {
	struct sqlite_replay *r;
	struct ints bearing;        /* tids holding production rows */
	int *parent;                /* per tid (index), the tid it got its
	                               rows from, or 0 */
	int nr_parent;
	struct source *src;
	int nr_src;
	size_t alloc_src;
};

static int parent_of(const struct scan *s, int tid)
{
	return tid > 0 && tid < s->nr_parent ? s->parent[tid] : 0;
}

/* ---- copies ---- */

static void resolve_copy(struct sq_rec *rec)
{
	struct sq_copy *c = rec->copy;
	const struct sq_schema *target_in = rec->verb == V_CREATE_TABLE_AS ? rec->after : rec->before;
	const struct sq_table *t = sq_find(target_in, c->target_db, c->target);
	int best = 0, best_n = 0;

	c->target_tid = t ? t->tid : 0;
	for (int i = 0; i < c->nr_results; i++) {
		const struct sq_table *a = sq_resolve(rec->before, &c->results[i]);
		int n = 0;

		if (!a || a->tid == best)
			continue;
		for (int j = 0; j < c->nr_results; j++) {
			const struct sq_table *b = sq_resolve(rec->before, &c->results[j]);

			n += b && b->tid == a->tid;
		}
		if (n > best_n) {
			best = a->tid;
			best_n = n;
		}
	}
	if (!best && c->nr_reads) {
		const struct sq_table *a = sq_resolve(rec->before, &c->reads[0]);

		best = a ? a->tid : 0;
	}
	c->source_tid = best;
}


static void follow_copies(struct scan *s)
{
	struct sqlite_replay *r = s->r;
	const struct sq_schema *start = r->nr_recs ? r->recs[0].before : r->cur;
	int max_tid = r->reader.next_tid + 1;

	s->parent = xcalloc((size_t)max_tid, sizeof(*s->parent));
	s->nr_parent = max_tid;
	for (int i = 0; start && i < start->nr; i++)
		if (!start->t[i]->view)
			ints_add(&s->bearing, start->t[i]->tid);
	for (int k = 0; k < r->nr_recs; k++) {
		struct sq_copy *c = r->recs[k].copy;

		if (!c || !r->recs[k].ok)
			continue;
		resolve_copy(&r->recs[k]);
		if (!c->source_tid || !c->target_tid || c->source_tid == c->target_tid ||
		    !sq_tid_in(s->bearing.v, s->bearing.nr, c->source_tid) ||
		    sq_tid_in(s->bearing.v, s->bearing.nr, c->target_tid))
			continue;
		ints_add(&s->bearing, c->target_tid);
		if (c->target_tid < s->nr_parent)
			s->parent[c->target_tid] = c->source_tid;
	}
}

/* ---- drops ---- */

static bool descends(const struct scan *s, int tid, int from);

/*
 * Were the rows of 'tid' copied out before record k, into a table that
 * (or whose own copy) is still there after it?
 */
static bool carried_on(const struct scan *s, int tid, int k)
{
	const struct sqlite_replay *r = s->r;
	const struct sq_schema *after = r->recs[k].after;

	for (int j = 0; j < k; j++) {
		const struct sq_copy *c = r->recs[j].copy;

		if (!c || !r->recs[j].ok || c->source_tid != tid)
			continue;
		for (int i = 0; i < after->nr; i++)
			if (descends(s, after->t[i]->tid, c->target_tid))
				return true;
	}
	return false;
}

static const char *name_at_start(const struct sqlite_replay *r, int tid)
{
	for (int k = 0; k < r->nr_recs; k++) {
		const struct sq_table *t = sq_find_tid(r->recs[k].before, tid);

		if (t)
			return t->name;
	}
	return NULL;
}

static void find_drops(struct scan *s)
{
	struct sqlite_replay *r = s->r;

	for (int k = 0; k < r->nr_recs; k++) {
		struct sq_rec *rec = &r->recs[k];

		for (int i = 0; rec->ok && rec->before != rec->after && i < rec->before->nr; i++) {
			struct sq_table *t = rec->before->t[i];
			struct source *src;

			if (t->view || sq_find_tid(rec->after, t->tid) ||
			    !sq_tid_in(s->bearing.v, s->bearing.nr, t->tid) || !carried_on(s, t->tid, k))
				continue;
			ALLOC_GROW(rec->no_drop, (size_t)rec->nr_no_drop + 1, rec->alloc_no_drop);
			rec->no_drop[rec->nr_no_drop++] = t->tid;
			ALLOC_GROW(s->src, (size_t)s->nr_src + 1, s->alloc_src);
			src = &s->src[s->nr_src++];
			src->tid = t->tid;
			src->drop = k;
			src->last = t;
			src->orig_name = name_at_start(r, t->tid);
		}
	}
}

/* ---- the holder and the main copy ---- */

static bool descends(const struct scan *s, int tid, int from)
{
	for (int guard = 0; tid && guard < s->nr_parent; guard++) {
		if (tid == from)
			return true;
		tid = parent_of(s, tid);
	}
	return false;
}

static struct sq_table *holder(const struct scan *s, const struct source *src)
{
	const struct sq_schema *end = s->r->cur;
	struct sq_table *found = NULL;

	for (int i = 0; end && i < end->nr; i++) {
		struct sq_table *t = end->t[i];

		if (t->view || t->tid == src->tid || !descends(s, t->tid, src->tid))
			continue;
		if (src->orig_name && !strcasecmp(t->name, src->orig_name))
			return t;
		if (!found)
			found = t;
	}
	return found;
}

static int results_from(const struct sq_rec *rec, int tid)
{
	int n = 0;

	for (int i = 0; i < rec->copy->nr_results; i++) {
		const struct sq_table *t = sq_resolve(rec->before, &rec->copy->results[i]);

		n += t && t->tid == tid;
	}
	return n;
}

static int main_copy(const struct scan *s, const struct source *src, const struct sq_table *h)
{
	const struct sqlite_replay *r = s->r;
	int best = -1, best_n = -1;

	for (int k = 0; k < src->drop; k++) {
		const struct sq_rec *rec = &r->recs[k];
		int n;

		if (!rec->copy || !rec->ok || rec->copy->source_tid != src->tid)
			continue;
		if (h && descends(s, h->tid, rec->copy->target_tid))
			return k;
		n = results_from(rec, src->tid);
		if (n > best_n) {
			best = k;
			best_n = n;
		}
	}
	return best;
}

/* ---- what the copy keeps ---- */

/* The target column result i goes to, or NULL. */
static const char *target_column(const struct sq_copy *c, const struct sq_table *t, int i)
{
	int n = 0;

	if (c->columns)
		return i < c->nr_columns ? c->columns[i] : NULL;
	for (int j = 0; t && j < t->nr_cols; j++) {
		if (t->cols[j].hidden)
			continue;
		if (n++ == i)
			return t->cols[j].name;
	}
	return NULL;
}

/* The result column that fills target column 'name', or -1. */
static int result_for(const struct sq_copy *c, const struct sq_table *t, const char *name)
{
	for (int i = 0; i < c->nr_results; i++) {
		const char *tc = target_column(c, t, i);

		if (tc && !strcasecmp(tc, name))
			return i;
	}
	return -1;
}

/* Can this column of 't' hold NULL? (A rowid alias cannot.) */
static bool never_null(const struct sq_table *t, const struct sq_col *c)
{
	int pk_cols = 0;

	if (c->not_null)
		return true;
	for (int i = 0; i < t->nr_cols; i++)
		pk_cols += t->cols[i].pk > 0;
	return c->pk == 1 && pk_cols == 1 && !strcasecmp(c->type, "INTEGER");
}

/* Does any copy out of 'src' read its column 'col'? */
static bool column_read(const struct sqlite_replay *r, const struct source *src, const char *col)
{
	for (int k = 0; k < src->drop; k++) {
		const struct sq_rec *rec = &r->recs[k];
		const struct sq_copy *c = rec->copy;

		if (!c || !rec->ok || c->source_tid != src->tid)
			continue;
		for (int i = 0; i < c->nr_reads; i++) {
			const struct sq_table *t = sq_resolve(rec->before, &c->reads[i]);

			if (t && t->tid == src->tid && c->reads[i].column &&
			    !strcasecmp(c->reads[i].column, col))
				return true;
		}
		for (int i = 0; i < c->nr_results; i++) {
			const struct sq_table *t = sq_resolve(rec->before, &c->results[i]);

			if (t && t->tid == src->tid && c->results[i].column &&
			    !strcasecmp(c->results[i].column, col))
				return true;
		}
	}
	return false;
}

static void lost_columns(struct scan *s, const struct source *src, struct sqlite_rebuild *rb)
{
	struct arena *a = &s->r->file_arena;
	const struct sq_table *t = src->last;

	rb->lost = arena_alloc(a, (size_t)t->nr_cols * sizeof(*rb->lost) + 1);
	for (int i = 0; i < t->nr_cols; i++)
		if (!t->cols[i].hidden && !column_read(s->r, src, t->cols[i].name))
			rb->lost[rb->nr_lost++] = t->cols[i].name;
}

/*
 * A column of a table that got its rows in this file (a backup table):
 * the column of the table that held the rows when the file began which
 * it was copied from, or 'c' itself.
 */
static const struct sq_col *trace_column(const struct scan *s, int tid, const struct sq_col *c,
					 const struct sq_table **table)
{
	const struct sqlite_replay *r = s->r;

	for (int guard = 0; parent_of(s, tid) && guard < s->nr_parent; guard++) {
		int from = parent_of(s, tid), k, res;
		const struct sq_table *t, *f;
		const struct sq_col *fc;

		for (k = 0; k < r->nr_recs; k++)
			if (r->recs[k].ok && r->recs[k].copy && r->recs[k].copy->source_tid == from &&
			    r->recs[k].copy->target_tid == tid)
				break;
		if (k == r->nr_recs)
			break;
		t = sq_find_tid(r->recs[k].after, tid);
		f = sq_find_tid(r->recs[k].before, from);
		res = t ? result_for(r->recs[k].copy, t, c->name) : -1;
		fc = res >= 0 && f ? sq_col_find(f, r->recs[k].copy->results[res].column) : NULL;
		if (!fc)
			break;
		c = fc;
		tid = from;
		*table = f;
	}
	return c;
}

/* Does the copy's WHERE leave out the rows where 'col' is NULL? */
static bool kept_not_null(const struct sq_copy *c, const char *col)
{
	for (int i = 0; i < c->nr_not_null; i++)
		if (!strcasecmp(c->not_null[i], col))
			return true;
	return false;
}

static void copy_columns(struct scan *s, const struct sq_rec *rec, const struct sq_table *old,
			 const struct sq_table *t, struct sqlite_rebuild *rb)
{
	const struct sq_copy *c = rec->copy;

	rb->cols = arena_alloc(&s->r->file_arena, (size_t)t->nr_cols * sizeof(*rb->cols) + 1);
	for (int i = 0; i < t->nr_cols; i++) {
		const struct sq_col *col = &t->cols[i];
		struct sqlite_copy_col *cc;
		int res;

		if (col->hidden)
			continue;
		cc = &rb->cols[rb->nr_cols++];
		cc->name = col->name;
		cc->type = col->type;
		cc->not_null = col->not_null;
		cc->has_default = col->dflt != NULL;
		res = result_for(c, t, col->name);
		cc->filled = res >= 0;
		if (res >= 0 && old && c->results[res].column) {
			const struct sq_table *from = sq_resolve(rec->before, &c->results[res]);
			const struct sq_col *fc = from && from->tid == old->tid ?
						  sq_col_find(old, c->results[res].column) : NULL;

			if (fc) {
				const struct sq_table *root = old;
				const struct sq_col *rc = trace_column(s, old->tid, fc, &root);

				cc->from = fc->name;
				cc->from_type = rc->type;
				cc->from_not_null = never_null(root, rc) ||
						    kept_not_null(c, fc->name);
			}
		}
	}
}

/* The table that held the rows when the file began (through backups). */
static const struct sq_table *root_version(const struct scan *s, int tid,
					   const struct sq_table *fallback)
{
	const struct sq_table *t;

	for (int guard = 0; parent_of(s, tid) && guard < s->nr_parent; guard++)
		tid = parent_of(s, tid);
	t = sq_find_tid(s->r->recs[0].before, tid);
	return t ? t : fallback;
}

static void make_rebuild(struct scan *s, const struct source *src, int m,
			 const struct sq_table *h)
{
	struct sq_rec *rec = &s->r->recs[m];
	const struct sq_table *old = sq_find_tid(rec->before, src->tid);
	const struct sq_table *t = sq_find_tid(rec->after, rec->copy->target_tid);
	struct sqlite_rebuild *rb;

	if (!old || !t || rec->rebuild)
		return;
	rb = arena_alloc(&s->r->file_arena, sizeof(*rb));
	rb->table = old->name;
	rb->target = t->name;
	rb->final_name = h ? h->name : NULL;
	rb->strict = sq_strict(t);
	rb->filters = rec->copy->filters;
	rb->nr_filters = rec->copy->nr_filters;
	lost_columns(s, src, rb);
	copy_columns(s, rec, old, t, rb);
	rec->rebuild = rb;
	rec->rebuild_old = root_version(s, src->tid, old);
}

/* ---- renames ---- */

static void part_of_rebuild(struct scan *s, const struct source *src, const struct sq_table *h)
{
	for (int k = 0; k < s->r->nr_recs; k++) {
		struct sq_rec *rec = &s->r->recs[k];

		for (int i = 0; rec->before != rec->after && i < rec->before->nr; i++) {
			const struct sq_table *t = rec->before->t[i];
			const struct sq_table *a = sq_find_tid(rec->after, t->tid);

			if (!a || !strcmp(a->name, t->name))
				continue;
			if (t->tid == src->tid ||
			    (h && t->tid == h->tid && src->orig_name &&
			     !strcasecmp(a->name, src->orig_name))) {
				ALLOC_GROW(rec->no_rename, (size_t)rec->nr_no_rename + 1,
					   rec->alloc_no_rename);
				rec->no_rename[rec->nr_no_rename++] = t->tid;
			}
		}
	}
}

/* ---- the holder takes over the old table's origins ---- */

static const char *copied_from(const struct sq_rec *copy_rec, const struct sq_table *old,
			       const struct sq_table *v, const char *col)
{
	const struct sq_copy *c = copy_rec ? copy_rec->copy : NULL;
	const struct sq_table *t = c ? sq_find_tid(copy_rec->after, c->target_tid) : NULL;
	int res;

	if (!c || !t || t->tid != v->tid || (res = result_for(c, t, col)) < 0)
		return col;
	if (!c->results[res].column)
		return NULL;
	return c->results[res].column;
}

static bool same_fk_shape(const struct sq_fk *a, const struct sq_fk *b)
{
	if (a->nr != b->nr || strcasecmp(a->table, b->table))
		return false;
	for (int i = 0; i < a->nr; i++)
		if (!a->from[i] || !b->from[i] || strcasecmp(a->from[i], b->from[i]) ||
		    !a->to[i] != !b->to[i] || (a->to[i] && strcasecmp(a->to[i], b->to[i])))
			return false;
	return true;
}

static bool same_index_shape(const struct sq_index *a, const struct sq_index *b)
{
	if (a->nr_cols != b->nr_cols || a->unique != b->unique ||
	    !a->predicate != !b->predicate || (a->predicate && strcmp(a->predicate, b->predicate)))
		return false;
	for (int i = 0; i < a->nr_cols; i++) {
		const char *x = a->cols[i].name ? a->cols[i].name : a->cols[i].expr;
		const char *y = b->cols[i].name ? b->cols[i].name : b->cols[i].expr;

		if (!x || !y || strcasecmp(x, y) || a->cols[i].desc != b->cols[i].desc)
			return false;
	}
	return true;
}

static void take_origins(struct sq_table *v, const struct sq_table *old,
			 const struct sq_rec *copy_rec)
{
	v->origin = old->origin;
	for (int i = 0; i < v->nr_cols; i++) {
		const char *from = copied_from(copy_rec, old, v, v->cols[i].name);
		const struct sq_col *oc = from ? sq_col_find(old, from) : NULL;

		if (oc)
			v->cols[i].origin = oc->origin;
	}
	for (int i = 0; i < v->nr_fks; i++)
		for (int j = 0; j < old->nr_fks; j++)
			if (same_fk_shape(&v->fks[i], &old->fks[j]))
				v->fks[i].origin = old->fks[j].origin;
	for (int i = 0; i < v->nr_ix; i++)
		for (int j = 0; j < old->nr_ix; j++)
			if (same_index_shape(&v->ix[i], &old->ix[j]))
				v->ix[i].origin = old->ix[j].origin;
	for (int i = 0; i < v->nr_checks; i++)
		for (int j = 0; j < old->nr_checks; j++)
			if (!strcmp(v->checks[i].expr, old->checks[j].expr))
				v->checks[i].origin = old->checks[j].origin;
}

static void hand_over(struct scan *s, const struct source *src, const struct sq_table *h, int m)
{
	struct sqlite_replay *r = s->r;
	const struct sq_rec *copy_rec = m >= 0 ? &r->recs[m] : NULL;
	struct sq_table **done = NULL;
	size_t alloc = 0;
	int nr = 0;

	if (!h || sq_find_tid(r->recs[0].before, h->tid))
		return;   /* the rows went into a table that existed already */
	for (int k = 0; k < r->nr_recs; k++) {
		struct sq_table *v = sq_find_tid(r->recs[k].after, h->tid);
		bool seen = false;

		for (int i = 0; v && i < nr; i++)
			seen |= done[i] == v;
		if (!v || seen)
			continue;
		take_origins(v, root_version(s, src->tid, src->last), copy_rec);
		ALLOC_GROW(done, (size_t)nr + 1, alloc);
		done[nr++] = v;
	}
	free(done);
}

void sq_find_rebuilds(struct sqlite_replay *r)
{
	struct scan s = { .r = r };

	if (!r->nr_recs)
		return;
	follow_copies(&s);
	find_drops(&s);
	for (int i = 0; i < s.nr_src; i++) {
		const struct source *src = &s.src[i];
		struct sq_table *h = holder(&s, src);
		int m = main_copy(&s, src, h);

		if (m >= 0)
			make_rebuild(&s, src, m, h);
		part_of_rebuild(&s, src, h);
		hand_over(&s, src, h, m);
	}
	free(s.bearing.v);
	free(s.parent);
	free(s.src);
}

/* ---- foreign keys to no table ---- */

static bool dangles(const struct sq_schema *s, const struct sq_table *t, const struct sq_fk *fk)
{
	return !t->temp && !t->view && !sq_fk_target(s, t, fk);
}

/* Did 't''s foreign key 'fk' dangle already in 'before'? */
static bool dangled_before(const struct sq_schema *before, const struct sq_table *t,
			   const struct sq_fk *fk)
{
	const struct sq_table *b = sq_find_tid(before, t->tid);

	if (!b)
		return false;
	for (int i = 0; i < b->nr_fks; i++)
		if (b->fks[i].nr == fk->nr && !strcasecmp(b->fks[i].table, fk->table) &&
		    dangles(before, b, &b->fks[i]))
			return true;
	return false;
}

static void note(struct sqlite_replay *r, struct sq_rec *rec, char *msg)
{
	const char **grown = arena_alloc(&r->file_arena,
					 ((size_t)rec->nr_notes + 1) * sizeof(*grown));

	if (rec->nr_notes)
		memcpy(grown, rec->notes, (size_t)rec->nr_notes * sizeof(*grown));
	grown[rec->nr_notes++] = arena_strdup(&r->file_arena, msg);
	rec->notes = grown;
	free(msg);
}

/* The last statement after which the foreign key dangles and before
   which it did not (or the one that made it), or -1. */
static int dangling_since(const struct sqlite_replay *r, const struct sq_table *t,
			  const struct sq_fk *fk)
{
	for (int k = r->nr_recs - 1; k >= 0; k--) {
		const struct sq_rec *rec = &r->recs[k];
		const struct sq_table *a = sq_find_tid(rec->after, t->tid);
		bool dangling_after = false;

		for (int i = 0; a && i < a->nr_fks; i++)
			dangling_after |= a->fks[i].nr == fk->nr &&
					  !strcasecmp(a->fks[i].table, fk->table) &&
					  dangles(rec->after, a, &a->fks[i]);
		if (dangling_after && !dangled_before(rec->before, a, fk))
			return k;
	}
	return -1;
}

void sq_find_dangling(struct sqlite_replay *r)
{
	const struct sq_schema *end = r->cur, *start;

	if (!r->nr_recs)
		return;
	start = r->recs[0].before;
	for (int i = 0; i < end->nr; i++) {
		const struct sq_table *t = end->t[i];

		for (int j = 0; j < t->nr_fks; j++) {
			const struct sq_fk *fk = &t->fks[j];
			int k;

			if (!dangles(end, t, fk) || dangled_before(start, t, fk) ||
			    (k = dangling_since(r, t, fk)) < 0)
				continue;
			note(r, &r->recs[k], xstrfmt("a foreign key of \"%s\" (%s%s) references table"
				" \"%s\", which does not exist after this migration: with foreign_keys"
				" on, every INSERT into \"%s\" and every UPDATE of the key fails",
				t->name, fk->from[0] ? fk->from[0] : "?", fk->nr > 1 ? ", ..." : "",
				fk->table, t->name));
		}
	}
}
