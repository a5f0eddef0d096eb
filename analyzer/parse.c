/*
 * parse.c - SQL text to migsafe's statements (ast.h).
 *
 * With parse_node.c, the module that sees libpg_query and its trees.
 * The whole file is parsed in one call (node_parse(), parse_node.c),
 * which translates the statements it knows from the parser's own tree
 * and hands each other statement here as JSON, decoded in place by
 * pgjson.c into a cJSON tree; each statement's tree is then translated
 * into a 'struct stmt' whose every string lives in the stmt_list's
 * arena (the trees are freed before we return). When the file does not
 * parse, it is split by split_sql() and each piece is parsed alone, so
 * one syntax error does not hide the statements around it.
 *
 * All offsets we produce are byte offsets into the file. libpg_query's
 * locations are byte offsets into the text it was given, which is the
 * file itself or one piece of it starting at 'base'.
 */
#include "parse.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <pg_query.h>

#include "parse_int.h"
#include "pgjson.h"
#include "types.h"

#include "banned.h"

/*
 * libpg_query's pg_query_parse.o holds pg_query_parse_protobuf() too,
 * whose call to pg_query_nodes_to_protobuf() made the static link take
 * the protobuf output and its descriptor tables: 182 KB of pointers that
 * the dynamic loader relocated on every run (7,800 relocations, 45
 * pages written), for a format migsafe never asks for. Defined here,
 * the archive's definition is not linked; only pg_query_parse_protobuf()
 * could call this one. (A link that still needs the archive's object
 * for another symbol fails as a duplicate definition: loud, not wrong.)
 */
PgQueryProtobuf pg_query_nodes_to_protobuf(const void *obj);
PgQueryProtobuf pg_query_nodes_to_protobuf(const void *obj)
{
	(void)obj;
	BUG("pg_query_nodes_to_protobuf() called: migsafe links no protobuf output");
}

/*
 * A file's tree is thousands of nodes. The trees add_tree() decodes live
 * only inside it, so while one is decoded the thread's tree nodes (from
 * pgjson_parse(), and from cJSON for a DO block's PL/pgSQL tree) come
 * from a bump arena that goes at once when it returns. Outside
 * add_tree() cJSON allocates with malloc(); json_free() frees what is
 * not the arena's, whenever it was allocated.
 */
#define JSON_CHUNK (128 * 1024)

struct json_chunk {
	struct json_chunk *next;
	size_t size, used;
	max_align_t data[];
};

static _Thread_local struct {
	struct json_chunk *chunks;
	int depth;              /* add_tree() calls under way */
} json_arena;

static void *json_alloc(size_t n)
{
	struct json_chunk *c = json_arena.chunks;
	void *p;

	if (!json_arena.depth)
		return malloc(n);
	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	if (!c || c->size - c->used < n) {
		size_t size = n > JSON_CHUNK ? n : JSON_CHUNK;

		if (!(c = malloc(sizeof(*c) + size)))
			return NULL;   /* cJSON fails the parse */
		c->size = size;
		c->used = 0;
		c->next = json_arena.chunks;
		json_arena.chunks = c;
	}
	p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

static void *tree_alloc(void *data, size_t n)
{
	return json_alloc(n);
}

static void json_free(void *p)
{
	for (struct json_chunk *c = json_arena.chunks; c; c = c->next)
		if ((char *)p >= (char *)c->data && (char *)p < (char *)c->data + c->size)
			return;
	free(p);
}

/* Frees a thread's kept chunk when the thread exits. */
static pthread_key_t json_key;

static void json_thread_exit(void *chunk)
{
	free(chunk);
}

/* Keep one chunk of the usual size for the next tree; free the rest. */
static void json_arena_release(void)
{
	struct json_chunk *keep = json_arena.chunks;

	while (keep && keep->size != JSON_CHUNK)
		keep = keep->next;
	for (struct json_chunk *c = json_arena.chunks; c; ) {
		struct json_chunk *next = c->next;

		if (c != keep)
			free(c);
		c = next;
	}
	if (keep) {
		keep->next = NULL;
		keep->used = 0;
	}
	json_arena.chunks = keep;
	pthread_setspecific(json_key, keep);
}

static void set_json_hooks(void)
{
	cJSON_Hooks hooks = { json_alloc, json_free };

	pthread_key_create(&json_key, json_thread_exit);
	cJSON_InitHooks(&hooks);
}

/* Before any cJSON call, on any thread. */
static void json_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, set_json_hooks);
}

#define for_each_child(it, arr) \
	for ((it) = (arr) ? (arr)->child : NULL; (it); (it) = (it)->next)

/* ---- small helpers ---------------------------------------------- */

void pctx_strvec_add(struct strvec *v, const char *s)
{
	ALLOC_GROW(v->v, v->nr + 1, v->alloc);
	v->v[v->nr++] = s;
}

struct ranked {
	const char *s;
	size_t i;
};

static int cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	int c = strcmp(x->s, y->s);

	if (c)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Drop repeated strings, keeping the first of each in place. Sorting
 * keeps this O(n log n): a view can mention thousands of columns.
 */
static void strvec_dedupe(struct strvec *v)
{
	struct ranked *r;
	size_t i, n = 0;

	if (v->nr < 2)
		return;
	r = xmalloc(v->nr * sizeof(*r));
	for (i = 0; i < v->nr; i++) {
		r[i].s = v->v[i];
		r[i].i = i;
	}
	qsort(r, v->nr, sizeof(*r), cmp_ranked);
	for (i = 1; i < v->nr; i++)
		if (!strcmp(r[i].s, r[i - 1].s))
			v->v[r[i].i] = NULL;
	for (i = 0; i < v->nr; i++)
		if (v->v[i])
			v->v[n++] = v->v[i];
	v->nr = n;
	free(r);
}

const char **pctx_strvec_to_arena(struct pctx *ctx, struct strvec *v,
				    int *nr)
{
	const char **a = NULL;

	strvec_dedupe(v);
	*nr = (int)v->nr;
	if (v->nr) {
		a = arena_alloc(ctx->arena, v->nr * sizeof(*a));
		memcpy(a, v->v, v->nr * sizeof(*a));
	}
	v->nr = 0;
	return a;
}

static bool qname_eq(const struct qname *a, const struct qname *b)
{
	if (!a->schema != !b->schema)
		return false;
	if (a->schema && strcmp(a->schema, b->schema))
		return false;
	return !strcmp(a->name, b->name);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\f' || c == '\v';
}

/* ---- JSON access -------------------------------------------------- */

/*
 * Keys and node names are looked up by linear search, so most
 * comparisons fail; testing the first byte inline avoids a call for
 * those (strcmp was 8% of parse_sql's time without it).
 */
static inline bool streq(const char *a, const char *b)
{
	return a[0] == b[0] && !strcmp(a, b);
}

static const cJSON *jget(const cJSON *o, const char *key)
{
	const cJSON *c;

	if (!o)
		return NULL;
	for (c = o->child; c; c = c->next)
		if (c->string && streq(c->string, key))
			return c;
	return NULL;
}

static const char *jstr(const cJSON *o, const char *key)
{
	const cJSON *c = jget(o, key);

	return cJSON_IsString(c) ? c->valuestring : NULL;
}

/* libpg_query leaves out zero-valued fields: absent means 0 */
static int jint(const cJSON *o, const char *key)
{
	const cJSON *c = jget(o, key);

	return cJSON_IsNumber(c) ? c->valueint : 0;
}

static bool jbool(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(jget(o, key));
}

static bool jstr_is(const cJSON *o, const char *key, const char *val)
{
	const char *s = jstr(o, key);

	return s && !strcmp(s, val);
}

/* A node is {"Type": {fields}}: return the fields, set *type. */
static const cJSON *unwrap(const cJSON *w, const char **type)
{
	if (!cJSON_IsObject(w) || !w->child || !w->child->string) {
		*type = "";
		return NULL;
	}
	*type = w->child->string;
	return w->child;
}

static const cJSON *unwrap_as(const cJSON *w, const char *type)
{
	const char *t;
	const cJSON *n = unwrap(w, &t);

	return n && !strcmp(t, type) ? n : NULL;
}

/* Some fields hold a node unwrapped ("typeName": {...}), lists wrap it. */
static const cJSON *maybe_unwrap(const cJSON *o, const char *type)
{
	const cJSON *n = unwrap_as(o, type);

	return n ? n : o;
}

/* {"String": {"sval": "x"}} -> "x"; NULL when not a String node */
static const char *sval(const cJSON *w)
{
	const cJSON *n = unwrap_as(w, "String");
	const char *s;

	if (!n)
		return NULL;
	s = jstr(n, "sval");
	return s ? s : "";
}

static int list_len(const cJSON *arr)
{
	return cJSON_IsArray(arr) ? cJSON_GetArraySize(arr) : 0;
}

/* A List node's items, or the array itself. */
static const cJSON *list_items(const cJSON *w)
{
	const cJSON *l = unwrap_as(w, "List");

	return l ? jget(l, "items") : w;
}

size_t pctx_at(struct pctx *ctx, int location)
{
	size_t off;

	if (location < 0)
		return ctx->stmt_start;
	off = ctx->base + (size_t)location;
	return off <= ctx->len ? off : ctx->len;
}

/* libpg_query leaves out a location of 0, as any zero */
static size_t at(struct pctx *ctx, const cJSON *o)
{
	return pctx_at(ctx, jint(o, "location"));
}

/* ---- names ---------------------------------------------------------- */

/* A list of String nodes: the last two are schema and name. */
static struct qname qname_of_list(struct pctx *ctx, const cJSON *arr,
				  int drop_last)
{
	struct qname q = { NULL, NULL };
	const char *prev = NULL, *cur = NULL;
	int n = list_len(arr) - drop_last, i = 0;
	const cJSON *it;

	for_each_child(it, arr) {
		if (i++ >= n)
			break;
		prev = cur;
		cur = sval(it);
	}
	q.schema = sdup(ctx, prev);
	q.name = sdup(ctx, cur);
	return q;
}

static const char *last_sval(const cJSON *arr)
{
	const cJSON *it;
	const char *s = NULL;

	for_each_child(it, arr)
		s = sval(it);
	return s;
}

static struct qname qname_of_rangevar(struct pctx *ctx, const cJSON *rv)
{
	struct qname q;

	rv = maybe_unwrap(rv, "RangeVar");
	q.schema = sdup(ctx, jstr(rv, "schemaname"));
	q.name = sdup(ctx, jstr(rv, "relname"));
	return q;
}

/* The name of an object in DROP, COMMENT, ALTER ... in any of its forms. */
static struct qname qname_of_object(struct pctx *ctx, const cJSON *w)
{
	const char *type;
	const cJSON *n = unwrap(w, &type);
	struct qname q = { NULL, NULL };

	if (!n)
		return q;
	if (!strcmp(type, "String"))
		q.name = sdup(ctx, sval(w));
	else if (!strcmp(type, "List"))
		q = qname_of_list(ctx, jget(n, "items"), 0);
	else if (!strcmp(type, "TypeName"))
		q = qname_of_list(ctx, jget(n, "names"), 0);
	else if (!strcmp(type, "ObjectWithArgs"))
		q = qname_of_list(ctx, jget(n, "objname"), 0);
	else if (!strcmp(type, "RangeVar"))
		q = qname_of_rangevar(ctx, n);
	return q;
}

static const char **str_list(struct pctx *ctx, const cJSON *arr, int *nr)
{
	const char **v;
	const cJSON *it;
	int n = 0;

	*nr = 0;
	if (!list_len(arr))
		return NULL;
	v = arena_alloc(ctx->arena, (size_t)list_len(arr) * sizeof(*v));
	for_each_child(it, arr) {
		const char *s = sval(it);

		if (s)
			v[n++] = sdup(ctx, s);
	}
	*nr = n;
	return v;
}

static struct qname *rangevar_list(struct pctx *ctx, const cJSON *arr,
				   const char *wrapper, int *nr)
{
	struct qname *v;
	const cJSON *it;
	int n = 0;

	*nr = 0;
	if (!list_len(arr))
		return NULL;
	v = arena_alloc(ctx->arena, (size_t)list_len(arr) * sizeof(*v));
	for_each_child(it, arr) {
		const cJSON *rv = unwrap_as(it, wrapper);

		if (rv && wrapper[0] != 'R')    /* VacuumRelation */
			rv = jget(rv, "relation");
		if (rv)
			v[n++] = qname_of_rangevar(ctx, rv);
	}
	*nr = n;
	return v;
}

static const struct {
	const char *name;
	enum obj_kind kind;
} obj_kinds[] = {
	{ "TABLE", OBJ_TABLE },
	{ "INDEX", OBJ_INDEX },
	{ "VIEW", OBJ_VIEW },
	{ "MATVIEW", OBJ_MATVIEW },
	{ "SEQUENCE", OBJ_SEQUENCE },
	{ "SCHEMA", OBJ_SCHEMA },
	{ "TYPE", OBJ_TYPE },
	{ "DOMAIN", OBJ_DOMAIN },
	{ "EXTENSION", OBJ_EXTENSION },
	{ "FUNCTION", OBJ_FUNCTION },
	{ "ROUTINE", OBJ_FUNCTION },
	{ "AGGREGATE", OBJ_FUNCTION },   /* a pg_proc entry too */
	{ "PROCEDURE", OBJ_PROCEDURE },
	{ "TRIGGER", OBJ_TRIGGER },
	{ "POLICY", OBJ_POLICY },
	{ "COLUMN", OBJ_COLUMN },
	{ "TABCONSTRAINT", OBJ_CONSTRAINT },
	{ "DOMCONSTRAINT", OBJ_CONSTRAINT },
	{ "DATABASE", OBJ_DATABASE },
	{ "FOREIGN_TABLE", OBJ_FOREIGN_TABLE },
};

/* "OBJECT_MATVIEW" -> OBJ_MATVIEW; absent -> OBJ_NONE */
static enum obj_kind obj_kind_of(const char *s)
{
	size_t i;

	if (!s)
		return OBJ_NONE;
	if (!strncmp(s, "OBJECT_", 7))
		s += 7;
	for (i = 0; i < ARRAY_SIZE(obj_kinds); i++)
		if (streq(s, obj_kinds[i].name))
			return obj_kinds[i].kind;
	return OBJ_OTHER;
}

/* ---- types ---------------------------------------------------------- */

/*
 * Spellings of built-in types, mapped to PostgreSQL's internal names.
 * The grammar already rewrites keywords (INTEGER -> pg_catalog.int4),
 * but a name the user wrote as an identifier ('int4', 'text', 'serial')
 * arrives unqualified. Names not listed keep their spelling.
 */
static const struct {
	const char *from, *to;
	bool serial;
} type_aliases[] = {
	{ "int", "int4", false },
	{ "integer", "int4", false },
	{ "smallint", "int2", false },
	{ "bigint", "int8", false },
	{ "real", "float4", false },
	{ "float", "float8", false },
	{ "double precision", "float8", false },
	{ "decimal", "numeric", false },
	{ "boolean", "bool", false },
	{ "character varying", "varchar", false },
	{ "character", "bpchar", false },
	{ "timestamp without time zone", "timestamp", false },
	{ "timestamp with time zone", "timestamptz", false },
	{ "time without time zone", "time", false },
	{ "time with time zone", "timetz", false },
	{ "bit varying", "varbit", false },
	{ "serial", "int4", true },
	{ "serial4", "int4", true },
	{ "bigserial", "int8", true },
	{ "serial8", "int8", true },
	{ "smallserial", "int2", true },
	{ "serial2", "int2", true },
};

static const char *const builtin_types[] = {
	"int2", "int4", "int8", "float4", "float8", "numeric", "bool",
	"text", "varchar", "bpchar", "timestamp", "timestamptz", "date",
	"time", "timetz", "interval", "bytea", "uuid", "json", "jsonb",
	"bit", "varbit", "money", "inet", "cidr", "macaddr", "macaddr8",
	"xml", "tsvector", "tsquery", "oid", "regclass", "regtype", "name",
	"char", "point", "line", "lseg", "box", "path", "polygon", "circle",
	"int4range", "int8range", "numrange", "tsrange", "tstzrange",
	"daterange", "jsonpath", "pg_lsn", "record", "void", "trigger",
	"event_trigger", "anyelement", "anyarray", "cstring", "internal",
};

/* The canonical name of a built-in, or NULL; sets *serial. */
const char *pctx_builtin_type(const char *name, bool *serial)
{
	size_t i;

	*serial = false;
	for (i = 0; i < ARRAY_SIZE(type_aliases); i++) {
		if (streq(name, type_aliases[i].from)) {
			*serial = type_aliases[i].serial;
			return type_aliases[i].to;
		}
	}
	for (i = 0; i < ARRAY_SIZE(builtin_types); i++)
		if (streq(name, builtin_types[i]))
			return builtin_types[i];
	return NULL;
}

/*
 * libpg_query 15-4.0.0 drops the value of zero and negative integer
 * constants from its JSON ("ival": {}; fixed upstream in PR #249). A
 * missing value is recovered from the source text at the constant.
 */
long pctx_int_at(struct pctx *ctx, int location)
{
	size_t i;
	long v = 0;
	bool neg = false;

	if (location < 0)
		return 0;
	i = pctx_at(ctx, location);
	if (i < ctx->len && ctx->text[i] == '-') {
		neg = true;
		for (i++; i < ctx->len && is_space(ctx->text[i]); i++)
			;
	}
	for (; i < ctx->len && ctx->text[i] >= '0' && ctx->text[i] <= '9'; i++)
		if (v < 100000000000L)
			v = v * 10 + (ctx->text[i] - '0');
	return neg ? -v : v;
}

static long const_ival(struct pctx *ctx, const cJSON *aconst)
{
	const cJSON *iv = jget(jget(aconst, "ival"), "ival");

	return cJSON_IsNumber(iv) ? iv->valueint : pctx_int_at(ctx, jint(aconst, "location"));
}

static void parse_typmods(struct pctx *ctx, const cJSON *mods,
			  struct type_ref *t)
{
	const cJSON *it;

	for_each_child(it, mods) {
		const cJSON *c = unwrap_as(it, "A_Const");

		if (!c || !jget(c, "ival")) {
			t->nr_mods = -1;
			return;
		}
		if (t->nr_mods < 2)
			t->mods[t->nr_mods++] = (int)const_ival(ctx, c);
	}
}

/* A TypeName (wrapped or not) in canonical form. */
static void parse_type(struct pctx *ctx, const cJSON *tn, struct type_ref *t)
{
	struct qname q;
	const char *canon;

	memset(t, 0, sizeof(*t));
	tn = maybe_unwrap(tn, "TypeName");
	if (!tn)
		return;
	q = qname_of_list(ctx, jget(tn, "names"), 0);
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
	parse_typmods(ctx, jget(tn, "typmods"), t);
	t->array_dims = list_len(jget(tn, "arrayBounds"));
}

/*
 * The SQL-standard types that the grammar names itself (it reads
 * "varchar" or "time" as a keyword and gives pg_catalog's type): a cast
 * to one is written bare. Any other type's name in a cast is quoted as
 * quote_identifier() would, so that the text reads back as the same
 * type ('USER'::"Role", 'a'::"user").
 */
static bool cast_name_bare(const struct type_ref *t)
{
	static const char *const names[] = {
		"bit", "interval", "numeric", "time", "timestamp", "varchar",
	};

	if (t->schema)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(names[i], t->name))
			return true;
	return false;
}

/* 'quote': names as an expression's text needs them (a cast) */
void pctx_type_text(struct strbuf *sb, const struct type_ref *t,
		      bool with_mods, bool quote)
{
	int i;

	if (!t->name) {
		strbuf_addstr(sb, "?");
		return;
	}
	/* an interval's modifier is its fields and precision ("interval
	   hour", "interval second(3)"), as format_type() prints it */
	if (with_mods && !t->schema && !strcmp(t->name, "interval") && t->nr_mods > 0) {
		type_format(t, sb);
		return;
	}
	if (!quote) {
		if (t->schema)
			strbuf_addf(sb, "%s.", t->schema);
		strbuf_addstr(sb, t->name);
	} else {
		if (t->schema) {
			add_ident(sb, t->schema);
			strbuf_addch(sb, '.');
		}
		if (cast_name_bare(t))
			strbuf_addstr(sb, t->name);
		else
			add_ident(sb, t->name);
	}
	if (with_mods && t->nr_mods < 0)
		strbuf_addstr(sb, "(?)");
	for (i = 0; with_mods && i < t->nr_mods; i++)
		strbuf_addf(sb, "%s%d", i ? "," : "(", t->mods[i]);
	if (with_mods && t->nr_mods > 0)
		strbuf_addch(sb, ')');
	for (i = 0; i < t->array_dims; i++)
		strbuf_addstr(sb, "[]");
}

/* "(int4,text)" from a list of TypeName nodes (no typmods: PG ignores them) */
static const char *signature_of(struct pctx *ctx, const cJSON *types)
{
	struct strbuf sb;
	struct type_ref t;
	const cJSON *it;
	const char *sig;

	strbuf_init(&sb);
	strbuf_addch(&sb, '(');
	for_each_child(it, types) {
		parse_type(ctx, it, &t);
		if (sb.len > 1)
			strbuf_addch(&sb, ',');
		pctx_type_text(&sb, &t, false, false);
	}
	strbuf_addch(&sb, ')');
	sig = sdup(ctx, sb.buf);
	strbuf_release(&sb);
	return sig;
}

/* ---- expressions ---------------------------------------------------- */

static void render(struct pctx *ctx, const cJSON *w);

static void render_list(struct pctx *ctx, const cJSON *arr, const char *sep)
{
	const cJSON *it;

	for_each_child(it, arr) {
		if (it != arr->child)
			strbuf_addstr(&ctx->sb, sep);
		render(ctx, it);
	}
}

/* An operand: nested operators get parentheses so the text is unambiguous. */
static void render_operand(struct pctx *ctx, const cJSON *w)
{
	const char *type;

	unwrap(w, &type);
	if (!strcmp(type, "A_Expr") || !strcmp(type, "BoolExpr") ||
	    !strcmp(type, "NullTest") || !strcmp(type, "BooleanTest") ||
	    !strcmp(type, "CollateClause")) {
		strbuf_addch(&ctx->sb, '(');
		render(ctx, w);
		strbuf_addch(&ctx->sb, ')');
	} else {
		render(ctx, w);
	}
}

void pctx_quoted(struct strbuf *sb, const char *s, char q)
{
	strbuf_addch(sb, q);
	for (; *s; s++) {
		if (*s == q)
			strbuf_addch(sb, q);
		strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, q);
}

static void r_const(struct pctx *ctx, const cJSON *n)
{
	struct strbuf *sb = &ctx->sb;
	const cJSON *v;

	if (jbool(n, "isnull")) {
		strbuf_addstr(sb, "null");
	} else if ((v = jget(n, "sval"))) {
		pctx_quoted(sb, jstr(v, "sval") ? jstr(v, "sval") : "", '\'');
	} else if ((v = jget(n, "fval"))) {
		strbuf_addstr(sb, jstr(v, "fval") ? jstr(v, "fval") : "0");
	} else if ((v = jget(n, "boolval"))) {
		strbuf_addstr(sb, jbool(v, "boolval") ? "true" : "false");
	} else if ((v = jget(n, "bsval"))) {
		const char *bs = jstr(v, "bsval");

		if (bs && *bs) {
			strbuf_addch(sb, *bs);
			pctx_quoted(sb, bs + 1, '\'');
		}
	} else {
		strbuf_addf(sb, "%ld", const_ival(ctx, n));
	}
}

static void r_columnref(struct pctx *ctx, const cJSON *n)
{
	const cJSON *it, *fields = jget(n, "fields");
	const char *last = NULL;

	for_each_child(it, fields) {
		const char *s = sval(it);

		if (it != fields->child)
			strbuf_addch(&ctx->sb, '.');
		if (s)
			add_ident(&ctx->sb, s);   /* "createdAt", "user": as PostgreSQL reads them */
		else
			strbuf_addch(&ctx->sb, '*');
		last = s;
	}
	if (last)
		pctx_strvec_add(&ctx->cols, sdup(ctx, last));
}

static void r_funccall(struct pctx *ctx, const cJSON *n)
{
	const cJSON *it, *name = jget(n, "funcname"), *args = jget(n, "args");
	struct strbuf *sb = &ctx->sb;
	bool first = true;

	for_each_child(it, name) {
		const char *s = sval(it);

		if (first && it->next && s && !strcmp(s, "pg_catalog"))
			continue;
		if (!first)
			strbuf_addch(sb, '.');
		strbuf_addstr(sb, s ? s : "?");
		first = false;
	}
	if (last_sval(name))
		pctx_strvec_add(&ctx->funcs, sdup_lower(ctx, last_sval(name)));
	strbuf_addch(sb, '(');
	if (jbool(n, "agg_distinct"))
		strbuf_addstr(sb, "distinct ");
	if (jbool(n, "agg_star"))
		strbuf_addch(sb, '*');
	render_list(ctx, args, ", ");
	strbuf_addch(sb, ')');
	if (jget(n, "over"))
		strbuf_addstr(sb, " over (...)");
}

static void r_typecast(struct pctx *ctx, const cJSON *n)
{
	struct type_ref t;
	const char *type;

	unwrap(jget(n, "arg"), &type);
	if (!strcmp(type, "A_Const") || !strcmp(type, "ColumnRef") ||
	    !strcmp(type, "FuncCall") || !strcmp(type, "TypeCast") ||
	    !strcmp(type, "ParamRef")) {
		render(ctx, jget(n, "arg"));
	} else {
		strbuf_addch(&ctx->sb, '(');
		render(ctx, jget(n, "arg"));
		strbuf_addch(&ctx->sb, ')');
	}
	strbuf_addstr(&ctx->sb, "::");
	parse_type(ctx, jget(n, "typeName"), &t);
	pctx_type_text(&ctx->sb, &t, true, true);
}

/* IN, LIKE, BETWEEN ...: the operator name says which way round */
static const char *aexpr_word(const char *kind, const char *op)
{
	static const struct {
		const char *kind, *op, *word;
	} words[] = {
		{ "AEXPR_IN", "=", " in (" },
		{ "AEXPR_IN", "<>", " not in (" },
		{ "AEXPR_LIKE", "~~", " like " },
		{ "AEXPR_LIKE", "!~~", " not like " },
		{ "AEXPR_ILIKE", "~~*", " ilike " },
		{ "AEXPR_ILIKE", "!~~*", " not ilike " },
		{ "AEXPR_SIMILAR", "~", " similar to " },
		{ "AEXPR_SIMILAR", "!~", " not similar to " },
		{ "AEXPR_DISTINCT", NULL, " is distinct from " },
		{ "AEXPR_NOT_DISTINCT", NULL, " is not distinct from " },
		{ "AEXPR_BETWEEN", NULL, " between " },
		{ "AEXPR_NOT_BETWEEN", NULL, " not between " },
		{ "AEXPR_BETWEEN_SYM", NULL, " between symmetric " },
		{ "AEXPR_NOT_BETWEEN_SYM", NULL, " not between symmetric " },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (!strcmp(kind, words[i].kind) &&
		    (!words[i].op || (op && !strcmp(op, words[i].op))))
			return words[i].word;
	return NULL;
}

static void r_aexpr(struct pctx *ctx, const cJSON *n)
{
	const char *kind = jstr(n, "kind"), *op = last_sval(jget(n, "name"));
	const cJSON *l = jget(n, "lexpr"), *r = jget(n, "rexpr");
	struct strbuf *sb = &ctx->sb;
	const char *word;

	if (!kind)
		kind = "AEXPR_OP";
	if (!op)
		op = "?";
	if (!strcmp(kind, "AEXPR_NULLIF")) {
		strbuf_addstr(sb, "nullif(");
		render(ctx, l);
		strbuf_addstr(sb, ", ");
		render(ctx, r);
		strbuf_addch(sb, ')');
		return;
	}
	if (l) {
		render_operand(ctx, l);
		if (!strcmp(kind, "AEXPR_OP") || !strcmp(kind, "AEXPR_OP_ANY") ||
		    !strcmp(kind, "AEXPR_OP_ALL"))
			strbuf_addf(sb, " %s ", op);
	} else {
		strbuf_addstr(sb, op);
	}
	word = aexpr_word(kind, op);
	if (!strcmp(kind, "AEXPR_OP_ANY") || !strcmp(kind, "AEXPR_OP_ALL")) {
		strbuf_addstr(sb, !strcmp(kind, "AEXPR_OP_ANY") ?
			      "any (" : "all (");
		render(ctx, r);
		strbuf_addch(sb, ')');
	} else if (word && strstr(kind, "BETWEEN")) {
		strbuf_addstr(sb, word);
		render_list(ctx, list_items(r), " and ");
	} else if (word && !strcmp(kind, "AEXPR_IN")) {
		strbuf_addstr(sb, word);
		render_list(ctx, list_items(r), ", ");
		strbuf_addch(sb, ')');
	} else {
		if (word)
			strbuf_addstr(sb, word);
		render_operand(ctx, r);
	}
}

static void r_boolexpr(struct pctx *ctx, const cJSON *n)
{
	const char *op = jstr(n, "boolop");
	const cJSON *it, *args = jget(n, "args");

	if (op && !strcmp(op, "NOT_EXPR")) {
		strbuf_addstr(&ctx->sb, "not ");
		render_operand(ctx, args ? args->child : NULL);
		return;
	}
	for_each_child(it, args) {
		if (it != args->child)
			strbuf_addstr(&ctx->sb, op && !strcmp(op, "OR_EXPR") ?
				      " or " : " and ");
		render_operand(ctx, it);
	}
}

static void r_nulltest(struct pctx *ctx, const cJSON *n)
{
	render_operand(ctx, jget(n, "arg"));
	strbuf_addstr(&ctx->sb, jstr_is(n, "nulltesttype", "IS_NOT_NULL") ?
		      " is not null" : " is null");
}

static void r_booltest(struct pctx *ctx, const cJSON *n)
{
	const char *t = jstr(n, "booltesttype");
	char buf[32];
	size_t i, j = 0;

	render_operand(ctx, jget(n, "arg"));
	/* IS_NOT_UNKNOWN -> " is not unknown" */
	for (i = 0; t && t[i] && j + 2 < sizeof(buf); i++) {
		char c = t[i];

		buf[j++] = c == '_' ? ' ' : (char)(c >= 'A' && c <= 'Z' ?
						   c - 'A' + 'a' : c);
	}
	buf[j] = '\0';
	strbuf_addf(&ctx->sb, " %s", buf);
}

static void r_sqlvalue(struct pctx *ctx, const cJSON *n)
{
	static const struct {
		const char *op, *name;
	} fns[] = {
		{ "SVFOP_CURRENT_DATE", "current_date" },
		{ "SVFOP_CURRENT_TIME", "current_time" },
		{ "SVFOP_CURRENT_TIME_N", "current_time" },
		{ "SVFOP_CURRENT_TIMESTAMP", "current_timestamp" },
		{ "SVFOP_CURRENT_TIMESTAMP_N", "current_timestamp" },
		{ "SVFOP_LOCALTIME", "localtime" },
		{ "SVFOP_LOCALTIME_N", "localtime" },
		{ "SVFOP_LOCALTIMESTAMP", "localtimestamp" },
		{ "SVFOP_LOCALTIMESTAMP_N", "localtimestamp" },
		{ "SVFOP_CURRENT_ROLE", "current_role" },
		{ "SVFOP_CURRENT_USER", "current_user" },
		{ "SVFOP_USER", "user" },
		{ "SVFOP_SESSION_USER", "session_user" },
		{ "SVFOP_CURRENT_CATALOG", "current_catalog" },
		{ "SVFOP_CURRENT_SCHEMA", "current_schema" },
	};
	const char *op = jstr(n, "op");
	size_t i;

	for (i = 0; op && i < ARRAY_SIZE(fns); i++) {
		if (strcmp(op, fns[i].op))
			continue;
		strbuf_addstr(&ctx->sb, fns[i].name);
		if (str_ends_with(op, "_N"))
			strbuf_addf(&ctx->sb, "(%d)", jint(n, "typmod"));
		pctx_strvec_add(&ctx->funcs, fns[i].name);
		return;
	}
	strbuf_addstr(&ctx->sb, "<SQLValueFunction>");
}

static void r_sublink(struct pctx *ctx, const cJSON *n)
{
	const char *t = jstr(n, "subLinkType");
	const char *op = last_sval(jget(n, "operName"));

	ctx->has_subquery = true;
	if (t && !strcmp(t, "EXISTS_SUBLINK")) {
		strbuf_addstr(&ctx->sb, "exists (<subquery>)");
	} else if (t && (!strcmp(t, "ANY_SUBLINK") || !strcmp(t, "ALL_SUBLINK"))) {
		render_operand(ctx, jget(n, "testexpr"));
		if (!op && t[1] == 'N')
			strbuf_addstr(&ctx->sb, " in (<subquery>)");
		else
			strbuf_addf(&ctx->sb, " %s %s (<subquery>)", op ? op : "=",
				    t[1] == 'N' ? "any" : "all");
	} else if (t && !strcmp(t, "ARRAY_SUBLINK")) {
		strbuf_addstr(&ctx->sb, "array(<subquery>)");
	} else {
		strbuf_addstr(&ctx->sb, "(<subquery>)");
	}
}

static void r_case(struct pctx *ctx, const cJSON *n)
{
	const cJSON *it;

	strbuf_addstr(&ctx->sb, "case");
	if (jget(n, "arg")) {
		strbuf_addch(&ctx->sb, ' ');
		render(ctx, jget(n, "arg"));
	}
	for_each_child(it, jget(n, "args")) {
		const cJSON *w = unwrap_as(it, "CaseWhen");

		strbuf_addstr(&ctx->sb, " when ");
		render(ctx, jget(w, "expr"));
		strbuf_addstr(&ctx->sb, " then ");
		render(ctx, jget(w, "result"));
	}
	if (jget(n, "defresult")) {
		strbuf_addstr(&ctx->sb, " else ");
		render(ctx, jget(n, "defresult"));
	}
	strbuf_addstr(&ctx->sb, " end");
}

static void r_call_like(struct pctx *ctx, const char *name, const cJSON *args,
			char open, char close)
{
	strbuf_addstr(&ctx->sb, name);
	strbuf_addch(&ctx->sb, open);
	render_list(ctx, args, ", ");
	strbuf_addch(&ctx->sb, close);
}

static void r_coalesce(struct pctx *ctx, const cJSON *n)
{
	r_call_like(ctx, "coalesce", jget(n, "args"), '(', ')');
}

static void r_minmax(struct pctx *ctx, const cJSON *n)
{
	r_call_like(ctx, jstr_is(n, "op", "IS_LEAST") ? "least" : "greatest",
		    jget(n, "args"), '(', ')');
}

static void r_array(struct pctx *ctx, const cJSON *n)
{
	r_call_like(ctx, "array", jget(n, "elements"), '[', ']');
}

static void r_row(struct pctx *ctx, const cJSON *n)
{
	r_call_like(ctx, "row", jget(n, "args"), '(', ')');
}

static void r_param(struct pctx *ctx, const cJSON *n)
{
	strbuf_addf(&ctx->sb, "$%d", jint(n, "number"));
}

static void r_collate(struct pctx *ctx, const cJSON *n)
{
	const cJSON *it, *names = jget(n, "collname");

	render_operand(ctx, jget(n, "arg"));
	strbuf_addstr(&ctx->sb, " collate ");
	for_each_child(it, names) {
		if (it != names->child)
			strbuf_addch(&ctx->sb, '.');
		pctx_quoted(&ctx->sb, sval(it) ? sval(it) : "", '"');
	}
}

static void r_namedarg(struct pctx *ctx, const cJSON *n)
{
	const char *name = jstr(n, "name");

	strbuf_addf(&ctx->sb, "%s => ", name ? name : "?");
	render(ctx, jget(n, "arg"));
}

static void r_indirection(struct pctx *ctx, const cJSON *n)
{
	const cJSON *it, *ind = jget(n, "indirection");
	bool bare = unwrap_as(jget(n, "arg"), "ColumnRef") && ind &&
		    unwrap_as(ind->child, "A_Indices");

	if (!bare)
		strbuf_addch(&ctx->sb, '(');
	render(ctx, jget(n, "arg"));
	if (!bare)
		strbuf_addch(&ctx->sb, ')');
	for_each_child(it, ind) {
		const cJSON *idx = unwrap_as(it, "A_Indices");

		if (sval(it)) {
			strbuf_addf(&ctx->sb, ".%s", sval(it));
		} else if (idx) {
			strbuf_addch(&ctx->sb, '[');
			if (jget(idx, "lidx"))
				render(ctx, jget(idx, "lidx"));
			if (jbool(idx, "is_slice"))
				strbuf_addch(&ctx->sb, ':');
			if (jget(idx, "uidx"))
				render(ctx, jget(idx, "uidx"));
			strbuf_addch(&ctx->sb, ']');
		} else {
			strbuf_addstr(&ctx->sb, ".*");
		}
	}
}

static const struct {
	const char *node;
	void (*fn)(struct pctx *ctx, const cJSON *n);
} renderers[] = {
	{ "A_Const", r_const },
	{ "ColumnRef", r_columnref },
	{ "FuncCall", r_funccall },
	{ "TypeCast", r_typecast },
	{ "A_Expr", r_aexpr },
	{ "BoolExpr", r_boolexpr },
	{ "NullTest", r_nulltest },
	{ "BooleanTest", r_booltest },
	{ "SQLValueFunction", r_sqlvalue },
	{ "SubLink", r_sublink },
	{ "CaseExpr", r_case },
	{ "CoalesceExpr", r_coalesce },
	{ "MinMaxExpr", r_minmax },
	{ "A_ArrayExpr", r_array },
	{ "RowExpr", r_row },
	{ "ParamRef", r_param },
	{ "CollateClause", r_collate },
	{ "NamedArgExpr", r_namedarg },
	{ "A_Indirection", r_indirection },
};

static void render(struct pctx *ctx, const cJSON *w)
{
	const char *type;
	const cJSON *n = unwrap(w, &type);
	size_t i;

	for (i = 0; n && i < ARRAY_SIZE(renderers); i++) {
		if (streq(type, renderers[i].node)) {
			renderers[i].fn(ctx, n);
			return;
		}
	}
	strbuf_addf(&ctx->sb, "<%s>", *type ? type : "?");
}

/* The operand written first, for nodes whose location is their operator. */
static const cJSON *first_operand(const char *type, const cJSON *n)
{
	const cJSON *args;

	if (!strcmp(type, "A_Expr"))
		return jget(n, "lexpr");
	if (!strcmp(type, "BoolExpr") && !jstr_is(n, "boolop", "NOT_EXPR")) {
		args = jget(n, "args");
		return args ? args->child : NULL;
	}
	if (!strcmp(type, "SubLink"))
		return jget(n, "testexpr");
	if (!strcmp(type, "NullTest") || !strcmp(type, "BooleanTest") ||
	    !strcmp(type, "TypeCast") || !strcmp(type, "CollateClause") ||
	    !strcmp(type, "A_Indirection"))
		return jget(n, "arg");
	return NULL;
}

/*
 * Where an expression starts: PostgreSQL puts the location of "a IS
 * NULL" or "a + b" at the operator, so follow the first operands down
 * and take the leftmost location.
 */
static size_t expr_at(struct pctx *ctx, const cJSON *w)
{
	size_t best = SIZE_MAX;
	const char *type;
	const cJSON *n;

	for (; (n = unwrap(w, &type)); w = first_operand(type, n)) {
		const cJSON *l = jget(n, "location");

		if (l && l->valueint >= 0 && at(ctx, n) < best)
			best = at(ctx, n);
	}
	return best == SIZE_MAX ? ctx->stmt_start : best;
}

/*
 * A constant, possibly cast: DEFAULT 0, DEFAULT 'x'::text, DEFAULT NULL.
 * Sets *casts to the number of casts and *cast to the outermost one.
 */
static const cJSON *const_of(const cJSON *w, int *casts, const cJSON **cast)
{
	const cJSON *n;

	*casts = 0;
	*cast = NULL;
	while ((n = unwrap_as(w, "TypeCast"))) {
		if (!(*casts)++)
			*cast = n;
		w = jget(n, "arg");
	}
	return unwrap_as(w, "A_Const");
}

static const char *not_null_column(const cJSON *w)
{
	const cJSON *n = unwrap_as(w, "NullTest");

	if (!n || !jstr_is(n, "nulltesttype", "IS_NOT_NULL"))
		return NULL;
	n = unwrap_as(jget(n, "arg"), "ColumnRef");
	return n ? last_sval(jget(n, "fields")) : NULL;
}

static struct expr *make_expr(struct pctx *ctx, const cJSON *w)
{
	struct expr *e;
	const cJSON *c, *cast;

	if (!w)
		return NULL;
	e = pctx_expr_begin(ctx);
	render(ctx, w);
	pctx_expr_text(ctx, e);
	e->not_null_column = sdup(ctx, not_null_column(w));
	c = const_of(w, &e->nr_casts, &cast);
	e->is_const = c != NULL;
	e->is_null = c && jbool(c, "isnull");
	if (c && e->nr_casts == 1)
		parse_type(ctx, jget(cast, "typeName"), &e->cast);
	e->start = expr_at(ctx, w);
	return e;
}

struct expr *pctx_expr_begin(struct pctx *ctx)
{
	strbuf_reset(&ctx->sb);
	ctx->funcs.nr = ctx->cols.nr = 0;
	ctx->has_subquery = false;
	return arena_alloc(ctx->arena, sizeof(struct expr));
}

void pctx_expr_text(struct pctx *ctx, struct expr *e)
{
	e->text = arena_strndup(ctx->arena, ctx->sb.buf, ctx->sb.len);
	e->funcs = pctx_strvec_to_arena(ctx, &ctx->funcs, &e->nr_funcs);
	e->columns = pctx_strvec_to_arena(ctx, &ctx->cols, &e->nr_columns);
	e->has_subquery = ctx->has_subquery;
}

/* DefElem options: the one named 'name', or NULL */
static const cJSON *option(const cJSON *options, const char *name)
{
	const cJSON *it;

	for_each_child(it, options) {
		const cJSON *d = unwrap_as(it, "DefElem");

		if (jstr_is(d, "defname", name))
			return d;
	}
	return NULL;
}

/* ALTER COLUMN SET GENERATED ALWAYS|BY DEFAULT: 'a' or 'd' (attidentity's
   codes); 0 when only RESTART and such are set. */
static enum identity_kind set_identity_of(const cJSON *def)
{
	const cJSON *gen = option(list_items(def), "generated");

	return (enum identity_kind)jint(unwrap_as(jget(gen, "arg"), "Integer"), "ival");
}

/* ---- constraints and columns ------------------------------------- */

static enum con_kind con_kind_of(const char *contype)
{
	static const struct {
		const char *name;
		enum con_kind kind;
	} kinds[] = {
		{ "CONSTR_PRIMARY", CON_PRIMARY },
		{ "CONSTR_UNIQUE", CON_UNIQUE },
		{ "CONSTR_CHECK", CON_CHECK },
		{ "CONSTR_FOREIGN", CON_FOREIGN },
		{ "CONSTR_EXCLUSION", CON_EXCLUDE },
	};
	size_t i;

	for (i = 0; contype && i < ARRAY_SIZE(kinds); i++)
		if (streq(contype, kinds[i].name))
			return kinds[i].kind;
	return 0;
}

static enum fk_action fk_action_of(const char *s)
{
	return s && *s ? (enum fk_action)*s : FK_NO_ACTION;
}

/* GENERATED ALWAYS / BY DEFAULT: 'a' / 'd', as identity_kind spells them */
static enum identity_kind identity_of(const cJSON *c)
{
	const char *s = jstr(c, "generated_when");

	return s && *s == 'a' ? IDENTITY_ALWAYS :
	       s && *s == 'd' ? IDENTITY_BY_DEFAULT : IDENTITY_NONE;
}

/* EXCLUDE (col WITH op, ...): the plain columns */
static const char **exclusion_columns(struct pctx *ctx, const cJSON *arr,
				      int *nr)
{
	const char **v;
	const cJSON *it;
	int n = 0;

	*nr = 0;
	if (!list_len(arr))
		return NULL;
	v = arena_alloc(ctx->arena, (size_t)list_len(arr) * sizeof(*v));
	for_each_child(it, arr) {
		const cJSON *items = list_items(it);
		const cJSON *ie = unwrap_as(items ? items->child : NULL,
					    "IndexElem");

		if (jstr(ie, "name"))
			v[n++] = sdup(ctx, jstr(ie, "name"));
	}
	*nr = n;
	return v;
}

static void constraint_columns(struct pctx *ctx, const cJSON *c,
			       struct constraint_def *cd, const char *column)
{
	if (column) {
		cd->columns = arena_alloc(ctx->arena, sizeof(*cd->columns));
		cd->columns[0] = column;
		cd->nr_columns = 1;
	} else if (cd->kind == CON_FOREIGN) {
		cd->columns = str_list(ctx, jget(c, "fk_attrs"), &cd->nr_columns);
	} else if (cd->kind == CON_EXCLUDE) {
		cd->columns = exclusion_columns(ctx, jget(c, "exclusions"),
						&cd->nr_columns);
	} else {
		cd->columns = str_list(ctx, jget(c, "keys"), &cd->nr_columns);
	}
}

/*
 * A PRIMARY KEY/UNIQUE/CHECK/FOREIGN KEY/EXCLUDE constraint; 'column'
 * is set for one written inline in a column definition. NOT VALID is
 * ignored by PostgreSQL in CREATE TABLE (the table is empty).
 */
static void parse_constraint(struct pctx *ctx, const cJSON *c,
			     struct constraint_def *cd, const char *column,
			     bool in_create)
{
	cd->kind = con_kind_of(jstr(c, "contype"));
	cd->name = sdup(ctx, jstr(c, "conname"));
	cd->start = at(ctx, c);
	constraint_columns(ctx, c, cd, column);
	cd->include = str_list(ctx, jget(c, "including"), &cd->nr_include);
	if (cd->kind == CON_CHECK)
		cd->check = make_expr(ctx, jget(c, "raw_expr"));
	if (cd->kind == CON_FOREIGN) {
		cd->ref_table = qname_of_rangevar(ctx, jget(c, "pktable"));
		cd->ref_columns = str_list(ctx, jget(c, "pk_attrs"),
					   &cd->nr_ref_columns);
		cd->on_delete = fk_action_of(jstr(c, "fk_del_action"));
		cd->on_update = fk_action_of(jstr(c, "fk_upd_action"));
	}
	cd->not_valid = !in_create && jbool(c, "skip_validation");
	cd->no_inherit = jbool(c, "is_no_inherit");
	cd->deferrable = jbool(c, "deferrable");
	cd->nulls_not_distinct = jbool(c, "nulls_not_distinct");
	cd->initially_deferred = jbool(c, "initdeferred");
	cd->using_index = sdup(ctx, jstr(c, "indexname"));
	cd->index_method = sdup_lower(ctx, jstr(c, "access_method"));
}

static int count_hoisted(const cJSON *coldef)
{
	const cJSON *it;
	int n = 0;

	for_each_child(it, jget(coldef, "constraints"))
		if (con_kind_of(jstr(unwrap_as(it, "Constraint"), "contype")))
			n++;
	return n;
}

/* [NOT] DEFERRABLE / INITIALLY ... written after an inline constraint */
static void constraint_attr(const char *contype, struct constraint_def *last)
{
	if (!last)
		return;
	if (!strcmp(contype, "CONSTR_ATTR_DEFERRABLE"))
		last->deferrable = true;
	else if (!strcmp(contype, "CONSTR_ATTR_NOT_DEFERRABLE"))
		last->deferrable = false;
	else if (!strcmp(contype, "CONSTR_ATTR_DEFERRED"))
		last->initially_deferred = true;
	else if (!strcmp(contype, "CONSTR_ATTR_IMMEDIATE"))
		last->initially_deferred = false;
}

static const char *collation_of(struct pctx *ctx, const cJSON *coll)
{
	return sdup(ctx, last_sval(jget(coll, "collname")));
}

/*
 * A column definition. Inline key, check and foreign-key constraints
 * are written to 'hoisted' (sized by count_hoisted()); returns how many.
 */
static int parse_column(struct pctx *ctx, const cJSON *cd,
			struct column_def *col, struct constraint_def *hoisted,
			bool in_create)
{
	struct constraint_def *last = NULL;
	const cJSON *it;
	int n = 0;

	col->name = sdup(ctx, jstr(cd, "colname"));
	parse_type(ctx, jget(cd, "typeName"), &col->type);
	col->collation = collation_of(ctx, jget(cd, "collClause"));
	col->start = at(ctx, cd);
	for_each_child(it, jget(cd, "constraints")) {
		const cJSON *c = unwrap_as(it, "Constraint");
		const char *t = jstr(c, "contype");

		if (!t)
			continue;
		if (con_kind_of(t)) {
			last = &hoisted[n++];
			parse_constraint(ctx, c, last, col->name, in_create);
			if (last->kind == CON_PRIMARY)
				col->not_null = true;
		} else if (!strcmp(t, "CONSTR_NOTNULL")) {
			col->not_null = true;
		} else if (!strcmp(t, "CONSTR_NULL")) {
			col->explicit_null = true;
		} else if (!strcmp(t, "CONSTR_DEFAULT")) {
			col->default_expr = make_expr(ctx, jget(c, "raw_expr"));
		} else if (!strcmp(t, "CONSTR_IDENTITY")) {
			col->identity = identity_of(c);
		} else if (!strcmp(t, "CONSTR_GENERATED")) {
			col->generated = make_expr(ctx, jget(c, "raw_expr"));
		} else {
			constraint_attr(t, last);
		}
	}
	return n;
}

/* ---- CREATE TABLE -------------------------------------------------- */

static void count_table_elts(const cJSON *elts, int *nr_cols, int *nr_cons,
			     int *nr_like)
{
	const cJSON *it, *n;

	*nr_cols = *nr_cons = *nr_like = 0;
	for_each_child(it, elts) {
		if ((n = unwrap_as(it, "ColumnDef"))) {
			(*nr_cols)++;
			*nr_cons += count_hoisted(n);
		} else if (unwrap_as(it, "Constraint")) {
			(*nr_cons)++;
		} else if (unwrap_as(it, "TableLikeClause")) {
			(*nr_like)++;
		}
	}
}

static void table_elts(struct pctx *ctx, const cJSON *elts,
		       struct create_table *ct)
{
	int nc, nk, nl;
	const cJSON *it, *n;

	count_table_elts(elts, &nc, &nk, &nl);
	ct->columns = nc ? arena_alloc(ctx->arena, nc * sizeof(*ct->columns)) : NULL;
	ct->constraints = nk ? arena_alloc(ctx->arena, nk * sizeof(*ct->constraints)) : NULL;
	ct->like = nl ? arena_alloc(ctx->arena, nl * sizeof(*ct->like)) : NULL;
	ct->like_options = nl ? arena_alloc(ctx->arena, nl * sizeof(*ct->like_options)) : NULL;
	ct->like_pos = nl ? arena_alloc(ctx->arena, nl * sizeof(*ct->like_pos)) : NULL;
	for_each_child(it, elts) {
		/* no pointer arithmetic on NULL when the table has no constraints */
		struct constraint_def *next = ct->constraints ?
			ct->constraints + ct->nr_constraints : NULL;

		if ((n = unwrap_as(it, "ColumnDef")))
			ct->nr_constraints += parse_column(ctx, n,
				&ct->columns[ct->nr_columns++], next, true);
		else if ((n = unwrap_as(it, "Constraint")))
			parse_constraint(ctx, n,
				&ct->constraints[ct->nr_constraints++], NULL, true);
		else if ((n = unwrap_as(it, "TableLikeClause"))) {
			const cJSON *o = jget(n, "options");

			ct->like_options[ct->nr_like] = cJSON_IsNumber(o) ? (unsigned)o->valuedouble : 0;
			ct->like_pos[ct->nr_like] = ct->nr_columns;
			ct->like[ct->nr_like++] =
				qname_of_rangevar(ctx, jget(n, "relation"));
		}
	}
}

/* A RangeVar's TEMP or TEMPORARY */
static bool is_temporary(const cJSON *rv)
{
	const char *p = jstr(rv, "relpersistence");

	return p && *p == 't';
}

static void persistence(const cJSON *rv, struct create_table *ct)
{
	const char *p = jstr(rv, "relpersistence");

	ct->temporary = is_temporary(rv);
	ct->unlogged = p && *p == 'u';
}

/*
 * PARTITION BY as text: as the rules compare it (ddl false: lower case,
 * names bare: RANGE (a, lower(b)) -> "range (a, lower(b))"), or as DDL
 * takes it (names quoted as they need, an expression in parentheses:
 * "RANGE (\"createdAt\", (lower(b)))").
 */
static const char *partition_spec(struct pctx *ctx, const cJSON *spec, bool ddl)
{
	const cJSON *it, *params = jget(spec, "partParams");
	const char *strategy = jstr(spec, "strategy");

	if (!spec)
		return NULL;
	strbuf_reset(&ctx->sb);
	strbuf_addf(&ctx->sb, "%s (", strategy ? strategy : "?");
	for_each_child(it, params) {
		const cJSON *pe = unwrap_as(it, "PartitionElem");

		if (it != params->child)
			strbuf_addstr(&ctx->sb, ", ");
		if (jstr(pe, "name") && ddl)
			add_ident(&ctx->sb, jstr(pe, "name"));
		else if (jstr(pe, "name"))
			strbuf_addstr(&ctx->sb, jstr(pe, "name"));
		else if (ddl) {
			strbuf_addch(&ctx->sb, '(');
			render(ctx, jget(pe, "expr"));
			strbuf_addch(&ctx->sb, ')');
		} else {
			render(ctx, jget(pe, "expr"));
		}
	}
	strbuf_addch(&ctx->sb, ')');
	return ddl ? sdup(ctx, ctx->sb.buf) : sdup_lower(ctx, ctx->sb.buf);
}

static void bound_datums(struct pctx *ctx, const cJSON *list)
{
	const cJSON *it;

	strbuf_addch(&ctx->sb, '(');
	for_each_child(it, list) {
		if (it != list->child)
			strbuf_addstr(&ctx->sb, ", ");
		render(ctx, it);
	}
	strbuf_addch(&ctx->sb, ')');
}

/* A PartitionBoundSpec as CREATE TABLE ... PARTITION OF and ATTACH
   PARTITION write it: DEFAULT, FOR VALUES IN (...), FROM (...) TO (...)
   or WITH (MODULUS m, REMAINDER r). */
static const char *partition_bound(struct pctx *ctx, const cJSON *w)
{
	const cJSON *spec = w ? maybe_unwrap(w, "PartitionBoundSpec") : NULL;

	if (!spec)
		return NULL;
	if (jbool(spec, "is_default"))
		return sdup(ctx, "DEFAULT");
	strbuf_reset(&ctx->sb);
	if (jget(spec, "listdatums")) {
		strbuf_addstr(&ctx->sb, "FOR VALUES IN ");
		bound_datums(ctx, jget(spec, "listdatums"));
	} else if (jget(spec, "lowerdatums")) {
		strbuf_addstr(&ctx->sb, "FOR VALUES FROM ");
		bound_datums(ctx, jget(spec, "lowerdatums"));
		strbuf_addstr(&ctx->sb, " TO ");
		bound_datums(ctx, jget(spec, "upperdatums"));
	} else {
		const cJSON *m = jget(spec, "modulus"), *r = jget(spec, "remainder");

		strbuf_addf(&ctx->sb, "FOR VALUES WITH (MODULUS %d, REMAINDER %d)",
			    cJSON_IsNumber(m) ? m->valueint : 0, cJSON_IsNumber(r) ? r->valueint : 0);
	}
	return sdup(ctx, ctx->sb.buf);
}

static void do_create_table(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	struct create_table *ct = &st->u.create_table;
	const cJSON *inh = jget(n, "inhRelations");

	st->kind = ST_CREATE_TABLE;
	ct->name = qname_of_rangevar(ctx, jget(n, "relation"));
	persistence(jget(n, "relation"), ct);
	ct->if_not_exists = jbool(n, "if_not_exists");
	table_elts(ctx, jget(n, "tableElts"), ct);
	if (jget(n, "partbound") && list_len(inh)) {
		ct->partition_of = qname_of_rangevar(ctx, inh->child);
		ct->partition_bound = partition_bound(ctx, jget(n, "partbound"));
	} else
		ct->inherits = rangevar_list(ctx, inh, "RangeVar",
					     &ct->nr_inherits);
	ct->partition_by = partition_spec(ctx, jget(n, "partspec"), false);
	ct->partition_key = partition_spec(ctx, jget(n, "partspec"), true);
}

/* ---- ALTER TABLE --------------------------------------------------- */

static const struct {
	const char *name;
	enum alter_kind kind;
} alter_kinds[] = {
	{ "AT_AddColumn", AT_ADD_COLUMN },
	{ "AT_AddColumnToView", AT_ADD_COLUMN },
	{ "AT_DropColumn", AT_DROP_COLUMN },
	{ "AT_AlterColumnType", AT_ALTER_TYPE },
	{ "AT_ColumnDefault", AT_SET_DEFAULT },
	{ "AT_SetNotNull", AT_SET_NOT_NULL },
	{ "AT_DropNotNull", AT_DROP_NOT_NULL },
	{ "AT_AddConstraint", AT_ADD_CONSTRAINT },
	{ "AT_AddIndexConstraint", AT_ADD_CONSTRAINT },
	{ "AT_DropConstraint", AT_DROP_CONSTRAINT },
	{ "AT_ValidateConstraint", AT_VALIDATE_CONSTRAINT },
	{ "AT_AddIdentity", AT_ADD_IDENTITY },
	{ "AT_DropIdentity", AT_DROP_IDENTITY },
	{ "AT_SetIdentity", AT_SET_IDENTITY },
	{ "AT_DropExpression", AT_DROP_EXPRESSION },
	{ "AT_AttachPartition", AT_ATTACH_PARTITION },
	{ "AT_DetachPartition", AT_DETACH_PARTITION },
	{ "AT_EnableRowSecurity", AT_ENABLE_RLS },
	{ "AT_DisableRowSecurity", AT_DISABLE_RLS },
	{ "AT_ForceRowSecurity", AT_FORCE_RLS },
	{ "AT_NoForceRowSecurity", AT_NO_FORCE_RLS },
	{ "AT_SetTableSpace", AT_SET_TABLESPACE },
	{ "AT_SetLogged", AT_SET_LOGGED },
	{ "AT_SetUnLogged", AT_SET_UNLOGGED },
	{ "AT_ChangeOwner", AT_OWNER },
	{ "AT_ReplicaIdentity", AT_REPLICA_IDENTITY },
	{ "AT_SetStatistics", AT_SET_STORAGE },
	{ "AT_SetStorage", AT_SET_STORAGE },
	{ "AT_SetCompression", AT_SET_STORAGE },
	{ "AT_SetRelOptions", AT_SET_STORAGE },
	{ "AT_ResetRelOptions", AT_SET_STORAGE },
	{ "AT_ReplaceRelOptions", AT_SET_STORAGE },
	{ "AT_SetOptions", AT_SET_STORAGE },
	{ "AT_ResetOptions", AT_SET_STORAGE },
	{ "AT_ClusterOn", AT_CLUSTER_ON },
	{ "AT_EnableTrig", AT_ENABLE_TRIGGER },
	{ "AT_EnableAlwaysTrig", AT_ENABLE_TRIGGER },
	{ "AT_EnableReplicaTrig", AT_ENABLE_TRIGGER },
	{ "AT_EnableTrigAll", AT_ENABLE_TRIGGER },
	{ "AT_EnableTrigUser", AT_ENABLE_TRIGGER },
	{ "AT_DisableTrig", AT_DISABLE_TRIGGER },
	{ "AT_DisableTrigAll", AT_DISABLE_TRIGGER },
	{ "AT_DisableTrigUser", AT_DISABLE_TRIGGER },
	{ "AT_AddInherit", AT_INHERIT },
	{ "AT_DropInherit", AT_NO_INHERIT },
};

static enum alter_kind alter_kind_of(const char *subtype)
{
	size_t i;

	for (i = 0; subtype && i < ARRAY_SIZE(alter_kinds); i++)
		if (streq(subtype, alter_kinds[i].name))
			return alter_kinds[i].kind;
	return AT_OTHER;
}

static int count_alter_cmds(const cJSON *cmds)
{
	const cJSON *it;
	int n = 0;

	for_each_child(it, cmds) {
		const cJSON *c = unwrap_as(it, "AlterTableCmd");
		const cJSON *cd = unwrap_as(jget(c, "def"), "ColumnDef");

		n++;
		if (alter_kind_of(jstr(c, "subtype")) == AT_ADD_COLUMN && cd)
			n += count_hoisted(cd);
	}
	return n;
}

static const char *replica_identity(struct pctx *ctx, const cJSON *def)
{
	const cJSON *ri = unwrap_as(def, "ReplicaIdentityStmt");
	const char *t = jstr(ri, "identity_type");

	if (!t)
		return "default";
	switch (*t) {
	case 'f':
		return "full";
	case 'n':
		return "nothing";
	case 'i':
		return sdup(ctx, jstr(ri, "name"));
	default:
		return "default";
	}
}

/* ADD COLUMN, then one ADD CONSTRAINT per inline key/check/reference */
static int alter_add_column(struct pctx *ctx, const cJSON *def,
			    struct alter_cmd *cmd)
{
	const cJSON *cd = unwrap_as(def, "ColumnDef");
	struct constraint_def *h;
	int i, nh = count_hoisted(cd);

	cmd->coldef = arena_alloc(ctx->arena, sizeof(*cmd->coldef));
	h = nh ? arena_alloc(ctx->arena, nh * sizeof(*h)) : NULL;
	parse_column(ctx, cd, cmd->coldef, h, false);
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

static void alter_cmd_def(struct pctx *ctx, const cJSON *def,
			  struct alter_cmd *cmd)
{
	const cJSON *n;

	switch (cmd->kind) {
	case AT_ALTER_TYPE:
		n = unwrap_as(def, "ColumnDef");
		parse_type(ctx, jget(n, "typeName"), &cmd->type);
		cmd->using_expr = make_expr(ctx, jget(n, "raw_default"));
		cmd->collation = collation_of(ctx, jget(n, "collClause"));
		break;
	case AT_SET_DEFAULT:
		if (!def)
			cmd->kind = AT_DROP_DEFAULT;
		cmd->expr = make_expr(ctx, def);
		break;
	case AT_ADD_CONSTRAINT:
		cmd->con = arena_alloc(ctx->arena, sizeof(*cmd->con));
		parse_constraint(ctx, unwrap_as(def, "Constraint"), cmd->con,
				 NULL, false);
		cmd->name = cmd->con->name;
		cmd->start = cmd->con->start;
		break;
	case AT_ADD_IDENTITY:
		cmd->identity = identity_of(unwrap_as(def, "Constraint"));
		break;
	case AT_SET_IDENTITY:
		cmd->identity = set_identity_of(def);
		break;
	case AT_ATTACH_PARTITION:
	case AT_ATTACH_INDEX:
	case AT_DETACH_PARTITION:
		n = unwrap_as(def, "PartitionCmd");
		cmd->partition = qname_of_rangevar(ctx, jget(n, "name"));
		cmd->name = cmd->partition.name;
		cmd->concurrently = jbool(n, "concurrent");
		cmd->partition_bound = partition_bound(ctx, jget(n, "bound"));
		break;
	case AT_INHERIT:
	case AT_NO_INHERIT:
		cmd->partition = qname_of_rangevar(ctx, def);
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
static int parse_alter_cmd(struct pctx *ctx, const cJSON *c,
			   struct alter_cmd *cmd, enum obj_kind relkind)
{
	const cJSON *def = jget(c, "def");
	const cJSON *owner = jget(c, "newowner");

	cmd->kind = alter_kind_of(jstr(c, "subtype"));
	cmd->start = ctx->stmt_start;
	cmd->if_exists = jbool(c, "missing_ok");
	cmd->cascade = jstr_is(c, "behavior", "DROP_CASCADE");
	if (cmd->kind == AT_ADD_COLUMN) {
		cmd->if_not_exists = cmd->if_exists;
		cmd->if_exists = false;
		return alter_add_column(ctx, def, cmd);
	}
	if (cmd->kind == AT_ATTACH_PARTITION && relkind == OBJ_INDEX)
		cmd->kind = AT_ATTACH_INDEX;
	cmd->name = sdup(ctx, jstr(c, "name"));
	if (owner)
		cmd->name = sdup(ctx, jstr(owner, "rolename"));
	if (cmd->kind != AT_DROP_CONSTRAINT && cmd->kind != AT_VALIDATE_CONSTRAINT &&
	    cmd->kind != AT_SET_TABLESPACE && cmd->kind != AT_CLUSTER_ON &&
	    cmd->kind != AT_ENABLE_TRIGGER && cmd->kind != AT_DISABLE_TRIGGER &&
	    cmd->kind != AT_OWNER)
		cmd->column = cmd->name;
	alter_cmd_def(ctx, def, cmd);
	return 1;
}

static void do_alter_table(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	struct alter_table *at = &st->u.alter_table;
	const cJSON *it, *cmds = jget(n, "cmds");
	const cJSON *rel = jget(n, "relation");
	int nr = count_alter_cmds(cmds);

	at->relkind = obj_kind_of(jstr(n, "objtype"));
	/* ALTER TYPE t ADD/DROP/ALTER ATTRIBUTE: a composite type, whose
	   attributes the model does not keep; not a relation */
	if (at->relkind == OBJ_TYPE) {
		st->kind = ST_OTHER;
		return;
	}
	st->kind = ST_ALTER_TABLE;
	at->rel = qname_of_rangevar(ctx, rel);
	if (at->relkind == OBJ_NONE)
		at->relkind = OBJ_TABLE;
	at->if_exists = jbool(n, "missing_ok");
	at->only = !jbool(rel, "inh");
	at->cmds = nr ? arena_alloc(ctx->arena, nr * sizeof(*at->cmds)) : NULL;
	for_each_child(it, cmds)
		at->nr_cmds += parse_alter_cmd(ctx,
			unwrap_as(it, "AlterTableCmd"),
			&at->cmds[at->nr_cmds], at->relkind);
}

/* ---- CREATE INDEX -------------------------------------------------- */

static void parse_index_elem(struct pctx *ctx, const cJSON *ie,
			     struct index_elem *el)
{
	const char *nulls = jstr(ie, "nulls_ordering");

	el->column = sdup(ctx, jstr(ie, "name"));
	el->expr = make_expr(ctx, jget(ie, "expr"));
	el->opclass = sdup(ctx, last_sval(jget(ie, "opclass")));
	el->desc = jstr_is(ie, "ordering", "SORTBY_DESC");
	if (nulls && !strcmp(nulls, "SORTBY_NULLS_FIRST"))
		el->nulls = 1;
	else if (nulls && !strcmp(nulls, "SORTBY_NULLS_LAST"))
		el->nulls = 2;
}

/* The "name" of each element of a list of 'node' nodes (IndexElem,
   ResTarget), skipping those without one. */
static const char **node_names(struct pctx *ctx, const cJSON *arr, const char *node, int *nr)
{
	const char **v;
	const cJSON *it;

	*nr = 0;
	if (!list_len(arr))
		return NULL;
	v = arena_alloc(ctx->arena, (size_t)list_len(arr) * sizeof(*v));
	for_each_child(it, arr) {
		const char *name = jstr(unwrap_as(it, node), "name");

		if (name)
			v[(*nr)++] = sdup(ctx, name);
	}
	return v;
}

static const char **index_include(struct pctx *ctx, const cJSON *arr, int *nr)
{
	return node_names(ctx, arr, "IndexElem", nr);
}

static void do_create_index(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	struct index_def *ix = &st->u.index;
	const cJSON *it, *params = jget(n, "indexParams");
	const cJSON *rel = jget(n, "relation");
	const char *method = jstr(n, "accessMethod");

	st->kind = ST_CREATE_INDEX;
	ix->name = sdup(ctx, jstr(n, "idxname"));
	ix->table = qname_of_rangevar(ctx, rel);
	ix->unique = jbool(n, "unique");
	ix->concurrently = jbool(n, "concurrent");
	ix->if_not_exists = jbool(n, "if_not_exists");
	ix->only = !jbool(rel, "inh");
	ix->method = method ? sdup_lower(ctx, method) : "btree";
	ix->nulls_not_distinct = jbool(n, "nulls_not_distinct");
	if (list_len(params))
		ix->elems = arena_alloc(ctx->arena,
					(size_t)list_len(params) * sizeof(*ix->elems));
	for_each_child(it, params)
		parse_index_elem(ctx, unwrap_as(it, "IndexElem"),
				 &ix->elems[ix->nr_elems++]);
	ix->include = index_include(ctx, jget(n, "indexIncludingParams"),
				    &ix->nr_include);
	ix->where = make_expr(ctx, jget(n, "whereClause"));
}

/* ---- DROP and RENAME ---------------------------------------------- */

static bool names_table_member(enum obj_kind k)
{
	return k == OBJ_TRIGGER || k == OBJ_POLICY;
}

static void drop_object(struct pctx *ctx, const cJSON *w, struct drop_stmt *d,
			int i)
{
	const cJSON *owa = unwrap_as(w, "ObjectWithArgs");

	if (names_table_member(d->kind)) {
		const cJSON *items = list_items(w);

		d->objects[i].name = sdup(ctx, last_sval(items));
		d->on[i] = qname_of_list(ctx, items, 1);
		return;
	}
	d->objects[i] = qname_of_object(ctx, w);
	if (owa && !jbool(owa, "args_unspecified"))
		d->signatures[i] = signature_of(ctx, jget(owa, "objargs"));
}

static void do_drop(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	struct drop_stmt *d = &st->u.drop;
	const cJSON *it, *objs = jget(n, "objects");
	int nr = list_len(objs);

	st->kind = ST_DROP;
	d->kind = obj_kind_of(jstr(n, "removeType"));
	d->if_exists = jbool(n, "missing_ok");
	d->cascade = jstr_is(n, "behavior", "DROP_CASCADE");
	d->concurrently = jbool(n, "concurrent");
	if (!nr)
		return;
	d->objects = arena_alloc(ctx->arena, nr * sizeof(*d->objects));
	if (names_table_member(d->kind))
		d->on = arena_alloc(ctx->arena, nr * sizeof(*d->on));
	if (d->kind == OBJ_FUNCTION || d->kind == OBJ_PROCEDURE ||
	    d->kind == OBJ_OTHER)
		d->signatures = arena_alloc(ctx->arena, nr * sizeof(*d->signatures));
	for_each_child(it, objs)
		drop_object(ctx, it, d, d->nr_objects++);
}

static void do_rename(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	struct rename_stmt *r = &st->u.rename;
	const cJSON *rel = jget(n, "relation"), *obj = jget(n, "object");

	st->kind = ST_RENAME;
	r->kind = obj_kind_of(jstr(n, "renameType"));
	r->relkind = obj_kind_of(jstr(n, "relationType"));
	/* relationType is only meaningful for columns; 0 prints as ACCESS_METHOD */
	if (r->relkind == OBJ_OTHER || r->relkind == OBJ_NONE)
		r->relkind = r->kind == OBJ_COLUMN || r->kind == OBJ_CONSTRAINT ||
			     r->kind == OBJ_TRIGGER || r->kind == OBJ_POLICY ?
			     OBJ_TABLE : r->kind;
	if (jstr_is(n, "renameType", "OBJECT_DOMCONSTRAINT"))   /* ALTER DOMAIN RENAME CONSTRAINT */
		r->relkind = OBJ_DOMAIN;
	r->subname = sdup(ctx, jstr(n, "subname"));
	r->newname = sdup(ctx, jstr(n, "newname"));
	r->if_exists = jbool(n, "missing_ok");
	if (rel) {
		r->rel = qname_of_rangevar(ctx, rel);
	} else if (obj) {
		const cJSON *owa = unwrap_as(obj, "ObjectWithArgs");

		r->rel = qname_of_object(ctx, obj);
		if (owa && !jbool(owa, "args_unspecified"))
			r->signature = signature_of(ctx, jget(owa, "objargs"));
	} else {
		/* ALTER SCHEMA/DATABASE ... RENAME: the name is 'subname' */
		r->rel.name = r->subname;
		r->subname = NULL;
	}
}

/* ---- other DDL ---------------------------------------------------- */

static void do_truncate(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	struct truncate_stmt *t = &st->u.truncate;

	st->kind = ST_TRUNCATE;
	t->rels = rangevar_list(ctx, jget(n, "relations"), "RangeVar", &t->nr_rels);
	t->cascade = jstr_is(n, "behavior", "DROP_CASCADE");
	t->restart_identity = jbool(n, "restart_seqs");
}

/* LOCK [TABLE] ... [IN mode MODE] [NOWAIT]; the mode is PostgreSQL's
   LOCKMODE, left out of the JSON only when it is 0 (never: the grammar
   gives ACCESS EXCLUSIVE when none is named). */
static void do_lock(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	struct lock_stmt *l = &st->u.lock;
	const cJSON *it;
	int i = 0;

	st->kind = ST_LOCK;
	l->rels = rangevar_list(ctx, jget(n, "relations"), "RangeVar", &l->nr_rels);
	if (l->nr_rels)
		l->only = arena_alloc(ctx->arena, (size_t)l->nr_rels * sizeof(*l->only));
	/* rangevar_list() skipped what is not a RangeVar: so does this */
	for_each_child(it, jget(n, "relations")) {
		const cJSON *rv = unwrap_as(it, "RangeVar");

		if (rv && i < l->nr_rels)
			l->only[i++] = !jbool(rv, "inh");
	}
	l->mode = jint(n, "mode");
	l->nowait = jbool(n, "nowait");
}

static void do_alter_domain(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	const char *sub = jstr(n, "subtype");
	const cJSON *def = jget(n, "def"), *c = unwrap_as(def, "Constraint");

	st->kind = ST_ALTER_DOMAIN;
	st->u.alter_domain.name = qname_of_list(ctx, jget(n, "typeName"), 0);
	st->u.alter_domain.subtype = sub ? sub[0] : 0;
	st->u.alter_domain.con_name = sdup(ctx, jstr(n, "name"));
	st->u.alter_domain.missing_ok = jbool(n, "missing_ok");
	if (st->u.alter_domain.subtype == 'T' && def)
		st->u.alter_domain.default_expr = make_expr(ctx, def);
	if (c && con_kind_of(jstr(c, "contype")) == CON_CHECK) {
		st->u.alter_domain.con = arena_alloc(ctx->arena, sizeof(*st->u.alter_domain.con));
		parse_constraint(ctx, c, st->u.alter_domain.con, NULL, false);
	}
}

static void do_create_schema(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	const char *name = jstr(n, "schemaname");

	st->kind = ST_CREATE_SCHEMA;
	/* CREATE SCHEMA AUTHORIZATION bob names the schema after the role */
	if (!name)
		name = jstr(jget(n, "authrole"), "rolename");
	st->u.create_schema.name = sdup(ctx, name);
	st->u.create_schema.if_not_exists = jbool(n, "if_not_exists");
}

/* Everything a view's query reads: relations (not CTEs) and columns. */
static void walk_query(struct pctx *ctx, const cJSON *j)
{
	const cJSON *c;

	for (c = j->child; c; c = c->next) {
		const char *k = c->string;

		if (k && k[0] == 'R' && !strcmp(k, "RangeVar")) {
			ALLOC_GROW(ctx->rels.v, ctx->rels.nr + 1, ctx->rels.alloc);
			ctx->rels.v[ctx->rels.nr++] = qname_of_rangevar(ctx, c);
			continue;
		}
		if (k && k[0] == 'C' && !strcmp(k, "ColumnRef")) {
			const char *col = last_sval(jget(c, "fields"));

			if (col)
				pctx_strvec_add(&ctx->relcols, sdup(ctx, col));
			continue;
		}
		if (k && k[0] == 'u' && !strcmp(k, "usingClause")) {
			const cJSON *it;

			for_each_child(it, c)
				if (sval(it))
					pctx_strvec_add(&ctx->relcols, sdup(ctx, sval(it)));
			continue;
		}
		if (k && k[0] == 'c' && !strcmp(k, "ctename") && c->valuestring)
			pctx_strvec_add(&ctx->ctes, sdup(ctx, c->valuestring));
		if (c->child)
			walk_query(ctx, c);
	}
}

/* qname_eq()'s order: unqualified first */
static int qname_cmp(const struct qname *a, const struct qname *b)
{
	int d = !a->schema != !b->schema ? (a->schema ? 1 : -1) :
		a->schema ? strcmp(a->schema, b->schema) : 0;

	return d ? d : strcmp(a->name, b->name);
}

struct rel_at {
	const struct qname *q;
	size_t i;
};

static int rel_at_cmp(const void *x, const void *y)
{
	const struct rel_at *a = x, *b = y;
	int d = qname_cmp(a->q, b->q);

	return d ? d : (a->i > b->i) - (a->i < b->i);
}

/*
 * Each relation once, where it first comes. A view reading 30,000
 * relations compared each with all before it, 2 s; past some dozens
 * they are sorted (by name, then place) instead.
 */
static void dedup_rels(struct qvec *q)
{
	struct rel_at *at;
	size_t n = 0;
	bool *dup;

	if (q->nr <= 32) {
		for (size_t i = 0; i < q->nr; i++) {
			size_t j = 0;

			while (j < n && !qname_eq(&q->v[j], &q->v[i]))
				j++;
			if (j == n)
				q->v[n++] = q->v[i];
		}
		q->nr = n;
		return;
	}
	at = xcalloc(q->nr, sizeof(*at));
	dup = xcalloc(q->nr, sizeof(*dup));
	for (size_t i = 0; i < q->nr; i++)
		at[i] = (struct rel_at){ &q->v[i], i };
	qsort(at, q->nr, sizeof(*at), rel_at_cmp);
	for (size_t i = 1; i < q->nr; i++)
		dup[at[i].i] = qname_eq(at[i].q, at[i - 1].q);
	for (size_t i = 0; i < q->nr; i++)
		if (!dup[i])
			q->v[n++] = q->v[i];
	q->nr = n;
	free(at);
	free(dup);
}

static bool is_cte(struct pctx *ctx, const struct qname *q)
{
	size_t i;

	for (i = 0; !q->schema && i < ctx->ctes.nr; i++)
		if (!strcmp(ctx->ctes.v[i], q->name))
			return true;
	return false;
}

static void view_reads(struct pctx *ctx, const cJSON *query,
		       struct create_view *v)
{
	size_t i;

	ctx->rels.nr = ctx->ctes.nr = ctx->relcols.nr = 0;
	if (query)
		walk_query(ctx, query);
	dedup_rels(&ctx->rels);
	if (ctx->rels.nr)
		v->rels = arena_alloc(ctx->arena, ctx->rels.nr * sizeof(*v->rels));
	for (i = 0; i < ctx->rels.nr; i++)
		if (!is_cte(ctx, &ctx->rels.v[i]))
			v->rels[v->nr_rels++] = ctx->rels.v[i];
	v->rel_columns = pctx_strvec_to_arena(ctx, &ctx->relcols, &v->nr_rel_columns);
}

/* The word ending at *end (after skipping spaces back); moves *end before it. */
static bool prev_word_is(struct pctx *ctx, size_t start, size_t *end,
			 const char *word)
{
	size_t e = *end, b, n = strlen(word), i;

	while (e > start && is_space(ctx->text[e - 1]))
		e--;
	if (e - start < n)
		return false;
	b = e - n;
	for (i = 0; i < n; i++) {
		char c = ctx->text[b + i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != word[i])
			return false;
	}
	if (b > start && !is_space(ctx->text[b - 1]))
		return false;
	*end = b;
	return true;
}

/* Drop a trailing WITH [NO] DATA or WITH [LOCAL|CASCADED] CHECK OPTION. */
static size_t strip_view_tail(struct pctx *ctx, size_t start, size_t end)
{
	size_t e = end;

	if (prev_word_is(ctx, start, &e, "data")) {
		prev_word_is(ctx, start, &e, "no");
	} else if (prev_word_is(ctx, start, &e, "option") &&
		   prev_word_is(ctx, start, &e, "check")) {
		if (!prev_word_is(ctx, start, &e, "local"))
			prev_word_is(ctx, start, &e, "cascaded");
	} else {
		return end;
	}
	if (!prev_word_is(ctx, start, &e, "with"))
		return end;
	while (e > start && is_space(ctx->text[e - 1]))
		e--;
	return e;
}

static size_t skip_space_comments(struct pctx *ctx, size_t p, size_t end);

/* The query of CREATE VIEW/MATERIALIZED VIEW: after the first AS. */
static const char *view_query_text(struct pctx *ctx, const cJSON *rel)
{
	size_t as = sql_find_keyword(ctx->text, at(ctx, rel), ctx->stmt_end, "as");
	size_t start, end;

	if (as >= ctx->stmt_end)
		return NULL;
	start = skip_space_comments(ctx, as + 2, ctx->stmt_end);
	end = strip_view_tail(ctx, start, ctx->stmt_end);
	return arena_strndup(ctx->arena, ctx->text + start, end - start);
}

static void do_view(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	struct create_view *v = &st->u.view;
	const cJSON *rel = jget(n, "view");

	st->kind = ST_CREATE_VIEW;
	v->name = qname_of_rangevar(ctx, rel);
	v->temporary = is_temporary(rel);
	v->or_replace = jbool(n, "replace");
	v->columns = str_list(ctx, jget(n, "aliases"), &v->nr_columns);
	view_reads(ctx, jget(n, "query"), v);
	v->query_text = view_query_text(ctx, rel);
}

/* ---- CREATE TABLE AS: the output columns ---------------------------- */

static void builtin_type_ref(struct type_ref *t, const char *name)
{
	memset(t, 0, sizeof(*t));
	t->name = name;
}

/* The type of a literal as a new table's column gets it (text for
   strings and NULL: CREATE TABLE AS resolves unknown to text). */
static void literal_type(const cJSON *c, struct type_ref *t)
{
	builtin_type_ref(t, jget(c, "ival") ? "int4" : jget(c, "fval") ? "numeric" :
			    jget(c, "boolval") ? "bool" : "text");
}

/* The few function results a migration's CREATE TABLE AS tends to use. */
static const char *value_function_type(const char *op)
{
	static const struct {
		const char *op, *type;
	} svf[] = {
		{ "SVFOP_CURRENT_DATE", "date" },
		{ "SVFOP_CURRENT_TIMESTAMP", "timestamptz" },
		{ "SVFOP_CURRENT_TIMESTAMP_N", "timestamptz" },
		{ "SVFOP_LOCALTIMESTAMP", "timestamp" },
		{ "SVFOP_LOCALTIMESTAMP_N", "timestamp" },
	};

	for (size_t i = 0; op && i < ARRAY_SIZE(svf); i++)
		if (streq(op, svf[i].op))
			return svf[i].type;
	return NULL;
}

static const char *func_result_type(const char *name)
{
	if (!name)
		return NULL;
	if (streq(name, "count"))
		return "int8";
	if (streq(name, "now") || streq(name, "statement_timestamp") ||
	    streq(name, "transaction_timestamp") || streq(name, "clock_timestamp"))
		return "timestamptz";
	return NULL;
}

/*
 * FigureColname(): the name PostgreSQL gives an unaliased output column,
 * and the type when the expression says it.
 */
static const char *figure_item(struct pctx *ctx, const cJSON *w, struct type_ref *t)
{
	const char *type, *name;
	const cJSON *n = unwrap(w, &type);

	if (!n)
		return "?column?";
	if (streq(type, "ColumnRef"))
		return last_sval(jget(n, "fields"));
	if (streq(type, "A_Const")) {
		literal_type(n, t);
		return "?column?";
	}
	if (streq(type, "TypeCast")) {
		struct type_ref inner;

		memset(&inner, 0, sizeof(inner));
		name = figure_item(ctx, jget(n, "arg"), &inner);
		parse_type(ctx, jget(n, "typeName"), t);
		return streq(name, "?column?") ? last_sval(jget(jget(n, "typeName"), "names")) : name;
	}
	if (streq(type, "FuncCall")) {
		name = last_sval(jget(n, "funcname"));
		if (func_result_type(name))
			builtin_type_ref(t, func_result_type(name));
		return name;
	}
	if (streq(type, "SQLValueFunction")) {
		const char *op = jstr(n, "op");

		if (value_function_type(op))
			builtin_type_ref(t, value_function_type(op));
		return op && strlen(op) > 6 ? sdup_lower(ctx, op + 6) : "?column?";
	}
	if (streq(type, "CaseExpr"))
		return "case";
	if (streq(type, "CoalesceExpr"))
		return "coalesce";
	return "?column?";
}

static void parse_select_item(struct pctx *ctx, const cJSON *rt, struct select_item *it)
{
	const cJSON *val = jget(rt, "val");
	const cJSON *ref = unwrap_as(val, "ColumnRef");
	const cJSON *fields = jget(ref, "fields");
	int nf = list_len(fields);

	memset(it, 0, sizeof(*it));
	if (ref && nf && unwrap_as(cJSON_GetArrayItem(fields, nf - 1), "A_Star")) {
		it->star = true;
		if (nf >= 2)
			it->qualifier = sdup(ctx, sval(cJSON_GetArrayItem(fields, nf - 2)));
		return;
	}
	if (ref) {
		it->column = sdup(ctx, last_sval(fields));
		if (nf >= 2)
			it->qualifier = sdup(ctx, sval(cJSON_GetArrayItem(fields, nf - 2)));
	}
	it->name = sdup(ctx, figure_item(ctx, val, &it->type));
	if (jstr(rt, "name"))
		it->name = sdup(ctx, jstr(rt, "name"));
}

struct from_list {
	struct from_item v[32];
	int nr;
};

/* A FROM element's relations; false when one is not a plain relation. */
static bool from_node(struct pctx *ctx, const cJSON *w, struct from_list *fl)
{
	const char *type;
	const cJSON *n = unwrap(w, &type);

	if (n && streq(type, "JoinExpr"))
		return from_node(ctx, jget(n, "larg"), fl) && from_node(ctx, jget(n, "rarg"), fl);
	if (!n || !streq(type, "RangeVar") || fl->nr >= (int)ARRAY_SIZE(fl->v))
		return false;
	fl->v[fl->nr].rel = qname_of_rangevar(ctx, n);
	fl->v[fl->nr++].alias = sdup(ctx, jstr(jget(n, "alias"), "aliasname"));
	return true;
}

static bool from_items(struct pctx *ctx, const cJSON *from, struct create_table *ct)
{
	struct from_list fl;
	const cJSON *it;

	fl.nr = 0;
	for_each_child(it, from)
		if (!from_node(ctx, it, &fl))
			return false;
	ct->nr_as_from = fl.nr;
	ct->as_from = arena_alloc(ctx->arena, (size_t)(fl.nr + 1) * sizeof(*ct->as_from));
	memcpy(ct->as_from, fl.v, (size_t)fl.nr * sizeof(*ct->as_from));
	return true;
}

/* VALUES (1, 'a'), ...: column1, column2 ... typed by the first row */
static void values_items(struct pctx *ctx, const cJSON *lists, struct create_table *ct)
{
	const cJSON *row = list_items(lists ? lists->child : NULL), *it;
	char name[32];
	int i = 0;

	ct->nr_as_items = list_len(row);
	ct->as_items = arena_alloc(ctx->arena, (size_t)(ct->nr_as_items + 1) * sizeof(*ct->as_items));
	for_each_child(it, row) {
		snprintf(name, sizeof(name), "column%d", i + 1);
		ct->as_items[i].name = sdup(ctx, name);
		figure_item(ctx, it, &ct->as_items[i].type);
		i++;
	}
}

/*
 * The output list of CREATE TABLE AS / SELECT INTO. A set operation
 * takes its names and types from its first branch.
 */
static void parse_as_select(struct pctx *ctx, const cJSON *sel, const cJSON *into,
			    struct create_table *ct)
{
	const cJSON *it, *targets;
	int i = 0;

	ct->as_select = true;
	ct->as_names = str_list(ctx, jget(into, "colNames"), &ct->nr_as_names);
	while (sel && jget(sel, "larg"))    /* a typed field: no wrapper */
		sel = jget(sel, "larg");
	ct->nr_as_items = -1;
	if (!sel)
		return;
	if (jget(sel, "valuesLists")) {
		values_items(ctx, jget(sel, "valuesLists"), ct);
		return;
	}
	if (!from_items(ctx, jget(sel, "fromClause"), ct))
		return;
	targets = jget(sel, "targetList");
	ct->as_items = arena_alloc(ctx->arena, (size_t)(list_len(targets) + 1) * sizeof(*ct->as_items));
	for_each_child(it, targets)
		parse_select_item(ctx, unwrap_as(it, "ResTarget"), &ct->as_items[i++]);
	ct->nr_as_items = i;
}

static void do_create_table_as(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	const cJSON *into = jget(n, "into"), *rel = jget(into, "rel");
	struct create_view *v = &st->u.view;
	struct create_table *ct = &st->u.create_table;

	if (!jstr_is(n, "objtype", "OBJECT_MATVIEW")) {
		st->kind = ST_CREATE_TABLE;
		ct->name = qname_of_rangevar(ctx, rel);
		persistence(rel, ct);
		ct->if_not_exists = jbool(n, "if_not_exists");
		parse_as_select(ctx, unwrap_as(jget(n, "query"), "SelectStmt"), into, ct);
		return;
	}
	st->kind = ST_CREATE_VIEW;
	v->name = qname_of_rangevar(ctx, rel);
	v->materialized = true;
	v->if_not_exists = jbool(n, "if_not_exists");
	v->with_no_data = jbool(into, "skipData");
	v->columns = str_list(ctx, jget(into, "colNames"), &v->nr_columns);
	view_reads(ctx, jget(n, "query"), v);
	v->query_text = view_query_text(ctx, rel);
}

static void sequence_options(struct pctx *ctx, const cJSON *opts,
			     struct create_sequence *s)
{
	const cJSON *owned = option(opts, "owned_by");
	const cJSON *as = option(opts, "as");
	const cJSON *items = list_items(jget(owned, "arg"));

	if (as) {
		struct type_ref t;

		parse_type(ctx, jget(as, "arg"), &t);
		s->as_type = t.name;
	}
	/* OWNED BY NONE is a one-element list */
	if (list_len(items) >= 2) {
		s->owned_by_table = qname_of_list(ctx, items, 1);
		s->owned_by_column = sdup(ctx, last_sval(items));
	} else if (owned) {
		s->owned_by_none = true;
	}
}

static void do_create_sequence(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	st->kind = ST_CREATE_SEQUENCE;
	st->u.sequence.name = qname_of_rangevar(ctx, jget(n, "sequence"));
	st->u.sequence.temporary = is_temporary(jget(n, "sequence"));
	st->u.sequence.if_not_exists = jbool(n, "if_not_exists");
	sequence_options(ctx, jget(n, "options"), &st->u.sequence);
}

static void do_alter_sequence(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	st->kind = ST_ALTER_SEQUENCE;
	st->u.sequence.name = qname_of_rangevar(ctx, jget(n, "sequence"));
	st->u.sequence.if_not_exists = jbool(n, "missing_ok");   /* IF EXISTS */
	sequence_options(ctx, jget(n, "options"), &st->u.sequence);
}

static void do_create_enum(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	st->kind = ST_CREATE_ENUM;
	st->u.create_enum.name = qname_of_list(ctx, jget(n, "typeName"), 0);
	st->u.create_enum.values = str_list(ctx, jget(n, "vals"),
					    &st->u.create_enum.nr_values);
}

static void do_alter_enum(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	struct alter_enum *e = &st->u.alter_enum;

	st->kind = ST_ALTER_ENUM;
	e->name = qname_of_list(ctx, jget(n, "typeName"), 0);
	e->new_value = sdup(ctx, jstr(n, "newVal"));
	e->neighbor = sdup(ctx, jstr(n, "newValNeighbor"));
	e->after = jbool(n, "newValIsAfter");
	e->if_not_exists = jbool(n, "skipIfNewValExists");
	e->old_value = sdup(ctx, jstr(n, "oldVal"));
}

static void do_create_domain(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	struct create_domain *d = &st->u.domain;
	const cJSON *it, *cons = jget(n, "constraints");

	st->kind = ST_CREATE_DOMAIN;
	d->name = qname_of_list(ctx, jget(n, "domainname"), 0);
	parse_type(ctx, jget(n, "typeName"), &d->type);
	if (list_len(cons))
		d->constraints = arena_alloc(ctx->arena,
			(size_t)list_len(cons) * sizeof(*d->constraints));
	for_each_child(it, cons) {
		const cJSON *c = unwrap_as(it, "Constraint");
		const char *t = jstr(c, "contype");

		if (t && !strcmp(t, "CONSTR_NOTNULL"))
			d->not_null = true;
		else if (t && !strcmp(t, "CONSTR_DEFAULT"))
			d->default_expr = make_expr(ctx, jget(c, "raw_expr"));
		else if (con_kind_of(t) == CON_CHECK)
			parse_constraint(ctx, c, &d->constraints[d->nr_constraints++],
					 NULL, false);
	}
}

static void do_create_composite(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	struct create_composite *c = &st->u.composite;
	const cJSON *it, *cols = jget(n, "coldeflist");

	st->kind = ST_CREATE_COMPOSITE;
	c->name = qname_of_rangevar(ctx, jget(n, "typevar"));
	if (list_len(cols))
		c->columns = arena_alloc(ctx->arena,
					 (size_t)list_len(cols) * sizeof(*c->columns));
	for_each_child(it, cols) {
		const cJSON *cd = unwrap_as(it, "ColumnDef");

		/* composite attributes carry no constraints to hoist */
		if (cd && !count_hoisted(cd))
			parse_column(ctx, cd, &c->columns[c->nr_columns++], NULL,
				     false);
	}
}

static void do_create_extension(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	const cJSON *schema = option(jget(n, "options"), "schema");

	st->kind = ST_CREATE_EXTENSION;
	st->u.extension.name = sdup(ctx, jstr(n, "extname"));
	st->u.extension.schema = sdup(ctx, sval(jget(schema, "arg")));
	st->u.extension.if_not_exists = jbool(n, "if_not_exists");
}

/* Input arguments only: OUT and TABLE parameters are not in the signature. */
static const char *function_signature(struct pctx *ctx, const cJSON *params)
{
	struct strbuf sb;
	struct type_ref t;
	const cJSON *it;
	const char *sig;

	strbuf_init(&sb);
	strbuf_addch(&sb, '(');
	for_each_child(it, params) {
		const cJSON *p = unwrap_as(it, "FunctionParameter");
		const char *mode = jstr(p, "mode");

		if (mode && (!strcmp(mode, "FUNC_PARAM_OUT") ||
			     !strcmp(mode, "FUNC_PARAM_TABLE")))
			continue;
		parse_type(ctx, jget(p, "argType"), &t);
		if (sb.len > 1)
			strbuf_addch(&sb, ',');
		pctx_type_text(&sb, &t, false, false);
	}
	strbuf_addch(&sb, ')');
	sig = sdup(ctx, sb.buf);
	strbuf_release(&sb);
	return sig;
}

static void do_create_function(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	struct create_function *f = &st->u.function;
	const cJSON *opts = jget(n, "options");
	const cJSON *lang = option(opts, "language");
	const cJSON *vol = option(opts, "volatility");

	st->kind = ST_CREATE_FUNCTION;
	f->name = qname_of_list(ctx, jget(n, "funcname"), 0);
	f->signature = function_signature(ctx, jget(n, "parameters"));
	f->or_replace = jbool(n, "replace");
	f->is_procedure = jbool(n, "is_procedure");
	f->language = sdup_lower(ctx, sval(jget(lang, "arg")));
	/* BEGIN ATOMIC / RETURN bodies are SQL without saying so */
	if (!f->language && jget(n, "sql_body"))
		f->language = "sql";
	f->volatility = vol ? sdup_lower(ctx, sval(jget(vol, "arg"))) : "volatile";
}

/*
 * An aggregate's argument types: "(int4)", "()" for agg(*); the
 * old-style CREATE AGGREGATE name (BASETYPE = t, ...) takes one.
 */
static const char *aggregate_signature(struct pctx *ctx, const cJSON *n)
{
	const cJSON *args = jget(n, "args"), *base;
	const cJSON *list = args ? unwrap_as(args->child, "List") : NULL;
	const cJSON *items = list ? jget(list, "items") : NULL;
	struct strbuf sb;
	struct type_ref t;
	const char *sig;

	if (args)     /* agg(*) has no arguments */
		return items ? function_signature(ctx, items) : "()";
	base = option(jget(n, "definition"), "basetype");
	if (!base)
		return "()";
	parse_type(ctx, jget(base, "arg"), &t);
	strbuf_init(&sb);
	strbuf_addch(&sb, '(');
	pctx_type_text(&sb, &t, false, false);
	strbuf_addch(&sb, ')');
	sig = sdup(ctx, sb.buf);
	strbuf_release(&sb);
	return sig;
}

/* CREATE AGGREGATE is a function to the catalog (pg_proc, prokind 'a');
   the other DefineStmt kinds (operators, collations, ...) are not kept. */
static void do_define(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	struct create_function *f = &st->u.function;

	if (!jstr_is(n, "kind", "OBJECT_AGGREGATE")) {
		st->kind = ST_OTHER;
		return;
	}
	st->kind = ST_CREATE_FUNCTION;
	f->name = qname_of_list(ctx, jget(n, "defnames"), 0);
	f->signature = aggregate_signature(ctx, n);
	f->or_replace = jbool(n, "replace");
	f->language = "internal";
	f->volatility = "immutable";
}

static void do_create_trigger(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	st->kind = ST_CREATE_TRIGGER;
	st->u.trigger.name = sdup(ctx, jstr(n, "trigname"));
	st->u.trigger.table = qname_of_rangevar(ctx, jget(n, "relation"));
	st->u.trigger.function = qname_of_list(ctx, jget(n, "funcname"), 0);
	st->u.trigger.or_replace = jbool(n, "replace");
}

static void do_create_policy(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	struct create_policy *p = &st->u.policy;
	const char *cmd = jstr(n, "cmd_name");

	st->kind = ST_CREATE_POLICY;
	p->name = sdup(ctx, jstr(n, "policy_name"));
	p->table = qname_of_rangevar(ctx, jget(n, "table"));
	p->command = cmd ? sdup(ctx, cmd) : "all";
	p->restrictive = !jbool(n, "permissive");
	p->using_expr = make_expr(ctx, jget(n, "qual"));
	p->check_expr = make_expr(ctx, jget(n, "with_check"));
}

static void do_set_schema(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	const cJSON *rel = jget(n, "relation");

	st->kind = ST_ALTER_OBJECT_SCHEMA;
	st->u.set_schema.kind = obj_kind_of(jstr(n, "objectType"));
	st->u.set_schema.obj = rel ? qname_of_rangevar(ctx, rel) :
				     qname_of_object(ctx, jget(n, "object"));
	st->u.set_schema.new_schema = sdup(ctx, jstr(n, "newschema"));
	st->u.set_schema.if_exists = jbool(n, "missing_ok");
}

static void do_comment(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	struct comment_stmt *c = &st->u.comment;
	const cJSON *obj = jget(n, "object");
	const char *type = jstr(n, "objtype");

	st->kind = ST_COMMENT;
	c->kind = obj_kind_of(type);
	c->is_null = !jget(n, "comment");
	/* column, constraint, trigger, policy, rule: [table..., name] */
	if (c->kind == OBJ_COLUMN || c->kind == OBJ_TRIGGER ||
	    c->kind == OBJ_POLICY || (type && !strcmp(type, "OBJECT_TABCONSTRAINT")) ||
	    (type && !strcmp(type, "OBJECT_RULE"))) {
		c->obj = qname_of_list(ctx, list_items(obj), 1);
		c->subname = sdup(ctx, last_sval(list_items(obj)));
	} else {
		c->obj = qname_of_object(ctx, obj);
	}
}

/* ---- DML, transactions, SET, maintenance -------------------------- */

static const char **target_names(struct pctx *ctx, const cJSON *arr, int *nr)
{
	return node_names(ctx, arr, "ResTarget", nr);
}

static void dml_common(struct pctx *ctx, const cJSON *n, struct dml_stmt *d)
{
	d->rel = qname_of_rangevar(ctx, jget(n, "relation"));
	d->has_where = jget(n, "whereClause") != NULL;
	d->has_returning = jget(n, "returningList") != NULL;
}

static void do_insert(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	st->kind = ST_INSERT;
	dml_common(ctx, n, &st->u.dml);
	st->u.dml.set_columns = target_names(ctx, jget(n, "cols"),
					     &st->u.dml.nr_set_columns);
}

static void do_update(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	st->kind = ST_UPDATE;
	dml_common(ctx, n, &st->u.dml);
	st->u.dml.set_columns = target_names(ctx, jget(n, "targetList"),
					     &st->u.dml.nr_set_columns);
}

static void do_delete(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	st->kind = ST_DELETE;
	dml_common(ctx, n, &st->u.dml);
}

static void do_transaction(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	static const struct {
		const char *name;
		enum txn_kind kind;
	} kinds[] = {
		{ "TRANS_STMT_BEGIN", TXN_BEGIN },
		{ "TRANS_STMT_START", TXN_BEGIN },
		{ "TRANS_STMT_COMMIT", TXN_COMMIT },
		{ "TRANS_STMT_ROLLBACK", TXN_ROLLBACK },
		{ "TRANS_STMT_SAVEPOINT", TXN_SAVEPOINT },
		{ "TRANS_STMT_RELEASE", TXN_RELEASE },
		{ "TRANS_STMT_ROLLBACK_TO", TXN_ROLLBACK_TO },
		{ "TRANS_STMT_PREPARE", TXN_PREPARE },
		{ "TRANS_STMT_COMMIT_PREPARED", TXN_COMMIT_PREPARED },
		{ "TRANS_STMT_ROLLBACK_PREPARED", TXN_ROLLBACK_PREPARED },
	};
	const char *k = jstr(n, "kind");
	size_t i;

	st->kind = ST_TRANSACTION;
	st->u.txn.kind = TXN_BEGIN;
	for (i = 0; k && i < ARRAY_SIZE(kinds); i++)
		if (streq(k, kinds[i].name))
			st->u.txn.kind = kinds[i].kind;
}

/* A SET value as plain text: '5s' -> 5s, 1000 -> 1000 */
static const char *set_value(struct pctx *ctx, const cJSON *w)
{
	const cJSON *c = unwrap_as(w, "A_Const");
	const cJSON *v;

	if (c && (v = jget(c, "sval")))
		return sdup(ctx, jstr(v, "sval") ? jstr(v, "sval") : "");
	strbuf_reset(&ctx->sb);
	render(ctx, w);
	return arena_strndup(ctx->arena, ctx->sb.buf, ctx->sb.len);
}

static void do_set(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	struct set_stmt *s = &st->u.set;
	const char *kind = jstr(n, "kind");
	const cJSON *it, *args = jget(n, "args");

	st->kind = ST_SET;
	s->name = sdup_lower(ctx, jstr(n, "name"));
	s->local = jbool(n, "is_local");
	if (kind && (!strcmp(kind, "VAR_SET_DEFAULT") ||
		     !strcmp(kind, "VAR_RESET") || !strcmp(kind, "VAR_RESET_ALL")))
		s->reset = true;
	if (kind && !strcmp(kind, "VAR_RESET_ALL"))
		s->name = "all";
	if (!list_len(args) || (kind && !strcmp(kind, "VAR_SET_MULTI")))
		return;
	s->values = arena_alloc(ctx->arena, (size_t)list_len(args) * sizeof(*s->values));
	for_each_child(it, args)
		s->values[s->nr_values++] = set_value(ctx, it);
}

static void do_do(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	const cJSON *it;

	st->kind = ST_DO;
	for_each_child(it, jget(n, "args")) {
		const cJSON *d = jget(it, "DefElem");
		const cJSON *v = jget(jget(d, "arg"), "String");

		if (jstr_is(d, "defname", "as"))
			st->u.do_block.body = sdup(ctx, jstr(v, "sval"));
		else if (jstr_is(d, "defname", "language"))
			st->u.do_block.language = sdup_lower(ctx, jstr(v, "sval"));
	}
}

static bool option_on(const cJSON *d)
{
	const cJSON *arg = jget(d, "arg");
	const char *s;

	if (!d)
		return false;
	if (!arg)
		return true;
	s = sval(arg);
	return !s || (strcmp(s, "false") && strcmp(s, "off") && strcmp(s, "0"));
}

static void do_vacuum(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	struct maintenance_stmt *m = &st->u.maint;

	st->kind = ST_MAINTENANCE;
	m->full = option_on(option(jget(n, "options"), "full"));
	if (!jbool(n, "is_vacuumcmd"))
		m->what = "analyze";
	else
		m->what = m->full ? "vacuum full" : "vacuum";
	m->rels = rangevar_list(ctx, jget(n, "rels"), "VacuumRelation", &m->nr_rels);
	m->relkind = OBJ_TABLE;
}

static void one_rel(struct pctx *ctx, const cJSON *rel,
		    struct maintenance_stmt *m)
{
	if (!rel)
		return;
	m->rels = arena_alloc(ctx->arena, sizeof(*m->rels));
	m->rels[0] = qname_of_rangevar(ctx, rel);
	m->nr_rels = 1;
}

static void do_cluster(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	st->kind = ST_MAINTENANCE;
	st->u.maint.what = "cluster";
	st->u.maint.relkind = OBJ_TABLE;
	one_rel(ctx, jget(n, "relation"), &st->u.maint);
}

static void do_reindex(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	struct maintenance_stmt *m = &st->u.maint;
	const char *kind = jstr(n, "kind");

	st->kind = ST_MAINTENANCE;
	m->what = "reindex";
	m->concurrently = option_on(option(jget(n, "params"), "concurrently"));
	if (kind && !strcmp(kind, "REINDEX_OBJECT_INDEX"))
		m->relkind = OBJ_INDEX;
	else if (kind && !strcmp(kind, "REINDEX_OBJECT_TABLE"))
		m->relkind = OBJ_TABLE;
	else if (kind && !strcmp(kind, "REINDEX_OBJECT_SCHEMA"))
		m->relkind = OBJ_SCHEMA;
	else
		m->relkind = OBJ_DATABASE;
	one_rel(ctx, jget(n, "relation"), m);
	if (!m->nr_rels && jstr(n, "name")) {
		m->rels = arena_alloc(ctx->arena, sizeof(*m->rels));
		m->rels[0].name = sdup(ctx, jstr(n, "name"));
		m->nr_rels = 1;
	}
}

static void do_refresh(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	st->kind = ST_MAINTENANCE;
	st->u.maint.what = "refresh materialized view";
	st->u.maint.relkind = OBJ_MATVIEW;
	st->u.maint.concurrently = jbool(n, "concurrent");
	one_rel(ctx, jget(n, "relation"), &st->u.maint);
}

static void do_database(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	st->u.database.name = sdup(ctx, jstr(n, "dbname"));
}

static void do_dropdb(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	st->kind = ST_DROP_DATABASE;
	do_database(ctx, n, st);
}

static void do_createdb(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	st->kind = ST_CREATE_DATABASE;
	do_database(ctx, n, st);
}

static void do_select(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	const cJSON *into = jget(n, "intoClause");
	const cJSON *rel = jget(into, "rel");

	if (!into) {
		st->kind = ST_SELECT;
		return;
	}
	/* SELECT ... INTO t creates a table */
	st->kind = ST_CREATE_TABLE;
	st->u.create_table.name = qname_of_rangevar(ctx, rel);
	persistence(rel, &st->u.create_table);
	parse_as_select(ctx, n, into, &st->u.create_table);
}

static void do_grant(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	st->kind = ST_GRANT;
}

static void do_owner(struct pctx *ctx, const cJSON *n, struct stmt *st)
{
	st->kind = ST_OWNER;
}

static const struct {
	const char *node;
	void (*fn)(struct pctx *ctx, const cJSON *n, struct stmt *st);
} stmt_handlers[] = {
	{ "CreateStmt", do_create_table },
	{ "AlterTableStmt", do_alter_table },
	{ "IndexStmt", do_create_index },
	{ "DropStmt", do_drop },
	{ "RenameStmt", do_rename },
	{ "TruncateStmt", do_truncate },
	{ "LockStmt", do_lock },
	{ "AlterDomainStmt", do_alter_domain },
	{ "CreateSchemaStmt", do_create_schema },
	{ "ViewStmt", do_view },
	{ "CreateTableAsStmt", do_create_table_as },
	{ "CreateSeqStmt", do_create_sequence },
	{ "AlterSeqStmt", do_alter_sequence },
	{ "CreateEnumStmt", do_create_enum },
	{ "AlterEnumStmt", do_alter_enum },
	{ "CreateDomainStmt", do_create_domain },
	{ "CompositeTypeStmt", do_create_composite },
	{ "CreateExtensionStmt", do_create_extension },
	{ "CreateFunctionStmt", do_create_function },
	{ "DefineStmt", do_define },
	{ "CreateTrigStmt", do_create_trigger },
	{ "CreatePolicyStmt", do_create_policy },
	{ "AlterObjectSchemaStmt", do_set_schema },
	{ "CommentStmt", do_comment },
	{ "GrantStmt", do_grant },
	{ "GrantRoleStmt", do_grant },
	{ "AlterDefaultPrivilegesStmt", do_grant },
	{ "AlterOwnerStmt", do_owner },
	{ "InsertStmt", do_insert },
	{ "UpdateStmt", do_update },
	{ "DeleteStmt", do_delete },
	{ "TransactionStmt", do_transaction },
	{ "VariableSetStmt", do_set },
	{ "DoStmt", do_do },
	{ "VacuumStmt", do_vacuum },
	{ "ClusterStmt", do_cluster },
	{ "ReindexStmt", do_reindex },
	{ "RefreshMatViewStmt", do_refresh },
	{ "DropdbStmt", do_dropdb },
	{ "CreatedbStmt", do_createdb },
	{ "SelectStmt", do_select },
};

/* ---- statements, spans and comments --------------------------------- */

static struct stmt *new_stmt(struct pctx *ctx)
{
	struct stmt *st;

	if (ctx->nr_stmts == ctx->alloc_stmts) {
		ctx->alloc_stmts = (ctx->alloc_stmts + 16) * 3 / 2;
		ctx->stmts = arena_block_resize(ctx->stmts, ctx->alloc_stmts * sizeof(*st));
	}
	st = &ctx->stmts[ctx->nr_stmts++];
	memset(st, 0, sizeof(*st));
	return st;
}

/* Index of the comment that starts (or ends) exactly at 'pos', or -1. */
static long comment_at(struct pctx *ctx, size_t pos, bool by_end)
{
	size_t lo = 0, hi = ctx->nr_comments;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		size_t key = by_end ? ctx->comments[mid].end :
				      ctx->comments[mid].start;

		if (key == pos)
			return (long)mid;
		if (key < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static size_t skip_space_comments(struct pctx *ctx, size_t p, size_t end)
{
	long c;

	for (;;) {
		while (p < end && is_space(ctx->text[p]))
			p++;
		if (p >= end || (c = comment_at(ctx, p, false)) < 0)
			return p;
		p = ctx->comments[c].end;
	}
}

static size_t trim_end(struct pctx *ctx, size_t start, size_t e)
{
	long c;

	for (;;) {
		while (e > start && is_space(ctx->text[e - 1]))
			e--;
		if (e <= start || (c = comment_at(ctx, e, true)) < 0)
			return e;
		e = ctx->comments[c].start;
	}
}

static void translate(struct pctx *ctx, const cJSON *w, struct stmt *st)
{
	const char *type;
	const cJSON *n = unwrap(w, &type);
	size_t i;

	for (i = 0; n && i < ARRAY_SIZE(stmt_handlers); i++) {
		if (streq(type, stmt_handlers[i].node)) {
			st->node = stmt_handlers[i].node;
			stmt_handlers[i].fn(ctx, n, st);
			return;
		}
	}
	st->kind = ST_OTHER;
	st->node = *type ? sdup(ctx, type) : "Unknown";
}

struct stmt *pctx_begin_stmt(struct pctx *ctx, int loc, int len)
{
	size_t start = ctx->base + (size_t)(loc > 0 ? loc : 0);
	size_t end = len > 0 ? start + (size_t)len : ctx->limit;
	struct stmt *st;

	if (end > ctx->limit)
		end = ctx->limit;
	start = skip_space_comments(ctx, start, end);
	end = trim_end(ctx, start, end);
	st = new_stmt(ctx);
	st->start = start;
	st->end = end;
	ctx->stmt_start = start;
	ctx->stmt_end = end;
	return st;
}

/* One element of "stmts": locate it, trim it, translate it. */
static void add_raw_stmt(struct pctx *ctx, const cJSON *raw)
{
	struct stmt *st = pctx_begin_stmt(ctx, jint(raw, "stmt_location"),
					  jint(raw, "stmt_len"));

	translate(ctx, jget(raw, "stmt"), st);
}

/*
 * The node name of the (first) statement in a JSON text, read from the
 * text (parse_int.h).
 */
char *pctx_json_node_name(const char *json)
{
	const char *p = strstr(json, "\"stmt\":{\"");
	const char *q = p ? strchr(p + 9, '"') : NULL;

	return q ? xstrndup(p + 9, (size_t)(q - p - 9)) : NULL;
}

/*
 * Decode a parse tree and add its statements; -1 if it does not decode.
 * The JSON text is decoded in place: it is not JSON any more afterwards.
 */
static int add_tree(struct pctx *ctx, char *json)
{
	cJSON *root;
	const cJSON *it;

	json_arena.depth++;
	root = pgjson_parse(json, tree_alloc, NULL);
	if (root)
		for_each_child(it, jget(root, "stmts"))
			add_raw_stmt(ctx, it);
	if (!--json_arena.depth)
		json_arena_release();   /* the tree: no cJSON_Delete() */
	return root ? 0 : -1;
}


int pctx_add_json(struct pctx *ctx, char *json, char **node)
{
	char *name = node ? pctx_json_node_name(json) : NULL;   /* decoding rewrites the text */

	if (add_tree(ctx, json) == 0) {
		free(name);
		return 0;
	}
	if (node)
		*node = name;
	return -1;
}

struct expr *pctx_expr_json(struct pctx *ctx, char *json, bool *ok)
{
	const cJSON *root, *w;
	struct expr *e = NULL;

	json_arena.depth++;
	root = pgjson_parse(json, tree_alloc, NULL);
	w = root ? jget(cJSON_GetArrayItem(jget(root, "stmts"), 0), "stmt") : NULL;
	if (w)
		e = make_expr(ctx, w);
	else
		*ok = false;
	if (!--json_arena.depth)
		json_arena_release();
	return e;
}

/*
 * Trees nested deeper than 1000 levels of JSON (some 500 levels of
 * operators: 1+1+...+1, a CHECK with hundreds of terms) do not decode,
 * and the JSON writer stops far deeper ones (pgguard.h). The statement
 * parsed, so it is no syntax error: keep it as ST_UNREADABLE under its
 * node name, u.error.message saying why (the engine reports it as
 * unanalyzable).
 */
static void add_undecodable(struct pctx *ctx, size_t start, size_t end,
			    const char *node)
{
	struct stmt *st = new_stmt(ctx);

	st->kind = ST_UNREADABLE;
	st->start = start;
	st->end = end;
	st->node = node ? sdup(ctx, node) : "Unknown";
	st->u.error.message = "its expressions are nested too deeply for migsafe to read"
			      " (more than some 500 levels of operators or parentheses)";
}

static void add_comment(void *data, size_t start, size_t end)
{
	struct pctx *ctx = data;
	struct sql_comment *c;
	size_t b = start + 2, e = end;

	if (ctx->text[start] == '/' && e - start >= 4 &&
	    ctx->text[e - 2] == '*' && ctx->text[e - 1] == '/')
		e -= 2;
	while (b < e && is_space(ctx->text[b]))
		b++;
	while (e > b && is_space(ctx->text[e - 1]))
		e--;
	ALLOC_GROW(ctx->comments, ctx->nr_comments + 1, ctx->alloc_comments);
	c = &ctx->comments[ctx->nr_comments++];
	c->start = start;
	c->end = end;
	c->text = arena_strndup(ctx->arena, ctx->text + b, e - b);
}

/* PgQueryError.cursorpos counts characters from 1; we want bytes. */
static size_t cursor_to_offset(const char *s, size_t len, int cursorpos)
{
	size_t i;
	int chars = 0;

	if (cursorpos <= 0)
		return 0;
	for (i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		if (++chars == cursorpos)
			return i;
	}
	return len;
}

static void add_syntax_error(struct pctx *ctx, size_t start, size_t end,
			     const PgQueryError *err)
{
	struct stmt *st = new_stmt(ctx);

	st->kind = ST_SYNTAX_ERROR;
	st->node = "SyntaxError";
	st->start = start;
	st->end = end;
	st->u.error.message = sdup(ctx, err->message ? err->message : "syntax error");
	st->u.error.offset = start + cursor_to_offset(ctx->text + start,
						    end - start, err->cursorpos);
}

/* text[start..end) parsed alone: the tree's locations count from start. */
static int parse_span(struct pctx *ctx, size_t start, size_t end,
		      PgQueryError **err, char **node)
{
	strbuf_reset(&ctx->piece);
	strbuf_add(&ctx->piece, ctx->text + start, end - start);
	ctx->base = start;
	ctx->limit = end;
	return node_parse(ctx, ctx->piece.buf, err, node);
}

/* Slow path: one piece found by split_sql(), parsed on its own. */
static void parse_piece(void *data, size_t start, size_t end)
{
	struct pctx *ctx = data;
	PgQueryError *err = NULL;
	char *node = NULL;
	int rc = parse_span(ctx, start, end, &err, &node);

	if (rc > 0)
		add_syntax_error(ctx, start, end, err);
	else if (rc < 0)
		add_undecodable(ctx, start, end, node);
	if (err)
		pg_query_free_error(err);
	free(node);
}

/*
 * Move the heap vectors into the arena, after what 'out' already holds:
 * the statements, when 'out' has none yet, as they are (the arena
 * adopts their block).
 */
static void finish(struct pctx *ctx, struct stmt_list *out)
{
	size_t n = (size_t)out->nr + ctx->nr_stmts;
	size_t m = (size_t)out->nr_comments + ctx->nr_comments;
	struct sql_comment *comments = arena_alloc(ctx->arena, m * sizeof(*comments));
	struct stmt *stmts;

	if (!out->nr && ctx->nr_stmts) {
		stmts = arena_block_resize(ctx->stmts, n * sizeof(*stmts));
		arena_adopt(ctx->arena, stmts);
		ctx->stmts = NULL;
		ctx->nr_stmts = ctx->alloc_stmts = 0;
	} else {
		stmts = arena_alloc(ctx->arena, n * sizeof(*stmts));
		if (out->nr)
			memcpy(stmts, out->stmts, (size_t)out->nr * sizeof(*stmts));
		if (ctx->nr_stmts)
			memcpy(stmts + out->nr, ctx->stmts, ctx->nr_stmts * sizeof(*stmts));
	}
	if (out->nr_comments)
		memcpy(comments, out->comments,
		       (size_t)out->nr_comments * sizeof(*comments));
	if (ctx->nr_comments)
		memcpy(comments + out->nr_comments, ctx->comments,
		       ctx->nr_comments * sizeof(*comments));
	out->stmts = stmts;
	out->nr = (int)n;
	out->comments = comments;
	out->nr_comments = (int)m;
}

static void pctx_release(struct pctx *ctx)
{
	arena_block_free(ctx->stmts);
	free(ctx->comments);
	strbuf_release(&ctx->sb);
	strbuf_release(&ctx->piece);
	free(ctx->funcs.v);
	free(ctx->cols.v);
	free(ctx->rels.v);
	free(ctx->ctes.v);
	free(ctx->relcols.v);
	free(ctx->run);
}

/*
 * libpg_query reads up to the first NUL and does not know a UTF-8 BOM;
 * both become spaces in a copy, which keeps every offset.
 */
static char *sanitized_copy(const char *text, size_t len)
{
	bool bom = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3);
	char *copy;
	size_t i;

	if (!bom && !memchr(text, '\0', len))
		return NULL;
	copy = xstrndup(text, len);
	if (bom)
		memset(copy, ' ', 3);
	for (i = 0; i < len; i++)
		if (!copy[i])
			copy[i] = ' ';
	return copy;
}

/*
 * libpg_query's JSON and the tree decoded from it take about fifty times
 * the size of the SQL: a file bigger than this (a schema dump) is parsed
 * a run of whole statements at a time.
 */
#define PARSE_RUN_BYTES ((size_t)256 * 1024)

/* Statements run[0..nr_run) at once; else each alone. */
static void parse_run(struct pctx *ctx)
{
	PgQueryError *err = NULL;

	if (parse_span(ctx, ctx->run[0].start, ctx->run[ctx->nr_run - 1].end, &err, NULL))
		for (size_t i = 0; i < ctx->nr_run; i++)
			parse_piece(ctx, ctx->run[i].start, ctx->run[i].end);
	if (err)
		pg_query_free_error(err);
	ctx->nr_run = 0;
}

static void add_to_run(void *data, size_t start, size_t end)
{
	struct pctx *ctx = data;

	if (ctx->nr_run && end - ctx->run[0].start > PARSE_RUN_BYTES)
		parse_run(ctx);
	ALLOC_GROW(ctx->run, ctx->nr_run + 1, ctx->alloc_run);
	ctx->run[ctx->nr_run].start = start;
	ctx->run[ctx->nr_run++].end = end;
}

/*
 * The PL/pgSQL of DO blocks among statements from..nr-1, parsed now:
 * on a reading thread that is work taken off the thread that replays.
 */
static void parse_do_blocks(struct stmt_list *out, int from)
{
	for (int i = from; i < out->nr; i++) {
		struct stmt *st = &out->stmts[i];
		const char *lang = st->u.do_block.language;

		if (st->kind != ST_DO || (lang && strcmp(lang, "plpgsql")))
			continue;
		st->u.do_block.inner = arena_alloc(&out->arena, sizeof(*st->u.do_block.inner));
		stmt_list_init(st->u.do_block.inner);
		st->u.do_block.nr_static = parse_do_block(st->u.do_block.body,
							  st->u.do_block.inner,
							  &st->u.do_block.dynamic);
		st->u.do_block.parsed = true;
	}
}

int parse_sql(const char *text, size_t len, struct stmt_list *out)
{
	struct pctx ctx = { .arena = &out->arena, .len = len, .limit = len };
	char *copy = sanitized_copy(text, len);
	int from = out->nr;
	PgQueryError *err = NULL;

	json_init();
	ctx.text = copy ? copy : text;
	strbuf_init(&ctx.sb);
	strbuf_init(&ctx.piece);
	if (len > PARSE_RUN_BYTES) {
		split_sql(ctx.text, len, add_to_run, add_comment, &ctx);
		if (ctx.nr_run)
			parse_run(&ctx);
		goto out;
	}
	split_comments(ctx.text, len, add_comment, &ctx);
	/* fast path: the whole file at once; else statement by statement */
	if (node_parse(&ctx, ctx.text, &err, NULL))
		split_sql(ctx.text, len, parse_piece, NULL, &ctx);
	if (err)
		pg_query_free_error(err);
out:
	finish(&ctx, out);
	pctx_release(&ctx);
	free(copy);
	parse_do_blocks(out, from);
	return 0;
}

/* The query text of a PL/pgSQL statement's PLpgSQL_expr member 'key'. */
static const char *plpgsql_query(const cJSON *stmt, const char *key)
{
	const cJSON *q = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(stmt, key), "PLpgSQL_expr"),
		"query");

	return cJSON_IsString(q) ? q->valuestring : NULL;
}

/*
 * EXECUTE 'CREATE INDEX ...' (or $q$...$q$): the SQL when the expression
 * is one string constant, decoded by the parser itself; else NULL.
 * Malloc'ed.
 */
static char *constant_sql(const char *expr)
{
	char *select = xstrfmt("SELECT %s", expr), *out = NULL;
	PgQueryParseResult r = node_parse_json(select);
	const cJSON *tree = r.error ? NULL : pgjson_parse(r.parse_tree, tree_alloc, NULL);
	const cJSON *sel = unwrap_as(jget(cJSON_GetArrayItem(jget(tree, "stmts"), 0), "stmt"),
				     "SelectStmt");
	const cJSON *targets = jget(sel, "targetList");
	const cJSON *c = unwrap_as(jget(unwrap_as(cJSON_GetArrayItem(targets, 0), "ResTarget"),
					"val"), "A_Const");

	if (list_len(targets) == 1 && jget(c, "sval") && !jget(sel, "fromClause"))
		out = xstrdup(jstr(jget(c, "sval"), "sval"));
	pg_query_free_parse_result(r);
	free(select);
	return out;
}

/*
 * Collect the static SQL anywhere in a PL/pgSQL tree: PLpgSQL_stmt_execsql
 * queries, and EXECUTE of a string constant; any other EXECUTE is
 * dynamic.
 */
static void collect_plpgsql(const cJSON *n, struct strbuf *sql, int *count, bool *dynamic)
{
	const cJSON *c, *exec;
	const char *q;

	if (!n)
		return;
	if (cJSON_IsObject(n)) {
		if ((exec = cJSON_GetObjectItemCaseSensitive(n, "PLpgSQL_stmt_execsql"))) {
			if ((q = plpgsql_query(exec, "sqlstmt"))) {
				strbuf_addf(sql, "%s;\n", q);
				(*count)++;
			}
			return;
		}
		if ((exec = cJSON_GetObjectItemCaseSensitive(n, "PLpgSQL_stmt_dynexecute"))) {
			char *text = (q = plpgsql_query(exec, "query")) ? constant_sql(q) : NULL;

			if (text) {
				strbuf_addf(sql, "%s;\n", text);
				(*count)++;
			} else {
				*dynamic = true;
			}
			free(text);
			return;
		}
		if (cJSON_GetObjectItemCaseSensitive(n, "PLpgSQL_stmt_dynfors"))
			*dynamic = true;
	}
	cJSON_ArrayForEach(c, n)
		collect_plpgsql(c, sql, count, dynamic);
}

/*
 * DO blocks inside DO blocks (a DO statement in the body, or EXECUTE of
 * a constant that holds one) are read this deep. Each level parses again
 * the text of all the levels inside it: 3,000 of them, a 100 KB file,
 * took 12 s and 1.1 GB. A deeper one is not read (unanalyzable, as a
 * body that does not parse).
 */
#define DO_DEPTH_MAX 16
static _Thread_local int do_depth;

/*
 * The PL/pgSQL tree and those of EXECUTE's constants are decoded in
 * place into the thread's tree arena (as add_tree() does), which goes
 * when the outermost decode is done.
 */
int parse_do_block(const char *body, struct stmt_list *out, bool *dynamic)
{
	static const char tag[] = "$migsafe_do_body$";
	PgQueryPlpgsqlParseResult r;
	struct strbuf fn, sql;
	const cJSON *tree = NULL;
	int count = -1;

	json_init();
	*dynamic = false;
	if (!body || strstr(body, tag) || do_depth >= DO_DEPTH_MAX)
		return -1;
	strbuf_init(&fn);
	strbuf_init(&sql);
	strbuf_addf(&fn, "CREATE FUNCTION migsafe_do() RETURNS void LANGUAGE plpgsql AS %s%s%s",
		    tag, body, tag);
	r = pg_query_parse_plpgsql(fn.buf);
	json_arena.depth++;
	if (!r.error && r.plpgsql_funcs &&
	    (tree = pgjson_parse(r.plpgsql_funcs, tree_alloc, NULL))) {
		count = 0;
		collect_plpgsql(tree, &sql, &count, dynamic);
	}
	if (!--json_arena.depth)
		json_arena_release();
	if (count > 0) {
		do_depth++;
		parse_sql(sql.buf, sql.len, out);
		do_depth--;
	}
	pg_query_free_plpgsql_parse_result(r);
	strbuf_release(&fn);
	strbuf_release(&sql);
	return count;
}

/* ---- a relation renamed in a query's text ---- */

struct rename_edits {
	const char *text, *schema, *from;
	size_t len;             /* of text */
	size_t *at;             /* offsets of name tokens to replace */
	size_t nr, alloc;
	bool bare;              /* a FROM item names it without an alias */
	bool cte;               /* a WITH query has its name */
};

/* The end of the identifier token at 'p' (p itself when there is none),
   its name as the parser folds it in *name. */
static const char *name_token(const char *p, struct strbuf *name)
{
	strbuf_reset(name);
	if (*p == '"') {
		for (p++; *p && (*p != '"' || p[1] == '"'); p++) {
			p += *p == '"';
			strbuf_addch(name, *p);
		}
		return *p ? p + 1 : p;
	}
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
	       *p == '_' || *p == '$' || (unsigned char)*p >= 0x80) {
		strbuf_addch(name, (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p);
		p++;
	}
	return p;
}

/* The offset of the 'skip'+1-th part of the dotted name at 'at', when
   that part is the name 'from'; else (size_t)-1. */
static size_t name_part(const char *text, size_t len, size_t at, int skip, const char *from)
{
	struct strbuf name;
	const char *p = text + at, *end;
	size_t ret = (size_t)-1;

	strbuf_init(&name);
	if (at >= len)
		goto out;
	for (int i = 0; i < skip; i++) {
		end = name_token(p, &name);
		if (end == p)
			goto out;
		for (p = end; *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'; p++)
			;
		if (*p++ != '.')
			goto out;
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
	}
	end = name_token(p, &name);
	if (end != p && !strcmp(name.buf, from))
		ret = (size_t)(p - text);
out:
	strbuf_release(&name);
	return ret;
}

static void add_edit(struct rename_edits *e, size_t at)
{
	if (at == (size_t)-1)
		return;
	ALLOC_GROW(e->at, e->nr + 1, e->alloc);
	e->at[e->nr++] = at;
}

static bool schema_matches(const char *written, const char *schema)
{
	return !written || (schema && !strcmp(written, schema));
}

/* Pass 1 the FROM items (RangeVar), pass 2 the columns qualified by the
   relation's own name (ColumnRef), which only a FROM item without an
   alias makes. */
static void find_renames(const cJSON *n, struct rename_edits *e, int pass)
{
	const cJSON *c, *f;

	if (!n)
		return;
	if (cJSON_IsObject(n) && (f = jget(n, "CommonTableExpr")) && jstr_is(f, "ctename", e->from))
		e->cte = true;  /* the name may mean the CTE: leave the text */
	if (cJSON_IsObject(n) && pass == 1 && (f = jget(n, "RangeVar")) &&
	    jstr_is(f, "relname", e->from) && schema_matches(jstr(f, "schemaname"), e->schema)) {
		add_edit(e, name_part(e->text, e->len, (size_t)jint(f, "location"),
				      !!jstr(f, "catalogname") + !!jstr(f, "schemaname"), e->from));
		e->bare |= !jget(f, "alias");
	}
	if (cJSON_IsObject(n) && pass == 2 && (f = jget(n, "ColumnRef"))) {
		const cJSON *fields = jget(f, "fields");
		int nr = list_len(fields), q = nr == 3 ? 1 : 0;
		const char *qual = sval(cJSON_GetArrayItem(fields, q));

		if ((nr == 2 || nr == 3) && qual && !strcmp(qual, e->from) &&
		    (nr == 2 || schema_matches(sval(cJSON_GetArrayItem(fields, 0)), e->schema)))
			add_edit(e, name_part(e->text, e->len, (size_t)jint(f, "location"), q, e->from));
	}
	cJSON_ArrayForEach(c, n)
		find_renames(c, e, pass);
}

static int offset_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

char *sql_rename_relation(const char *query, const char *schema, const char *from,
			  const char *to)
{
	struct rename_edits e = { query, schema, from, 0, NULL, 0, 0, false, false };
	PgQueryParseResult r;
	const cJSON *tree = NULL;
	struct strbuf name, out;
	size_t done = 0;
	char *ret = NULL;

	if (!query || !from || !to)
		return NULL;
	e.len = strlen(query);
	json_init();
	r = node_parse_json(query);
	json_arena.depth++;
	if (!r.error && r.parse_tree && (tree = pgjson_parse(r.parse_tree, tree_alloc, NULL))) {
		find_renames(tree, &e, 1);
		if (e.bare)
			find_renames(tree, &e, 2);
	}
	if (!--json_arena.depth)
		json_arena_release();
	pg_query_free_parse_result(r);
	if (!e.nr || e.cte)
		goto out;
	qsort(e.at, e.nr, sizeof(*e.at), offset_cmp);
	strbuf_init(&name);
	strbuf_init(&out);
	for (size_t i = 0; i < e.nr; i++) {
		if (e.at[i] < done)
			continue;       /* the same token twice */
		strbuf_add(&out, query + done, e.at[i] - done);
		add_ident(&out, to);
		done = (size_t)(name_token(query + e.at[i], &name) - query);
	}
	strbuf_addstr(&out, query + done);
	strbuf_release(&name);
	ret = strbuf_detach(&out);
out:
	free(e.at);
	return ret;
}

const char *parse_backend_version(void)
{
	return "libpg_query " PG_MAJORVERSION " (PostgreSQL " PG_VERSION ")";
}

void parse_thread_init(void)
{
	json_init();
	pg_query_init();
}
