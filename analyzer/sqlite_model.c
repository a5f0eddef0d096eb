/*
 * sqlite_model.c - read the target database's schema back (see
 * sqlite_model.h).
 */
#include "sqlite_model.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ast.h"
#include "sqlite_lex.h"
#include "banned.h"

/* One row of sqlite_schema. */
struct raw {
	const char *type, *name, *tbl_name, *sql;
	int rootpage;
	bool temp;
	int next_of_table;         /* the next index or trigger row of the
	                              same table, or -1 */
};

/* The rows of one reading, in a scratch arena: a table that did not
   change costs no copy. */
struct raw_list {
	struct raw *r;
	int nr;
	size_t alloc;
	struct arena scratch;
	int *first_of_table;       /* per row: its first index or trigger
	                              row (table rows only), or -1 */
};

static const char *text_col(struct arena *a, sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? arena_strdup(a, (const char *)s) : NULL;
}

static void read_raw(struct sq_reader *r, const char *db, struct raw_list *out)
{
	struct arena *a = &out->scratch;
	char *sql = xstrfmt("SELECT type, name, tbl_name, rootpage, sql FROM %s.sqlite_schema"
			    " ORDER BY rowid", db);
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(r->sb->db, sql, -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			struct raw *w;

			ALLOC_GROW(out->r, (size_t)out->nr + 1, out->alloc);
			w = &out->r[out->nr++];
			w->type = text_col(a, st, 0);
			w->name = text_col(a, st, 1);
			w->tbl_name = text_col(a, st, 2);
			w->rootpage = sqlite3_column_int(st, 3);
			w->sql = text_col(a, st, 4);
			w->temp = !strcmp(db, "temp");
			w->next_of_table = -1;
		}
	}
	sqlite3_finalize(st);
	free(sql);
}

static bool internal_name(const char *name)
{
	return !strncasecmp(name, "sqlite_", 7);
}

static bool is_table_row(const struct raw *w)
{
	return w->name && w->type && (!strcmp(w->type, "table") || !strcmp(w->type, "view")) &&
	       !internal_name(w->name);
}

static bool is_table_or_view(const struct raw *w)
{
	return w->type && (!strcmp(w->type, "table") || !strcmp(w->type, "view"));
}

/* Chain each index and trigger row to its table's row (one sort of the
   names instead of a scan of every row per table). */
struct row_key {
	const char *table;
	bool temp, is_table;
	int idx;
};

static int cmp_rows(const void *a, const void *b)
{
	const struct row_key *x = a, *y = b;
	int c = (int)x->temp - (int)y->temp;

	if (!c)
		c = strcasecmp(x->table, y->table);
	if (!c)
		c = (int)y->is_table - (int)x->is_table;
	return c ? c : x->idx - y->idx;
}

static void link_rows(struct raw_list *l)
{
	struct row_key *k = xcalloc((size_t)l->nr + 1, sizeof(*k));

	l->first_of_table = arena_alloc(&l->scratch, ((size_t)l->nr + 1) * sizeof(int));
	for (int i = 0; i < l->nr; i++) {
		k[i].table = l->r[i].tbl_name ? l->r[i].tbl_name : "";
		k[i].temp = l->r[i].temp;
		k[i].is_table = is_table_or_view(&l->r[i]);
		k[i].idx = i;
		l->first_of_table[i] = -1;
	}
	qsort(k, (size_t)l->nr, sizeof(*k), cmp_rows);
	for (int i = 0; i < l->nr; i++) {
		int prev = -1;

		if (!k[i].is_table)
			continue;
		for (int j = i + 1; j < l->nr && !k[j].is_table && k[j].temp == k[i].temp &&
		     !strcasecmp(k[j].table, k[i].table); j++) {
			if (prev < 0)
				l->first_of_table[k[i].idx] = k[j].idx;
			else
				l->r[prev].next_of_table = k[j].idx;
			prev = k[j].idx;
		}
	}
	free(k);
}

/* What must be equal for a table to be unchanged. */
static char *signature(const struct raw_list *l, const struct raw *t)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_addf(&sb, "%s\x01%d\x01%s", t->name, t->rootpage, t->sql ? t->sql : "");
	for (int i = l->first_of_table[t - l->r]; i >= 0; i = l->r[i].next_of_table) {
		const struct raw *w = &l->r[i];

		strbuf_addf(&sb, "\x02%s\x01%s\x01%d\x01%s", w->type, w->name, w->rootpage,
			    w->sql ? w->sql : "");
	}
	return strbuf_detach(&sb);
}

/* ---- pragmas ---- */

static sqlite3_stmt *pragma(struct sq_reader *r, const char *name, bool temp, const char *arg)
{
	char *sql = sqlite3_mprintf("PRAGMA %s.%s(\"%w\")", temp ? "temp" : "main", name, arg);
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(r->sb->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		st = NULL;
	}
	sqlite3_free(sql);
	return st;
}

static void read_columns(struct sq_reader *r, struct sq_table *t)
{
	sqlite3_stmt *st = pragma(r, "table_xinfo", t->temp, t->name);
	size_t alloc = 0;

	while (st && sqlite3_step(st) == SQLITE_ROW) {
		struct sq_col *c;

		ALLOC_GROW(t->cols, (size_t)t->nr_cols + 1, alloc);
		c = &t->cols[t->nr_cols++];
		memset(c, 0, sizeof(*c));
		c->name = text_col(r->arena, st, 1);
		c->type = text_col(r->arena, st, 2);
		if (!c->type)
			c->type = "";
		c->not_null = sqlite3_column_int(st, 3);
		c->dflt = text_col(r->arena, st, 4);
		c->pk = sqlite3_column_int(st, 5);
		c->hidden = sqlite3_column_int(st, 6);
		if (!c->name)
			c->name = "";
	}
	sqlite3_finalize(st);
}

static char fk_action(const char *s)
{
	if (!s)
		return FK_NO_ACTION;
	if (!strcasecmp(s, "CASCADE"))
		return FK_CASCADE;
	if (!strcasecmp(s, "SET NULL"))
		return FK_SET_NULL;
	if (!strcasecmp(s, "SET DEFAULT"))
		return FK_SET_DEFAULT;
	if (!strcasecmp(s, "RESTRICT"))
		return FK_RESTRICT;
	return FK_NO_ACTION;
}

static void fk_add_column(struct sq_reader *r, struct sq_fk *fk, sqlite3_stmt *st, size_t *alloc)
{
	size_t a = *alloc;
	const char **from = fk->from, **to = fk->to;

	if ((size_t)fk->nr + 1 > a) {
		size_t grow = (a + 4) * 2;

		from = arena_alloc(r->arena, grow * sizeof(*from));
		to = arena_alloc(r->arena, grow * sizeof(*to));
		if (fk->nr) {
			memcpy(from, fk->from, (size_t)fk->nr * sizeof(*from));
			memcpy(to, fk->to, (size_t)fk->nr * sizeof(*to));
		}
		*alloc = grow;
	}
	from[fk->nr] = text_col(r->arena, st, 3);
	to[fk->nr] = text_col(r->arena, st, 4);
	fk->from = from;
	fk->to = to;
	fk->nr++;
}

static void read_fks(struct sq_reader *r, struct sq_table *t)
{
	sqlite3_stmt *st = pragma(r, "foreign_key_list", t->temp, t->name);
	size_t alloc = 0, col_alloc = 0;
	int last_id = -1;

	while (st && sqlite3_step(st) == SQLITE_ROW) {
		int id = sqlite3_column_int(st, 0);
		struct sq_fk *fk;

		if (id != last_id) {
			ALLOC_GROW(t->fks, (size_t)t->nr_fks + 1, alloc);
			fk = &t->fks[t->nr_fks++];
			memset(fk, 0, sizeof(*fk));
			fk->table = text_col(r->arena, st, 2);
			fk->on_update = fk_action((const char *)sqlite3_column_text(st, 5));
			fk->on_delete = fk_action((const char *)sqlite3_column_text(st, 6));
			last_id = id;
			col_alloc = 0;
		}
		fk_add_column(r, &t->fks[t->nr_fks - 1], st, &col_alloc);
	}
	sqlite3_finalize(st);
}

/* ---- what only the CREATE text says ---- */

/* The text inside the parentheses that open at token i (NULL if none). */
static const char *paren_text(struct arena *a, const struct sqlx_tokens *t, int i)
{
	int close = sqlx_close_paren(t, i);
	char *s;
	const char *ret;

	if (close < 0 || close == i + 1)
		return NULL;
	s = sqlx_text_dup(t, i + 1, close - 1);
	ret = arena_strdup(a, s);
	free(s);
	return ret;
}

static void add_check(struct sq_reader *r, struct sq_table *t, size_t *alloc, const char *name,
		      const char *expr, const char *column)
{
	struct sq_check *k;

	if (!expr)
		return;
	ALLOC_GROW(t->checks, (size_t)t->nr_checks + 1, *alloc);
	k = &t->checks[t->nr_checks++];
	k->name = name;
	k->expr = expr;
	k->column = column;
	k->origin = NULL;
}

static struct sq_col *col_named(struct sq_table *t, const char *name)
{
	for (int i = 0; i < t->nr_cols; i++)
		if (!strcasecmp(t->cols[i].name, name))
			return &t->cols[i];
	return NULL;
}

/* One column definition, tokens [s, e]: its CHECKs and generation. */
static void column_def(struct sq_reader *r, struct sq_table *t, const struct sqlx_tokens *k,
		       int s, int e, size_t *alloc)
{
	char *cname = sqlx_name_dup(k, s);
	const char *con = NULL, *column = arena_strdup(r->arena, cname);
	struct sq_col *col = col_named(t, cname);
	int depth = k->tok[s].depth;

	free(cname);
	for (int i = s + 1; i <= e; i++) {
		if (k->tok[i].depth != depth)
			continue;
		if (sqlx_is(k, i, "CONSTRAINT") && sqlx_is_name(k, i + 1)) {
			char *n = sqlx_name_dup(k, i + 1);

			con = arena_strdup(r->arena, n);
			free(n);
			i++;
		} else if (sqlx_is(k, i, "CHECK") && i + 1 <= e && k->tok[i + 1].kind == SQLX_LP) {
			add_check(r, t, alloc, con, paren_text(r->arena, k, i + 1),
				  col ? col->name : column);
			con = NULL;
		} else if (sqlx_is(k, i, "AS") && i + 1 <= e && k->tok[i + 1].kind == SQLX_LP) {
			if (col)
				col->generated = paren_text(r->arena, k, i + 1);
		}
	}
}

/* One element of CREATE TABLE ( ... ), tokens [s, e]. */
static void table_element(struct sq_reader *r, struct sq_table *t, const struct sqlx_tokens *k,
			  int s, int e, size_t *alloc)
{
	const char *name = NULL;
	int i = s;

	if (sqlx_is(k, i, "CONSTRAINT") && sqlx_is_name(k, i + 1)) {
		char *n = sqlx_name_dup(k, i + 1);

		name = arena_strdup(r->arena, n);
		free(n);
		i += 2;
	}
	if (sqlx_is(k, i, "CHECK") && i + 1 <= e && k->tok[i + 1].kind == SQLX_LP)
		add_check(r, t, alloc, name, paren_text(r->arena, k, i + 1), NULL);
	else if (!name && !sqlx_is(k, i, "PRIMARY") && !sqlx_is(k, i, "UNIQUE") &&
		 !sqlx_is(k, i, "FOREIGN") && sqlx_is_name(k, i))
		column_def(r, t, k, s, e, alloc);
}

/* CHECK constraints and generated columns, from the CREATE TABLE text. */
static void parse_create_table(struct sq_reader *r, struct sq_table *t)
{
	struct sqlx_tokens k = { 0 };
	size_t alloc = 0;
	int open = -1, close, s;

	if (!t->sql)
		return;
	sqlx_tokenize(&k, t->sql, 0, strlen(t->sql));
	for (int i = 0; i < k.nr && open < 0; i++) {
		if (sqlx_is(&k, i, "AS") || sqlx_is(&k, i, "USING"))
			break;   /* CREATE TABLE ... AS SELECT, a virtual table */
		if (k.tok[i].kind == SQLX_LP && k.tok[i].depth == 0)
			open = i;
	}
	close = sqlx_close_paren(&k, open);
	for (s = open + 1; open >= 0 && close > 0 && s < close;) {
		int e = s;

		while (e < close && !(k.tok[e].kind == SQLX_COMMA && k.tok[e].depth == 1))
			e++;
		if (e > s)
			table_element(r, t, &k, s, e - 1, &alloc);
		s = e + 1;
	}
	sqlx_tokens_release(&k);
}

/* Expression elements and WHERE of CREATE INDEX. */
static void parse_create_index(struct sq_reader *r, struct sq_index *ix)
{
	struct sqlx_tokens k = { 0 };
	int open = -1, close, s, n = 0;

	if (!ix->sql)
		return;
	sqlx_tokenize(&k, ix->sql, 0, strlen(ix->sql));
	for (int i = 0; i < k.nr; i++)
		if (sqlx_is(&k, i, "ON") && k.tok[i].depth == 0) {
			for (int j = i + 1; j < k.nr && open < 0; j++)
				if (k.tok[j].kind == SQLX_LP)
					open = j;
			break;
		}
	close = sqlx_close_paren(&k, open);
	for (s = open + 1; open >= 0 && close > 0 && s < close; n++) {
		int e = s, last;

		while (e < close && !(k.tok[e].kind == SQLX_COMMA && k.tok[e].depth == 1))
			e++;
		last = e - 1;
		if (last >= s && (sqlx_is(&k, last, "ASC") || sqlx_is(&k, last, "DESC")))
			last--;
		if (last - 1 >= s && sqlx_is(&k, last - 1, "COLLATE"))
			last -= 2;
		if (n < ix->nr_cols && !ix->cols[n].name && last >= s) {
			char *x = sqlx_text_dup(&k, s, last);

			ix->cols[n].expr = arena_strdup(r->arena, x);
			free(x);
		}
		s = e + 1;
	}
	if (close > 0 && sqlx_is(&k, close + 1, "WHERE") && close + 2 < k.nr) {
		char *w = sqlx_text_dup(&k, close + 2, k.nr - 1);

		ix->predicate = arena_strdup(r->arena, w);
		free(w);
	}
	sqlx_tokens_release(&k);
}

static const struct raw *raw_index(const struct raw_list *l, const struct raw *tr,
				   const char *name)
{
	for (int i = l->first_of_table[tr - l->r]; i >= 0; i = l->r[i].next_of_table)
		if (l->r[i].name && !strcmp(l->r[i].name, name) && !strcmp(l->r[i].type, "index"))
			return &l->r[i];
	return NULL;
}

static void read_index_columns(struct sq_reader *r, struct sq_table *t, struct sq_index *ix)
{
	sqlite3_stmt *st = pragma(r, "index_xinfo", t->temp, ix->name);
	size_t alloc = 0;

	while (st && sqlite3_step(st) == SQLITE_ROW) {
		struct sq_index_col *c;
		int cid = sqlite3_column_int(st, 1);

		if (!sqlite3_column_int(st, 5))
			continue;   /* not a key column: the row's key SQLite appends */
		if ((size_t)ix->nr_cols + 1 > alloc) {
			struct sq_index_col *grown;

			alloc = (alloc + 4) * 2;
			grown = arena_alloc(r->arena, alloc * sizeof(*grown));
			if (ix->nr_cols)
				memcpy(grown, ix->cols, (size_t)ix->nr_cols * sizeof(*grown));
			ix->cols = grown;
		}
		c = &ix->cols[ix->nr_cols++];
		c->name = cid >= 0 ? text_col(r->arena, st, 2) : NULL;
		c->expr = cid == -1 ? "rowid" : NULL;
		c->desc = sqlite3_column_int(st, 3);
	}
	sqlite3_finalize(st);
}

static void read_indexes(struct sq_reader *r, struct sq_table *t, const struct raw_list *l,
			 const struct raw *tr)
{
	sqlite3_stmt *st = pragma(r, "index_list", t->temp, t->name);
	size_t alloc = 0;

	while (st && sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *made = sqlite3_column_text(st, 3);
		const struct raw *w;
		struct sq_index *ix;

		ALLOC_GROW(t->ix, (size_t)t->nr_ix + 1, alloc);
		ix = &t->ix[t->nr_ix++];
		memset(ix, 0, sizeof(*ix));
		ix->name = text_col(r->arena, st, 1);
		ix->unique = sqlite3_column_int(st, 2);
		ix->made_by = made && !strcmp((const char *)made, "pk") ? 'p' :
			      made && made[0] == 'u' ? 'u' : 'c';
		w = ix->name ? raw_index(l, tr, ix->name) : NULL;
		ix->sql = w ? arena_strdup(r->arena, w->sql) : NULL;
	}
	sqlite3_finalize(st);
	/* index_list lists the newest first; keep the order of creation */
	for (int i = 0; i < t->nr_ix / 2; i++) {
		struct sq_index tmp = t->ix[i];

		t->ix[i] = t->ix[t->nr_ix - 1 - i];
		t->ix[t->nr_ix - 1 - i] = tmp;
	}
	for (int i = 0; i < t->nr_ix; i++) {
		read_index_columns(r, t, &t->ix[i]);
		parse_create_index(r, &t->ix[i]);
	}
}

static void read_triggers(struct sq_reader *r, struct sq_table *t, const struct raw_list *l,
			  const struct raw *tr)
{
	int n = 0;

	for (int i = l->first_of_table[tr - l->r]; i >= 0; i = l->r[i].next_of_table)
		n += !strcmp(l->r[i].type, "trigger");
	if (!n)
		return;
	t->triggers = arena_alloc(r->arena, (size_t)n * sizeof(*t->triggers));
	for (int i = l->first_of_table[tr - l->r]; i >= 0; i = l->r[i].next_of_table)
		if (!strcmp(l->r[i].type, "trigger"))
			t->triggers[t->nr_triggers++] = arena_strdup(r->arena, l->r[i].name);
}

/* ---- carrying origins over from the previous version ---- */

static const struct sq_col *old_col(const struct sq_table *old, const struct sq_table *t, int i)
{
	const struct sq_col *c = &t->cols[i];
	int unmatched_old = 0, unmatched_new = 0, pos_old = -1, pos_new = -1;

	for (int j = 0; j < old->nr_cols; j++)
		if (!strcmp(old->cols[j].name, c->name))
			return &old->cols[j];
	/* RENAME COLUMN: the one column without a match on either side */
	for (int j = 0; j < old->nr_cols; j++)
		if (!col_named((struct sq_table *)t, old->cols[j].name)) {
			unmatched_old++;
			pos_old = j;
		}
	for (int j = 0; j < t->nr_cols; j++)
		if (!sq_col_find(old, t->cols[j].name)) {
			unmatched_new++;
			pos_new = j;
		}
	if (unmatched_old == 1 && unmatched_new == 1 && pos_new == i &&
	    old->nr_cols == t->nr_cols)
		return &old->cols[pos_old];
	return NULL;
}

static bool same_index_cols(const struct sq_index *a, const struct sq_index *b)
{
	if (a->nr_cols != b->nr_cols || a->unique != b->unique || a->made_by != b->made_by)
		return false;
	for (int i = 0; i < a->nr_cols; i++) {
		const char *x = a->cols[i].name ? a->cols[i].name : a->cols[i].expr;
		const char *y = b->cols[i].name ? b->cols[i].name : b->cols[i].expr;

		if (!x || !y || strcasecmp(x, y))
			return false;
	}
	return true;
}

static struct sq_origin *index_origin(const struct sq_table *old, const struct sq_index *ix)
{
	for (int i = 0; i < old->nr_ix; i++)
		if (!strcmp(old->ix[i].name, ix->name))
			return old->ix[i].origin;
	/* automatic indexes are renamed along with their table */
	for (int i = 0; i < old->nr_ix; i++)
		if (ix->made_by != 'c' && same_index_cols(&old->ix[i], ix))
			return old->ix[i].origin;
	return NULL;
}

static bool same_fk(const struct sq_fk *a, const struct sq_fk *b, bool by_target)
{
	if (a->nr != b->nr || (by_target && strcasecmp(a->table, b->table)))
		return false;
	for (int i = 0; i < a->nr; i++) {
		if (!a->from[i] || !b->from[i] || strcasecmp(a->from[i], b->from[i]))
			return false;
		if (by_target && (!a->to[i] != !b->to[i] ||
				  (a->to[i] && strcasecmp(a->to[i], b->to[i]))))
			return false;
	}
	return true;
}

static struct sq_origin *fk_origin(const struct sq_table *old, const struct sq_table *t, int i)
{
	const struct sq_fk *fk = &t->fks[i];

	for (int j = 0; j < old->nr_fks; j++)
		if (same_fk(&old->fks[j], fk, true))
			return old->fks[j].origin;
	/* the referenced table or column was renamed: the same position */
	if (old->nr_fks == t->nr_fks && same_fk(&old->fks[i], fk, false))
		return old->fks[i].origin;
	return NULL;
}

static struct sq_origin *check_origin(const struct sq_table *old, const struct sq_check *k)
{
	for (int i = 0; i < old->nr_checks; i++)
		if (!strcmp(old->checks[i].expr, k->expr))
			return old->checks[i].origin;
	return NULL;
}

static void assign_origins(struct sq_table *t, const struct sq_table *old, struct sq_origin *o)
{
	t->origin = old ? old->origin : o;
	for (int i = 0; i < t->nr_cols; i++) {
		const struct sq_col *c = old ? old_col(old, t, i) : NULL;

		t->cols[i].origin = c ? c->origin : o;
	}
	for (int i = 0; i < t->nr_ix; i++) {
		struct sq_origin *x = old ? index_origin(old, &t->ix[i]) : NULL;

		t->ix[i].origin = x ? x : o;
	}
	for (int i = 0; i < t->nr_fks; i++) {
		struct sq_origin *x = old ? fk_origin(old, t, i) : NULL;

		t->fks[i].origin = x ? x : o;
	}
	for (int i = 0; i < t->nr_checks; i++) {
		struct sq_origin *x = old ? check_origin(old, &t->checks[i]) : NULL;

		t->checks[i].origin = x ? x : o;
	}
}

/* ---- snapshots ---- */

static struct sq_table *previous(const struct sq_schema *prev, const struct raw *w)
{
	for (int i = 0; prev && i < prev->nr; i++) {
		struct sq_table *t = prev->t[i];

		if (t->temp != w->temp || t->view != !strcmp(w->type, "view"))
			continue;
		if (w->rootpage > 0 ? t->rootpage == w->rootpage : !strcasecmp(t->name, w->name))
			return t;
	}
	return NULL;
}

static struct sq_table *read_table(struct sq_reader *r, const struct raw_list *l,
				   const struct raw *w, const char *sig, struct sq_table *old,
				   struct sq_origin *origin)
{
	struct sq_table *t = arena_alloc(r->arena, sizeof(*t));
	struct sq_table scratch = { 0 };

	t->tid = old ? old->tid : ++r->next_tid;
	t->name = arena_strdup(r->arena, w->name);
	t->sql = arena_strdup(r->arena, w->sql);
	t->signature = arena_strdup(r->arena, sig);
	t->rootpage = w->rootpage;
	t->temp = w->temp;
	t->view = !strcmp(w->type, "view");
	if (!t->view) {
		/* the PRAGMAs' arrays are malloc'ed; keep arena copies */
		scratch = *t;
		read_columns(r, &scratch);
		read_indexes(r, &scratch, l, w);
		read_fks(r, &scratch);
		parse_create_table(r, &scratch);
		t->nr_cols = scratch.nr_cols;
		t->cols = arena_alloc(r->arena, (size_t)t->nr_cols * sizeof(*t->cols) + 1);
		if (t->nr_cols)
			memcpy(t->cols, scratch.cols, (size_t)t->nr_cols * sizeof(*t->cols));
		t->nr_ix = scratch.nr_ix;
		t->ix = arena_alloc(r->arena, (size_t)t->nr_ix * sizeof(*t->ix) + 1);
		if (t->nr_ix)
			memcpy(t->ix, scratch.ix, (size_t)t->nr_ix * sizeof(*t->ix));
		t->nr_fks = scratch.nr_fks;
		t->fks = arena_alloc(r->arena, (size_t)t->nr_fks * sizeof(*t->fks) + 1);
		if (t->nr_fks)
			memcpy(t->fks, scratch.fks, (size_t)t->nr_fks * sizeof(*t->fks));
		t->nr_checks = scratch.nr_checks;
		t->checks = arena_alloc(r->arena, (size_t)t->nr_checks * sizeof(*t->checks) + 1);
		if (t->nr_checks)
			memcpy(t->checks, scratch.checks, (size_t)t->nr_checks * sizeof(*t->checks));
		free(scratch.cols);
		free(scratch.ix);
		free(scratch.fks);
		free(scratch.checks);
	}
	read_triggers(r, t, l, w);
	assign_origins(t, old, origin);
	return t;
}

struct sq_schema *sq_read(struct sq_reader *r, const struct sq_schema *prev,
			  struct sq_origin *origin)
{
	struct sq_schema *s = arena_alloc(r->arena, sizeof(*s));
	struct raw_list l = { NULL, 0, 0, { NULL }, NULL };
	int n = 0;

	arena_init(&l.scratch);
	r->sb->internal = true;
	read_raw(r, "main", &l);
	read_raw(r, "temp", &l);
	link_rows(&l);
	for (int i = 0; i < l.nr; i++)
		n += is_table_row(&l.r[i]);
	s->t = arena_alloc(r->arena, ((size_t)n + 1) * sizeof(*s->t));
	for (int i = 0; i < l.nr; i++) {
		const struct raw *w = &l.r[i];
		struct sq_table *old;
		char *sig;

		if (!is_table_row(w))
			continue;
		sig = signature(&l, w);
		old = previous(prev, w);
		if (old && !strcmp(old->signature, sig))
			s->t[s->nr++] = old;
		else
			s->t[s->nr++] = read_table(r, &l, w, sig, old, origin);
		free(sig);
	}
	r->sb->internal = false;
	free(l.r);
	arena_release(&l.scratch);
	return s;
}

/* ---- lookups ---- */

struct sq_table *sq_find(const struct sq_schema *s, const char *db, const char *name)
{
	bool want_temp = db && !strcasecmp(db, "temp");

	if (!s || !name)
		return NULL;
	if (!db) {
		struct sq_table *t = sq_find(s, "temp", name);

		return t ? t : sq_find(s, "main", name);
	}
	for (int i = 0; i < s->nr; i++)
		if (s->t[i]->temp == want_temp && !strcasecmp(s->t[i]->name, name))
			return s->t[i];
	return NULL;
}

struct sq_table *sq_find_tid(const struct sq_schema *s, int tid)
{
	for (int i = 0; s && i < s->nr; i++)
		if (s->t[i]->tid == tid)
			return s->t[i];
	return NULL;
}

const struct sq_col *sq_col_find(const struct sq_table *t, const char *name)
{
	for (int i = 0; t && name && i < t->nr_cols; i++)
		if (!strcasecmp(t->cols[i].name, name))
			return &t->cols[i];
	return NULL;
}

struct sq_table *sq_fk_target(const struct sq_schema *s, const struct sq_table *t,
			      const struct sq_fk *fk)
{
	struct sq_table *target = sq_find(s, t->temp ? "temp" : "main", fk->table);

	return target && !target->view ? target : NULL;
}

const char *sq_fk_to(const struct sq_table *target, const struct sq_fk *fk, int i)
{
	const struct sq_col *c;

	if (!target || i >= fk->nr)
		return NULL;
	if (fk->to[i]) {
		c = sq_col_find(target, fk->to[i]);
		return c ? c->name : NULL;
	}
	for (int j = 0; j < target->nr_cols; j++)
		if (target->cols[j].pk == i + 1)
			return target->cols[j].name;
	return NULL;
}

static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return true;
	return false;
}

char sq_affinity(const char *t)
{
	if (!t || !*t)
		return 'b';
	if (contains(t, "INT"))
		return 'i';
	if (contains(t, "CHAR") || contains(t, "CLOB") || contains(t, "TEXT"))
		return 't';
	if (contains(t, "BLOB"))
		return 'b';
	if (contains(t, "REAL") || contains(t, "FLOA") || contains(t, "DOUB"))
		return 'r';
	return 'n';
}
