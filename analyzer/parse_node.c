/*
 * parse_node.c - the parser's own tree, read without JSON where it pays.
 *
 * pg_query_parse() builds PostgreSQL's raw parse tree and then writes it
 * out as JSON, which parse.c decodes again and searches by key: of a
 * lint of 20,000 typical statements that was a third of everything run
 * (the JSON writer 15%, its decoding 12%, the key searches in between).
 * Here the tree is made by pg_query_raw_parse() and read as the structs
 * PostgreSQL declares (its server headers, postgresql-server-dev-15,
 * of the major version libpg_query was cut from: PostgreSQL keeps node
 * layouts unchanged within a major version).
 *
 * The statements most of any migration history is made of are
 * translated here (CREATE TABLE, ALTER TABLE, CREATE INDEX, DROP,
 * RENAME, COMMENT, INSERT/UPDATE/DELETE, transaction statements, a
 * plain SELECT: node_handles()), and the common expressions inside them
 * (simple()). Every other statement and expression is written to JSON by
 * libpg_query, that statement or that expression alone, and translated
 * by parse.c as before: the result is the same 'struct stmt' either way
 * (tests/test_parse.c checks the statements' fields, and
 * tests/t_parse_paths.py compares both roads' output on every fixture
 * and history).
 *
 * The translation below mirrors parse.c's reading of the JSON field for
 * field, including what the JSON leaves out: libpg_query omits zeros,
 * false and NULL, and in 15-4.0.0 the value of an integer constant that
 * is zero or negative (recovered from the text, as parse.c does).
 *
 * Memory: the tree lives in a libpg_query memory context that goes when
 * node_parse() returns; everything a statement keeps is copied into
 * ctx->arena.
 */
#define _GNU_SOURCE   /* PostgreSQL's headers want sigjmp_buf */
#include "postgres.h"
#include "nodes/parsenodes.h"
#include "nodes/pg_list.h"
#include "lib/stringinfo.h"

#if PG_MAJORVERSION_NUM != 15
#error "parse_node.c reads libpg_query 15's trees: it needs PostgreSQL 15's server headers"
#endif

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <pg_query.h>
#include <pg_query/pg_query_internal.h>

/* pg_query.h's PG_VERSION_NUM is libpg_query's own (150001) */
#if PG_VERSION_NUM / 10000 != PG_MAJORVERSION_NUM
#error "libpg_query and PostgreSQL's server headers are of different major versions"
#endif

#include "parse_int.h"
#include "pgguard.h"
#include "types.h"

#include "banned.h"

/* libpg_query's JSON writer, not in its public header */
char *pg_query_nodes_to_json(const void *obj);

/*
 * The stack libpg_query's JSON writer may take (pgguard.h): 1 MB, some
 * 16,000 levels of the tree, far more than pgjson.c decodes (its
 * PGJSON_NESTING_LIMIT of 1,000 is about 500 levels of operators); a
 * quarter of the stack where the limit on it is lower. Threads other
 * than the main one have at least the main thread's (prefetch.c).
 */
#define JSON_STACK_MAX ((size_t)1 << 20)

static size_t json_stack;

static void size_json_stack(void)
{
	struct rlimit rl;

	json_stack = JSON_STACK_MAX;
	if (!getrlimit(RLIMIT_STACK, &rl) && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur / 4 < JSON_STACK_MAX)
		json_stack = (size_t)rl.rlim_cur / 4;
}

/*
 * pg_query_nodes_to_json() of 'obj' (palloc'ed), or NULL when the tree
 * is nested deeper than json_stack bytes of the writer's stack allow;
 * then *partial, when not NULL, is what the writer had written (NUL-
 * terminated, palloc'ed). Below that bound the text is the same.
 */
static char *json_of(const void *obj, const char **partial)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	jmp_buf env;
	char *volatile json = NULL;

	pthread_once(&once, size_json_stack);
	pgprintf_guard.out = NULL;
	pgprintf_guard.floor = (uintptr_t)__builtin_frame_address(0) - json_stack;
	pgprintf_guard.env = &env;
	if (!setjmp(env))
		json = pg_query_nodes_to_json(obj);
	else if (partial)
		*partial = pgprintf_guard.out ? ((StringInfo)pgprintf_guard.out)->data : "";
	pgprintf_guard.env = NULL;
	return json;
}

/* Set when an expression's JSON did not decode: the statement goes to
   parse.c whole, which meets the same failure and reports it. */
struct nctx {
	struct pctx *p;
	bool ok;
};

static const char *str_of(const Node *n)
{
	return n && IsA(n, String) ? (strVal(n) ? strVal(n) : "") : NULL;
}

static const char *last_str(const List *l)
{
	const char *s = NULL;
	ListCell *lc;

	foreach(lc, l)
		s = str_of(lfirst(lc));
	return s;
}

/* A list of String nodes but its last 'drop_last': the last two are
   schema and name. */
static struct qname qname_of_list(struct pctx *ctx, const List *l, int drop_last)
{
	const char *prev = NULL, *cur = NULL;
	int n = list_length(l) - drop_last, i = 0;
	struct qname q;
	ListCell *lc;

	foreach(lc, l) {
		if (i++ >= n)
			break;
		prev = cur;
		cur = str_of(lfirst(lc));
	}
	q.schema = sdup(ctx, prev);
	q.name = sdup(ctx, cur);
	return q;
}

static struct qname qname_of_rv(struct pctx *ctx, const RangeVar *rv)
{
	struct qname q = { NULL, NULL };

	if (rv) {
		q.schema = sdup(ctx, rv->schemaname);
		q.name = sdup(ctx, rv->relname);
	}
	return q;
}

/* The name of an object in DROP, COMMENT, RENAME in any of its forms. */
static struct qname qname_of_object(struct pctx *ctx, const Node *n)
{
	struct qname q = { NULL, NULL };

	if (!n)
		return q;
	if (IsA(n, String))
		q.name = sdup(ctx, str_of(n));
	else if (IsA(n, List))
		q = qname_of_list(ctx, (const List *)n, 0);
	else if (IsA(n, TypeName))
		q = qname_of_list(ctx, ((const TypeName *)n)->names, 0);
	else if (IsA(n, ObjectWithArgs))
		q = qname_of_list(ctx, ((const ObjectWithArgs *)n)->objname, 0);
	else if (IsA(n, RangeVar))
		q = qname_of_rv(ctx, (const RangeVar *)n);
	return q;
}

/* The names of the IndexElem or ResTarget nodes of a list, skipping
   those without one (parse.c's node_names()). */
static const char **node_names(struct pctx *ctx, const List *l, NodeTag tag, int *nr)
{
	const char **v;
	ListCell *lc;

	*nr = 0;
	if (!list_length(l))
		return NULL;
	v = arena_alloc(ctx->arena, (size_t)list_length(l) * sizeof(*v));
	foreach(lc, l) {
		const Node *n = lfirst(lc);
		const char *name = nodeTag(n) != tag ? NULL : IsA(n, IndexElem) ?
			((const IndexElem *)n)->name : ((const ResTarget *)n)->name;

		if (name)
			v[(*nr)++] = sdup(ctx, name);
	}
	return v;
}

static const char **str_list(struct pctx *ctx, const List *l, int *nr)
{
	const char **v;
	ListCell *lc;
	int n = 0;

	*nr = 0;
	if (!list_length(l))
		return NULL;
	v = arena_alloc(ctx->arena, (size_t)list_length(l) * sizeof(*v));
	foreach(lc, l) {
		const char *s = str_of(lfirst(lc));

		if (s)
			v[n++] = sdup(ctx, s);
	}
	*nr = n;
	return v;
}

/* ---- types ----------------------------------------------------------- */

/* An integer constant's value, as parse.c reads it from the JSON (which
   has none for zero and negative ones: pctx_int_at()) */
static long const_ival(struct pctx *ctx, const A_Const *c)
{
	return c->val.ival.ival > 0 ? c->val.ival.ival : pctx_int_at(ctx, c->location);
}

static void typmods_of(struct pctx *ctx, const List *mods, struct type_ref *t)
{
	ListCell *lc;

	foreach(lc, mods) {
		const A_Const *c = lfirst(lc);

		if (!IsA(c, A_Const) || c->isnull || !IsA(&c->val, Integer)) {
			t->nr_mods = -1;
			return;
		}
		if (t->nr_mods < 2)
			t->mods[t->nr_mods++] = (int)const_ival(ctx, c);
	}
}

static void type_of(struct pctx *ctx, const TypeName *tn, struct type_ref *t)
{
	struct qname q;
	const char *canon;

	memset(t, 0, sizeof(*t));
	if (!tn)
		return;
	q = qname_of_list(ctx, tn->names, 0);
	if (!q.name)
		return;
	if (!q.schema || !strcmp(q.schema, "pg_catalog")) {
		canon = pctx_builtin_type(q.name, &t->serial);
		if (canon)
			q.name = canon;
		q.schema = NULL;
	}
	t->schema = q.schema;
	t->name = q.name;
	typmods_of(ctx, tn->typmods, t);
	t->array_dims = list_length(tn->arrayBounds);
}

/* ---- expressions ---------------------------------------------------------- */

/*
 * The expressions most DEFAULTs and CHECKs are made of (constants,
 * casts, columns, function calls, operators, IS [NOT] NULL, AND/OR/NOT)
 * are rendered here, as parse.c's render() writes them from JSON; any
 * other node sends the whole expression to parse.c as JSON.
 */
static bool simple_list(const List *l, int depth);

static bool simple(const Node *n, int depth)
{
	if (!n || depth > 32)
		return false;
	switch (nodeTag(n)) {
	case T_A_Const:
	case T_SQLValueFunction:
		return true;
	case T_ColumnRef: {
		ListCell *lc;

		foreach(lc, ((const ColumnRef *)n)->fields)
			if (!IsA(lfirst(lc), String) && !IsA(lfirst(lc), A_Star))
				return false;
		return true;
	}
	case T_TypeCast:
		return simple(((const TypeCast *)n)->arg, depth + 1);
	case T_FuncCall: {
		const FuncCall *f = (const FuncCall *)n;

		return !f->agg_order && !f->agg_filter && !f->over && !f->agg_within_group &&
		       !f->agg_star && !f->agg_distinct && !f->func_variadic &&
		       simple_list(f->args, depth + 1);
	}
	case T_A_Expr: {
		const A_Expr *a = (const A_Expr *)n;

		return a->kind == AEXPR_OP && a->rexpr &&
		       (!a->lexpr || simple(a->lexpr, depth + 1)) && simple(a->rexpr, depth + 1);
	}
	case T_NullTest:
		return simple((const Node *)((const NullTest *)n)->arg, depth + 1);
	case T_BoolExpr:
		return list_length(((const BoolExpr *)n)->args) &&
		       simple_list(((const BoolExpr *)n)->args, depth + 1);
	default:
		return false;
	}
}

static bool simple_list(const List *l, int depth)
{
	ListCell *lc;

	foreach(lc, l)
		if (!simple(lfirst(lc), depth))
			return false;
	return true;
}

static void rn(struct pctx *ctx, const Node *n);

/* nested operators get parentheses so the text is unambiguous */
static void rn_operand(struct pctx *ctx, const Node *n)
{
	if (IsA(n, A_Expr) || IsA(n, BoolExpr) || IsA(n, NullTest)) {
		strbuf_addch(&ctx->sb, '(');
		rn(ctx, n);
		strbuf_addch(&ctx->sb, ')');
	} else {
		rn(ctx, n);
	}
}

static void rn_const(struct pctx *ctx, const A_Const *c)
{
	struct strbuf *sb = &ctx->sb;

	if (c->isnull) {
		strbuf_addstr(sb, "null");
	} else if (IsA(&c->val, String)) {
		pctx_quoted(sb, c->val.sval.sval ? c->val.sval.sval : "", '\'');
	} else if (IsA(&c->val, Float)) {
		strbuf_addstr(sb, c->val.fval.fval ? c->val.fval.fval : "0");
	} else if (IsA(&c->val, Boolean)) {
		strbuf_addstr(sb, c->val.boolval.boolval ? "true" : "false");
	} else if (IsA(&c->val, BitString)) {
		const char *bs = c->val.bsval.bsval;

		if (bs && *bs) {
			strbuf_addch(sb, *bs);
			pctx_quoted(sb, bs + 1, '\'');
		}
	} else {
		strbuf_addf(sb, "%ld", const_ival(ctx, c));
	}
}

static void rn_columnref(struct pctx *ctx, const ColumnRef *c)
{
	const char *last = NULL;
	ListCell *lc;

	foreach(lc, c->fields) {
		const char *s = str_of(lfirst(lc));

		if (lc != list_head(c->fields))
			strbuf_addch(&ctx->sb, '.');
		if (s)
			add_ident(&ctx->sb, s);
		else
			strbuf_addch(&ctx->sb, '*');
		last = s;
	}
	if (last)
		pctx_strvec_add(&ctx->cols, sdup(ctx, last));
}

static void rn_funccall(struct pctx *ctx, const FuncCall *f)
{
	struct strbuf *sb = &ctx->sb;
	const char *last = last_str(f->funcname);
	bool first = true;
	ListCell *lc;

	foreach(lc, f->funcname) {
		const char *s = str_of(lfirst(lc));

		if (first && lnext(f->funcname, lc) && s && !strcmp(s, "pg_catalog"))
			continue;
		if (!first)
			strbuf_addch(sb, '.');
		strbuf_addstr(sb, s ? s : "?");
		first = false;
	}
	if (last)
		pctx_strvec_add(&ctx->funcs, sdup_lower(ctx, last));
	strbuf_addch(sb, '(');
	foreach(lc, f->args) {
		if (lc != list_head(f->args))
			strbuf_addstr(sb, ", ");
		rn(ctx, lfirst(lc));
	}
	strbuf_addch(sb, ')');
}

static void rn_typecast(struct pctx *ctx, const TypeCast *c)
{
	struct type_ref t;
	const Node *arg = c->arg;

	if (IsA(arg, A_Const) || IsA(arg, ColumnRef) || IsA(arg, FuncCall) ||
	    IsA(arg, TypeCast) || IsA(arg, ParamRef)) {
		rn(ctx, arg);
	} else {
		strbuf_addch(&ctx->sb, '(');
		rn(ctx, arg);
		strbuf_addch(&ctx->sb, ')');
	}
	strbuf_addstr(&ctx->sb, "::");
	type_of(ctx, c->typeName, &t);
	pctx_type_text(&ctx->sb, &t, true, true);
}

static void rn_sqlvalue(struct pctx *ctx, const SQLValueFunction *v)
{
	static const char *const names[] = {
		[SVFOP_CURRENT_DATE] = "current_date",
		[SVFOP_CURRENT_TIME] = "current_time",
		[SVFOP_CURRENT_TIME_N] = "current_time",
		[SVFOP_CURRENT_TIMESTAMP] = "current_timestamp",
		[SVFOP_CURRENT_TIMESTAMP_N] = "current_timestamp",
		[SVFOP_LOCALTIME] = "localtime",
		[SVFOP_LOCALTIME_N] = "localtime",
		[SVFOP_LOCALTIMESTAMP] = "localtimestamp",
		[SVFOP_LOCALTIMESTAMP_N] = "localtimestamp",
		[SVFOP_CURRENT_ROLE] = "current_role",
		[SVFOP_CURRENT_USER] = "current_user",
		[SVFOP_USER] = "user",
		[SVFOP_SESSION_USER] = "session_user",
		[SVFOP_CURRENT_CATALOG] = "current_catalog",
		[SVFOP_CURRENT_SCHEMA] = "current_schema",
	};
	const char *name = (unsigned)v->op < ARRAY_SIZE(names) ? names[v->op] : NULL;

	if (!name) {
		strbuf_addstr(&ctx->sb, "<SQLValueFunction>");
		return;
	}
	strbuf_addstr(&ctx->sb, name);
	if (v->op == SVFOP_CURRENT_TIME_N || v->op == SVFOP_CURRENT_TIMESTAMP_N ||
	    v->op == SVFOP_LOCALTIME_N || v->op == SVFOP_LOCALTIMESTAMP_N)
		strbuf_addf(&ctx->sb, "(%d)", v->typmod);
	pctx_strvec_add(&ctx->funcs, name);
}

static void rn_aexpr(struct pctx *ctx, const A_Expr *a)
{
	const char *op = last_str(a->name);

	if (!op)
		op = "?";
	if (a->lexpr) {
		rn_operand(ctx, a->lexpr);
		strbuf_addf(&ctx->sb, " %s ", op);
	} else {
		strbuf_addstr(&ctx->sb, op);
	}
	rn_operand(ctx, a->rexpr);
}

static void rn_boolexpr(struct pctx *ctx, const BoolExpr *b)
{
	ListCell *lc;

	if (b->boolop == NOT_EXPR) {
		strbuf_addstr(&ctx->sb, "not ");
		rn_operand(ctx, linitial(b->args));
		return;
	}
	foreach(lc, b->args) {
		if (lc != list_head(b->args))
			strbuf_addstr(&ctx->sb, b->boolop == OR_EXPR ? " or " : " and ");
		rn_operand(ctx, lfirst(lc));
	}
}

/* only what simple() lets through */
static void rn(struct pctx *ctx, const Node *n)
{
	switch (nodeTag(n)) {
	case T_A_Const:
		rn_const(ctx, (const A_Const *)n);
		break;
	case T_ColumnRef:
		rn_columnref(ctx, (const ColumnRef *)n);
		break;
	case T_FuncCall:
		rn_funccall(ctx, (const FuncCall *)n);
		break;
	case T_TypeCast:
		rn_typecast(ctx, (const TypeCast *)n);
		break;
	case T_SQLValueFunction:
		rn_sqlvalue(ctx, (const SQLValueFunction *)n);
		break;
	case T_A_Expr:
		rn_aexpr(ctx, (const A_Expr *)n);
		break;
	case T_NullTest:
		rn_operand(ctx, (const Node *)((const NullTest *)n)->arg);
		strbuf_addstr(&ctx->sb, ((const NullTest *)n)->nulltesttype == IS_NOT_NULL ?
			      " is not null" : " is null");
		break;
	case T_BoolExpr:
		rn_boolexpr(ctx, (const BoolExpr *)n);
		break;
	default:
		BUG("rn(): node %d is not simple()", (int)nodeTag(n));
	}
}

static int location_of(const Node *n)
{
	switch (nodeTag(n)) {
	case T_A_Const:
		return ((const A_Const *)n)->location;
	case T_ColumnRef:
		return ((const ColumnRef *)n)->location;
	case T_FuncCall:
		return ((const FuncCall *)n)->location;
	case T_TypeCast:
		return ((const TypeCast *)n)->location;
	case T_SQLValueFunction:
		return ((const SQLValueFunction *)n)->location;
	case T_A_Expr:
		return ((const A_Expr *)n)->location;
	case T_NullTest:
		return ((const NullTest *)n)->location;
	case T_BoolExpr:
		return ((const BoolExpr *)n)->location;
	default:
		return 0;
	}
}

/* The operand written first, for nodes whose location is their operator. */
static const Node *first_operand(const Node *n)
{
	switch (nodeTag(n)) {
	case T_A_Expr:
		return ((const A_Expr *)n)->lexpr;
	case T_BoolExpr:
		return ((const BoolExpr *)n)->boolop == NOT_EXPR ? NULL :
		       linitial(((const BoolExpr *)n)->args);
	case T_NullTest:
		return (const Node *)((const NullTest *)n)->arg;
	case T_TypeCast:
		return ((const TypeCast *)n)->arg;
	default:
		return NULL;
	}
}

/* Where the expression starts: the leftmost location down the first
   operands (a location of 0 is one libpg_query's JSON leaves out, and
   parse.c with it) */
static size_t expr_start(struct pctx *ctx, const Node *n)
{
	size_t best = SIZE_MAX;

	for (; n; n = first_operand(n)) {
		int loc = location_of(n);

		if (loc > 0 && pctx_at(ctx, loc) < best)
			best = pctx_at(ctx, loc);
	}
	return best == SIZE_MAX ? ctx->stmt_start : best;
}

static const char *not_null_column(const Node *n)
{
	const NullTest *t = (const NullTest *)n;

	if (!IsA(n, NullTest) || t->nulltesttype != IS_NOT_NULL || !t->arg ||
	    !IsA(t->arg, ColumnRef))
		return NULL;
	return last_str(((const ColumnRef *)t->arg)->fields);
}

/* parse.c's make_expr(), for a simple() expression */
static struct expr *expr_native(struct pctx *ctx, const Node *n)
{
	struct expr *e = pctx_expr_begin(ctx);
	const TypeCast *cast = NULL;
	const Node *c = n;

	rn(ctx, n);
	pctx_expr_text(ctx, e);
	e->not_null_column = sdup(ctx, not_null_column(n));
	for (; IsA(c, TypeCast); c = ((const TypeCast *)c)->arg)
		if (!e->nr_casts++)
			cast = (const TypeCast *)c;
	e->is_const = IsA(c, A_Const);
	e->is_null = e->is_const && ((const A_Const *)c)->isnull;
	if (e->is_const && e->nr_casts == 1)
		type_of(ctx, cast->typeName, &e->cast);
	e->start = expr_start(ctx, n);
	return e;
}

/* An expression, read here when simple(), else through JSON. */
static struct expr *expr_of(struct nctx *nc, Node *n)
{
	RawStmt wrap = { .type = T_RawStmt, .stmt = n };
	char *json;

	if (!n || !nc->ok)
		return NULL;
	if (simple(n, 0))
		return expr_native(nc->p, n);
	if (!(json = json_of(list_make1(&wrap), NULL))) {
		nc->ok = false;
		return NULL;
	}
	return pctx_expr_json(nc->p, json, &nc->ok);
}

/* ---- constraints and columns ------------------------------------------- */

static enum con_kind con_kind_of(const Constraint *c)
{
	switch (c ? c->contype : CONSTR_NULL) {
	case CONSTR_PRIMARY:
		return CON_PRIMARY;
	case CONSTR_UNIQUE:
		return CON_UNIQUE;
	case CONSTR_CHECK:
		return CON_CHECK;
	case CONSTR_FOREIGN:
		return CON_FOREIGN;
	case CONSTR_EXCLUSION:
		return CON_EXCLUDE;
	default:
		return 0;
	}
}

static enum fk_action fk_action_of(char c)
{
	return c ? (enum fk_action)c : FK_NO_ACTION;
}

static enum identity_kind identity_of(const Constraint *c)
{
	char g = c ? c->generated_when : 0;

	return g == 'a' ? IDENTITY_ALWAYS : g == 'd' ? IDENTITY_BY_DEFAULT : IDENTITY_NONE;
}

/* EXCLUDE (col WITH op, ...): the plain columns */
static const char **exclusion_columns(struct pctx *ctx, const List *l, int *nr)
{
	const char **v;
	ListCell *lc;
	int n = 0;

	*nr = 0;
	if (!list_length(l))
		return NULL;
	v = arena_alloc(ctx->arena, (size_t)list_length(l) * sizeof(*v));
	foreach(lc, l) {
		const List *pair = lfirst(lc);
		const IndexElem *ie = IsA(pair, List) && list_length(pair) ?
			linitial(pair) : NULL;

		if (ie && IsA(ie, IndexElem) && ie->name)
			v[n++] = sdup(ctx, ie->name);
	}
	*nr = n;
	return v;
}

static void constraint_columns(struct pctx *ctx, const Constraint *c,
			       struct constraint_def *cd, const char *column)
{
	if (column) {
		cd->columns = arena_alloc(ctx->arena, sizeof(*cd->columns));
		cd->columns[0] = column;
		cd->nr_columns = 1;
	} else if (!c) {
		return;
	} else if (cd->kind == CON_FOREIGN) {
		cd->columns = str_list(ctx, c->fk_attrs, &cd->nr_columns);
	} else if (cd->kind == CON_EXCLUDE) {
		cd->columns = exclusion_columns(ctx, c->exclusions, &cd->nr_columns);
	} else {
		cd->columns = str_list(ctx, c->keys, &cd->nr_columns);
	}
}

/* parse.c's parse_constraint(), from the node ('c' may be NULL) */
static void constraint_of(struct nctx *nc, const Constraint *c,
			  struct constraint_def *cd, const char *column, bool in_create)
{
	struct pctx *ctx = nc->p;

	cd->kind = con_kind_of(c);
	cd->start = pctx_at(ctx, c ? c->location : 0);
	constraint_columns(ctx, c, cd, column);
	if (!c)
		return;
	cd->name = sdup(ctx, c->conname);
	cd->include = str_list(ctx, c->including, &cd->nr_include);
	if (cd->kind == CON_CHECK)
		cd->check = expr_of(nc, c->raw_expr);
	if (cd->kind == CON_FOREIGN) {
		cd->ref_table = qname_of_rv(ctx, c->pktable);
		cd->ref_columns = str_list(ctx, c->pk_attrs, &cd->nr_ref_columns);
		cd->on_delete = fk_action_of(c->fk_del_action);
		cd->on_update = fk_action_of(c->fk_upd_action);
	}
	cd->not_valid = !in_create && c->skip_validation;
	cd->no_inherit = c->is_no_inherit;
	cd->deferrable = c->deferrable;
	cd->nulls_not_distinct = c->nulls_not_distinct;
	cd->initially_deferred = c->initdeferred;
	cd->using_index = sdup(ctx, c->indexname);
	cd->index_method = sdup_lower(ctx, c->access_method);
}

static int count_hoisted(const ColumnDef *cd)
{
	ListCell *lc;
	int n = 0;

	if (cd)
		foreach(lc, cd->constraints)
			if (IsA(lfirst(lc), Constraint) && con_kind_of(lfirst(lc)))
				n++;
	return n;
}

/* [NOT] DEFERRABLE / INITIALLY ... written after an inline constraint */
static void constraint_attr(ConstrType t, struct constraint_def *last)
{
	if (!last)
		return;
	if (t == CONSTR_ATTR_DEFERRABLE)
		last->deferrable = true;
	else if (t == CONSTR_ATTR_NOT_DEFERRABLE)
		last->deferrable = false;
	else if (t == CONSTR_ATTR_DEFERRED)
		last->initially_deferred = true;
	else if (t == CONSTR_ATTR_IMMEDIATE)
		last->initially_deferred = false;
}

/* parse.c's parse_column(): inline keys, checks and references go to
   'hoisted' (sized by count_hoisted()); returns how many. */
static int column_of(struct nctx *nc, const ColumnDef *cd, struct column_def *col,
		     struct constraint_def *hoisted, bool in_create)
{
	struct pctx *ctx = nc->p;
	struct constraint_def *last = NULL;
	ListCell *lc;
	int n = 0;

	if (!cd)
		return 0;
	col->name = sdup(ctx, cd->colname);
	type_of(ctx, cd->typeName, &col->type);
	col->collation = cd->collClause ? sdup(ctx, last_str(cd->collClause->collname)) : NULL;
	col->start = pctx_at(ctx, cd->location);
	foreach(lc, cd->constraints) {
		const Constraint *c = lfirst(lc);

		if (!IsA(c, Constraint))
			continue;
		if (con_kind_of(c)) {
			last = &hoisted[n++];
			constraint_of(nc, c, last, col->name, in_create);
			if (last->kind == CON_PRIMARY)
				col->not_null = true;
		} else if (c->contype == CONSTR_NOTNULL) {
			col->not_null = true;
		} else if (c->contype == CONSTR_NULL) {
			col->explicit_null = true;
		} else if (c->contype == CONSTR_DEFAULT) {
			col->default_expr = expr_of(nc, c->raw_expr);
		} else if (c->contype == CONSTR_IDENTITY) {
			col->identity = identity_of(c);
		} else if (c->contype == CONSTR_GENERATED) {
			col->generated = expr_of(nc, c->raw_expr);
		} else {
			constraint_attr(c->contype, last);
		}
	}
	return n;
}

/* ---- CREATE TABLE ------------------------------------------------------ */

static void table_elts(struct nctx *nc, const List *elts, struct create_table *ct)
{
	struct pctx *ctx = nc->p;
	int nc_ = 0, nk = 0, nl = 0;
	ListCell *lc;

	foreach(lc, elts) {
		const Node *n = lfirst(lc);

		if (IsA(n, ColumnDef)) {
			nc_++;
			nk += count_hoisted((const ColumnDef *)n);
		} else if (IsA(n, Constraint)) {
			nk++;
		} else if (IsA(n, TableLikeClause)) {
			nl++;
		}
	}
	ct->columns = nc_ ? arena_alloc(ctx->arena, nc_ * sizeof(*ct->columns)) : NULL;
	ct->constraints = nk ? arena_alloc(ctx->arena, nk * sizeof(*ct->constraints)) : NULL;
	ct->like = nl ? arena_alloc(ctx->arena, nl * sizeof(*ct->like)) : NULL;
	ct->like_options = nl ? arena_alloc(ctx->arena, nl * sizeof(*ct->like_options)) : NULL;
	ct->like_pos = nl ? arena_alloc(ctx->arena, nl * sizeof(*ct->like_pos)) : NULL;
	foreach(lc, elts) {
		const Node *n = lfirst(lc);
		struct constraint_def *next = ct->constraints ?
			ct->constraints + ct->nr_constraints : NULL;

		if (IsA(n, ColumnDef)) {
			ct->nr_constraints += column_of(nc, (const ColumnDef *)n,
				&ct->columns[ct->nr_columns++], next, true);
		} else if (IsA(n, Constraint)) {
			constraint_of(nc, (const Constraint *)n,
				&ct->constraints[ct->nr_constraints++], NULL, true);
		} else if (IsA(n, TableLikeClause)) {
			const TableLikeClause *l = (const TableLikeClause *)n;

			ct->like_options[ct->nr_like] = l->options;
			ct->like_pos[ct->nr_like] = ct->nr_columns;
			ct->like[ct->nr_like++] = qname_of_rv(ctx, l->relation);
		}
	}
}

static void create_table(struct nctx *nc, const CreateStmt *n, struct stmt *st)
{
	struct pctx *ctx = nc->p;
	struct create_table *ct = &st->u.create_table;
	char p = n->relation ? n->relation->relpersistence : 0;
	ListCell *lc;
	int i = 0;

	st->kind = ST_CREATE_TABLE;
	ct->name = qname_of_rv(ctx, n->relation);
	ct->temporary = p == 't';
	ct->unlogged = p == 'u';
	ct->if_not_exists = n->if_not_exists;
	table_elts(nc, n->tableElts, ct);
	/* PARTITION OF / PARTITION BY: node_handles() sent those to JSON */
	if (list_length(n->inhRelations)) {
		ct->inherits = arena_alloc(ctx->arena,
			(size_t)list_length(n->inhRelations) * sizeof(*ct->inherits));
		foreach(lc, n->inhRelations)
			if (IsA(lfirst(lc), RangeVar))
				ct->inherits[i++] = qname_of_rv(ctx, lfirst(lc));
		ct->nr_inherits = i;
	}
}

/* ---- ALTER TABLE --------------------------------------------------------- */

/* unlisted: OBJ_OTHER (no ObjectType is OBJ_NONE) */
static enum obj_kind obj_kind_of(ObjectType t)
{
	static const enum obj_kind kinds[] = {
		[OBJECT_TABLE] = OBJ_TABLE,
		[OBJECT_INDEX] = OBJ_INDEX,
		[OBJECT_VIEW] = OBJ_VIEW,
		[OBJECT_MATVIEW] = OBJ_MATVIEW,
		[OBJECT_SEQUENCE] = OBJ_SEQUENCE,
		[OBJECT_SCHEMA] = OBJ_SCHEMA,
		[OBJECT_TYPE] = OBJ_TYPE,
		[OBJECT_DOMAIN] = OBJ_DOMAIN,
		[OBJECT_EXTENSION] = OBJ_EXTENSION,
		[OBJECT_FUNCTION] = OBJ_FUNCTION,
		[OBJECT_ROUTINE] = OBJ_FUNCTION,
		[OBJECT_AGGREGATE] = OBJ_FUNCTION,
		[OBJECT_PROCEDURE] = OBJ_PROCEDURE,
		[OBJECT_TRIGGER] = OBJ_TRIGGER,
		[OBJECT_POLICY] = OBJ_POLICY,
		[OBJECT_COLUMN] = OBJ_COLUMN,
		[OBJECT_TABCONSTRAINT] = OBJ_CONSTRAINT,
		[OBJECT_DOMCONSTRAINT] = OBJ_CONSTRAINT,
		[OBJECT_DATABASE] = OBJ_DATABASE,
		[OBJECT_FOREIGN_TABLE] = OBJ_FOREIGN_TABLE,
	};

	return (unsigned)t < ARRAY_SIZE(kinds) && kinds[t] ? kinds[t] : OBJ_OTHER;
}

static enum alter_kind alter_kind_of(AlterTableType t)
{
	static const enum alter_kind kinds[] = {
		[AT_AddColumn] = AT_ADD_COLUMN,
		[AT_AddColumnToView] = AT_ADD_COLUMN,
		[AT_DropColumn] = AT_DROP_COLUMN,
		[AT_AlterColumnType] = AT_ALTER_TYPE,
		[AT_ColumnDefault] = AT_SET_DEFAULT,
		[AT_SetNotNull] = AT_SET_NOT_NULL,
		[AT_DropNotNull] = AT_DROP_NOT_NULL,
		[AT_AddConstraint] = AT_ADD_CONSTRAINT,
		[AT_AddIndexConstraint] = AT_ADD_CONSTRAINT,
		[AT_DropConstraint] = AT_DROP_CONSTRAINT,
		[AT_ValidateConstraint] = AT_VALIDATE_CONSTRAINT,
		[AT_AddIdentity] = AT_ADD_IDENTITY,
		[AT_DropIdentity] = AT_DROP_IDENTITY,
		[AT_SetIdentity] = AT_SET_IDENTITY,
		[AT_DropExpression] = AT_DROP_EXPRESSION,
		[AT_AttachPartition] = AT_ATTACH_PARTITION,
		[AT_DetachPartition] = AT_DETACH_PARTITION,
		[AT_EnableRowSecurity] = AT_ENABLE_RLS,
		[AT_DisableRowSecurity] = AT_DISABLE_RLS,
		[AT_ForceRowSecurity] = AT_FORCE_RLS,
		[AT_NoForceRowSecurity] = AT_NO_FORCE_RLS,
		[AT_SetTableSpace] = AT_SET_TABLESPACE,
		[AT_SetLogged] = AT_SET_LOGGED,
		[AT_SetUnLogged] = AT_SET_UNLOGGED,
		[AT_ChangeOwner] = AT_OWNER,
		[AT_ReplicaIdentity] = AT_REPLICA_IDENTITY,
		[AT_SetStatistics] = AT_SET_STORAGE,
		[AT_SetStorage] = AT_SET_STORAGE,
		[AT_SetCompression] = AT_SET_STORAGE,
		[AT_SetRelOptions] = AT_SET_STORAGE,
		[AT_ResetRelOptions] = AT_SET_STORAGE,
		[AT_ReplaceRelOptions] = AT_SET_STORAGE,
		[AT_SetOptions] = AT_SET_STORAGE,
		[AT_ResetOptions] = AT_SET_STORAGE,
		[AT_ClusterOn] = AT_CLUSTER_ON,
		[AT_EnableTrig] = AT_ENABLE_TRIGGER,
		[AT_EnableAlwaysTrig] = AT_ENABLE_TRIGGER,
		[AT_EnableReplicaTrig] = AT_ENABLE_TRIGGER,
		[AT_EnableTrigAll] = AT_ENABLE_TRIGGER,
		[AT_EnableTrigUser] = AT_ENABLE_TRIGGER,
		[AT_DisableTrig] = AT_DISABLE_TRIGGER,
		[AT_DisableTrigAll] = AT_DISABLE_TRIGGER,
		[AT_DisableTrigUser] = AT_DISABLE_TRIGGER,
		[AT_AddInherit] = AT_INHERIT,
		[AT_DropInherit] = AT_NO_INHERIT,
	};

	return (unsigned)t < ARRAY_SIZE(kinds) ? kinds[t] : AT_OTHER;
}

static const ColumnDef *coldef_of(const Node *def)
{
	return def && IsA(def, ColumnDef) ? (const ColumnDef *)def : NULL;
}

static const Constraint *constraint_node(const Node *def)
{
	return def && IsA(def, Constraint) ? (const Constraint *)def : NULL;
}

static int count_alter_cmds(const List *cmds)
{
	ListCell *lc;
	int n = 0;

	foreach(lc, cmds) {
		const AlterTableCmd *c = lfirst(lc);

		n++;
		if (alter_kind_of(c->subtype) == AT_ADD_COLUMN)
			n += count_hoisted(coldef_of(c->def));
	}
	return n;
}

static const char *replica_identity(struct pctx *ctx, const Node *def)
{
	const ReplicaIdentityStmt *ri = def && IsA(def, ReplicaIdentityStmt) ?
		(const ReplicaIdentityStmt *)def : NULL;

	switch (ri ? ri->identity_type : 0) {
	case 'f':
		return "full";
	case 'n':
		return "nothing";
	case 'i':
		return sdup(ctx, ri->name);
	default:
		return "default";
	}
}

/* SET GENERATED ALWAYS|BY DEFAULT: 'a' or 'd'; 0 when only RESTART and such */
static enum identity_kind set_identity_of(const Node *def)
{
	ListCell *lc;

	if (!def || !IsA(def, List))
		return IDENTITY_NONE;
	foreach(lc, (const List *)def) {
		const DefElem *d = lfirst(lc);

		if (IsA(d, DefElem) && d->defname && !strcmp(d->defname, "generated"))
			return d->arg && IsA(d->arg, Integer) ?
				(enum identity_kind)intVal(d->arg) : IDENTITY_NONE;
	}
	return IDENTITY_NONE;
}

/* ADD COLUMN, then one ADD CONSTRAINT per inline key/check/reference */
static int alter_add_column(struct nctx *nc, const Node *def, struct alter_cmd *cmd)
{
	struct pctx *ctx = nc->p;
	const ColumnDef *cd = coldef_of(def);
	struct constraint_def *h;
	int i, nh = count_hoisted(cd);

	cmd->coldef = arena_alloc(ctx->arena, sizeof(*cmd->coldef));
	h = nh ? arena_alloc(ctx->arena, nh * sizeof(*h)) : NULL;
	if (cd)
		column_of(nc, cd, cmd->coldef, h, false);
	else
		cmd->coldef->start = pctx_at(ctx, 0);
	cmd->column = cmd->coldef->name;
	cmd->start = cmd->coldef->start;
	for (i = 0; i < nh; i++) {
		struct alter_cmd *k = &cmd[i + 1];

		k->kind = AT_ADD_CONSTRAINT;
		k->column = cmd->column;
		k->con = &h[i];
		k->name = h[i].name;
		k->start = h[i].start;
	}
	return 1 + nh;
}

static void alter_cmd_def(struct nctx *nc, Node *def, struct alter_cmd *cmd)
{
	struct pctx *ctx = nc->p;
	const ColumnDef *cd;

	switch (cmd->kind) {
	case AT_ALTER_TYPE:
		cd = coldef_of(def);
		type_of(ctx, cd ? cd->typeName : NULL, &cmd->type);
		cmd->using_expr = cd ? expr_of(nc, cd->raw_default) : NULL;
		cmd->collation = cd && cd->collClause ?
				 sdup(ctx, last_str(cd->collClause->collname)) : NULL;
		break;
	case AT_SET_DEFAULT:
		if (!def)
			cmd->kind = AT_DROP_DEFAULT;
		cmd->expr = expr_of(nc, def);
		break;
	case AT_ADD_CONSTRAINT:
		cmd->con = arena_alloc(ctx->arena, sizeof(*cmd->con));
		constraint_of(nc, constraint_node(def), cmd->con, NULL, false);
		cmd->name = cmd->con->name;
		cmd->start = cmd->con->start;
		break;
	case AT_ADD_IDENTITY:
		cmd->identity = identity_of(constraint_node(def));
		break;
	case AT_SET_IDENTITY:
		cmd->identity = set_identity_of(def);
		break;
	case AT_INHERIT:
	case AT_NO_INHERIT:
		cmd->partition = qname_of_rv(ctx, def && IsA(def, RangeVar) ?
					     (const RangeVar *)def : NULL);
		cmd->name = cmd->partition.name;
		break;
	case AT_REPLICA_IDENTITY:
		cmd->name = replica_identity(ctx, def);
		break;
	default:
		break;
	}
}

/* One AlterTableCmd; returns how many alter_cmds it filled. */
static int alter_cmd(struct nctx *nc, const AlterTableCmd *c, struct alter_cmd *cmd)
{
	struct pctx *ctx = nc->p;

	cmd->kind = alter_kind_of(c->subtype);
	cmd->start = ctx->stmt_start;
	cmd->if_exists = c->missing_ok;
	cmd->cascade = c->behavior == DROP_CASCADE;
	if (cmd->kind == AT_ADD_COLUMN) {
		cmd->if_not_exists = cmd->if_exists;
		cmd->if_exists = false;
		return alter_add_column(nc, c->def, cmd);
	}
	cmd->name = sdup(ctx, c->name);
	if (c->newowner)
		cmd->name = sdup(ctx, c->newowner->rolename);
	if (cmd->kind != AT_DROP_CONSTRAINT && cmd->kind != AT_VALIDATE_CONSTRAINT &&
	    cmd->kind != AT_SET_TABLESPACE && cmd->kind != AT_CLUSTER_ON &&
	    cmd->kind != AT_ENABLE_TRIGGER && cmd->kind != AT_DISABLE_TRIGGER &&
	    cmd->kind != AT_OWNER)
		cmd->column = cmd->name;
	alter_cmd_def(nc, c->def, cmd);
	return 1;
}

static void alter_table(struct nctx *nc, const AlterTableStmt *n, struct stmt *st)
{
	struct pctx *ctx = nc->p;
	struct alter_table *at = &st->u.alter_table;
	int nr = count_alter_cmds(n->cmds);
	ListCell *lc;

	at->relkind = obj_kind_of(n->objtype);
	/* ALTER TYPE t ADD/DROP/ALTER ATTRIBUTE: not a relation */
	if (at->relkind == OBJ_TYPE) {
		st->kind = ST_OTHER;
		return;
	}
	st->kind = ST_ALTER_TABLE;
	at->rel = qname_of_rv(ctx, n->relation);
	at->if_exists = n->missing_ok;
	at->only = !(n->relation && n->relation->inh);
	at->cmds = nr ? arena_alloc(ctx->arena, nr * sizeof(*at->cmds)) : NULL;
	foreach(lc, n->cmds)
		at->nr_cmds += alter_cmd(nc, lfirst(lc), &at->cmds[at->nr_cmds]);
}

/* ---- CREATE INDEX ---------------------------------------------------------- */

static void index_elem(struct nctx *nc, const IndexElem *ie, struct index_elem *el)
{
	struct pctx *ctx = nc->p;

	el->column = sdup(ctx, ie->name);
	el->expr = expr_of(nc, ie->expr);
	el->opclass = sdup(ctx, last_str(ie->opclass));
	el->desc = ie->ordering == SORTBY_DESC;
	if (ie->nulls_ordering == SORTBY_NULLS_FIRST)
		el->nulls = 1;
	else if (ie->nulls_ordering == SORTBY_NULLS_LAST)
		el->nulls = 2;
}

static void create_index(struct nctx *nc, const IndexStmt *n, struct stmt *st)
{
	struct pctx *ctx = nc->p;
	struct index_def *ix = &st->u.index;
	ListCell *lc;

	st->kind = ST_CREATE_INDEX;
	ix->name = sdup(ctx, n->idxname);
	ix->table = qname_of_rv(ctx, n->relation);
	ix->unique = n->unique;
	ix->concurrently = n->concurrent;
	ix->if_not_exists = n->if_not_exists;
	ix->only = !(n->relation && n->relation->inh);
	ix->method = n->accessMethod ? sdup_lower(ctx, n->accessMethod) : "btree";
	ix->nulls_not_distinct = n->nulls_not_distinct;
	if (list_length(n->indexParams))
		ix->elems = arena_alloc(ctx->arena,
			(size_t)list_length(n->indexParams) * sizeof(*ix->elems));
	foreach(lc, n->indexParams)
		if (IsA(lfirst(lc), IndexElem))
			index_elem(nc, lfirst(lc), &ix->elems[ix->nr_elems++]);
	ix->include = node_names(ctx, n->indexIncludingParams, T_IndexElem, &ix->nr_include);
	ix->where = expr_of(nc, n->whereClause);
}

/* ---- DROP, RENAME, COMMENT ------------------------------------------------ */

static bool names_table_member(enum obj_kind k)
{
	return k == OBJ_TRIGGER || k == OBJ_POLICY;
}

/* Functions' signatures are parse.c's to write: node_handles() sends
   those statements there. */
static bool has_signature(enum obj_kind k)
{
	return k == OBJ_FUNCTION || k == OBJ_PROCEDURE || k == OBJ_OTHER;
}

static void drop(struct nctx *nc, const DropStmt *n, struct stmt *st)
{
	struct pctx *ctx = nc->p;
	struct drop_stmt *d = &st->u.drop;
	int nr = list_length(n->objects);
	ListCell *lc;

	st->kind = ST_DROP;
	d->kind = obj_kind_of(n->removeType);
	d->if_exists = n->missing_ok;
	d->cascade = n->behavior == DROP_CASCADE;
	d->concurrently = n->concurrent;
	if (!nr)
		return;
	d->objects = arena_alloc(ctx->arena, nr * sizeof(*d->objects));
	if (names_table_member(d->kind))
		d->on = arena_alloc(ctx->arena, nr * sizeof(*d->on));
	foreach(lc, n->objects) {
		const Node *o = lfirst(lc);
		int i = d->nr_objects++;

		if (names_table_member(d->kind)) {
			d->objects[i].name = sdup(ctx, last_str((const List *)o));
			d->on[i] = qname_of_list(ctx, (const List *)o, 1);
		} else {
			d->objects[i] = qname_of_object(ctx, o);
		}
	}
}

static void rename_(struct nctx *nc, const RenameStmt *n, struct stmt *st)
{
	struct pctx *ctx = nc->p;
	struct rename_stmt *r = &st->u.rename;

	st->kind = ST_RENAME;
	r->kind = obj_kind_of(n->renameType);
	r->relkind = obj_kind_of(n->relationType);
	/* relationType is only meaningful for columns */
	if (r->relkind == OBJ_OTHER || r->relkind == OBJ_NONE)
		r->relkind = r->kind == OBJ_COLUMN || r->kind == OBJ_CONSTRAINT ||
			     r->kind == OBJ_TRIGGER || r->kind == OBJ_POLICY ?
			     OBJ_TABLE : r->kind;
	if (n->renameType == OBJECT_DOMCONSTRAINT)   /* ALTER DOMAIN d RENAME CONSTRAINT */
		r->relkind = OBJ_DOMAIN;
	r->subname = sdup(ctx, n->subname);
	r->newname = sdup(ctx, n->newname);
	r->if_exists = n->missing_ok;
	if (n->relation) {
		r->rel = qname_of_rv(ctx, n->relation);
	} else if (n->object) {
		r->rel = qname_of_object(ctx, n->object);
	} else {
		/* ALTER SCHEMA/DATABASE ... RENAME: the name is 'subname' */
		r->rel.name = r->subname;
		r->subname = NULL;
	}
}

/* column, constraint, trigger, policy, rule: [table..., name] */
static bool comment_on_member(ObjectType t)
{
	return t == OBJECT_COLUMN || t == OBJECT_TRIGGER || t == OBJECT_POLICY ||
	       t == OBJECT_TABCONSTRAINT || t == OBJECT_RULE;
}

static void comment(struct nctx *nc, const CommentStmt *n, struct stmt *st)
{
	struct pctx *ctx = nc->p;
	struct comment_stmt *c = &st->u.comment;

	st->kind = ST_COMMENT;
	c->kind = obj_kind_of(n->objtype);
	c->is_null = !n->comment;
	if (comment_on_member(n->objtype)) {
		c->obj = qname_of_list(ctx, (const List *)n->object, 1);
		c->subname = sdup(ctx, last_str((const List *)n->object));
	} else {
		c->obj = qname_of_object(ctx, n->object);
	}
}

/* ---- DML and transactions ----------------------------------------------- */

static void dml(struct nctx *nc, const Node *n, struct stmt *st)
{
	struct pctx *ctx = nc->p;
	struct dml_stmt *d = &st->u.dml;

	if (IsA(n, InsertStmt)) {
		const InsertStmt *i = (const InsertStmt *)n;

		st->kind = ST_INSERT;
		d->rel = qname_of_rv(ctx, i->relation);
		d->has_returning = i->returningList != NIL;
		d->set_columns = node_names(ctx, i->cols, T_ResTarget, &d->nr_set_columns);
	} else if (IsA(n, UpdateStmt)) {
		const UpdateStmt *u = (const UpdateStmt *)n;

		st->kind = ST_UPDATE;
		d->rel = qname_of_rv(ctx, u->relation);
		d->has_where = u->whereClause != NULL;
		d->has_returning = u->returningList != NIL;
		d->set_columns = node_names(ctx, u->targetList, T_ResTarget, &d->nr_set_columns);
	} else {
		const DeleteStmt *x = (const DeleteStmt *)n;

		st->kind = ST_DELETE;
		d->rel = qname_of_rv(ctx, x->relation);
		d->has_where = x->whereClause != NULL;
		d->has_returning = x->returningList != NIL;
	}
}

static void transaction(const TransactionStmt *n, struct stmt *st)
{
	static const enum txn_kind kinds[] = {
		[TRANS_STMT_COMMIT] = TXN_COMMIT,
		[TRANS_STMT_ROLLBACK] = TXN_ROLLBACK,
		[TRANS_STMT_SAVEPOINT] = TXN_SAVEPOINT,
		[TRANS_STMT_RELEASE] = TXN_RELEASE,
		[TRANS_STMT_ROLLBACK_TO] = TXN_ROLLBACK_TO,
		[TRANS_STMT_PREPARE] = TXN_PREPARE,
		[TRANS_STMT_COMMIT_PREPARED] = TXN_COMMIT_PREPARED,
		[TRANS_STMT_ROLLBACK_PREPARED] = TXN_ROLLBACK_PREPARED,
	};

	st->kind = ST_TRANSACTION;
	st->u.txn.kind = (unsigned)n->kind < ARRAY_SIZE(kinds) ? kinds[n->kind] : TXN_BEGIN;
}

/* ---- statements ------------------------------------------------------------ */

static bool all_lists(const List *l)
{
	ListCell *lc;

	foreach(lc, l)
		if (!lfirst(lc) || !IsA(lfirst(lc), List))
			return false;
	return true;
}

/* The statements read here and not through JSON. */
static bool handles_other(const Node *n)
{
	switch (nodeTag(n)) {
	case T_InsertStmt:
	case T_UpdateStmt:
	case T_DeleteStmt:
	case T_TransactionStmt:
		return true;
	case T_SelectStmt:   /* SELECT ... INTO creates a table: parse.c's */
		return !((const SelectStmt *)n)->intoClause;
	case T_DropStmt: {
		const DropStmt *d = (const DropStmt *)n;
		enum obj_kind k = obj_kind_of(d->removeType);

		return !has_signature(k) && (!names_table_member(k) || all_lists(d->objects));
	}
	case T_RenameStmt: {
		const RenameStmt *r = (const RenameStmt *)n;

		return !r->object || !IsA(r->object, ObjectWithArgs);
	}
	case T_CommentStmt: {
		const CommentStmt *c = (const CommentStmt *)n;

		return !comment_on_member(c->objtype) || (c->object && IsA(c->object, List));
	}
	default:
		return false;
	}
}

/* Read here, or written out for parse.c: partition bounds and keys are
   rendered from JSON, as is every statement not named here. */
static bool node_handles(const Node *n)
{
	ListCell *lc;

	if (IsA(n, IndexStmt))
		return true;
	if (handles_other(n))
		return true;
	if (IsA(n, CreateStmt)) {
		const CreateStmt *c = (const CreateStmt *)n;

		return !c->partbound && !c->partspec;
	}
	if (!IsA(n, AlterTableStmt))
		return false;
	foreach(lc, ((const AlterTableStmt *)n)->cmds) {
		const AlterTableCmd *c = lfirst(lc);

		if (!IsA(c, AlterTableCmd) || c->subtype == AT_AttachPartition ||
		    c->subtype == AT_DetachPartition)
			return false;
	}
	return true;
}

/* parse.c's names for them (string literals) */
static const char *node_name(const Node *n)
{
	switch (nodeTag(n)) {
	case T_CreateStmt:
		return "CreateStmt";
	case T_AlterTableStmt:
		return "AlterTableStmt";
	case T_IndexStmt:
		return "IndexStmt";
	case T_DropStmt:
		return "DropStmt";
	case T_RenameStmt:
		return "RenameStmt";
	case T_CommentStmt:
		return "CommentStmt";
	case T_InsertStmt:
		return "InsertStmt";
	case T_UpdateStmt:
		return "UpdateStmt";
	case T_DeleteStmt:
		return "DeleteStmt";
	case T_TransactionStmt:
		return "TransactionStmt";
	case T_SelectStmt:
		return "SelectStmt";
	default:
		return "Unknown";
	}
}

/* Translated here: true; false when an expression did not decode
   (the statement is taken back). */
static bool translate(struct pctx *ctx, RawStmt *rs)
{
	struct nctx nc = { ctx, true };
	struct stmt *st = pctx_begin_stmt(ctx, rs->stmt_location, rs->stmt_len);
	const Node *n = rs->stmt;

	st->node = node_name(n);
	switch (nodeTag(n)) {
	case T_CreateStmt:
		create_table(&nc, (const CreateStmt *)n, st);
		break;
	case T_AlterTableStmt:
		alter_table(&nc, (const AlterTableStmt *)n, st);
		break;
	case T_IndexStmt:
		create_index(&nc, (const IndexStmt *)n, st);
		break;
	case T_DropStmt:
		drop(&nc, (const DropStmt *)n, st);
		break;
	case T_RenameStmt:
		rename_(&nc, (const RenameStmt *)n, st);
		break;
	case T_CommentStmt:
		comment(&nc, (const CommentStmt *)n, st);
		break;
	case T_TransactionStmt:
		transaction((const TransactionStmt *)n, st);
		break;
	case T_SelectStmt:
		st->kind = ST_SELECT;
		break;
	default:
		dml(&nc, n, st);
		break;
	}
	if (!nc.ok)
		ctx->nr_stmts--;
	return nc.ok;
}

static bool json_only;

static void read_env(void)
{
	const char *v = getenv("MIGSAFE_PARSE_JSON");

	json_only = v && *v && strcmp(v, "0");
}

/* MIGSAFE_PARSE_JSON=1: every statement through JSON, as before this
   file (tests/t_parse_paths.py compares the two) */
static bool node_path(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, read_env);
	return !json_only;
}

static int add_stmts(struct pctx *ctx, List *tree, char **node)
{
	size_t mark = ctx->nr_stmts;
	bool native = node_path();
	ListCell *lc;

	foreach(lc, tree) {
		RawStmt *rs = lfirst(lc);
		const char *partial = NULL;
		char *json;

		if (native && rs->stmt && node_handles(rs->stmt) && translate(ctx, rs))
			continue;
		json = json_of(list_make1(rs), &partial);
		if (!json && node)
			*node = pctx_json_node_name(partial);
		if (!json || pctx_add_json(ctx, json, node) < 0) {
			ctx->nr_stmts = mark;
			return -1;
		}
	}
	return 0;
}

/* As libpg_query's pg_query_parse(), but for the bound on its writer */
PgQueryParseResult node_parse_json(const char *sql)
{
	MemoryContext mctx = pg_query_enter_memory_context();
	PgQueryInternalParsetreeAndError r = pg_query_raw_parse(sql);
	PgQueryParseResult out = { NULL, r.stderr_buffer, r.error };
	char *json = json_of(r.tree, NULL);

	if (json) {
		out.parse_tree = xstrdup(json);
	} else if (!out.error) {
		out.error = xcalloc(1, sizeof(*out.error));
		out.error->message = xstrdup("stack depth limit exceeded");
	}
	pg_query_exit_memory_context(mctx);
	return out;
}

int node_parse(struct pctx *ctx, const char *sql, PgQueryError **err, char **node)
{
	MemoryContext mctx = pg_query_enter_memory_context();
	PgQueryInternalParsetreeAndError r = pg_query_raw_parse(sql);
	int rc = 1;

	*err = r.error;
	if (!r.error)
		rc = add_stmts(ctx, r.tree, node);
	free(r.stderr_buffer);
	pg_query_exit_memory_context(mctx);
	return rc;
}
