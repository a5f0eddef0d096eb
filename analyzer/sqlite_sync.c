/*
 * sqlite_sync.c - write the SQLite model into the catalog, and describe
 * a statement as the changes rules read.
 *
 * The catalog follows the model table by table: a table whose version
 * changed is dropped from the catalog and created again from the new
 * version, every object with its own origin (so a column added in 2019
 * still says 2019). Dropping a table from the catalog also drops the
 * foreign keys that reference it (the catalog's cascades model
 * PostgreSQL), so the foreign keys of other tables that point at a table
 * that changed are added back. A foreign key whose table does not exist
 * (SQLite keeps it as text: after DROP TABLE, or when a rename rewrote
 * it) is not in the catalog until a table of that name exists again.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sqlite_lex.h"
#include "sqlite_replay_int.h"
#include "banned.h"

/* ---- the statement IR from the model ---- */

void sq_type_ref(struct arena *a, const char *decl, struct type_ref *out)
{
	const char *open = strchr(decl, '(');
	size_t n = open ? (size_t)(open - decl) : strlen(decl);
	char *name = arena_alloc(a, n + 1);
	size_t w = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		char c = decl[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (w && name[w - 1] != ' ')
				name[w++] = ' ';
			continue;
		}
		name[w++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	while (w && name[w - 1] == ' ')
		w--;
	name[w] = '\0';
	out->name = name;
	for (const char *p = open; p && *p && *p != ')' && out->nr_mods >= 0;) {
		char *end;
		long v;

		p++;
		while (*p == ' ')
			p++;
		v = strtol(p, &end, 10);
		if (end == p) {
			out->nr_mods = -1;
			break;
		}
		if (out->nr_mods < 2)
			out->mods[out->nr_mods++] = (int)v;
		p = end;
		while (*p == ' ')
			p++;
		if (*p != ',')
			break;
	}
}

/* A default that is a literal: a number, a string, a blob, NULL, TRUE, FALSE. */
static bool literal(const char *s)
{
	struct sqlx_tokens k = { 0 };
	bool lit = false;
	int i = 0;

	sqlx_tokenize(&k, s, 0, strlen(s));
	while (i < k.nr && k.tok[i].kind == SQLX_LP && k.tok[k.nr - 1 - i].kind == SQLX_RP)
		i++;   /* (0) is 0 */
	if (k.nr - 2 * i == 2 && k.tok[i].kind == SQLX_OP && k.tok[i + 1].kind == SQLX_NUMBER)
		lit = s[k.tok[i].start] == '-' || s[k.tok[i].start] == '+';
	else if (k.nr - 2 * i == 1)
		lit = k.tok[i].kind == SQLX_NUMBER || k.tok[i].kind == SQLX_STRING ||
		      k.tok[i].kind == SQLX_BLOB || sqlx_is(&k, i, "NULL") ||
		      sqlx_is(&k, i, "TRUE") || sqlx_is(&k, i, "FALSE");
	sqlx_tokens_release(&k);
	return lit;
}

static char volatility(const char *dflt)
{
	if (!dflt)
		return 0;
	if (literal(dflt))
		return 'i';
	if (!strcasecmp(dflt, "CURRENT_TIMESTAMP") || !strcasecmp(dflt, "CURRENT_DATE") ||
	    !strcasecmp(dflt, "CURRENT_TIME"))
		return 's';
	return 'v';
}

static struct expr *make_expr(struct arena *a, const char *text)
{
	struct expr *e;

	if (!text)
		return NULL;
	e = arena_alloc(a, sizeof(*e));
	e->text = text;
	e->is_const = literal(text);
	e->is_null = !strcasecmp(text, "NULL");
	return e;
}

struct column_def *sq_coldef(struct arena *a, const struct sq_col *c)
{
	struct column_def *cd = arena_alloc(a, sizeof(*cd));

	cd->name = c->name;
	sq_type_ref(a, c->type, &cd->type);
	cd->not_null = c->not_null;
	cd->default_expr = make_expr(a, c->dflt);
	cd->generated = make_expr(a, c->generated);
	return cd;
}

struct index_def *sq_index_def(struct arena *a, const struct sq_table *t,
			       const struct sq_index *ix)
{
	struct index_def *d = arena_alloc(a, sizeof(*d));

	d->name = ix->name;
	d->table.name = t->name;
	d->unique = ix->unique;
	d->method = "btree";
	d->elems = arena_alloc(a, (size_t)ix->nr_cols * sizeof(*d->elems) + 1);
	d->nr_elems = ix->nr_cols;
	for (int i = 0; i < ix->nr_cols; i++) {
		d->elems[i].column = ix->cols[i].name;
		d->elems[i].expr = ix->cols[i].name ? NULL : make_expr(a, ix->cols[i].expr);
		d->elems[i].desc = ix->cols[i].desc;
	}
	d->where = make_expr(a, ix->predicate);
	return d;
}

/* ---- the catalog ---- */

static void set_origin(struct sqlite_replay *r, const struct sq_origin *o)
{
	static const struct cat_origin none = { .file_index = -1, .file = "" };

	cat_set_origin(r->cat, o && o->set ? &o->o : &none);
}

static cat_id rel_id(struct sqlite_replay *r, const char *name)
{
	struct cat_rel rel;

	return cat_rel_find(r->cat, r->public_id, name, &rel) ? 0 : rel.id;
}

static cat_id col_id(struct sqlite_replay *r, cat_id rel, const char *name)
{
	struct cat_col col;

	return name && !cat_col_find(r->cat, rel, name, &col) ? col.id : 0;
}

/* 'base', or base_1, base_2... when a constraint of 'rel' has it. */
static char *free_con_name(struct sqlite_replay *r, cat_id rel, const char *base)
{
	char *name = xstrdup(base);

	for (int i = 1; cat_con_name_taken(r->cat, rel, name); i++) {
		free(name);
		name = xstrfmt("%s_%d", base, i);
	}
	return name;
}

static const char *view_query(const char *sql)
{
	struct sqlx_tokens k = { 0 };
	const char *q = sql;

	if (!sql)
		return NULL;
	sqlx_tokenize(&k, sql, 0, strlen(sql));
	for (int i = 0; i < k.nr; i++)
		if (k.tok[i].depth == 0 && sqlx_is(&k, i, "AS") && i + 1 < k.nr) {
			q = sql + k.tok[i + 1].start;
			break;
		}
	sqlx_tokens_release(&k);
	return q;
}

static void add_columns(struct sqlite_replay *r, const struct sq_table *t, cat_id rel)
{
	struct arena scratch;

	arena_init(&scratch);
	for (int i = 0; i < t->nr_cols; i++) {
		const struct sq_col *c = &t->cols[i];
		struct cat_col_def def = { 0 };
		struct type_ref type;
		cat_id id;

		if (c->hidden == 1)
			continue;   /* a virtual table's hidden column */
		sq_type_ref(&scratch, c->type, &type);
		def.name = c->name;
		def.type = &type;
		def.not_null = c->not_null;
		def.default_expr = c->dflt;
		def.default_volatility = volatility(c->dflt);
		def.generated = c->hidden >= 2 ? (c->generated ? c->generated : "?") : NULL;
		set_origin(r, c->origin);
		if ((id = cat_col_add(r->cat, rel, &def)))
			cat_col_set_type_text(r->cat, id, c->type);
	}
	arena_release(&scratch);
}

static cat_id add_index(struct sqlite_replay *r, cat_id rel, const struct sq_index *ix,
			cat_id *cols)
{
	struct cat_index_col *ic = xcalloc((size_t)ix->nr_cols + 1, sizeof(*ic));
	cat_id id;

	for (int i = 0; i < ix->nr_cols; i++) {
		ic[i].column_id = cols[i];
		ic[i].expr = ix->cols[i].name ? NULL : ix->cols[i].expr;
		ic[i].desc = ix->cols[i].desc;
	}
	set_origin(r, ix->origin);
	id = cat_index_add(r->cat, r->public_id, ix->name, rel, ix->unique, ix->made_by == 'p',
			   "btree", ix->predicate, ic, ix->nr_cols);
	free(ic);
	return id;
}

static void add_indexes(struct sqlite_replay *r, const struct sq_table *t, cat_id rel,
			cat_id *pk_index)
{
	for (int i = 0; i < t->nr_ix; i++) {
		const struct sq_index *ix = &t->ix[i];
		cat_id *cols = xcalloc((size_t)ix->nr_cols + 1, sizeof(*cols));
		struct cat_con_def def = { 0 };
		cat_id id;

		for (int j = 0; j < ix->nr_cols; j++)
			cols[j] = col_id(r, rel, ix->cols[j].name);
		id = add_index(r, rel, ix, cols);
		if (ix->made_by == 'p')
			*pk_index = id;
		if (ix->made_by == 'u' && id) {
			def.kind = CON_UNIQUE;
			def.name = ix->name;
			def.columns = cols;
			def.nr_columns = ix->nr_cols;
			def.validated = true;
			def.index_id = id;
			cat_con_add(r->cat, rel, &def);
		}
		free(cols);
	}
}

static void add_primary_key(struct sqlite_replay *r, const struct sq_table *t, cat_id rel,
			    cat_id pk_index)
{
	cat_id cols[64];
	struct cat_con_def def = { 0 };
	char *base, *name;
	int n = 0;

	for (int pos = 1; n < (int)ARRAY_SIZE(cols); pos++) {
		int found = -1;

		for (int i = 0; i < t->nr_cols; i++)
			if (t->cols[i].pk == pos)
				found = i;
		if (found < 0)
			break;
		cols[n++] = col_id(r, rel, t->cols[found].name);
	}
	if (!n)
		return;
	base = xstrfmt("%s_pkey", t->name);
	name = free_con_name(r, rel, base);
	def.kind = CON_PRIMARY;
	def.name = name;
	def.columns = cols;
	def.nr_columns = n;
	def.validated = true;
	def.index_id = pk_index;
	set_origin(r, t->origin);
	cat_con_add(r->cat, rel, &def);
	free(name);
	free(base);
}

/* "col IS NOT NULL", exactly: the column. */
static char *not_null_column(const char *expr)
{
	struct sqlx_tokens k = { 0 };
	char *col = NULL;

	sqlx_tokenize(&k, expr, 0, strlen(expr));
	if (k.nr == 4 && sqlx_is_name(&k, 0) && sqlx_is(&k, 1, "IS") && sqlx_is(&k, 2, "NOT") &&
	    sqlx_is(&k, 3, "NULL"))
		col = sqlx_name_dup(&k, 0);
	sqlx_tokens_release(&k);
	return col;
}

static void add_checks(struct sqlite_replay *r, const struct sq_table *t, cat_id rel)
{
	for (int i = 0; i < t->nr_checks; i++) {
		const struct sq_check *k = &t->checks[i];
		struct cat_con_def def = { 0 };
		char *base = k->name ? xstrdup(k->name) :
			     k->column ? xstrfmt("%s_%s_check", t->name, k->column) :
			     xstrfmt("%s_check", t->name);
		char *name = free_con_name(r, rel, base);
		char *nn = not_null_column(k->expr);

		def.kind = CON_CHECK;
		def.name = name;
		def.expr = k->expr;
		def.not_null_column = nn;
		def.validated = true;
		set_origin(r, k->origin);
		cat_con_add(r->cat, rel, &def);
		free(nn);
		free(name);
		free(base);
	}
}

static void create_rel(struct sqlite_replay *r, const struct sq_table *t)
{
	cat_id rel, pk_index = 0;

	set_origin(r, t->origin);
	rel = cat_rel_create(r->cat, r->public_id, t->name, t->view ? REL_VIEW : REL_TABLE, 0);
	if (!rel)
		return;
	if (t->view) {
		cat_rel_set_text(r->cat, rel, "definition", view_query(t->sql));
	} else {
		add_columns(r, t, rel);
		add_indexes(r, t, rel, &pk_index);
		add_primary_key(r, t, rel, pk_index);
		add_checks(r, t, rel);
	}
	for (int i = 0; i < t->nr_triggers; i++) {
		set_origin(r, t->origin);
		cat_trigger_create(r->cat, rel, t->triggers[i]);
	}
}

static void add_fk(struct sqlite_replay *r, const struct sq_schema *s, const struct sq_table *t,
		   const struct sq_fk *fk)
{
	const struct sq_table *target = sq_fk_target(s, t, fk);
	cat_id rel = rel_id(r, t->name), ref = target ? rel_id(r, target->name) : 0;
	cat_id *cols = xcalloc((size_t)fk->nr + 1, sizeof(*cols));
	cat_id *refs = xcalloc((size_t)fk->nr + 1, sizeof(*refs));
	struct cat_con_def def = { 0 };
	struct strbuf base;
	bool complete = rel && ref;
	char *name;

	strbuf_init(&base);
	strbuf_addstr(&base, t->name);
	for (int i = 0; complete && i < fk->nr; i++) {
		cols[i] = col_id(r, rel, fk->from[i]);
		refs[i] = col_id(r, ref, sq_fk_to(target, fk, i));
		complete = cols[i] && refs[i];
		strbuf_addf(&base, "_%s", fk->from[i]);
	}
	strbuf_addstr(&base, "_fkey");
	if (complete) {
		name = free_con_name(r, rel, base.buf);
		def.kind = CON_FOREIGN;
		def.name = name;
		def.columns = cols;
		def.nr_columns = fk->nr;
		def.ref_columns = refs;
		def.ref_rel_id = ref;
		def.on_delete = fk->on_delete;
		def.on_update = fk->on_update;
		def.validated = true;
		set_origin(r, fk->origin);
		cat_con_add(r->cat, rel, &def);
		free(name);
	}
	strbuf_release(&base);
	free(cols);
	free(refs);
}

struct names {
	const char **v;
	int nr;
	size_t alloc;
};

static void names_add(struct names *n, const char *s)
{
	ALLOC_GROW(n->v, (size_t)n->nr + 1, n->alloc);
	n->v[n->nr++] = s;
}

static bool names_has(const struct names *n, const char *s)
{
	for (int i = 0; i < n->nr; i++)
		if (!strcasecmp(n->v[i], s))
			return true;
	return false;
}

void sq_sync(struct sqlite_replay *r, struct sq_schema *to)
{
	struct sq_schema *from = r->synced;
	struct names dirty = { 0 }, made = { 0 };

	if (from == to)
		return;
	for (int i = 0; i < from->nr; i++) {
		const struct sq_table *t = from->t[i];
		cat_id id;

		if (t->temp || sq_find_tid(to, t->tid) == t)
			continue;
		if ((id = rel_id(r, t->name)))
			cat_rel_drop(r->cat, id);
		names_add(&dirty, t->name);
	}
	for (int i = 0; i < to->nr; i++) {
		const struct sq_table *t = to->t[i];

		if (t->temp || sq_find_tid(from, t->tid) == t)
			continue;
		create_rel(r, t);
		names_add(&dirty, t->name);
		names_add(&made, t->name);
	}
	for (int i = 0; i < to->nr; i++) {
		const struct sq_table *t = to->t[i];
		bool remade = names_has(&made, t->name);

		for (int j = 0; !t->temp && !t->view && j < t->nr_fks; j++)
			if (remade || names_has(&dirty, t->fks[j].table))
				add_fk(r, to, t, &t->fks[j]);
	}
	free(dirty.v);
	free(made.v);
	r->synced = to;
}

/* ---- changes ---- */

static struct change *add_change(struct replay_result *res, enum change_kind kind,
				 const struct rel_ref *rel)
{
	struct change *ch;

	ALLOC_GROW(res->changes, (size_t)res->nr_changes + 1, res->alloc_changes);
	ch = &res->changes[res->nr_changes++];
	memset(ch, 0, sizeof(*ch));
	ch->kind = kind;
	ch->rel = *rel;
	return ch;
}

/* The table as rules see it (its catalog id as the catalog is now). */
static struct rel_ref ref_of(struct sqlite_replay *r, struct replay_result *res,
			     const struct sq_table *t)
{
	struct rel_ref ref = { 0 };

	ref.id = rel_id(r, t->name);
	ref.schema = "public";
	ref.name = arena_strdup(&res->arena, t->name);
	ref.kind = t->view ? REL_VIEW : REL_TABLE;
	ref.created_file = t->origin && t->origin->set ? t->origin->o.file_index : -1;
	ref.created_in_range = t->origin && t->origin->set && t->origin->o.in_range;
	ref.known = true;
	return ref;
}

/* The column of 'b' (before) that 'a' (after) lost, or renamed: the one
   unmatched column on each side. */
static void column_changes_before(struct sqlite_replay *r, struct replay_result *res,
				  const struct sq_table *b, const struct sq_table *a,
				  const struct rel_ref *ref)
{
	const struct sq_col *gone = NULL, *came = NULL;
	int nr_gone = 0, nr_came = 0;

	for (int i = 0; i < b->nr_cols; i++)
		if (!sq_col_find(a, b->cols[i].name)) {
			gone = &b->cols[i];
			nr_gone++;
		}
	for (int i = 0; i < a->nr_cols; i++)
		if (!sq_col_find(b, a->cols[i].name)) {
			came = &a->cols[i];
			nr_came++;
		}
	if (nr_gone == 1 && nr_came == 1 && a->nr_cols == b->nr_cols) {
		struct change *ch = add_change(res, CH_RENAME_COLUMN, ref);

		ch->column = gone->name;
		ch->new_name = came->name;
		return;
	}
	for (int i = 0; i < b->nr_cols; i++)
		if (!sq_col_find(a, b->cols[i].name))
			add_change(res, CH_DROP_COLUMN, ref)->column = b->cols[i].name;
	for (int i = 0; i < b->nr_ix; i++) {
		bool kept = false;

		for (int j = 0; j < a->nr_ix; j++)
			kept |= !strcmp(a->ix[j].name, b->ix[i].name);
		if (!kept && b->ix[i].made_by == 'c')
			add_change(res, CH_DROP_INDEX, ref)->name = b->ix[i].name;
	}
}

static void column_changes_after(struct sqlite_replay *r, struct replay_result *res,
				 const struct sq_table *b, const struct sq_table *a,
				 const struct rel_ref *ref)
{
	bool renamed = b->nr_cols == a->nr_cols;

	for (int i = 0; !renamed && i < a->nr_cols; i++)
		if (!sq_col_find(b, a->cols[i].name)) {
			struct change *ch = add_change(res, CH_ADD_COLUMN, ref);

			ch->column = a->cols[i].name;
			ch->coldef = sq_coldef(&res->arena, &a->cols[i]);
			ch->new_type = ch->coldef->type;
		}
	for (int i = 0; i < a->nr_ix; i++) {
		bool old = false;
		struct change *ch;

		for (int j = 0; j < b->nr_ix; j++)
			old |= !strcmp(a->ix[i].name, b->ix[j].name);
		if (old || a->ix[i].made_by != 'c')
			continue;
		ch = add_change(res, CH_CREATE_INDEX, ref);
		ch->name = a->ix[i].name;
		ch->index = sq_index_def(&res->arena, a, &a->ix[i]);
	}
}

static void changes_before(struct sqlite_replay *r, struct sq_rec *rec,
			   struct replay_result *res)
{
	for (int i = 0; i < rec->before->nr; i++) {
		const struct sq_table *b = rec->before->t[i];
		const struct sq_table *a = sq_find_tid(rec->after, b->tid);
		struct rel_ref ref;

		if (b->temp || a == b)
			continue;
		ref = ref_of(r, res, b);
		if (!a) {
			if (!sq_tid_in(rec->no_drop, rec->nr_no_drop, b->tid))
				add_change(res, b->view ? CH_DROP_VIEW : CH_DROP_TABLE, &ref)->name =
					ref.name;
			continue;
		}
		if (strcmp(a->name, b->name) && !sq_tid_in(rec->no_rename, rec->nr_no_rename, b->tid))
			add_change(res, CH_RENAME_TABLE, &ref)->new_name = a->name;
		if (!b->view)
			column_changes_before(r, res, b, a, &ref);
	}
}

static void changes_after(struct sqlite_replay *r, struct sq_rec *rec,
			  struct replay_result *res)
{
	for (int i = 0; i < rec->after->nr; i++) {
		const struct sq_table *a = rec->after->t[i];
		const struct sq_table *b = sq_find_tid(rec->before, a->tid);
		struct rel_ref ref;

		if (a->temp || a == b)
			continue;
		ref = ref_of(r, res, a);
		if (!b)
			add_change(res, a->view ? CH_CREATE_VIEW : CH_CREATE_TABLE, &ref)->name = ref.name;
		else if (!a->view)
			column_changes_after(r, res, b, a, &ref);
	}
}

static void dml_change(struct sqlite_replay *r, struct sq_rec *rec, struct replay_result *res)
{
	const struct sq_table *t;
	struct rel_ref ref;

	if (rec->verb != V_INSERT && rec->verb != V_UPDATE && rec->verb != V_DELETE)
		return;
	t = sq_find(rec->after, rec->db, rec->object);
	if (!t || t->temp)
		return;
	ref = ref_of(r, res, t);
	add_change(res, CH_DML, &ref);
}

static void rebuild_change(struct sqlite_replay *r, struct sq_rec *rec,
			   struct replay_result *res)
{
	const struct sq_table *old = rec->rebuild_old;
	struct rel_ref ref;
	struct change *ch;

	if (!rec->rebuild || !old)
		return;
	ref = ref_of(r, res, old);
	ch = add_change(res, CH_REBUILD_TABLE, &ref);
	ch->name = rec->rebuild->target;
	ch->new_name = rec->rebuild->final_name;
	ch->rebuild = rec->rebuild;
}

static void problem(struct replay_result *res, enum rule_id rule, size_t start,
		    const char *message)
{
	struct replay_problem *p;

	ALLOC_GROW(res->problems, (size_t)res->nr_problems + 1, res->alloc_problems);
	p = &res->problems[res->nr_problems++];
	memset(p, 0, sizeof(*p));
	p->rule = rule;
	p->start = start;
	p->message = arena_strdup(&res->arena, message ? message : "SQLite refuses it");
}

void sq_changes(struct sqlite_replay *r, struct sq_rec *rec, struct replay_result *res)
{
	if (!rec->ok && !rec->skipped && !rec->syntax)
		problem(res, rec->rule, rec->err_offset, rec->message);
	for (int i = 0; i < rec->nr_notes; i++)
		problem(res, RULE_UNKNOWN_OBJECT, rec->start, rec->notes[i]);
	if (rec->before != rec->after)
		changes_before(r, rec, res);
	sq_sync(r, rec->after);
	if (rec->before != rec->after)
		changes_after(r, rec, res);
	if (rec->ok) {
		dml_change(r, rec, res);
		rebuild_change(r, rec, res);
	}
}
