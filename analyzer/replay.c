/*
 * replay.c - apply statements to the catalog the way PostgreSQL would.
 *
 * Each handler resolves names (search_path, case already folded by the
 * parser), checks the statement would succeed (else a problem:
 * unknown-object, duplicate-object), updates the catalog and records the
 * changes. Generated names follow PostgreSQL's own rules
 * (makeObjectName / ChooseRelationName / ChooseConstraintName), so later
 * statements can refer to "users_email_key" or "orders_user_id_fkey".
 */
#include "replay.h"

#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "types.h"
#include "banned.h"

#define MAX_SEARCH_PATH 16

struct replay {
	struct catalog *cat;
	char *path[MAX_SEARCH_PATH];   /* owned */
	int nr_path;
	char *saved[MAX_SEARCH_PATH];  /* search_path before a SET LOCAL */
	int nr_saved;
	bool path_local;
	char **dropped;                /* owned: "schema.name" of dropped relations */
	int nr_dropped;
	size_t alloc_dropped;
	struct name_hint *hints;       /* owned, NAME_HINTS of them */
	cat_id temp_schema;            /* pg_temp while the file has temporary
	                                  tables in it, else 0 */
};

/*
 * PostgreSQL chooses a generated name by trying name, name1, name2, ...
 * until one is free: a thousand unnamed CHECKs on a column took half a
 * million lookups. A hint remembers, per base name, the first suffix
 * not yet found taken; every suffix before it was taken, and stays so
 * until a name is freed (cat_names_freed() moves on).
 */
#define NAME_HINTS 64

struct name_hint {
	char key[3 * NAMEBUF + 32];  /* the base: what, schema, its parts */
	uint64_t freed;         /* cat_names_freed() when it was set */
	int next;
};

/* per-statement working state */
struct rctx {
	struct replay *r;
	struct catalog *cat;
	const struct stmt *st;
	const char *text;
	struct replay_result *res;
	bool quiet;             /* applying to partitions: no changes, no problems */
	struct change scratch;  /* where quiet changes go */
};

/* ---- results ---- */

void replay_result_init(struct replay_result *r)
{
	memset(r, 0, sizeof(*r));
	arena_init(&r->arena);
}

void replay_result_reset(struct replay_result *r)
{
	arena_release(&r->arena);
	r->nr_changes = 0;
	r->nr_problems = 0;
}

void replay_result_release(struct replay_result *r)
{
	arena_release(&r->arena);
	free(r->changes);
	free(r->problems);
	memset(r, 0, sizeof(*r));
}

static const char *rdup(struct rctx *x, const char *s)
{
	return arena_strdup(&x->res->arena, s);
}

static const char *rfmt(struct rctx *x, const char *fmt, ...) PRINTF_LIKE(2, 3);
static const char *rfmt(struct rctx *x, const char *fmt, ...)
{
	struct strbuf sb;
	const char *p;
	va_list ap;

	strbuf_init(&sb);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	p = arena_strndup(&x->res->arena, sb.buf, sb.len);
	strbuf_release(&sb);
	return p;
}

static struct change *add_change(struct rctx *x, enum change_kind kind, size_t start)
{
	struct replay_result *res = x->res;
	struct change *ch;

	if (x->quiet) {
		memset(&x->scratch, 0, sizeof(x->scratch));
		return &x->scratch;
	}
	ALLOC_GROW(res->changes, (size_t)res->nr_changes + 1, res->alloc_changes);
	ch = &res->changes[res->nr_changes++];
	memset(ch, 0, sizeof(*ch));
	ch->kind = kind;
	ch->start = start;
	return ch;
}

static void problem(struct rctx *x, enum rule_id rule, size_t start, const char *object,
		    const char *fmt, ...) PRINTF_LIKE(5, 6);
static void problem(struct rctx *x, enum rule_id rule, size_t start, const char *object,
		    const char *fmt, ...)
{
	struct replay_result *res = x->res;
	struct replay_problem *p;
	struct strbuf sb;
	va_list ap;

	if (x->quiet)
		return;
	strbuf_init(&sb);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(res->problems, (size_t)res->nr_problems + 1, res->alloc_problems);
	p = &res->problems[res->nr_problems++];
	p->rule = rule;
	p->start = start;
	p->object = object ? rdup(x, object) : NULL;
	p->message = arena_strndup(&res->arena, sb.buf, sb.len);
	strbuf_release(&sb);
}

/*
 * s at *p, as much of it as fits before 'end' (where the NUL goes): the
 * two ring formatters below build their text piece by piece, as
 * snprintf() would, truncation and NULLs included, at a fraction of its
 * cost (every lock a statement takes is quoted for a message).
 */
static void put_bounded(char **p, const char *end, const char *s)
{
	size_t n, room = (size_t)(end - *p);

	if (!s)
		s = "(null)";   /* what glibc's snprintf() wrote for one */
	n = strlen(s);
	if (n > room)
		n = room;
	memcpy(*p, s, n);
	*p += n;
}

const char *quote_rel(const char *schema, const char *name)
{
	static char ring[8][2 * NAMEBUF + 8];
	static int next;
	char *slot = ring[next++ & 7], *p = slot;
	const char *end = slot + sizeof(ring[0]) - 1;

	put_bounded(&p, end, "\"");
	if (schema && strcmp(schema, "public")) {
		put_bounded(&p, end, schema);
		put_bounded(&p, end, "\".\"");
	}
	put_bounded(&p, end, name);
	put_bounded(&p, end, "\"");
	*p = '\0';
	return slot;
}

const char *object_path(const char *schema, const char *name, const char *sub)
{
	static char ring[8][3 * NAMEBUF + 4];
	static int next;
	char *slot = ring[next++ & 7], *p = slot;
	const char *end = slot + sizeof(ring[0]) - 1;

	put_bounded(&p, end, schema ? schema : "public");
	put_bounded(&p, end, ".");
	put_bounded(&p, end, name);
	if (sub) {
		put_bounded(&p, end, ".");
		put_bounded(&p, end, sub);
	}
	*p = '\0';
	return slot;
}

static const char *object_name(struct rctx *x, const char *schema, const char *name,
			       const char *sub)
{
	const char *s = schema ? schema : "public";

	return sub ? rfmt(x, "%s.%s.%s", s, name, sub) : rfmt(x, "%s.%s", s, name);
}

/* ---- the replay object ---- */

static void path_set(struct replay *r, const char **names, int n)
{
	for (int i = 0; i < r->nr_path; i++)
		free(r->path[i]);
	r->nr_path = 0;
	for (int i = 0; i < n && i < MAX_SEARCH_PATH; i++)
		r->path[r->nr_path++] = xstrdup(names[i]);
}

struct replay *replay_new(struct catalog *cat)
{
	struct replay *r = xcalloc(1, sizeof(*r));
	const char *dflt[] = { "$user", "public" };

	r->cat = cat;
	path_set(r, dflt, 2);
	return r;
}

static void saved_release(struct replay *r)
{
	for (int i = 0; i < r->nr_saved; i++)
		free(r->saved[i]);
	r->nr_saved = 0;
	r->path_local = false;
}

void replay_free(struct replay *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->nr_dropped; i++)
		free(r->dropped[i]);
	free(r->dropped);
	free(r->hints);
	path_set(r, NULL, 0);
	saved_release(r);
	free(r);
}

void replay_reset_session(struct replay *r)
{
	const char *dflt[] = { "$user", "public" };

	saved_release(r);
	path_set(r, dflt, 2);
}

/*
 * Temporary tables live in the session's own schema, searched before the
 * search_path, and go with the session. Tools open a session per run, so
 * a later migration cannot count on them: they go at the end of the file
 * that made them.
 */
#define TEMP_SCHEMA "pg_temp"

static cat_id temp_schema(struct replay *r)
{
	if (!r->temp_schema && !(r->temp_schema = cat_schema_find(r->cat, TEMP_SCHEMA)))
		r->temp_schema = cat_schema_create(r->cat, TEMP_SCHEMA);
	return r->temp_schema;
}

static void remember_drop(struct replay *r, const char *schema, const char *name);

static void remember_temp_drop(void *data, const char *name)
{
	remember_drop(data, TEMP_SCHEMA, name);
}

/* The session ends: as if its temporary relations were dropped (a later
   statement on one is known to fail, see remember_drop()). */
void replay_end_file(struct replay *r)
{
	if (r->temp_schema) {
		cat_schema_relations(r->cat, r->temp_schema, remember_temp_drop, r);
		cat_schema_drop(r->cat, r->temp_schema);
	}
	r->temp_schema = 0;
}

void replay_begin_file(struct replay *r)
{
	if (r->path_local) {
		path_set(r, (const char **)r->saved, r->nr_saved);
		saved_release(r);
	}
}

/* ---- name resolution ---- */

static cat_id creation_schema(struct rctx *x, const char *schema, size_t start)
{
	cat_id id;

	if (schema) {
		id = cat_schema_find(x->cat, schema);
		if (!id)
			problem(x, RULE_UNKNOWN_OBJECT, start, schema,
				"schema \"%s\" does not exist", schema);
		return id;
	}
	for (int i = 0; i < x->r->nr_path; i++)
		if ((id = cat_schema_find(x->cat, x->r->path[i])))
			return id;
	problem(x, RULE_UNKNOWN_OBJECT, start, NULL, "no schema has been selected to create in");
	return 0;
}

/* The schema of a new relation: pg_temp when it is temporary (TEMP, or
   named pg_temp.name), else creation_schema()'s. */
static cat_id new_rel_schema(struct rctx *x, const struct qname *name, bool temporary)
{
	if (temporary || (name->schema && !strcmp(name->schema, TEMP_SCHEMA)))
		return temp_schema(x->r);
	return creation_schema(x, name->schema, x->st->start);
}

/* Find a relation by possibly-qualified name; 0 when found. */
static int find_rel(struct rctx *x, const struct qname *qn, struct cat_rel *out)
{
	cat_id sid;

	if (qn->schema) {
		sid = cat_schema_find(x->cat, qn->schema);
		return sid ? cat_rel_find(x->cat, sid, qn->name, out) : -1;
	}
	if (x->r->temp_schema && !cat_rel_find(x->cat, x->r->temp_schema, qn->name, out))
		return 0;
	for (int i = 0; i < x->r->nr_path; i++) {
		sid = cat_schema_find(x->cat, x->r->path[i]);
		if (sid && !cat_rel_find(x->cat, sid, qn->name, out))
			return 0;
	}
	return -1;
}

int replay_find_rel(struct replay *r, const struct qname *qn, struct cat_rel *out)
{
	struct rctx x = { .r = r, .cat = r->cat };

	return find_rel(&x, qn, out);
}

/* The type named, resolved as PostgreSQL does; its schema in *in. */
static cat_id find_type_in(struct rctx *x, const struct qname *qn, char *kind, cat_id *in)
{
	cat_id sid, id;

	if (qn->schema) {
		*in = sid = cat_schema_find(x->cat, qn->schema);
		return sid ? cat_type_find(x->cat, sid, qn->name, kind) : 0;
	}
	for (int i = 0; i < x->r->nr_path; i++) {
		*in = sid = cat_schema_find(x->cat, x->r->path[i]);
		if (sid && (id = cat_type_find(x->cat, sid, qn->name, kind)))
			return id;
	}
	return 0;
}

static cat_id find_type(struct rctx *x, const struct qname *qn, char *kind)
{
	cat_id in;

	return find_type_in(x, qn, kind, &in);
}

static void rel_ref_from(struct rctx *x, struct rel_ref *ref, const struct cat_rel *rel)
{
	ref->id = rel->id;
	ref->schema = rdup(x, rel->schema);
	ref->name = rdup(x, rel->name);
	ref->kind = (char)rel->kind;
	ref->created_file = rel->created_file;
	ref->created_in_range = rel->in_range;
	ref->known = true;
	ref->absent = false;
}

/* Remember that the history dropped a relation, so a later statement on
   it is known to fail rather than to act on something we never saw. */
static void remember_drop(struct replay *r, const char *schema, const char *name)
{
	ALLOC_GROW(r->dropped, (size_t)r->nr_dropped + 1, r->alloc_dropped);
	r->dropped[r->nr_dropped++] = xstrfmt("%s.%s", schema, name);
}

static bool was_dropped(struct replay *r, const struct qname *qn)
{
	for (int i = r->nr_dropped - 1; i >= 0; i--) {
		const char *dot = strchr(r->dropped[i], '.');

		if (dot && !strcmp(dot + 1, qn->name) &&
		    (!qn->schema || (strlen(qn->schema) == (size_t)(dot - r->dropped[i]) &&
				     !strncmp(r->dropped[i], qn->schema, strlen(qn->schema)))))
			return true;
	}
	return false;
}

static void rel_ref_unknown(struct rctx *x, struct rel_ref *ref, const struct qname *qn)
{
	memset(ref, 0, sizeof(*ref));
	ref->schema = rdup(x, qn->schema ? qn->schema : "public");
	ref->name = rdup(x, qn->name);
	ref->created_file = -1;
	ref->absent = was_dropped(x->r, qn);
}

/*
 * Resolve the table a statement acts on. Reports unknown-object (unless
 * if_exists) and fills 'ref' either way; returns 0 when found.
 */
static int resolve_table(struct rctx *x, const struct qname *qn, bool if_exists,
			 size_t start, struct cat_rel *rel, struct rel_ref *ref)
{
	if (!find_rel(x, qn, rel)) {
		rel_ref_from(x, ref, rel);
		return 0;
	}
	rel_ref_unknown(x, ref, qn);
	if (!if_exists)
		problem(x, RULE_UNKNOWN_OBJECT, start, object_name(x, qn->schema, qn->name, NULL),
			"relation %s does not exist", quote_rel(qn->schema, qn->name));
	return -1;
}

/* ---- PostgreSQL's generated names ---- */

/* Bytes of s to keep so that a multibyte character is not cut. */
static size_t clip_utf8(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* makeObjectName(): name1_name2_label truncated to fit NAMEDATALEN. */
static void make_object_name(char *out, const char *name1, const char *name2, const char *label)
{
	size_t n1 = strlen(name1), n2 = name2 ? strlen(name2) : 0;
	size_t overhead = (name2 ? 1 : 0) + (label ? strlen(label) + 1 : 0);
	size_t avail = NAME_MAX_BYTES - overhead;
	struct strbuf sb;

	while (n1 + n2 > avail) {
		if (n1 > n2)
			n1--;
		else
			n2--;
	}
	n1 = clip_utf8(name1, n1);
	if (name2)
		n2 = clip_utf8(name2, n2);
	strbuf_init(&sb);
	strbuf_add(&sb, name1, n1);
	if (name2) {
		strbuf_addch(&sb, '_');
		strbuf_add(&sb, name2, n2);
	}
	if (label)
		strbuf_addf(&sb, "_%s", label);
	fmt_buf(out, NAMEBUF, "%s", sb.buf);
	strbuf_release(&sb);
}

static void nth_name(char *out, const char *name1, const char *name2, const char *label, int n);

/*
 * The hint for a base name (which lookups, which schema). Its parts are
 * cut to fit (make_object_name()) by their lengths alone, so parts of
 * the same lengths whose base names are the same give the same names
 * at every n: one hint. Keyed by the parts themselves, 10,000 tables of
 * 63-byte names sharing their first 29 bytes, each with a UNIQUE
 * column of a long name, each probed every "..._key<n>" the ones
 * before had taken: 23 s.
 */
static struct name_hint *name_hint(struct rctx *x, int what, const char *name1,
				   const char *name2, const char *label, cat_id schema)
{
	char key[sizeof(((struct name_hint *)0)->key)], base[NAMEBUF];
	struct name_hint *hint;

	nth_name(base, name1, name2, label, 0);
	/* names are at most NAMEBUF - 1 bytes: the key is never cut */
	fmt_buf(key, sizeof(key), "%d %lld %zu %d %zu:%s %s", what, (long long)schema,
		strlen(name1), name2 ? (int)strlen(name2) : -1, strlen(label), label, base);
	if (!x->r->hints)
		x->r->hints = xcalloc(NAME_HINTS, sizeof(*x->r->hints));
	hint = &x->r->hints[fnv1a64(key, strlen(key), FNV1A64_INIT) & (NAME_HINTS - 1)];
	if (strcmp(hint->key, key) || hint->freed != cat_names_freed(x->cat)) {
		memcpy(hint->key, key, sizeof(key));
		hint->freed = cat_names_freed(x->cat);
		hint->next = 0;
	}
	return hint;
}

/*
 * Is 'name' taken in 'schema' for a type? By a type, or by a relation's
 * row type (cat_has_row_type()); a composite type is a relation too, which
 * any relation's name takes. NULL when free, else the word of
 * PostgreSQL's message.
 */
static const char *type_name_taken(struct rctx *x, cat_id schema, const char *name,
				   bool composite)
{
	struct cat_rel rel;

	if (cat_type_find(x->cat, schema, name, NULL))
		return "type";
	if (cat_rel_find(x->cat, schema, name, &rel))
		return NULL;
	return cat_has_row_type(rel.kind) ? "type" : composite ? "relation" : NULL;
}

/* base name, then base name with suffix 1, 2, ... */
static void nth_name(char *out, const char *name1, const char *name2, const char *label, int n)
{
	char modlabel[NAMEBUF];

	if (n)
		fmt_buf(modlabel, sizeof(modlabel), "%s%d", label, n);
	else
		fmt_buf(modlabel, sizeof(modlabel), "%s", label);
	make_object_name(out, name1, name2, modlabel);
}

/* ChooseRelationName(): also avoids constraint names when is_con. */
static void choose_relation_name(struct rctx *x, char *out, const char *name1, const char *name2,
				 const char *label, cat_id schema, bool is_con)
{
	struct name_hint *hint = name_hint(x, is_con ? 1 : 0, name1, name2, label, schema);

	for (;; hint->next++) {
		nth_name(out, name1, name2, label, hint->next);
		if (!cat_rel_name_taken(x->cat, schema, out, false) &&
		    (!is_con || !cat_con_name_in_schema(x->cat, schema, out)))
			return;
	}
}

/* ChooseConstraintName(). */
static void choose_constraint_name(struct rctx *x, char *out, const char *name1,
				   const char *name2, const char *label, cat_id schema)
{
	struct name_hint *hint = name_hint(x, 2, name1, name2, label, schema);

	for (;; hint->next++) {
		nth_name(out, name1, name2, label, hint->next);
		if (!cat_con_name_in_schema(x->cat, schema, out))
			return;
	}
}

/* Column names joined with '_' (ChooseIndexNameAddition), capped. */
static void join_names(char *out, size_t size, const char *const *names, int n)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < n && len < NAMEBUF; i++) {
		int w = fmt_buf(out + len, size - len, "%s%s", i ? "_" : "", names[i]);

		if (w < 0 || (size_t)w >= size - len)
			break;
		len += (size_t)w;
	}
}

static void index_column_names(const struct index_elem *elems, int ne, const char *const *include,
			       int ni, char (*names)[NAMEBUF], int max);
static void figure_colname(const char *text, char *out, size_t size);
static void join_index_names(char *out, size_t size, char (*names)[NAMEBUF], int n);

/* ---- volatility ---- */

static char expr_volatility(struct rctx *x, const struct expr *e)
{
	char worst = 'i';

	if (!e)
		return 0;
	for (int i = 0; i < e->nr_funcs; i++) {
		char v = builtin_volatility(e->funcs[i]);

		if (!v)
			v = 'v';   /* user functions are VOLATILE unless declared */
		if (v == 'v' || (v == 's' && worst == 'i'))
			worst = v;
	}
	return worst;
}

/* ---- columns ---- */

static cat_id add_sequence_for(struct rctx *x, const struct cat_rel *table, const char *column)
{
	char name[NAMEBUF];

	choose_relation_name(x, name, table->name, column, "seq", table->schema_id, false);
	return cat_rel_create(x->cat, table->schema_id, name, REL_SEQUENCE, table->id);
}

/*
 * A user-defined type named without a schema is found on the search
 * path; record where, so the column follows renames and moves of it and
 * prints as format_type does ("inventory.order_status").
 */
static void resolve_type(struct rctx *x, struct type_ref *t)
{
	struct qname qn = { t->schema, t->name };
	cat_id sid, id;

	if (!t->name || t->schema)
		return;
	for (int i = 0; i < x->r->nr_path; i++) {
		sid = cat_schema_find(x->cat, x->r->path[i]);
		if (sid && (id = cat_type_find(x->cat, sid, qn.name, NULL))) {
			t->schema = rdup(x, x->r->path[i]);
			return;
		}
	}
}

static bool is_domain(struct rctx *x, const struct type_ref *t)
{
	struct qname qn = { t->schema, t->name };
	char kind = 0;

	return t->name && t->schema && find_type(x, &qn, &kind) && kind == 'd';
}

/* The default nextval() of sequence schema.name has, as PostgreSQL
   prints it (owned by the replay). */
static const char *seq_default(struct rctx *x, const char *schema, const char *name)
{
	struct strbuf sb;
	const char *out;

	strbuf_init(&sb);
	serial_default_format(&sb, schema, name);
	out = rdup(x, sb.buf);
	strbuf_release(&sb);
	return out;
}

/*
 * A default that is only nextval() of a constant naming a sequence the
 * model holds: the constant is a regclass, resolved on the search path
 * when the default is made, and PostgreSQL keeps the sequence's OID.
 * Written as pg_get_expr() prints it (serial_default_format()), so that
 * it follows the sequence (cat_col_defaults_follow()); else as written.
 */
static const char *nextval_default(struct rctx *x, const char *text)
{
	char schema[NAMEBUF], name[NAMEBUF];
	struct qname qn = { NULL, name };
	struct cat_rel seq;

	if (nextval_default_parse(text, schema, name, sizeof(name)))
		return text;
	if (schema[0])
		qn.schema = schema;
	if (find_rel(x, &qn, &seq) || seq.kind != REL_SEQUENCE)
		return text;
	return seq_default(x, seq.schema, seq.name);
}

/*
 * The default PostgreSQL stores for a column of type 't', or NULL. It
 * stores none when the expression cooks to a bare null constant
 * (AddRelationNewConstraints skips those): DEFAULT NULL, or NULL::T with
 * T the column's own type. A type modifier keeps it, as the constant is
 * wrapped in a length coercion (varchar(26) DEFAULT NULL shows as
 * NULL::character varying), except for interval, whose input takes the
 * modifier; so does a domain, whose CoerceToDomain overrides its own
 * default. nextval() of a sequence is stored as nextval_default() has it.
 */
static const char *stored_default(struct rctx *x, const struct type_ref *t, const struct expr *e)
{
	struct type_ref cast;
	bool typmod = t->nr_mods && (t->schema || !t->name || strcmp(t->name, "interval"));

	if (!e || !e->is_null || e->nr_casts > 1 || typmod || is_domain(x, t))
		return e ? nextval_default(x, e->text) : NULL;
	if (!e->nr_casts)
		return NULL;
	cast = e->cast;
	resolve_type(x, &cast);
	return type_equal(&cast, t) ? NULL : e->text;
}

/* COLLATE "default" is the type's own: none to keep. */
static const char *own_collation(const char *collation)
{
	return collation && strcmp(collation, "default") ? collation : NULL;
}

/* Add one column; returns its id or 0. Reports duplicates. */
static cat_id add_column(struct rctx *x, const struct cat_rel *table, const struct column_def *cd,
			 bool if_not_exists)
{
	struct cat_col_def def = { 0 };
	struct type_ref type = cd->type;
	const char *dflt;
	cat_id seq = 0, col;

	if (!cat_col_find(x->cat, table->id, cd->name, NULL)) {
		if (!if_not_exists)
			problem(x, RULE_DUPLICATE_OBJECT, cd->start,
				object_name(x, table->schema, table->name, cd->name),
				"column \"%s\" of relation %s already exists", cd->name,
				quote_rel(table->schema, table->name));
		return 0;
	}
	type.serial = false;
	resolve_type(x, &type);
	dflt = stored_default(x, &type, cd->default_expr);
	def.name = cd->name;
	def.type = &type;
	def.not_null = cd->not_null || cd->type.serial || cd->identity;
	def.default_volatility = expr_volatility(x, cd->default_expr);
	def.identity = (char)cd->identity;
	def.generated = cd->generated ? cd->generated->text : NULL;
	def.collation = own_collation(cd->collation);
	if (cd->type.serial || cd->identity) {
		seq = add_sequence_for(x, table, cd->name);
		if (cd->type.serial && seq) {
			struct cat_rel s;

			cat_rel_get(x->cat, seq, &s);
			dflt = seq_default(x, s.schema, s.name);
			def.default_volatility = 'v';
		}
	}
	def.default_expr = dflt;
	if (!dflt)
		def.default_volatility = 0;
	col = cat_col_add(x->cat, table->id, &def);
	if (seq && col)
		cat_sequence_own(x->cat, seq, col);
	return col;
}

/*
 * The model keeps no columns for views and materialized views (their
 * queries are not analysed), nor all of a CREATE TABLE AS whose query it
 * could not follow, so a column named on one (an index on a materialized
 * view, COMMENT ON COLUMN, RENAME COLUMN) is taken on trust.
 */
static bool columns_unknown(const struct cat_rel *r)
{
	return r->kind == REL_VIEW || r->kind == REL_MATVIEW || r->columns_unknown;
}

/*
 * A table from a CREATE TABLE AS the model could not follow gets a
 * column the first time one is named on it, of unknown type, so the
 * constraints and indexes on it are kept like any other.
 */
static int vivify_column(struct rctx *x, const struct cat_rel *t, const char *name,
			 struct cat_col *col)
{
	struct column_def cd;

	if (!t->columns_unknown || t->kind == REL_VIEW || t->kind == REL_MATVIEW)
		return -1;
	memset(&cd, 0, sizeof(cd));
	cd.name = name;
	cd.type.name = "unknown";
	cd.start = x->st->start;
	if (!add_column(x, t, &cd, true))
		return -1;
	return cat_col_find(x->cat, t->id, name, col);
}

/* Resolve column names of a table to ids; reports the first unknown. */
static int resolve_columns(struct rctx *x, const struct cat_rel *table, const char *const *names,
			   int n, cat_id *ids, size_t start)
{
	struct cat_col col;

	for (int i = 0; i < n; i++) {
		if (cat_col_find(x->cat, table->id, names[i], &col) &&
		    vivify_column(x, table, names[i], &col)) {
			problem(x, RULE_UNKNOWN_OBJECT, start,
				object_name(x, table->schema, table->name, names[i]),
				"column \"%s\" of relation %s does not exist", names[i],
				quote_rel(table->schema, table->name));
			return -1;
		}
		ids[i] = col.id;
	}
	return 0;
}

/* ---- constraints ---- */

static cat_id constraint_index(struct rctx *x, const struct cat_rel *table,
			       const struct constraint_def *cd, const char *name,
			       const cat_id *cols, int n)
{
	struct cat_index_col *ic = xcalloc((size_t)n + (size_t)cd->nr_include + 1, sizeof(*ic));
	cat_id inc_ids[64];
	int ni = cd->nr_include < 64 ? cd->nr_include : 64;
	cat_id id = 0;

	for (int i = 0; i < n; i++)
		ic[i].column_id = cols[i];
	if (ni && resolve_columns(x, table, cd->include, ni, inc_ids, cd->start))
		goto out;
	for (int i = 0; i < ni; i++) {
		ic[n + i].column_id = inc_ids[i];
		ic[n + i].include = true;
	}
	id = cat_index_add(x->cat, table->schema_id, name, table->id, cd->kind != CON_EXCLUDE,
			   cd->kind == CON_PRIMARY, cd->index_method, NULL, ic, n + ni);
	if (id && cd->nulls_not_distinct)
		cat_index_set_nulls_not_distinct(x->cat, id);
out:
	free(ic);
	return id;
}

/* ADD CONSTRAINT ... USING INDEX: adopt (and rename) an existing index. */
static cat_id adopt_index(struct rctx *x, const struct cat_rel *table,
			  const struct constraint_def *cd, const char *name)
{
	struct cat_rel idx;
	struct qname qn = { table->schema, cd->using_index };

	if (find_rel(x, &qn, &idx) || idx.kind != REL_INDEX) {
		problem(x, RULE_UNKNOWN_OBJECT, cd->start, cd->using_index,
			"index \"%s\" does not exist", cd->using_index);
		return 0;
	}
	if (strcmp(idx.name, name))
		cat_rel_rename(x->cat, idx.id, name);
	return idx.id;
}

static int fk_target(struct rctx *x, const struct cat_rel *table, const struct constraint_def *cd,
		     struct cat_rel *ref, cat_id *ref_cols, int n)
{
	cat_id *pk = NULL;
	int npk = 0, ret = -1;

	if (find_rel(x, &cd->ref_table, ref)) {
		problem(x, RULE_UNKNOWN_OBJECT, cd->start,
			object_name(x, cd->ref_table.schema, cd->ref_table.name, NULL),
			"relation %s does not exist",
			quote_rel(cd->ref_table.schema, cd->ref_table.name));
		return -1;
	}
	if (cd->nr_ref_columns) {
		if (cd->nr_ref_columns != n ||
		    resolve_columns(x, ref, cd->ref_columns, n, ref_cols, cd->start))
			return -1;
		if (columns_unknown(ref) || cat_unique_key_on(x->cat, ref->id, ref_cols, n))
			return 0;
		problem(x, RULE_UNKNOWN_OBJECT, cd->start, object_name(x, ref->schema, ref->name, NULL),
			"there is no unique constraint matching given keys for referenced table %s",
			quote_rel(NULL, ref->name));
		return -1;
	}
	if (cat_primary_key(x->cat, ref->id, &pk, &npk) || npk != n) {
		problem(x, RULE_UNKNOWN_OBJECT, cd->start, object_name(x, ref->schema, ref->name, NULL),
			"there is no primary key for referenced table %s",
			quote_rel(ref->schema, ref->name));
		goto out;
	}
	memcpy(ref_cols, pk, sizeof(*pk) * (size_t)n);
	ret = 0;
out:
	free(pk);
	return ret;
}

static void choose_con_name(struct rctx *x, char *name, const struct cat_rel *table,
			    const struct constraint_def *cd, const char *cols)
{
	switch (cd->kind) {
	case CON_PRIMARY:
		choose_relation_name(x, name, table->name, NULL, "pkey", table->schema_id, true);
		break;
	case CON_UNIQUE:
		choose_relation_name(x, name, table->name, cols, "key", table->schema_id, true);
		break;
	case CON_EXCLUDE:
		choose_relation_name(x, name, table->name, cols, "excl", table->schema_id, true);
		break;
	case CON_FOREIGN:
		choose_constraint_name(x, name, table->name, cols, "fkey", table->schema_id);
		break;
	case CON_CHECK:
		choose_constraint_name(x, name, table->name, *cols ? cols : NULL, "check",
				       table->schema_id);
		break;
	}
}

/*
 * Does every column an expression names (a CHECK, an index's expression
 * or predicate) exist? PostgreSQL refuses the statement at the first
 * that does not; a table whose columns the model cannot follow passes.
 */
static bool expr_columns_exist(struct rctx *x, const struct cat_rel *table, const struct expr *e)
{
	struct cat_col col;

	for (int i = 0; e && !columns_unknown(table) && i < e->nr_columns; i++) {
		if (!cat_col_find(x->cat, table->id, e->columns[i], &col))
			continue;
		problem(x, RULE_UNKNOWN_OBJECT, x->st->start,
			object_name(x, table->schema, table->name, e->columns[i]),
			"column \"%s\" does not exist", e->columns[i]);
		return false;
	}
	return true;
}

/* The distinct columns a CHECK expression uses (for naming and deps). */
static int check_columns(struct rctx *x, const struct cat_rel *table, const struct expr *e,
			 const char **names, cat_id *ids, int max)
{
	struct cat_col col;
	int n = 0;

	for (int i = 0; e && i < e->nr_columns && n < max; i++) {
		bool seen = false;

		if (cat_col_find(x->cat, table->id, e->columns[i], &col))
			continue;
		for (int j = 0; j < n; j++)
			seen |= ids[j] == col.id;
		if (seen)
			continue;
		names[n] = e->columns[i];
		ids[n++] = col.id;
	}
	return n;
}

/*
 * ADD [CONSTRAINT name] PRIMARY KEY | UNIQUE USING INDEX idx: the index
 * becomes the constraint's (renamed to the constraint name when one is
 * given; else the constraint takes the index's name), its key columns are
 * the constraint's, and a primary key makes them NOT NULL.
 */
static int add_constraint_using_index(struct rctx *x, const struct cat_rel *table,
				      const struct constraint_def *cd, const char **added)
{
	struct cat_con_def def = { 0 };
	const char *name = cd->name ? cd->name : cd->using_index;
	cat_id *cols = NULL, *pk = NULL;
	int n = 0, npk = 0, ret = -1;

	if (cd->kind == CON_PRIMARY && !cat_primary_key(x->cat, table->id, &pk, &npk)) {
		problem(x, RULE_DUPLICATE_OBJECT, cd->start, object_name(x, table->schema, table->name, NULL),
			"multiple primary keys for table %s are not allowed",
			quote_rel(table->schema, table->name));
		goto out;
	}
	if (cd->name && cat_con_name_taken(x->cat, table->id, cd->name)) {
		problem(x, RULE_DUPLICATE_OBJECT, cd->start, object_name(x, table->schema, table->name, name),
			"constraint \"%s\" for relation %s already exists", name,
			quote_rel(table->schema, table->name));
		goto out;
	}
	def.index_id = adopt_index(x, table, cd, name);
	if (!def.index_id)
		goto out;
	cat_index_key_columns(x->cat, def.index_id, &cols, &n);
	if (cd->kind == CON_PRIMARY) {
		for (int i = 0; i < n; i++)
			cat_col_set_not_null(x->cat, cols[i], true);
		cat_index_set_primary(x->cat, def.index_id);
	}
	def.kind = cd->kind;
	def.name = name;
	def.columns = cols;
	def.nr_columns = n;
	def.validated = true;
	def.deferrable = cd->deferrable;
	ret = cat_con_add(x->cat, table->id, &def) ? 0 : -1;
	if (!ret && added)
		*added = rdup(x, name);
out:
	free(pk);
	free(cols);
	return ret;
}

/* Index-backed constraints are named after key and INCLUDE columns. */
static void constraint_index_names(const struct constraint_def *cd, char *out, size_t size)
{
	struct index_elem elems[64];
	char names[64][NAMEBUF];
	int ne = cd->nr_columns < 64 ? cd->nr_columns : 64;
	int ni = cd->nr_include < 64 - ne ? cd->nr_include : 64 - ne;

	memset(elems, 0, sizeof(elems));
	for (int i = 0; i < ne; i++)
		elems[i].column = cd->columns[i];
	index_column_names(elems, ne, cd->include, ni, names, 64);
	join_index_names(out, size, names, ne + ni);
}

/* 0 and, when 'added', *added the constraint's name (the one PostgreSQL
   generates when it has none; the result's) or -1 when it is refused. */
static int add_constraint(struct rctx *x, const struct cat_rel *table,
			  const struct constraint_def *cd, const char **added)
{
	struct cat_con_def def = { 0 };
	struct cat_rel ref;
	cat_id cols[64], ref_cols[64];
	const char *names[64];
	char name[NAMEBUF], joined[4 * NAMEBUF];
	int n = cd->nr_columns < 64 ? cd->nr_columns : 64;

	def.kind = cd->kind;
	if (cd->using_index)
		return add_constraint_using_index(x, table, cd, added);
	if (cd->kind == CON_CHECK) {
		if (!expr_columns_exist(x, table, cd->check))
			return -1;
		n = check_columns(x, table, cd->check, names, cols, 64);
		fmt_buf(joined, sizeof(joined), "%s", n == 1 ? names[0] : "");
	} else {
		if (resolve_columns(x, table, cd->columns, n, cols, cd->start))
			return -1;
		if (cd->kind == CON_FOREIGN)
			join_names(joined, sizeof(joined), cd->columns, n);
		else
			constraint_index_names(cd, joined, sizeof(joined));
	}
	if (cd->name) {
		fmt_buf(name, sizeof(name), "%s", cd->name);
		if (cat_con_name_taken(x->cat, table->id, name)) {
			problem(x, RULE_DUPLICATE_OBJECT, cd->start,
				object_name(x, table->schema, table->name, name),
				"constraint \"%s\" for relation %s already exists", name,
				quote_rel(table->schema, table->name));
			return -1;
		}
	} else {
		choose_con_name(x, name, table, cd, joined);
	}
	def.name = name;
	def.columns = cols;
	def.nr_columns = n;
	def.validated = !cd->not_valid;
	def.deferrable = cd->deferrable;
	switch (cd->kind) {
	case CON_PRIMARY:
	case CON_UNIQUE:
	case CON_EXCLUDE: {
		cat_id *pk = NULL;
		int npk = 0;

		if (cd->kind == CON_PRIMARY && !cat_primary_key(x->cat, table->id, &pk, &npk)) {
			free(pk);
			problem(x, RULE_DUPLICATE_OBJECT, cd->start,
				object_name(x, table->schema, table->name, NULL),
				"multiple primary keys for table %s are not allowed",
				quote_rel(table->schema, table->name));
			return -1;
		}
		if (cd->name && cat_rel_name_taken(x->cat, table->schema_id, name, false)) {
			problem(x, RULE_DUPLICATE_OBJECT, cd->start,
				object_name(x, table->schema, name, NULL),
				"relation %s already exists", quote_rel(table->schema, name));
			return -1;
		}
		def.index_id = constraint_index(x, table, cd, name, cols, n);
		if (cd->kind == CON_PRIMARY)
			for (int i = 0; i < n; i++)
				cat_col_set_not_null(x->cat, cols[i], true);
		break;
	}
	case CON_CHECK:
		def.expr = cd->check ? cd->check->text : NULL;
		def.not_null_column = cd->check ? cd->check->not_null_column : NULL;
		break;
	case CON_FOREIGN:
		if (fk_target(x, table, cd, &ref, ref_cols, n))
			return -1;
		def.ref_rel_id = ref.id;
		def.ref_columns = ref_cols;
		def.on_delete = (char)(cd->on_delete ? cd->on_delete : FK_NO_ACTION);
		def.on_update = (char)(cd->on_update ? cd->on_update : FK_NO_ACTION);
		break;
	}
	if (!cat_con_add(x->cat, table->id, &def))
		return -1;
	if (added)
		*added = rdup(x, name);
	return 0;
}

/* ---- CREATE TABLE ---- */

/* Copy every column of 'src' onto 'table' (skipping names it has). */
static void copy_columns_from(struct rctx *x, const struct cat_rel *table, cat_id src,
			      unsigned what)
{
	struct cat_col *cols;
	int n;

	cat_col_list(x->cat, src, &cols, &n);
	for (int i = 0; i < n; i++) {
		cat_id col;

		if (!cat_col_find(x->cat, table->id, cols[i].name, NULL))
			continue;   /* merged with a column of the same name */
		col = cat_col_copy(x->cat, cols[i].id, table->id, what);
		if (col && (what & COPY_IDENTITY) && cols[i].identity)
			cat_sequence_own(x->cat, add_sequence_for(x, table, cols[i].name), col);
	}
	free(cols);
}

static int find_source(struct rctx *x, const struct qname *qn, struct cat_rel *src)
{
	if (!find_rel(x, qn, src))
		return 0;
	problem(x, RULE_UNKNOWN_OBJECT, x->st->start, object_name(x, qn->schema, qn->name, NULL),
		"relation %s does not exist", quote_rel(qn->schema, qn->name));
	return -1;
}

/* ---- copying indexes and constraints to partitions and LIKE copies ---- */

/* Does 'table' have an index equivalent to 'ix' (same key, kind, predicate)? */
static cat_id equivalent_index(struct rctx *x, const struct cat_rel *table,
			       const struct cat_index_info *ix)
{
	struct cat_index_info *list;
	cat_id found = 0;
	int n;

	cat_index_list(x->cat, table->id, &list, &n);
	for (int i = 0; i < n && !found; i++) {
		const struct cat_index_info *o = &list[i];
		bool same = o->unique == ix->unique && o->nr_cols == ix->nr_cols &&
			    !strcmp(o->method, ix->method) &&
			    !o->predicate == !ix->predicate &&
			    (!o->predicate || !strcmp(o->predicate, ix->predicate));

		for (int j = 0; same && j < o->nr_cols; j++)
			same = !strcmp(o->cols[j].name, ix->cols[j].name) &&
			       !o->cols[j].expr == !ix->cols[j].expr &&
			       (!o->cols[j].expr || !strcmp(o->cols[j].expr, ix->cols[j].expr));
		if (same)
			found = o->id;
	}
	cat_index_list_free(list, n);
	return found;
}

static const char *index_label(const struct cat_index_info *ix)
{
	if (ix->primary)
		return "pkey";
	if (ix->con_kind == CON_EXCLUDE)
		return "excl";
	return ix->con_kind ? "key" : "idx";
}

/* The constraint an index of 'table' enforces, re-created for its copy. */
static void clone_index_constraint(struct rctx *x, const struct cat_rel *table,
				   const struct cat_index_info *ix, const char *name, cat_id index,
				   cat_id parent_index)
{
	struct cat_con_def def = { 0 };
	cat_id *cols = NULL, con;
	int n = 0;

	cat_index_key_columns(x->cat, index, &cols, &n);
	def.kind = (enum con_kind)ix->con_kind;
	def.name = name;
	def.columns = cols;
	def.nr_columns = n;
	def.validated = true;
	def.index_id = index;
	con = cat_con_add(x->cat, table->id, &def);
	if (con && parent_index)
		cat_con_set_parent(x->cat, con, cat_index_constraint(x->cat, parent_index));
	if (ix->primary)
		for (int i = 0; i < n; i++)
			cat_col_set_not_null(x->cat, cols[i], true);
	free(cols);
}

/* Re-create one index of another table on 'table' under a generated name. */
static void clone_index(struct rctx *x, const struct cat_rel *table,
			const struct cat_index_info *ix, bool partition)
{
	struct cat_index_col *ic = xcalloc((size_t)ix->nr_cols + 1, sizeof(*ic));
	char names[64][NAMEBUF], name[NAMEBUF], joined[4 * NAMEBUF];
	const char *key_names[64];
	int n = ix->nr_cols < 64 ? ix->nr_cols : 64;
	cat_id index;

	for (int i = 0; i < n; i++) {
		struct cat_col col;

		if (ix->cols[i].expr)
			figure_colname(ix->cols[i].expr, names[i], NAMEBUF);
		else
			fmt_buf(names[i], NAMEBUF, "%s", ix->cols[i].name);
		key_names[i] = names[i];
		ic[i].expr = ix->cols[i].expr;
		ic[i].include = ix->cols[i].include;
		ic[i].desc = ix->cols[i].desc;
		ic[i].opclass = ix->cols[i].opclass;
		if (!ix->cols[i].expr && !cat_col_find(x->cat, table->id, ix->cols[i].name, &col))
			ic[i].column_id = col.id;
	}
	join_names(joined, sizeof(joined), key_names, n);
	choose_relation_name(x, name, table->name, ix->primary ? NULL : joined, index_label(ix),
			     table->schema_id, ix->con_kind != 0);
	index = cat_index_add(x->cat, table->schema_id, name, table->id, ix->unique, ix->primary,
			      ix->method, ix->predicate, ic, n);
	if (index && ix->nulls_not_distinct)
		cat_index_set_nulls_not_distinct(x->cat, index);
	if (index && partition)
		cat_index_set_parent(x->cat, index, ix->id);
	if (index && ix->con_kind)
		clone_index_constraint(x, table, ix, name, index, partition ? ix->id : 0);
	free(ic);
}

/*
 * Give 'table' the indexes of 'src'. For a partition they belong to the
 * parent's (and an equivalent index the table already has is adopted, as
 * ATTACH PARTITION does); for LIKE ... INCLUDING INDEXES they are copies.
 */
static void clone_indexes(struct rctx *x, const struct cat_rel *src, const struct cat_rel *table,
			  bool partition)
{
	struct cat_index_info *list;
	int n;

	cat_index_list(x->cat, src->id, &list, &n);
	for (int i = 0; i < n; i++) {
		cat_id have = partition ? equivalent_index(x, table, &list[i]) : 0;

		if (have)
			cat_index_set_parent(x->cat, have, list[i].id);
		else
			clone_index(x, table, &list[i], partition);
	}
	cat_index_list_free(list, n);
}

/* Everything a partition (or, recursively, its partitions) inherits. */
static void inherit_from_parent(struct rctx *x, const struct cat_rel *parent,
				const struct cat_rel *child)
{
	cat_id *kids;
	int n;

	cat_con_clone(x->cat, parent->id, child->id, CON_CHECK, true);
	cat_con_clone(x->cat, parent->id, child->id, CON_FOREIGN, true);
	clone_indexes(x, parent, child, true);
	cat_rel_children(x->cat, child->id, &kids, &n);
	for (int i = 0; i < n; i++) {
		struct cat_rel k;

		if (!cat_rel_get(x->cat, kids[i], &k))
			inherit_from_parent(x, child, &k);
	}
	free(kids);
}

/* Pass what a partitioned table just gained on to every partition. */
static void propagate(struct rctx *x, const struct cat_rel *table)
{
	cat_id *kids;
	int n;

	cat_rel_children(x->cat, table->id, &kids, &n);
	for (int i = 0; i < n; i++) {
		struct cat_rel k;

		if (!cat_rel_get(x->cat, kids[i], &k))
			inherit_from_parent(x, table, &k);
	}
	free(kids);
}

/* CREATE TABLE ... PARTITION OF parent [(column options)] */
static void make_partition(struct rctx *x, const struct cat_rel *table)
{
	const struct create_table *ct = &x->st->u.create_table;
	struct cat_rel parent;

	if (find_source(x, &ct->partition_of, &parent))
		return;
	copy_columns_from(x, table, parent.id, COPY_DEFAULT | COPY_GENERATED);
	cat_rel_set_parent(x->cat, table->id, parent.id);
}

/* Column options of a partition: (col WITH OPTIONS DEFAULT 0 NOT NULL) */
static void column_options(struct rctx *x, const struct cat_rel *table, const struct column_def *cd)
{
	struct cat_col col;

	if (cat_col_find(x->cat, table->id, cd->name, &col)) {
		problem(x, RULE_UNKNOWN_OBJECT, cd->start,
			object_name(x, table->schema, table->name, cd->name),
			"column \"%s\" named in partition key does not exist", cd->name);
		return;
	}
	if (cd->default_expr)
		cat_col_set_default(x->cat, col.id, stored_default(x, &col.type, cd->default_expr),
				    expr_volatility(x, cd->default_expr));
	if (cd->not_null)
		cat_col_set_not_null(x->cat, col.id, true);
}

/* CREATE TABLE ... (LIKE src INCLUDING ...) */
static void copy_like(struct rctx *x, const struct cat_rel *table, int i)
{
	const struct create_table *ct = &x->st->u.create_table;
	unsigned opt = ct->like_options ? ct->like_options[i] : 0, what = 0;
	struct cat_rel src;

	if (find_source(x, &ct->like[i], &src))
		return;
	what |= opt & LIKE_DEFAULTS ? COPY_DEFAULT : 0;
	what |= opt & LIKE_IDENTITY ? COPY_IDENTITY : 0;
	what |= opt & LIKE_GENERATED ? COPY_GENERATED : 0;
	copy_columns_from(x, table, src.id, what);
}

/* Constraints and indexes LIKE copies, once every column is there. */
static void copy_like_objects(struct rctx *x, const struct cat_rel *table, int i)
{
	const struct create_table *ct = &x->st->u.create_table;
	unsigned opt = ct->like_options ? ct->like_options[i] : 0;
	struct cat_rel src;

	if (find_rel(x, &ct->like[i], &src))
		return;
	if (opt & LIKE_CONSTRAINTS)
		cat_con_clone(x->cat, src.id, table->id, CON_CHECK, false);
	if (opt & LIKE_INDEXES)
		clone_indexes(x, &src, table, false);
}

static void inherit_tables(struct rctx *x, const struct cat_rel *table)
{
	const struct create_table *ct = &x->st->u.create_table;

	for (int i = 0; i < ct->nr_inherits; i++) {
		struct cat_rel src;

		if (find_source(x, &ct->inherits[i], &src))
			continue;
		copy_columns_from(x, table, src.id, COPY_DEFAULT | COPY_GENERATED);
		cat_con_clone(x->cat, src.id, table->id, CON_CHECK, true);
		if (i == 0)
			cat_rel_set_parent(x->cat, table->id, src.id);
	}
}

/* Columns in written order: plain columns and LIKE clauses interleaved. */
static void table_columns(struct rctx *x, const struct cat_rel *table)
{
	const struct create_table *ct = &x->st->u.create_table;
	int li = 0;

	for (int i = 0; i <= ct->nr_columns; i++) {
		for (; li < ct->nr_like && ct->like_pos && ct->like_pos[li] == i; li++)
			copy_like(x, table, li);
		for (; !ct->like_pos && li < ct->nr_like && i == 0; li++)
			copy_like(x, table, li);
		if (i == ct->nr_columns)
			break;
		if (!ct->columns[i].type.name)
			column_options(x, table, &ct->columns[i]);
		else
			add_column(x, table, &ct->columns[i], false);
	}
}

/* ---- CREATE TABLE AS ---- */

/* One output column; the names of CREATE TABLE t (a, b) AS come first. */
static void as_column(struct rctx *x, const struct cat_rel *table, int *pos,
		      const char *name, const struct type_ref *type)
{
	const struct create_table *ct = &x->st->u.create_table;
	struct column_def cd;

	memset(&cd, 0, sizeof(cd));
	cd.name = *pos < ct->nr_as_names ? ct->as_names[*pos] : name;
	cd.type = *type;
	if (!cd.type.name)
		cd.type.name = "unknown";   /* an expression we do not type */
	cd.start = x->st->start;
	(*pos)++;
	add_column(x, table, &cd, true);
}

/* Does FROM item i answer to qualifier q (its alias, else its name)? */
static bool as_from_matches(const struct from_item *f, const char *q)
{
	return !q || !strcmp(q, f->alias ? f->alias : f->rel.name);
}

/*
 * t.* or *: the columns of the FROM relations, in order. False when one
 * of them is not known column by column (a view, a missing relation).
 */
static bool as_star(struct rctx *x, const struct cat_rel *table, int *pos, const char *q)
{
	const struct create_table *ct = &x->st->u.create_table;
	bool complete = true;

	for (int i = 0; i < ct->nr_as_from; i++) {
		struct cat_col *cols = NULL;
		struct cat_rel rel;
		int n = 0;

		if (!as_from_matches(&ct->as_from[i], q))
			continue;
		if (find_rel(x, &ct->as_from[i].rel, &rel) || columns_unknown(&rel) ||
		    cat_col_list(x->cat, rel.id, &cols, &n)) {
			complete = false;
			continue;
		}
		for (int k = 0; k < n; k++)
			as_column(x, table, pos, cols[k].name, &cols[k].type);
		free(cols);
	}
	return complete;
}

/* A column reference: typed by the FROM relation that has it. */
static void as_column_ref(struct rctx *x, const struct cat_rel *table, int *pos,
			  const struct select_item *it)
{
	const struct create_table *ct = &x->st->u.create_table;
	struct cat_rel rel;
	struct cat_col col;

	for (int i = 0; i < ct->nr_as_from; i++) {
		if (as_from_matches(&ct->as_from[i], it->qualifier) &&
		    !find_rel(x, &ct->as_from[i].rel, &rel) &&
		    !cat_col_find(x->cat, rel.id, it->column, &col)) {
			as_column(x, table, pos, it->name, &col.type);
			return;
		}
	}
	as_column(x, table, pos, it->name, &it->type);
}

/*
 * The columns CREATE TABLE AS / SELECT INTO gives the new table: never
 * NOT NULL, no defaults; typed from the relations read, casts and
 * literals ("unknown" for other expressions).
 */
static void as_select_columns(struct rctx *x, const struct cat_rel *table)
{
	const struct create_table *ct = &x->st->u.create_table;
	bool complete = ct->nr_as_items >= 0;
	int pos = 0;

	for (int i = 0; i < ct->nr_as_items; i++) {
		const struct select_item *it = &ct->as_items[i];

		if (it->star)
			complete &= as_star(x, table, &pos, it->qualifier);
		else if (it->column)
			as_column_ref(x, table, &pos, it);
		else
			as_column(x, table, &pos, it->name, &it->type);
	}
	if (!complete)
		cat_rel_set_flag(x->cat, table->id, "columns_unknown", 1);
}

static bool same_names(const char *const *a, const char *const *b, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(a[i], b[i]))
			return false;
	return true;
}

/* Would PostgreSQL build one index for both constraints? */
static bool same_index(const struct constraint_def *a, const struct constraint_def *b)
{
	return a->nr_columns == b->nr_columns && a->nr_include == b->nr_include &&
	       a->deferrable == b->deferrable && a->initially_deferred == b->initially_deferred &&
	       !a->using_index && !b->using_index &&
	       same_names(a->columns, b->columns, a->nr_columns) &&
	       same_names(a->include, b->include, a->nr_include);
}

/*
 * The constraint a UNIQUE one of CREATE TABLE folds into, or -1:
 * transformIndexConstraints() keeps one index per key, the primary key's
 * first, so "id int PRIMARY KEY UNIQUE" or a repeated UNIQUE (a) makes
 * no constraint of its own.
 */
static int folds_into(const struct constraint_def *cons, int n, int pk, int i)
{
	if (cons[i].kind != CON_UNIQUE)
		return -1;
	if (pk >= 0 && same_index(&cons[pk], &cons[i]))
		return pk;
	for (int j = 0; j < i; j++)
		if (cons[j].kind == CON_UNIQUE && folds_into(cons, n, pk, j) < 0 &&
		    same_index(&cons[j], &cons[i]))
			return j;
	return -1;
}

/* The table's constraints; false when PostgreSQL refuses one, and with
   it the whole CREATE TABLE. */
static bool table_constraints(struct rctx *x, const struct cat_rel *table)
{
	const struct create_table *ct = &x->st->u.create_table;
	int n = ct->nr_constraints, pk = -1;
	struct constraint_def *cons = xcalloc((size_t)n + 1, sizeof(*cons));
	int *into = xcalloc((size_t)n + 1, sizeof(*into));
	bool ok = true;

	if (n)
		memcpy(cons, ct->constraints, (size_t)n * sizeof(*cons));
	for (int i = 0; i < n && pk < 0; i++)
		if (cons[i].kind == CON_PRIMARY)
			pk = i;
	for (int i = 0; i < n; i++) {
		into[i] = folds_into(ct->constraints, n, pk, i);
		/* an unnamed kept constraint takes the folded one's name */
		if (into[i] >= 0 && !cons[into[i]].name)
			cons[into[i]].name = cons[i].name;
	}
	/* the foreign keys last, as PostgreSQL adds them: one may reference
	   a key of the table itself, declared after it */
	for (int fk = 0; fk < 2 && ok; fk++)
		for (int i = 0; i < n && ok; i++)
			if (into[i] < 0 && (cons[i].kind == CON_FOREIGN) == fk)
				ok = !add_constraint(x, table, &cons[i], NULL);
	free(into);
	free(cons);
	return ok;
}

static void create_table(struct rctx *x)
{
	const struct create_table *ct = &x->st->u.create_table;
	struct cat_rel table, parent;
	const char *taken;
	struct change *ch;
	cat_id schema, id;

	schema = new_rel_schema(x, &ct->name, ct->temporary);
	if (!schema)
		return;
	if ((taken = cat_rel_name_taken(x->cat, schema, ct->name.name, true))) {
		if (!ct->if_not_exists)
			problem(x, RULE_DUPLICATE_OBJECT, x->st->start,
				object_name(x, ct->name.schema, ct->name.name, NULL),
				"%s %s already exists", taken,
				quote_rel(ct->name.schema, ct->name.name));
		return;
	}
	id = cat_rel_create(x->cat, schema, ct->name.name,
			    ct->partition_by ? REL_PARTITIONED : REL_TABLE, 0);
	if (!id || cat_rel_get(x->cat, id, &table))
		return;
	if (ct->unlogged)
		cat_rel_set_flag(x->cat, id, "unlogged", 1);
	if (ct->partition_key)
		cat_rel_set_partition_key(x->cat, id, ct->partition_key);
	if (ct->partition_of.name) {
		cat_rel_set_partition_bound(x->cat, id, ct->partition_bound);
		make_partition(x, &table);
	}
	inherit_tables(x, &table);
	table_columns(x, &table);
	if (ct->as_select)
		as_select_columns(x, &table);
	for (int i = 0; i < ct->nr_like; i++)
		copy_like_objects(x, &table, i);
	if (!table_constraints(x, &table)) {
		cat_rel_drop(x->cat, id);       /* PostgreSQL makes nothing */
		return;
	}
	if (ct->partition_of.name && !find_rel(x, &ct->partition_of, &parent))
		inherit_from_parent(x, &parent, &table);
	ch = add_change(x, CH_CREATE_TABLE, x->st->start);
	rel_ref_from(x, &ch->rel, &table);
}

/* ---- ALTER TABLE ---- */

static int find_column(struct rctx *x, const struct cat_rel *table, const char *name,
		       bool if_exists, size_t start, struct cat_col *col)
{
	if (!cat_col_find(x->cat, table->id, name, col) || !vivify_column(x, table, name, col))
		return 0;
	if (!if_exists && !columns_unknown(table))
		problem(x, RULE_UNKNOWN_OBJECT, start,
			object_name(x, table->schema, table->name, name),
			"column \"%s\" of relation %s does not exist", name,
			quote_rel(table->schema, table->name));
	return -1;
}

struct dep_collect {
	struct rctx *x;
	const char **items;
	int nr;
	size_t alloc;
};

static void collect_dep(void *data, const char *what)
{
	struct dep_collect *d = data;

	if (d->nr >= 1000)
		return;
	ALLOC_GROW(d->items, (size_t)d->nr + 1, d->alloc);
	d->items[d->nr++] = rdup(d->x, what);
}

/* Move the collected list into the arena: *list and *nr. */
static void attach_list(struct rctx *x, const char ***list, int *nr, struct dep_collect *d)
{
	if (d->nr) {
		const char **v = arena_alloc(&x->res->arena, sizeof(*v) * (size_t)d->nr);

		memcpy(v, d->items, sizeof(*v) * (size_t)d->nr);
		*list = v;
		*nr = d->nr;
	}
	free(d->items);
	d->items = NULL;
}

/* The collected list as what depends on the change's object. */
static void attach_deps(struct rctx *x, struct change *ch, struct dep_collect *d)
{
	attach_list(x, &ch->dropped, &ch->nr_dropped, d);
}

static void at_add_column(struct rctx *x, const struct cat_rel *t, const struct rel_ref *ref,
			  const struct alter_cmd *cmd)
{
	struct change *ch;

	if (ref->known && !add_column(x, t, cmd->coldef, cmd->if_not_exists))
		return;
	ch = add_change(x, CH_ADD_COLUMN, cmd->start);
	ch->rel = *ref;
	ch->column = cmd->coldef->name;
	ch->coldef = cmd->coldef;
	ch->new_type = cmd->coldef->type;
}

static void at_drop_column(struct rctx *x, const struct cat_rel *t, const struct rel_ref *ref,
			   const struct alter_cmd *cmd)
{
	struct dep_collect d = { x, NULL, 0, 0 }, with = { x, NULL, 0, 0 };
	struct dep_collect parents = { x, NULL, 0, 0 };
	struct change tmp = { 0 };
	struct cat_col col;
	struct change *ch;

	if (ref->known) {
		if (find_column(x, t, cmd->column, cmd->if_exists, cmd->start, &col))
			return;
		cat_rel_dependents(x->cat, t->id, col.id, collect_dep, &d);
		cat_col_goes_with(x->cat, col.id, collect_dep, &with);
		/* its foreign keys go too, locking the tables they reference */
		cat_fk_parents_of_column(x->cat, t->id, col.id, collect_dep, &parents);
	}
	attach_deps(x, &tmp, &parents);
	ch = add_change(x, CH_DROP_COLUMN, cmd->start);
	ch->parents = tmp.dropped;
	ch->nr_parents = tmp.nr_dropped;
	ch->rel = *ref;
	ch->column = cmd->column;
	ch->cascade = cmd->cascade;
	if (ref->known) {
		ch->old_type = col.type;
		ch->old_type.name = rdup(x, col.type.name);
		ch->old_type.schema = rdup(x, col.type.schema);
		cat_col_drop(x->cat, col.id);
	}
	attach_deps(x, ch, &d);
	attach_list(x, &ch->goes_with, &ch->nr_goes_with, &with);
}

static void at_alter_type(struct rctx *x, const struct cat_rel *t, const struct rel_ref *ref,
			  const struct alter_cmd *cmd)
{
	struct cat_col col;
	struct change *ch;

	if (ref->known && find_column(x, t, cmd->column, false, cmd->start, &col))
		return;
	ch = add_change(x, CH_ALTER_TYPE, cmd->start);
	ch->rel = *ref;
	ch->column = cmd->column;
	ch->new_type = cmd->type;
	ch->new_type.serial = false;
	resolve_type(x, &ch->new_type);
	if (!ref->known)
		return;
	ch->old_type = col.type;
	ch->old_type.name = rdup(x, col.type.name);
	ch->old_type.schema = rdup(x, col.type.schema);
	cat_col_set_type(x->cat, col.id, &ch->new_type);
	/* the new type's own collation unless COLLATE says otherwise */
	cat_col_set_collation(x->cat, col.id, own_collation(cmd->collation));
}

static void at_column_flag(struct rctx *x, const struct cat_rel *t, const struct rel_ref *ref,
			   const struct alter_cmd *cmd)
{
	static const enum change_kind kinds[] = {
		[AT_SET_NOT_NULL] = CH_SET_NOT_NULL, [AT_DROP_NOT_NULL] = CH_DROP_NOT_NULL,
		[AT_SET_DEFAULT] = CH_SET_DEFAULT, [AT_DROP_DEFAULT] = CH_DROP_DEFAULT,
	};
	struct cat_col col;
	struct change *ch;

	if (ref->known && find_column(x, t, cmd->column, false, cmd->start, &col))
		return;
	ch = add_change(x, kinds[cmd->kind], cmd->start);
	ch->rel = *ref;
	ch->column = cmd->column;
	if (!ref->known)
		return;
	ch->was_not_null = col.not_null;
	ch->not_null_check = cat_has_not_null_check(x->cat, t->id, col.name);
	switch (cmd->kind) {
	case AT_SET_NOT_NULL:
		cat_col_set_not_null(x->cat, col.id, true);
		break;
	case AT_DROP_NOT_NULL:
		cat_col_set_not_null(x->cat, col.id, false);
		break;
	case AT_SET_DEFAULT:
		cat_col_set_default(x->cat, col.id, stored_default(x, &col.type, cmd->expr),
				    expr_volatility(x, cmd->expr));
		break;
	default:
		cat_col_set_default(x->cat, col.id, NULL, 0);
		break;
	}
}

static void at_add_constraint(struct rctx *x, const struct cat_rel *t, const struct rel_ref *ref,
			      const struct alter_cmd *cmd)
{
	const char *added = NULL;
	struct change *ch;

	if (ref->known && add_constraint(x, t, cmd->con, &added))
		return;
	if (ref->known && !x->st->u.alter_table.only)
		propagate(x, t);
	ch = add_change(x, CH_ADD_CONSTRAINT, cmd->start);
	ch->rel = *ref;
	ch->con = cmd->con;
	ch->con_kind = cmd->con->kind;
	ch->name = cmd->con->name;
	ch->con_name = added ? added : cmd->con->name;
}

/* Dropping a foreign key locks the table it references. */
static void fk_parent(struct rctx *x, struct change *ch, cat_id ref)
{
	struct cat_rel r;
	const char **v;

	if (!ref || cat_rel_get(x->cat, ref, &r))
		return;
	v = arena_alloc(&x->res->arena, sizeof(*v));
	v[0] = rfmt(x, "%s.%s", r.schema, r.name);
	ch->parents = v;
	ch->nr_parents = 1;
}

static void at_constraint_op(struct rctx *x, const struct cat_rel *t, const struct rel_ref *ref,
			     const struct alter_cmd *cmd)
{
	struct cat_con con;
	struct change *ch;

	if (ref->known && cat_con_find(x->cat, t->id, cmd->name, &con)) {
		if (!cmd->if_exists)
			problem(x, RULE_UNKNOWN_OBJECT, cmd->start,
				object_name(x, t->schema, t->name, cmd->name),
				"constraint \"%s\" of relation %s does not exist", cmd->name,
				quote_rel(t->schema, t->name));
		return;
	}
	ch = add_change(x, cmd->kind == AT_DROP_CONSTRAINT ? CH_DROP_CONSTRAINT
							     : CH_VALIDATE_CONSTRAINT, cmd->start);
	ch->rel = *ref;
	ch->name = cmd->name;
	ch->cascade = cmd->cascade;
	if (!ref->known)
		return;
	ch->con_kind = con.kind;
	if (con.kind == CON_FOREIGN && cmd->kind == AT_DROP_CONSTRAINT)
		fk_parent(x, ch, con.ref_rel_id);
	if (cmd->kind == AT_VALIDATE_CONSTRAINT) {
		cat_con_validate(x->cat, con.id);
		return;
	}
	if (con.index_id && cmd->cascade) {
		struct dep_collect deps = { x, NULL, 0, 0 };
		cat_id *cols = NULL;
		int n = 0;

		cat_index_key_columns(x->cat, con.index_id, &cols, &n);
		cat_drop_fks_on_key(x->cat, t->id, cols, n, collect_dep, &deps);
		attach_deps(x, ch, &deps);
		free(cols);
	}
	if (con.index_id)
		cat_rel_drop(x->cat, con.index_id);   /* takes the constraint along */
	else
		cat_con_drop(x->cat, con.id);
}

/*
 * ADD IDENTITY wants a column that is none yet; SET and DROP IDENTITY one
 * that is (DROP IDENTITY IF EXISTS passes with a notice). PostgreSQL's
 * words.
 */
static bool identity_ok(struct rctx *x, const struct cat_rel *t, const struct alter_cmd *cmd,
			const struct cat_col *col)
{
	bool add = cmd->kind == AT_ADD_IDENTITY;

	if (cmd->kind != AT_ADD_IDENTITY && cmd->kind != AT_SET_IDENTITY &&
	    cmd->kind != AT_DROP_IDENTITY)
		return true;
	if (add == !col->identity)
		return true;
	if (!add && cmd->if_exists)
		return false;
	problem(x, add ? RULE_DUPLICATE_OBJECT : RULE_UNKNOWN_OBJECT, cmd->start,
		object_name(x, t->schema, t->name, col->name),
		"column \"%s\" of relation %s %s an identity column", col->name,
		quote_rel(NULL, t->name), add ? "is already" : "is not");
	return false;
}

static void at_identity(struct rctx *x, const struct cat_rel *t, const struct alter_cmd *cmd)
{
	struct cat_col col;

	if (find_column(x, t, cmd->column, cmd->if_exists, cmd->start, &col))
		return;
	if (!identity_ok(x, t, cmd, &col))
		return;
	if (cmd->kind == AT_ADD_IDENTITY) {
		cat_col_set_identity(x->cat, col.id, (char)cmd->identity);
		cat_col_set_not_null(x->cat, col.id, true);
		cat_sequence_own(x->cat, add_sequence_for(x, t, col.name), col.id);
	} else if (cmd->kind == AT_SET_IDENTITY) {
		if (col.identity && cmd->identity)   /* else only RESTART and such */
			cat_col_set_identity(x->cat, col.id, (char)cmd->identity);
	} else if (cmd->kind == AT_DROP_IDENTITY) {
		cat_col_set_identity(x->cat, col.id, 0);
		cat_col_drop_owned_sequences(x->cat, col.id);   /* goes with it */
	} else if (cmd->kind == AT_DROP_EXPRESSION) {
		cat_col_set_generated(x->cat, col.id, NULL);
	}
}

static void at_partition(struct rctx *x, const struct cat_rel *t, const struct alter_cmd *cmd)
{
	struct cat_rel part;

	if (find_rel(x, &cmd->partition, &part)) {
		problem(x, RULE_UNKNOWN_OBJECT, cmd->start,
			object_name(x, cmd->partition.schema, cmd->partition.name, NULL),
			"relation %s does not exist",
			quote_rel(cmd->partition.schema, cmd->partition.name));
		return;
	}
	if (cmd->kind == AT_DETACH_PARTITION) {
		cat_detach(x->cat, part.id);
		return;
	}
	cat_rel_set_parent(x->cat, part.id, t->id);
	cat_rel_set_partition_bound(x->cat, part.id, cmd->partition_bound);
	inherit_from_parent(x, t, &part);
}

static void at_misc(struct rctx *x, const struct cat_rel *t, const struct alter_cmd *cmd)
{
	switch (cmd->kind) {
	case AT_ENABLE_RLS:
	case AT_DISABLE_RLS:
		cat_rel_set_flag(x->cat, t->id, "rls_enabled", cmd->kind == AT_ENABLE_RLS);
		break;
	case AT_FORCE_RLS:
	case AT_NO_FORCE_RLS:
		cat_rel_set_flag(x->cat, t->id, "rls_forced", cmd->kind == AT_FORCE_RLS);
		break;
	case AT_SET_LOGGED:
	case AT_SET_UNLOGGED:
		cat_rel_set_flag(x->cat, t->id, "unlogged", cmd->kind == AT_SET_UNLOGGED);
		break;
	case AT_ADD_IDENTITY:
	case AT_SET_IDENTITY:
	case AT_DROP_IDENTITY:
	case AT_DROP_EXPRESSION:
		at_identity(x, t, cmd);
		break;
	case AT_ATTACH_PARTITION:
	case AT_DETACH_PARTITION:
		at_partition(x, t, cmd);
		break;
	default:
		break;   /* recognised; no catalog effect we model */
	}
}

static void alter_cmd(struct rctx *x, const struct cat_rel *t, const struct rel_ref *ref,
		      const struct alter_cmd *cmd);

/* Subcommands PostgreSQL applies to every partition / child as well. */
static bool recurses(enum alter_kind k)
{
	switch (k) {
	case AT_ADD_COLUMN:
	case AT_DROP_COLUMN:
	case AT_ALTER_TYPE:
	case AT_SET_NOT_NULL:
	case AT_DROP_NOT_NULL:
	case AT_SET_DEFAULT:
	case AT_DROP_DEFAULT:
		return true;
	default:
		return false;
	}
}

static void recurse_cmd(struct rctx *x, const struct cat_rel *t, const struct alter_cmd *cmd)
{
	bool was_quiet = x->quiet;
	cat_id *kids;
	int n;

	cat_rel_children(x->cat, t->id, &kids, &n);
	x->quiet = true;
	for (int i = 0; i < n; i++) {
		struct cat_rel k;
		struct rel_ref ref;

		if (cat_rel_get(x->cat, kids[i], &k))
			continue;
		rel_ref_from(x, &ref, &k);
		alter_cmd(x, &k, &ref, cmd);
	}
	x->quiet = was_quiet;
	free(kids);
}

static void alter_cmd(struct rctx *x, const struct cat_rel *t, const struct rel_ref *ref,
		      const struct alter_cmd *cmd)
{
	if (ref->known && !x->st->u.alter_table.only && recurses(cmd->kind))
		recurse_cmd(x, t, cmd);
	switch (cmd->kind) {
	case AT_ADD_COLUMN:
		at_add_column(x, t, ref, cmd);
		break;
	case AT_DROP_COLUMN:
		at_drop_column(x, t, ref, cmd);
		break;
	case AT_ALTER_TYPE:
		at_alter_type(x, t, ref, cmd);
		break;
	case AT_SET_NOT_NULL:
	case AT_DROP_NOT_NULL:
	case AT_SET_DEFAULT:
	case AT_DROP_DEFAULT:
		at_column_flag(x, t, ref, cmd);
		break;
	case AT_ADD_CONSTRAINT:
		at_add_constraint(x, t, ref, cmd);
		break;
	case AT_DROP_CONSTRAINT:
	case AT_VALIDATE_CONSTRAINT:
		at_constraint_op(x, t, ref, cmd);
		break;
	default:
		if (ref->known)
			at_misc(x, t, cmd);
		break;
	}
}

/*
 * The ALTER TABLE subcommands that change a relation's columns and
 * constraints: only a table's (a view's default too). On another kind
 * PostgreSQL refuses the whole statement, in these words.
 */
static const char *table_only_action(const struct alter_cmd *cmd, char kind)
{
	switch (cmd->kind) {
	case AT_ADD_COLUMN: return "ADD COLUMN";
	case AT_DROP_COLUMN: return "DROP COLUMN";
	case AT_ALTER_TYPE: return "ALTER COLUMN ... SET DATA TYPE";
	case AT_SET_NOT_NULL: return "ALTER COLUMN ... SET NOT NULL";
	case AT_DROP_NOT_NULL: return "ALTER COLUMN ... DROP NOT NULL";
	case AT_ADD_CONSTRAINT: return "ADD CONSTRAINT";
	case AT_SET_DEFAULT: return kind == REL_VIEW ? NULL : "ALTER COLUMN ... SET DEFAULT";
	case AT_DROP_DEFAULT: return kind == REL_VIEW ? NULL : "ALTER COLUMN ... DROP DEFAULT";
	default: return NULL;
	}
}

static bool alterable(struct rctx *x, const struct cat_rel *t, const struct alter_table *at)
{
	const char *action;

	if (t->kind == REL_TABLE || t->kind == REL_PARTITIONED || t->kind == REL_FOREIGN)
		return true;
	for (int i = 0; i < at->nr_cmds; i++)
		if ((action = table_only_action(&at->cmds[i], (char)t->kind))) {
			problem(x, RULE_UNKNOWN_OBJECT, at->cmds[i].start,
				object_name(x, t->schema, t->name, NULL),
				"ALTER action %s cannot be performed on relation %s", action,
				quote_rel(NULL, t->name));
			return false;
		}
	return true;
}

static void alter_table(struct rctx *x)
{
	const struct alter_table *at = &x->st->u.alter_table;
	struct cat_rel table;
	struct rel_ref ref;

	if (resolve_table(x, &at->rel, at->if_exists, x->st->start, &table, &ref)) {
		if (at->if_exists || ref.absent)
			return;
		memset(&table, 0, sizeof(table));
	} else if (!alterable(x, &table, at)) {
		return;
	}
	for (int i = 0; i < at->nr_cmds; i++)
		alter_cmd(x, &table, &ref, &at->cmds[i]);
}

/* ---- CREATE INDEX ---- */

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || (unsigned char)c >= 0x80;
}

/* Length of a leading (possibly quoted) identifier of s, or 0. */
static size_t ident_len(const char *s)
{
	size_t n = 0;

	if (*s == '"') {
		for (n = 1; s[n] && s[n] != '"'; n++)
			;
		return s[n] ? n + 1 : 0;
	}
	while (ident_char(s[n]))
		n++;
	return n && !(s[0] >= '0' && s[0] <= '9') ? n : 0;
}

/* Does the parenthesis at s[open] close at the very end of s? */
static bool closes_at_end(const char *s, size_t open)
{
	int depth = 0;
	size_t len = strlen(s);

	for (size_t i = open; i < len; i++) {
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0)
			return i == len - 1;
	}
	return false;
}

/*
 * PostgreSQL's FigureColname() for an index expression, from its
 * normalised text: a function call or coalesce(...) names itself, a
 * column (possibly cast) names itself, anything else is "expr".
 */
static void figure_colname(const char *text, char *out, size_t size)
{
	size_t n;

	while (*text == '(' && closes_at_end(text, 0)) {
		size_t len = strlen(text);

		fmt_buf(out, size, "%.*s", (int)(len - 2), text + 1);
		figure_colname(out, out, size);
		return;
	}
	n = ident_len(text);
	if (n && (text[n] == '(' && closes_at_end(text, n))) {
		fmt_buf(out, size, "%.*s", (int)n, text);
		return;
	}
	if (n && (!text[n] || (text[n] == ':' && text[n + 1] == ':'))) {
		const char *p = text[0] == '"' ? text + 1 : text;

		fmt_buf(out, size, "%.*s", (int)(text[0] == '"' ? n - 2 : n), p);
		return;
	}
	if (!strncmp(text, "case ", 5))
		fmt_buf(out, size, "case");
	else
		fmt_buf(out, size, "expr");
}

/*
 * ChooseIndexColumnNames(): key and INCLUDE columns in order, an
 * expression named by figure_colname(), repeats made unique with 1, 2...
 */
static void index_column_names(const struct index_elem *elems, int ne, const char *const *include,
			       int ni, char (*names)[NAMEBUF], int max)
{
	int n = 0;

	for (int i = 0; i < ne + ni && n < max; i++, n++) {
		char orig[NAMEBUF];

		if (i >= ne)
			fmt_buf(orig, sizeof(orig), "%s", include[i - ne]);
		else if (elems[i].column)
			fmt_buf(orig, sizeof(orig), "%s", elems[i].column);
		else
			figure_colname(elems[i].expr ? elems[i].expr->text : "", orig, sizeof(orig));
		fmt_buf(names[n], NAMEBUF, "%s", orig);
		for (int k = 1;; k++) {
			bool clash = false;

			for (int j = 0; j < n; j++)
				clash |= !strcmp(names[j], names[n]);
			if (!clash)
				break;
			char num[16];

			fmt_buf(num, sizeof(num), "%d", k);
			fmt_buf(names[n], NAMEBUF, "%.*s%s", (int)(NAME_MAX_BYTES - strlen(num)),
				orig, num);
		}
	}
}

/* ChooseIndexNameAddition(): names joined with '_', about NAMEDATALEN. */
static void join_index_names(char *out, size_t size, char (*names)[NAMEBUF], int n)
{
	const char *ptrs[64];

	for (int i = 0; i < n && i < 64; i++)
		ptrs[i] = names[i];
	join_names(out, size, ptrs, n < 64 ? n : 64);
}

static int index_columns(struct rctx *x, const struct cat_rel *t, const struct index_def *ix,
			 struct cat_index_col *ic)
{
	struct cat_col col;
	int n = 0;

	for (int i = 0; i < ix->nr_elems; i++, n++) {
		const struct index_elem *e = &ix->elems[i];

		ic[n].desc = e->desc;
		ic[n].opclass = e->opclass;
		if (!e->column) {
			if (!expr_columns_exist(x, t, e->expr))
				return -1;
			ic[n].expr = e->expr ? e->expr->text : "?";
			continue;
		}
		if (find_column(x, t, e->column, false, x->st->start, &col)) {
			if (!columns_unknown(t))
				return -1;
			ic[n].expr = e->column;   /* kept by name */
			continue;
		}
		ic[n].column_id = col.id;
	}
	for (int i = 0; i < ix->nr_include; i++, n++) {
		ic[n].include = true;
		if (find_column(x, t, ix->include[i], false, x->st->start, &col)) {
			if (!columns_unknown(t))
				return -1;
			ic[n].expr = ix->include[i];
			continue;
		}
		ic[n].column_id = col.id;
	}
	return n;
}

/* Columns used by expressions and the predicate keep the index alive. */
static void expr_deps(struct rctx *x, const struct cat_rel *t, cat_id index, const struct expr *e)
{
	struct cat_col col;

	for (int i = 0; e && i < e->nr_columns; i++)
		if (!cat_col_find(x->cat, t->id, e->columns[i], &col))
			cat_index_dep(x->cat, index, col.id);
}

static void index_expr_deps(struct rctx *x, const struct cat_rel *t, const struct index_def *ix,
			    cat_id index)
{
	if (!index)
		return;
	for (int i = 0; i < ix->nr_elems; i++)
		expr_deps(x, t, index, ix->elems[i].expr);
	expr_deps(x, t, index, ix->where);
}

/* May relation t have an index? A table or a materialized view may;
   for anything else PostgreSQL refuses the statement, in these words. */
static bool indexable(struct rctx *x, const struct cat_rel *t)
{
	if (t->kind == REL_TABLE || t->kind == REL_PARTITIONED || t->kind == REL_MATVIEW)
		return true;
	problem(x, RULE_UNKNOWN_OBJECT, x->st->start, object_name(x, t->schema, t->name, NULL),
		t->kind == REL_INDEX ? "%s is an index" : "cannot create index on relation %s",
		quote_rel(NULL, t->name));
	return false;
}

static void create_index(struct rctx *x)
{
	const struct index_def *ix = &x->st->u.index;
	struct cat_index_col *ic = NULL;
	char names[64][NAMEBUF];
	char name[NAMEBUF] = "", joined[4 * NAMEBUF];   /* name: "" on an unknown table */
	struct cat_rel t;
	struct rel_ref ref;
	struct change *ch;
	cat_id index;
	int n;

	if (resolve_table(x, &ix->table, false, x->st->start, &t, &ref)) {
		if (ref.absent)
			return;
		goto record;
	}
	if (!indexable(x, &t))
		return;
	n = ix->nr_elems + ix->nr_include < 64 ? ix->nr_elems + ix->nr_include : 64;
	index_column_names(ix->elems, ix->nr_elems, ix->include, ix->nr_include, names, 64);
	join_index_names(joined, sizeof(joined), names, n);
	if (ix->name) {
		fmt_buf(name, sizeof(name), "%s", ix->name);
		if (cat_rel_name_taken(x->cat, t.schema_id, name, false)) {
			if (!ix->if_not_exists)
				problem(x, RULE_DUPLICATE_OBJECT, x->st->start,
					object_name(x, t.schema, name, NULL),
					"relation %s already exists", quote_rel(t.schema, name));
			goto out;
		}
	} else {
		choose_relation_name(x, name, t.name, joined, "idx", t.schema_id, false);
	}
	ic = xcalloc((size_t)ix->nr_elems + (size_t)ix->nr_include + 1, sizeof(*ic));
	n = index_columns(x, &t, ix, ic);
	if (n < 0 || !expr_columns_exist(x, &t, ix->where))
		goto out;
	index = cat_index_add(x->cat, t.schema_id, name, t.id, ix->unique, false, ix->method,
			      ix->where ? ix->where->text : NULL, ic, n);
	if (index && ix->nulls_not_distinct)
		cat_index_set_nulls_not_distinct(x->cat, index);
	index_expr_deps(x, &t, ix, index);
	if (!ix->only)
		propagate(x, &t);
record:
	ch = add_change(x, CH_CREATE_INDEX, x->st->start);
	ch->rel = ref;
	ch->index = ix;
	ch->name = ix->name ? ix->name : *name ? rdup(x, name) : NULL;
	ch->concurrently = ix->concurrently;
out:
	free(ic);
}

/* ---- DROP ---- */

static bool kind_matches(enum obj_kind want, char kind)
{
	switch (want) {
	case OBJ_TABLE: return kind == REL_TABLE || kind == REL_PARTITIONED;
	case OBJ_VIEW: return kind == REL_VIEW;
	case OBJ_MATVIEW: return kind == REL_MATVIEW;
	case OBJ_SEQUENCE: return kind == REL_SEQUENCE;
	case OBJ_INDEX: return kind == REL_INDEX;
	case OBJ_FOREIGN_TABLE: return kind == REL_FOREIGN;
	default: return false;
	}
}

static enum change_kind drop_change_kind(enum obj_kind k)
{
	switch (k) {
	case OBJ_INDEX: return CH_DROP_INDEX;
	case OBJ_VIEW:
	case OBJ_MATVIEW: return CH_DROP_VIEW;
	case OBJ_SEQUENCE: return CH_DROP_SEQUENCE;
	default: return CH_DROP_TABLE;
	}
}

static void drop_relation(struct rctx *x, const struct drop_stmt *d, const struct qname *qn)
{
	struct dep_collect deps = { x, NULL, 0, 0 };
	struct cat_rel rel, table;
	struct change *ch;

	if (find_rel(x, qn, &rel) || !kind_matches(d->kind, (char)rel.kind)) {
		if (!d->if_exists)
			problem(x, RULE_UNKNOWN_OBJECT, x->st->start,
				object_name(x, qn->schema, qn->name, NULL),
				"%s %s does not exist", obj_kind_name(d->kind),
				quote_rel(qn->schema, qn->name));
		return;
	}
	if (d->kind == OBJ_INDEX && cat_index_constraint(x->cat, rel.id)) {
		problem(x, RULE_UNKNOWN_OBJECT, x->st->start, object_name(x, rel.schema, rel.name, NULL),
			"cannot drop index %s because a constraint requires it",
			quote_rel(rel.schema, rel.name));
		return;
	}
	ch = add_change(x, drop_change_kind(d->kind), x->st->start);
	ch->cascade = d->cascade;
	ch->concurrently = d->concurrently;
	ch->name = rdup(x, rel.name);
	if (d->kind == OBJ_INDEX && !cat_rel_get(x->cat, rel.table_id, &table))
		rel_ref_from(x, &ch->rel, &table);
	else
		rel_ref_from(x, &ch->rel, &rel);
	if (d->kind != OBJ_INDEX) {
		struct dep_collect parents = { x, NULL, 0, 0 };
		struct change tmp = { 0 };

		cat_fk_parents(x->cat, rel.id, collect_dep, &parents);
		attach_deps(x, &tmp, &parents);
		ch->parents = tmp.dropped;
		ch->nr_parents = tmp.nr_dropped;
		cat_rel_dependents(x->cat, rel.id, 0, collect_dep, &deps);
	}
	attach_deps(x, ch, &deps);
	cat_rel_drop(x->cat, rel.id);
	remember_drop(x->r, rel.schema, rel.name);
}

static void drop_schema(struct rctx *x, const struct drop_stmt *d, const struct qname *qn)
{
	struct dep_collect deps = { x, NULL, 0, 0 };
	cat_id sid = cat_schema_find(x->cat, qn->name);
	struct change *ch;

	if (!sid) {
		if (!d->if_exists)
			problem(x, RULE_UNKNOWN_OBJECT, x->st->start, qn->name,
				"schema \"%s\" does not exist", qn->name);
		return;
	}
	ch = add_change(x, CH_DROP_SCHEMA, x->st->start);
	ch->name = qn->name;
	ch->rel.name = qn->name;
	ch->rel.known = true;
	cat_schema_origin(x->cat, sid, &ch->rel.created_file, &ch->rel.created_in_range);
	ch->cascade = d->cascade;
	ch->nr_contents = cat_schema_count_objects(x->cat, sid);
	cat_schema_contents(x->cat, sid, collect_dep, &deps);
	attach_deps(x, ch, &deps);
	cat_schema_drop(x->cat, sid);
}

static void drop_type(struct rctx *x, const struct drop_stmt *d, const struct qname *qn)
{
	char kind = 0;
	cat_id id = find_type(x, qn, &kind);
	struct change *ch;

	if (!id) {
		if (!d->if_exists)
			problem(x, RULE_UNKNOWN_OBJECT, x->st->start,
				object_name(x, qn->schema, qn->name, NULL),
				"type %s does not exist", quote_rel(qn->schema, qn->name));
		return;
	}
	if (d->kind == OBJ_DOMAIN && kind != 'd') {    /* DROP TYPE takes one too */
		problem(x, RULE_UNKNOWN_OBJECT, x->st->start,
			object_name(x, qn->schema, qn->name, NULL),
			"%s is not a domain", quote_rel(NULL, qn->name));
		return;
	}
	ch = add_change(x, CH_DROP_TYPE, x->st->start);
	ch->name = qn->name;
	cat_type_drop(x->cat, id);
}

static cat_id lookup_schema_of(struct rctx *x, const struct qname *qn)
{
	if (qn->schema)
		return cat_schema_find(x->cat, qn->schema);
	for (int i = 0; i < x->r->nr_path; i++) {
		cat_id sid = cat_schema_find(x->cat, x->r->path[i]);

		if (sid)
			return sid;
	}
	return 0;
}

static void drop_function(struct rctx *x, const struct drop_stmt *d, int i)
{
	const struct qname *qn = &d->objects[i];
	const char *sig = d->signatures ? d->signatures[i] : NULL;
	cat_id sid = lookup_schema_of(x, qn), id = 0;
	int count = 0;

	if (sid)
		id = sig ? cat_function_find(x->cat, sid, qn->name, sig)
			 : cat_function_find_any(x->cat, sid, qn->name, &count);
	if (id)
		cat_function_drop(x->cat, id);
	/* functions created by extensions or before the history are not
	   modelled, so a missing one is not reported */
}

/*
 * ALTER FUNCTION/PROCEDURE f(args) RENAME TO g. Named without arguments
 * it must be the only function of that name. As for DROP, a function
 * the model does not hold (an extension's) is not reported.
 */
static void rename_function(struct rctx *x, const struct rename_stmt *rn)
{
	cat_id sid = lookup_schema_of(x, &rn->rel), id = 0;
	int count = 0;

	if (sid)
		id = rn->signature ? cat_function_find(x->cat, sid, rn->rel.name, rn->signature)
				   : cat_function_find_any(x->cat, sid, rn->rel.name, &count);
	if (id && (rn->signature || count == 1))
		cat_function_rename(x->cat, id, rn->newname);
}

static void drop_on_table(struct rctx *x, const struct drop_stmt *d, int i)
{
	struct cat_rel t;
	cat_id id;

	if (!d->on || find_rel(x, &d->on[i], &t))
		return;
	if (d->kind == OBJ_TRIGGER) {
		if ((id = cat_trigger_find(x->cat, t.id, d->objects[i].name)))
			cat_trigger_drop(x->cat, id);
		else if (!d->if_exists)
			problem(x, RULE_UNKNOWN_OBJECT, x->st->start, d->objects[i].name,
				"trigger \"%s\" for table %s does not exist", d->objects[i].name,
				quote_rel(t.schema, t.name));
	} else {
		if ((id = cat_policy_find(x->cat, t.id, d->objects[i].name)))
			cat_policy_drop(x->cat, id);
		else if (!d->if_exists)
			problem(x, RULE_UNKNOWN_OBJECT, x->st->start, d->objects[i].name,
				"policy \"%s\" for table %s does not exist", d->objects[i].name,
				quote_rel(t.schema, t.name));
	}
}

static void drop_stmt(struct rctx *x)
{
	const struct drop_stmt *d = &x->st->u.drop;

	for (int i = 0; i < d->nr_objects; i++) {
		const struct qname *qn = &d->objects[i];

		switch (d->kind) {
		case OBJ_TABLE:
		case OBJ_VIEW:
		case OBJ_MATVIEW:
		case OBJ_SEQUENCE:
		case OBJ_INDEX:
		case OBJ_FOREIGN_TABLE:
			drop_relation(x, d, qn);
			break;
		case OBJ_SCHEMA:
			drop_schema(x, d, qn);
			break;
		case OBJ_TYPE:
		case OBJ_DOMAIN:
			drop_type(x, d, qn);
			break;
		case OBJ_EXTENSION:
			cat_extension_drop(x->cat, qn->name);
			break;
		case OBJ_FUNCTION:
		case OBJ_PROCEDURE:
			drop_function(x, d, i);
			break;
		case OBJ_TRIGGER:
		case OBJ_POLICY:
			drop_on_table(x, d, i);
			break;
		default:
			break;
		}
	}
}

/* ---- RENAME ---- */

/*
 * PostgreSQL keeps a view parsed, its relations by OID: printed after
 * a rename, it names the new name. The view's text here is as written,
 * so it is rewritten (parse.c), or its DDL would read a table that no
 * longer has that name.
 */
static void views_follow_rename(struct rctx *x, const struct cat_rel *rel, const char *to)
{
	cat_id *views;
	int n = cat_views_reading(x->cat, rel->id, &views);

	for (int i = 0; i < n; i++) {
		char *text = sql_rename_relation(cat_rel_text(x->cat, views[i], "definition"),
						 rel->schema, rel->name, to);

		if (text)
			cat_rel_set_text(x->cat, views[i], "definition", text);
		free(text);
	}
	free(views);
}

static void rename_relation(struct rctx *x, const struct rename_stmt *rn)
{
	struct cat_rel rel;
	const char *taken;
	struct change *ch;
	cat_id con;

	if (find_rel(x, &rn->rel, &rel)) {
		if (!rn->if_exists)
			problem(x, RULE_UNKNOWN_OBJECT, x->st->start,
				object_name(x, rn->rel.schema, rn->rel.name, NULL),
				"relation %s does not exist", quote_rel(rn->rel.schema, rn->rel.name));
		return;
	}
	if ((taken = cat_rel_name_taken(x->cat, rel.schema_id, rn->newname, cat_has_row_type(rel.kind)))) {
		problem(x, RULE_DUPLICATE_OBJECT, x->st->start,
			object_name(x, rel.schema, rn->newname, NULL),
			"%s %s already exists", taken, quote_rel(rel.schema, rn->newname));
		return;
	}
	ch = add_change(x, rel.kind == REL_INDEX ? CH_RENAME_INDEX : CH_RENAME_TABLE, x->st->start);
	rel_ref_from(x, &ch->rel, &rel);
	ch->name = ch->rel.name;
	ch->new_name = rn->newname;
	if (rel.kind == REL_SEQUENCE)
		cat_col_defaults_follow(x->cat, rel.id, 0, NULL, rn->newname);
	views_follow_rename(x, &rel, rn->newname);
	cat_rel_rename(x->cat, rel.id, rn->newname);
	if (rel.kind == REL_INDEX && (con = cat_index_constraint(x->cat, rel.id)))
		cat_con_rename(x->cat, con, rn->newname);
}

static void rename_column(struct rctx *x, const struct rename_stmt *rn)
{
	struct cat_rel t;
	struct rel_ref ref;
	struct cat_col col;
	struct change *ch;

	if (resolve_table(x, &rn->rel, rn->if_exists, x->st->start, &t, &ref) && rn->if_exists)
		return;
	if (ref.known && !columns_unknown(&t)) {
		if (find_column(x, &t, rn->subname, false, x->st->start, &col))
			return;
		if (!cat_col_find(x->cat, t.id, rn->newname, NULL)) {
			problem(x, RULE_DUPLICATE_OBJECT, x->st->start,
				object_name(x, t.schema, t.name, rn->newname),
				"column \"%s\" of relation %s already exists", rn->newname,
				quote_rel(t.schema, t.name));
			return;
		}
		cat_col_rename(x->cat, col.id, rn->newname);
		cat_col_rename_refs(x->cat, t.id, col.name, rn->newname);
	}
	ch = add_change(x, CH_RENAME_COLUMN, x->st->start);
	ch->rel = ref;
	ch->column = rn->subname;
	ch->new_name = rn->newname;
}

static void rename_constraint(struct rctx *x, const struct rename_stmt *rn)
{
	struct cat_rel t;
	struct rel_ref ref;
	struct cat_con con;
	struct change *ch;

	if (resolve_table(x, &rn->rel, rn->if_exists, x->st->start, &t, &ref))
		return;
	if (cat_con_find(x->cat, t.id, rn->subname, &con)) {
		problem(x, RULE_UNKNOWN_OBJECT, x->st->start,
			object_name(x, t.schema, t.name, rn->subname),
			"constraint \"%s\" of relation %s does not exist", rn->subname,
			quote_rel(t.schema, t.name));
		return;
	}
	if (cat_con_name_taken(x->cat, t.id, rn->newname)) {
		problem(x, RULE_DUPLICATE_OBJECT, x->st->start,
			object_name(x, t.schema, t.name, rn->newname),
			"constraint \"%s\" for relation %s already exists", rn->newname,
			quote_rel(t.schema, t.name));
		return;
	}
	cat_con_rename(x->cat, con.id, rn->newname);
	if (con.index_id)
		cat_rel_rename(x->cat, con.index_id, rn->newname);
	ch = add_change(x, CH_RENAME_CONSTRAINT, x->st->start);
	ch->rel = ref;
	ch->name = rn->subname;
	ch->new_name = rn->newname;
}

static void rename_schema(struct rctx *x, const struct rename_stmt *rn)
{
	cat_id sid = cat_schema_find(x->cat, rn->rel.name);

	if (!sid) {
		problem(x, RULE_UNKNOWN_OBJECT, x->st->start, rn->rel.name,
			"schema \"%s\" does not exist", rn->rel.name);
		return;
	}
	if (cat_schema_find(x->cat, rn->newname)) {
		problem(x, RULE_DUPLICATE_OBJECT, x->st->start, rn->newname,
			"schema \"%s\" already exists", rn->newname);
		return;
	}
	cat_col_defaults_follow(x->cat, 0, sid, rn->newname, NULL);
	cat_schema_rename(x->cat, sid, rn->newname);
}

static void rename_type(struct rctx *x, const struct rename_stmt *rn)
{
	char kind = 0;
	cat_id schema = 0, id = find_type_in(x, &rn->rel, &kind, &schema);
	const char *taken;

	if (!id) {
		problem(x, RULE_UNKNOWN_OBJECT, x->st->start,
			object_name(x, rn->rel.schema, rn->rel.name, NULL),
			"type %s does not exist", quote_rel(rn->rel.schema, rn->rel.name));
		return;
	}
	if ((taken = type_name_taken(x, schema, rn->newname, kind == 'c'))) {
		problem(x, RULE_DUPLICATE_OBJECT, x->st->start,
			object_name(x, rn->rel.schema, rn->newname, NULL),
			"%s %s already exists", taken, quote_rel(NULL, rn->newname));
		return;
	}
	cat_type_rename(x->cat, id, rn->newname);
}

static void rename_on_table(struct rctx *x, const struct rename_stmt *rn)
{
	struct cat_rel t;
	cat_id id;

	if (find_rel(x, &rn->rel, &t))
		return;
	if (rn->kind == OBJ_TRIGGER && (id = cat_trigger_find(x->cat, t.id, rn->subname)))
		cat_trigger_rename(x->cat, id, rn->newname);
	else if (rn->kind == OBJ_POLICY && (id = cat_policy_find(x->cat, t.id, rn->subname)))
		cat_policy_rename(x->cat, id, rn->newname);
}

static void rename_domain_constraint(struct rctx *x, const struct rename_stmt *rn);

static void rename_stmt(struct rctx *x)
{
	const struct rename_stmt *rn = &x->st->u.rename;

	switch (rn->kind) {
	case OBJ_TABLE:
	case OBJ_VIEW:
	case OBJ_MATVIEW:
	case OBJ_INDEX:
	case OBJ_SEQUENCE:
	case OBJ_FOREIGN_TABLE:
		rename_relation(x, rn);
		break;
	case OBJ_COLUMN:
		rename_column(x, rn);
		break;
	case OBJ_CONSTRAINT:
		if (rn->relkind == OBJ_DOMAIN)
			rename_domain_constraint(x, rn);
		else
			rename_constraint(x, rn);
		break;
	case OBJ_SCHEMA:
		rename_schema(x, rn);
		break;
	case OBJ_TYPE:
	case OBJ_DOMAIN:
		rename_type(x, rn);
		break;
	case OBJ_TRIGGER:
	case OBJ_POLICY:
		rename_on_table(x, rn);
		break;
	case OBJ_FUNCTION:
	case OBJ_PROCEDURE:
		rename_function(x, rn);
		break;
	default:
		break;
	}
}

/* ---- TRUNCATE, schemas, views, sequences, types, ... ---- */

/*
 * Without CASCADE, PostgreSQL refuses to empty a table another table's
 * foreign key references, unless that one is emptied by the same
 * statement: the tables in the way, described (as CASCADE's are).
 */
static void truncate_blockers(struct rctx *x, cat_id table, const cat_id *listed, int nr_listed,
			      struct dep_collect *deps)
{
	cat_id *children;
	int n = cat_fk_children(x->cat, table, &children);

	for (int i = 0; i < n; i++) {
		struct cat_rel child;
		int j = 0;

		while (j < nr_listed && listed[j] != children[i])
			j++;
		if (j < nr_listed || cat_rel_get(x->cat, children[i], &child))
			continue;
		collect_dep(deps, quote_rel(child.schema, child.name));
	}
	free(children);
}

static void truncate_stmt(struct rctx *x)
{
	const struct truncate_stmt *ts = &x->st->u.truncate;
	cat_id *listed = xcalloc((size_t)ts->nr_rels + 1, sizeof(*listed));

	for (int i = 0; i < ts->nr_rels; i++) {
		struct cat_rel t;

		if (!find_rel(x, &ts->rels[i], &t))
			listed[i] = t.id;
	}
	for (int i = 0; i < ts->nr_rels; i++) {
		struct dep_collect deps = { x, NULL, 0, 0 };
		struct cat_rel t;
		struct rel_ref ref;
		struct change *ch;

		if (resolve_table(x, &ts->rels[i], false, x->st->start, &t, &ref) && ref.absent)
			continue;
		ch = add_change(x, CH_TRUNCATE, x->st->start);
		ch->rel = ref;
		ch->cascade = ts->cascade;
		if (ref.known && ts->cascade)
			cat_truncate_cascade(x->cat, t.id, collect_dep, &deps);
		else if (ref.known)
			truncate_blockers(x, t.id, listed, ts->nr_rels, &deps);
		attach_deps(x, ch, &deps);
	}
	free(listed);
}

/* LOCK TABLE changes nothing, but every relation it names must exist. */
static void lock_stmt(struct rctx *x)
{
	const struct lock_stmt *ls = &x->st->u.lock;

	for (int i = 0; i < ls->nr_rels; i++) {
		struct cat_rel rel;
		struct rel_ref ref;

		if (resolve_table(x, &ls->rels[i], false, x->st->start, &rel, &ref))
			return;         /* PostgreSQL stops at the first */
	}
}

static void create_schema(struct rctx *x)
{
	const struct create_schema *cs = &x->st->u.create_schema;
	struct change *ch;

	if (cat_schema_find(x->cat, cs->name)) {
		if (!cs->if_not_exists)
			problem(x, RULE_DUPLICATE_OBJECT, x->st->start, cs->name,
				"schema \"%s\" already exists", cs->name);
		return;
	}
	cat_schema_create(x->cat, cs->name);
	ch = add_change(x, CH_CREATE_SCHEMA, x->st->start);
	ch->name = cs->name;
}

static void view_deps(struct rctx *x, cat_id view, const struct create_view *v)
{
	for (int i = 0; i < v->nr_rels; i++) {
		struct cat_rel rel;
		bool any = false;

		if (find_rel(x, &v->rels[i], &rel) || rel.id == view)
			continue;
		for (int j = 0; j < v->nr_rel_columns; j++) {
			struct cat_col col;

			if (!cat_col_find(x->cat, rel.id, v->rel_columns[j], &col)) {
				cat_view_dep(x->cat, view, rel.id, col.id);
				any = true;
			}
		}
		if (!any)
			cat_view_dep(x->cat, view, rel.id, 0);
	}
}

/*
 * A relation of PostgreSQL's own catalog (pg_catalog, information_schema;
 * unqualified, pg_catalog comes first on the search path, and its names
 * start with pg_): the model holds none of them.
 */
static bool system_relation(const struct qname *q)
{
	if (q->schema)
		return !strcmp(q->schema, "pg_catalog") || !strcmp(q->schema, "information_schema");
	return !strncmp(q->name, "pg_", 3);
}

/*
 * Does every relation the view's query reads exist? PostgreSQL analyses
 * the query before it looks at the view's name, and makes nothing when
 * one is missing: the first is reported.
 */
static bool view_sources_exist(struct rctx *x, const struct create_view *v)
{
	struct cat_rel rel;

	for (int i = 0; i < v->nr_rels; i++) {
		const struct qname *q = &v->rels[i];

		if (system_relation(q) || !find_rel(x, q, &rel))
			continue;
		problem(x, RULE_UNKNOWN_OBJECT, x->st->start,
			object_name(x, q->schema, q->name, NULL),
			"relation %s does not exist", quote_rel(q->schema, q->name));
		return false;
	}
	return true;
}

/* A view that reads a temporary relation is temporary itself (PostgreSQL
   says so in a NOTICE); a materialized view cannot read one. */
static bool reads_temporary(struct rctx *x, const struct create_view *v)
{
	struct cat_rel rel;

	if (!x->r->temp_schema || v->materialized)
		return false;
	for (int i = 0; i < v->nr_rels; i++)
		if (!find_rel(x, &v->rels[i], &rel) && rel.schema_id == x->r->temp_schema)
			return true;
	return false;
}

static void create_view(struct rctx *x)
{
	const struct create_view *v = &x->st->u.view;
	struct cat_rel rel;
	const char *taken;
	struct change *ch;
	cat_id schema, id;

	if (!view_sources_exist(x, v))
		return;
	schema = new_rel_schema(x, &v->name, v->temporary || reads_temporary(x, v));
	if (!schema)
		return;
	if (!cat_rel_find(x->cat, schema, v->name.name, &rel)) {
		if (!v->or_replace || rel.kind != REL_VIEW) {
			if (!v->if_not_exists)
				problem(x, RULE_DUPLICATE_OBJECT, x->st->start,
					object_name(x, v->name.schema, v->name.name, NULL),
					"relation %s already exists",
					quote_rel(v->name.schema, v->name.name));
			return;
		}
		id = rel.id;
		cat_view_clear_deps(x->cat, id);
	} else if ((taken = cat_rel_name_taken(x->cat, schema, v->name.name, true))) {
		/* a type of the name: the view's row type cannot be made */
		problem(x, RULE_DUPLICATE_OBJECT, x->st->start,
			object_name(x, v->name.schema, v->name.name, NULL),
			"%s %s already exists", taken, quote_rel(v->name.schema, v->name.name));
		return;
	} else {
		id = cat_rel_create(x->cat, schema, v->name.name,
				    v->materialized ? REL_MATVIEW : REL_VIEW, 0);
	}
	if (!id)
		return;
	cat_rel_set_text(x->cat, id, "definition", v->query_text);
	view_deps(x, id, v);
	ch = add_change(x, CH_CREATE_VIEW, x->st->start);
	ch->name = v->name.name;
}

/*
 * OWNED BY table.column: the column, 0 for none (OWNED BY NONE), or -1
 * when PostgreSQL refuses the statement (no such relation or column, or
 * one that is no table or view): the sequence is then not made either.
 */
static cat_id sequence_owner(struct rctx *x, const struct qname *table, const char *column,
			     cat_id seq_schema)
{
	struct cat_rel t;
	struct cat_col col;

	if (!table->name || !column)
		return 0;
	if (find_rel(x, table, &t)) {
		problem(x, RULE_UNKNOWN_OBJECT, x->st->start,
			object_name(x, table->schema, table->name, NULL),
			"relation %s does not exist", quote_rel(table->schema, table->name));
		return -1;
	}
	if (t.kind != REL_TABLE && t.kind != REL_PARTITIONED && t.kind != REL_FOREIGN &&
	    t.kind != REL_VIEW) {
		problem(x, RULE_UNKNOWN_OBJECT, x->st->start,
			object_name(x, table->schema, table->name, NULL),
			"sequence cannot be owned by relation %s", quote_rel(NULL, table->name));
		return -1;
	}
	if (t.schema_id != seq_schema) {
		problem(x, RULE_UNKNOWN_OBJECT, x->st->start,
			object_name(x, table->schema, table->name, NULL),
			"sequence must be in same schema as table it is linked to");
		return -1;
	}
	if (cat_col_find(x->cat, t.id, column, &col)) {
		if (columns_unknown(&t))
			return 0;       /* a view's column, taken on trust */
		problem(x, RULE_UNKNOWN_OBJECT, x->st->start,
			object_name(x, table->schema, table->name, column),
			"column \"%s\" of relation %s does not exist", column,
			quote_rel(table->schema, table->name));
		return -1;
	}
	return col.id;
}

static void create_sequence(struct rctx *x)
{
	const struct create_sequence *s = &x->st->u.sequence;
	const char *taken;
	cat_id schema, id, owner;

	schema = new_rel_schema(x, &s->name, s->temporary);
	if (!schema)
		return;
	if ((taken = cat_rel_name_taken(x->cat, schema, s->name.name, true))) {
		if (!s->if_not_exists)
			problem(x, RULE_DUPLICATE_OBJECT, x->st->start,
				object_name(x, s->name.schema, s->name.name, NULL),
				"%s %s already exists", taken, quote_rel(s->name.schema, s->name.name));
		return;
	}
	if ((owner = sequence_owner(x, &s->owned_by_table, s->owned_by_column, schema)) < 0)
		return;
	id = cat_rel_create(x->cat, schema, s->name.name, REL_SEQUENCE, 0);
	if (id && owner)
		cat_sequence_own(x->cat, id, owner);
	add_change(x, CH_CREATE_SEQUENCE, x->st->start)->name = s->name.name;
}

static void alter_sequence(struct rctx *x)
{
	const struct create_sequence *s = &x->st->u.sequence;
	struct cat_rel rel;
	cat_id owner;

	if (find_rel(x, &s->name, &rel) || rel.kind != REL_SEQUENCE) {
		if (!s->if_not_exists)   /* the parser maps IF EXISTS here */
			problem(x, RULE_UNKNOWN_OBJECT, x->st->start,
				object_name(x, s->name.schema, s->name.name, NULL),
				"relation %s does not exist", quote_rel(s->name.schema, s->name.name));
		return;
	}
	if ((owner = sequence_owner(x, &s->owned_by_table, s->owned_by_column,
				    rel.schema_id)) < 0)
		return;
	if (s->owned_by_none)
		cat_sequence_disown(x->cat, rel.id);
	if (owner)
		cat_sequence_own(x->cat, rel.id, owner);
}

/* The type made, 0 when refused; its schema into *in when not NULL. */
static cat_id create_type_named(struct rctx *x, const struct qname *qn, char kind,
				const char *base, cat_id *in)
{
	cat_id schema = creation_schema(x, qn->schema, x->st->start);
	const char *taken;

	if (in)
		*in = schema;
	if (!schema)
		return 0;
	if ((taken = type_name_taken(x, schema, qn->name, kind == 'c'))) {
		problem(x, RULE_DUPLICATE_OBJECT, x->st->start,
			object_name(x, qn->schema, qn->name, NULL),
			"%s %s already exists", taken, quote_rel(qn->schema, qn->name));
		return 0;
	}
	add_change(x, CH_CREATE_TYPE, x->st->start)->name = qn->name;
	return cat_type_create(x->cat, schema, qn->name, kind, base);
}

/* A type as format_type() prints it, resolved on the search path, as
   a column of it would show it (rdup'd). */
static const char *type_text(struct rctx *x, const struct type_ref *t)
{
	struct type_ref r = *t;
	struct strbuf sb;
	const char *out;

	r.serial = false;
	resolve_type(x, &r);
	strbuf_init(&sb);
	type_format(&r, &sb);
	out = rdup(x, sb.buf);
	strbuf_release(&sb);
	return out;
}

static void type_missing(struct rctx *x, const struct qname *qn);

/*
 * A type of the wrong kind: PostgreSQL names it as format_type() does,
 * bare unless it needs quotes, then says why ('what': "is not a
 * domain", ...).
 */
static const char *type_msg_name(struct rctx *x, const struct qname *qn);

static void type_refused(struct rctx *x, const struct qname *qn, const char *what)
{
	problem(x, RULE_UNKNOWN_OBJECT, x->st->start, object_name(x, qn->schema, qn->name, NULL),
		"%s %s", type_msg_name(x, qn), what);
}

/* A name quoted where SQL needs it (format_type()'s way), rdup'd. */
static const char *ident_text(struct rctx *x, const char *name)
{
	struct strbuf sb;
	const char *out;

	strbuf_init(&sb);
	add_ident(&sb, name);
	out = rdup(x, sb.buf);
	strbuf_release(&sb);
	return out;
}

/*
 * A type as format_type() names it in PostgreSQL's messages: its name,
 * qualified when its schema is not on the search path, each part quoted
 * where needed. (format_type() also qualifies a type an earlier schema
 * of the path hides; that is not followed.)
 */
static const char *type_msg_name(struct rctx *x, const struct qname *qn)
{
	if (qn->schema)
		for (int i = 0; i < x->r->nr_path; i++)
			if (!strcmp(x->r->path[i], qn->schema))
				return ident_text(x, qn->name);
	return qn->schema ? rfmt(x, "%s.%s", ident_text(x, qn->schema), ident_text(x, qn->name))
			  : ident_text(x, qn->name);
}

/* A domain as PostgreSQL's messages name it: as written, in quotes
   ("s.d"), or (format_type(), 'bare') type_msg_name(). */
static const char *domain_text(struct rctx *x, const struct qname *qn, bool bare)
{
	if (bare)
		return type_msg_name(x, qn);
	return qn->schema ? rfmt(x, "\"%s.%s\"", qn->schema, qn->name)
			  : rfmt(x, "\"%s\"", qn->name);
}

/*
 * A CHECK of domain 'type' (in 'schema', named 'qn'): by its name, or by
 * the one PostgreSQL gives it (<domain>_check, then _check1, ..., unique
 * among the schema's constraints, tables' and domains'). False, and a
 * finding, when the domain has a constraint of that name.
 */
static bool domain_check(struct rctx *x, cat_id type, cat_id schema, const struct qname *qn,
			 const struct constraint_def *cd)
{
	char name[NAMEBUF];

	if (cd->name && cat_domain_con_exists(x->cat, type, cd->name)) {
		problem(x, RULE_DUPLICATE_OBJECT, x->st->start,
			object_name(x, qn->schema, qn->name, cd->name),
			"constraint \"%s\" for domain \"%s\" already exists", cd->name, qn->name);
		return false;
	}
	if (cd->name)
		fmt_buf(name, sizeof(name), "%s", cd->name);
	else
		choose_constraint_name(x, name, qn->name, NULL, "check", schema);
	cat_domain_con_add(x->cat, type, name, cd->check ? cd->check->text : NULL, !cd->not_valid);
	return true;
}

/* The domain ALTER DOMAIN names (its schema into *schema), or 0 and a
   finding: no such type, or one that is not a domain (a table's row
   type among them). */
static cat_id find_domain(struct rctx *x, const struct qname *qn, cat_id *schema)
{
	struct cat_rel rel;
	char kind = 0;
	cat_id id = find_type_in(x, qn, &kind, schema);

	if (id && kind == 'd')
		return id;
	if (id || (!find_rel(x, qn, &rel) && cat_has_row_type(rel.kind)))
		type_refused(x, qn, "is not a domain");
	else
		type_missing(x, qn);
	return 0;
}

/* ALTER DOMAIN ... DROP or VALIDATE CONSTRAINT: the constraint must be
   there (DROP IF EXISTS: quiet when it is not). */
static void domain_constraint_cmd(struct rctx *x, cat_id type, const struct qname *qn)
{
	const char *name = x->st->u.alter_domain.con_name;
	bool drop = x->st->u.alter_domain.subtype == 'X';

	if (!name)
		return;
	if (!cat_domain_con_exists(x->cat, type, name)) {
		if (!drop || !x->st->u.alter_domain.missing_ok)
			problem(x, RULE_UNKNOWN_OBJECT, x->st->start,
				object_name(x, qn->schema, qn->name, name),
				"constraint \"%s\" of domain %s does not exist", name,
				domain_text(x, qn, false));
		return;
	}
	if (drop)
		cat_domain_con_drop(x->cat, type, name);
	else
		cat_domain_con_validate(x->cat, type, name);
}

/*
 * ALTER DOMAIN wants a domain; what it changes is kept (its DEFAULT,
 * NOT NULL and CHECKs), which says whether adding a column of it
 * rewrites the table, and gives inspect's DDL.
 */
static void alter_domain(struct rctx *x)
{
	const struct qname *qn = &x->st->u.alter_domain.name;
	const struct expr *def = x->st->u.alter_domain.default_expr;
	cat_id schema, id = find_domain(x, qn, &schema);

	if (!id)
		return;
	switch (x->st->u.alter_domain.subtype) {
	case 'T': cat_domain_set_default(x->cat, id, def ? def->text : NULL); break;
	case 'N': cat_domain_set_not_null(x->cat, id, false); break;
	case 'O': cat_domain_set_not_null(x->cat, id, true); break;
	case 'C':
		if (x->st->u.alter_domain.con)
			domain_check(x, id, schema, qn, x->st->u.alter_domain.con);
		break;
	case 'X':
	case 'V':
		domain_constraint_cmd(x, id, qn);
		break;
	default: break;
	}
}

/* ALTER DOMAIN ... RENAME CONSTRAINT */
static void rename_domain_constraint(struct rctx *x, const struct rename_stmt *rn)
{
	cat_id schema, id = find_domain(x, &rn->rel, &schema);

	if (!id || !rn->subname || !rn->newname)
		return;
	if (!cat_domain_con_exists(x->cat, id, rn->subname)) {
		problem(x, RULE_UNKNOWN_OBJECT, x->st->start,
			object_name(x, rn->rel.schema, rn->rel.name, rn->subname),
			"constraint \"%s\" for domain %s does not exist", rn->subname,
			domain_text(x, &rn->rel, true));
		return;
	}
	if (cat_domain_con_exists(x->cat, id, rn->newname)) {
		problem(x, RULE_DUPLICATE_OBJECT, x->st->start,
			object_name(x, rn->rel.schema, rn->rel.name, rn->newname),
			"constraint \"%s\" for domain %s already exists", rn->newname,
			domain_text(x, &rn->rel, true));
		return;
	}
	cat_domain_con_rename(x->cat, id, rn->subname, rn->newname);
}

/* The first of the named constraints that CREATE DOMAIN repeats, or
   NULL (PostgreSQL then makes no domain). */
static const char *repeated_constraint(const struct create_domain *d)
{
	for (int i = 0; i < d->nr_constraints; i++)
		for (int j = 0; j < i; j++)
			if (d->constraints[i].name && d->constraints[j].name &&
			    !strcmp(d->constraints[i].name, d->constraints[j].name))
				return d->constraints[i].name;
	return NULL;
}

/* The DEFAULT, NOT NULL and CHECKs are kept (alter_domain()). */
static void create_domain(struct rctx *x)
{
	const struct create_domain *d = &x->st->u.domain;
	const char *again = repeated_constraint(d);
	cat_id id, schema;

	if (again) {
		problem(x, RULE_DUPLICATE_OBJECT, x->st->start,
			object_name(x, d->name.schema, d->name.name, again),
			"constraint \"%s\" for domain \"%s\" already exists", again, d->name.name);
		return;
	}
	if (!(id = create_type_named(x, &d->name, 'd', type_text(x, &d->type), &schema)))
		return;
	if (d->default_expr && d->default_expr->text)
		cat_domain_set_default(x->cat, id, d->default_expr->text);
	if (d->not_null)
		cat_domain_set_not_null(x->cat, id, true);
	for (int i = 0; i < d->nr_constraints; i++)
		if (d->constraints[i].check)
			domain_check(x, id, schema, &d->name, &d->constraints[i]);
}

/* The attribute list is kept for inspect's DDL. */
static void create_composite(struct rctx *x)
{
	const struct create_composite *c = &x->st->u.composite;
	cat_id id = create_type_named(x, &c->name, 'c', NULL, NULL);
	struct strbuf sb;

	if (!id)
		return;
	strbuf_init(&sb);
	strbuf_addch(&sb, '(');
	for (int i = 0; i < c->nr_columns; i++) {
		if (i)
			strbuf_addstr(&sb, ", ");
		add_ident(&sb, c->columns[i].name);
		strbuf_addf(&sb, " %s", type_text(x, &c->columns[i].type));
	}
	strbuf_addch(&sb, ')');
	cat_type_set_definition(x->cat, id, sb.buf);
	strbuf_release(&sb);
}

static int cmp_label(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A label listed twice, or NULL (sorted: a type of 100,000 labels
   compared each with all, 5e9 comparisons). */
static const char *repeated_label(const struct create_enum *e)
{
	const char **v, *twice = NULL;

	if (e->nr_values < 2)
		return NULL;
	v = xcalloc((size_t)e->nr_values, sizeof(*v));
	memcpy(v, e->values, (size_t)e->nr_values * sizeof(*v));
	qsort(v, (size_t)e->nr_values, sizeof(*v), cmp_label);
	for (int i = 1; i < e->nr_values && !twice; i++)
		if (!strcmp(v[i - 1], v[i]))
			twice = v[i];
	free(v);
	return twice;
}

static void create_enum(struct rctx *x)
{
	const struct create_enum *e = &x->st->u.create_enum;
	const char *twice = repeated_label(e);
	cat_id id;

	if (twice) {        /* PostgreSQL: a unique violation in pg_enum */
		problem(x, RULE_DUPLICATE_OBJECT, x->st->start,
			object_name(x, e->name.schema, e->name.name, NULL),
			"enum label \"%s\" is listed twice", twice);
		return;
	}
	id = create_type_named(x, &e->name, 'e', NULL, NULL);
	for (int i = 0; id && i < e->nr_values; i++)
		cat_enum_add(x->cat, id, e->values[i], NULL, false);
}

static void alter_enum(struct rctx *x)
{
	const struct alter_enum *e = &x->st->u.alter_enum;
	char kind = 0;
	cat_id id = find_type(x, &e->name, &kind);
	struct change *ch;

	if (!id) {
		problem(x, RULE_UNKNOWN_OBJECT, x->st->start,
			object_name(x, e->name.schema, e->name.name, NULL),
			"type %s does not exist", quote_rel(e->name.schema, e->name.name));
		return;
	}
	if (kind != 'e') {
		type_refused(x, &e->name, "is not an enum");
		return;
	}
	ch = add_change(x, CH_ALTER_ENUM, x->st->start);
	ch->name = e->name.name;
	if (e->old_value) {
		if (!cat_enum_has(x->cat, id, e->old_value))
			problem(x, RULE_UNKNOWN_OBJECT, x->st->start, e->old_value,
				"\"%s\" is not an existing enum label", e->old_value);
		else if (cat_enum_has(x->cat, id, e->new_value))
			problem(x, RULE_DUPLICATE_OBJECT, x->st->start, e->new_value,
				"enum label \"%s\" already exists", e->new_value);
		else
			cat_enum_rename(x->cat, id, e->old_value, e->new_value);
		return;
	}
	if (cat_enum_has(x->cat, id, e->new_value)) {
		if (!e->if_not_exists)
			problem(x, RULE_DUPLICATE_OBJECT, x->st->start, e->new_value,
				"enum label \"%s\" already exists", e->new_value);
		return;
	}
	if (cat_enum_add(x->cat, id, e->new_value, e->neighbor, e->after))
		problem(x, RULE_UNKNOWN_OBJECT, x->st->start, e->neighbor,
			"\"%s\" is not an existing enum label", e->neighbor);
}

static void create_extension(struct rctx *x)
{
	const struct create_extension *e = &x->st->u.extension;

	if (cat_extension_exists(x->cat, e->name)) {
		if (!e->if_not_exists)
			problem(x, RULE_DUPLICATE_OBJECT, x->st->start, e->name,
				"extension \"%s\" already exists", e->name);
		return;
	}
	cat_extension_create(x->cat, e->name, e->schema);
}

static void create_function(struct rctx *x)
{
	const struct create_function *f = &x->st->u.function;
	cat_id schema = creation_schema(x, f->name.schema, x->st->start), id;

	if (!schema)
		return;
	id = cat_function_find(x->cat, schema, f->name.name, f->signature ? f->signature : "()");
	if (id) {
		if (!f->or_replace)
			problem(x, RULE_DUPLICATE_OBJECT, x->st->start, f->name.name,
				"function \"%s%s\" already exists", f->name.name,
				f->signature ? f->signature : "()");
		return;
	}
	cat_function_create(x->cat, schema, f->name.name, f->signature, f->is_procedure,
			    f->language, f->volatility);
}

/* The function a trigger runs (it takes no arguments), or 0 when the
   model does not hold it (a built-in, an extension's). */
static cat_id trigger_function(struct rctx *x, const struct qname *fn)
{
	cat_id sid, id;

	if (fn->schema) {
		sid = cat_schema_find(x->cat, fn->schema);
		return sid ? cat_function_find(x->cat, sid, fn->name, "()") : 0;
	}
	for (int i = 0; i < x->r->nr_path; i++) {
		sid = cat_schema_find(x->cat, x->r->path[i]);
		if (sid && (id = cat_function_find(x->cat, sid, fn->name, "()")))
			return id;
	}
	return 0;
}

static void create_trigger(struct rctx *x)
{
	const struct create_trigger *t = &x->st->u.trigger;
	struct cat_rel rel;
	struct rel_ref ref;
	cat_id id;

	if (resolve_table(x, &t->table, false, x->st->start, &rel, &ref))
		return;
	id = cat_trigger_find(x->cat, rel.id, t->name);
	if (id && !t->or_replace) {
		problem(x, RULE_DUPLICATE_OBJECT, x->st->start, t->name,
			"trigger \"%s\" for relation %s already exists", t->name,
			quote_rel(rel.schema, rel.name));
		return;
	}
	if (!id)
		id = cat_trigger_create(x->cat, rel.id, t->name);
	cat_trigger_set_function(x->cat, id, trigger_function(x, &t->function));
}

static void create_policy(struct rctx *x)
{
	const struct create_policy *t = &x->st->u.policy;
	struct cat_rel rel;
	struct rel_ref ref;

	if (resolve_table(x, &t->table, false, x->st->start, &rel, &ref))
		return;
	if (cat_policy_find(x->cat, rel.id, t->name)) {
		problem(x, RULE_DUPLICATE_OBJECT, x->st->start, t->name,
			"policy \"%s\" for table %s already exists", t->name,
			quote_rel(rel.schema, rel.name));
		return;
	}
	cat_policy_create(x->cat, rel.id, t->name);
}

/*
 * PostgreSQL refuses to move a sequence a column owns on its own (it
 * moves with its table), and a relation into a schema that has a
 * relation or a type of its name, or of its indexes' or its sequences'.
 */
static bool can_move(struct rctx *x, const struct cat_rel *rel, cat_id sid, const char *to)
{
	struct cat_rel owner;
	char name[NAMEBUF];
	const char *taken;

	if (rel->kind == REL_SEQUENCE &&
	    !cat_rel_get(x->cat, cat_sequence_owner(x->cat, rel->id), &owner)) {
		problem(x, RULE_UNKNOWN_OBJECT, x->st->start,
			object_name(x, rel->schema, rel->name, NULL),
			"cannot move an owned sequence into another schema: sequence %s is"
			" linked to table %s", quote_rel(rel->schema, rel->name),
			quote_rel(owner.schema, owner.name));
		return false;
	}
	if (rel->schema_id != sid && (taken = cat_rel_move_conflict(x->cat, rel->id, sid, name))) {
		problem(x, RULE_DUPLICATE_OBJECT, x->st->start, object_name(x, to, name, NULL),
			"%s %s already exists in schema \"%s\"", taken, quote_rel(NULL, name), to);
		return false;
	}
	return true;
}

/* No type of that name: PostgreSQL's words, which differ for the name
   of a relation with a row type (no type ALTER TYPE may change). */
static void type_missing(struct rctx *x, const struct qname *qn)
{
	struct cat_rel rel;

	if (!find_rel(x, qn, &rel) && cat_has_row_type(rel.kind))
		type_refused(x, qn, "is a table's row type: ALTER TABLE changes it");
	else
		problem(x, RULE_UNKNOWN_OBJECT, x->st->start,
			object_name(x, qn->schema, qn->name, NULL),
			"type %s does not exist", quote_rel(qn->schema, qn->name));
}

static void set_schema(struct rctx *x)
{
	const struct qname *qn = &x->st->u.set_schema.obj;
	const char *to = x->st->u.set_schema.new_schema;
	cat_id sid = cat_schema_find(x->cat, to), id, from = 0;
	struct cat_rel rel;
	const char *taken;
	char kind = 0;

	if (!sid) {
		problem(x, RULE_UNKNOWN_OBJECT, x->st->start, to, "schema \"%s\" does not exist", to);
		return;
	}
	switch (x->st->u.set_schema.kind) {
	case OBJ_TYPE:
	case OBJ_DOMAIN:
		if (!(id = find_type_in(x, qn, &kind, &from))) {
			type_missing(x, qn);
			break;
		}
		if (from != sid && (taken = type_name_taken(x, sid, qn->name, kind == 'c'))) {
			problem(x, RULE_DUPLICATE_OBJECT, x->st->start,
				object_name(x, to, qn->name, NULL),
				"%s \"%s\" already exists in schema \"%s\"", taken, qn->name, to);
			break;
		}
		cat_type_set_schema(x->cat, id, sid);
		break;
	case OBJ_TABLE:
	case OBJ_VIEW:
	case OBJ_MATVIEW:
	case OBJ_SEQUENCE:
		if (find_rel(x, qn, &rel)) {
			if (!x->st->u.set_schema.if_exists)
				problem(x, RULE_UNKNOWN_OBJECT, x->st->start,
					object_name(x, qn->schema, qn->name, NULL),
					"relation %s does not exist", quote_rel(qn->schema, qn->name));
			break;
		}
		if (rel.kind == REL_INDEX) {    /* it goes with its table */
			problem(x, RULE_UNKNOWN_OBJECT, x->st->start,
				object_name(x, rel.schema, rel.name, NULL),
				"cannot change schema of index %s", quote_rel(NULL, rel.name));
			break;
		}
		if (can_move(x, &rel, sid, to)) {
			cat_col_defaults_follow(x->cat, rel.id, 0, to, NULL);
			cat_rel_set_schema(x->cat, rel.id, sid);
		}
		break;
	default:
		break;
	}
}

static void comment_stmt(struct rctx *x)
{
	const struct comment_stmt *c = &x->st->u.comment;
	struct cat_rel rel;
	struct rel_ref ref;
	struct cat_col col;

	switch (c->kind) {
	case OBJ_TABLE:
	case OBJ_VIEW:
	case OBJ_MATVIEW:
	case OBJ_INDEX:
	case OBJ_SEQUENCE:
		if (!resolve_table(x, &c->obj, false, x->st->start, &rel, &ref))
			cat_rel_set_text(x->cat, rel.id, "comment", c->is_null ? NULL : "");
		break;
	case OBJ_COLUMN:
		if (!resolve_table(x, &c->obj, false, x->st->start, &rel, &ref))
			find_column(x, &rel, c->subname, false, x->st->start, &col);
		break;
	default:
		break;
	}
}

static void dml_stmt(struct rctx *x)
{
	const struct dml_stmt *d = &x->st->u.dml;
	struct cat_rel rel;
	struct change *ch;

	if (!d->rel.name)
		return;
	ch = add_change(x, CH_DML, x->st->start);
	resolve_table(x, &d->rel, false, x->st->start, &rel, &ch->rel);
}

static void set_stmt(struct rctx *x)
{
	const struct set_stmt *s = &x->st->u.set;
	struct replay *r = x->r;
	const char *dflt[] = { "$user", "public" };

	if (!s->name || strcmp(s->name, "search_path"))
		return;
	if (s->local && !r->path_local) {
		for (int i = 0; i < r->nr_path; i++)
			r->saved[i] = xstrdup(r->path[i]);
		r->nr_saved = r->nr_path;
		r->path_local = true;
	}
	if (s->reset)
		path_set(r, dflt, 2);
	else
		path_set(r, s->values, s->nr_values);
}

void replay_stmt(struct replay *r, const struct stmt *st, const char *text,
		 struct replay_result *res)
{
	struct rctx x = { .r = r, .cat = r->cat, .st = st, .text = text, .res = res };

	switch (st->kind) {
	case ST_CREATE_TABLE: create_table(&x); break;
	case ST_ALTER_TABLE: alter_table(&x); break;
	case ST_CREATE_INDEX: create_index(&x); break;
	case ST_DROP: drop_stmt(&x); break;
	case ST_RENAME: rename_stmt(&x); break;
	case ST_TRUNCATE: truncate_stmt(&x); break;
	case ST_LOCK: lock_stmt(&x); break;
	case ST_ALTER_DOMAIN: alter_domain(&x); break;
	case ST_CREATE_SCHEMA: create_schema(&x); break;
	case ST_CREATE_VIEW: create_view(&x); break;
	case ST_CREATE_SEQUENCE: create_sequence(&x); break;
	case ST_ALTER_SEQUENCE: alter_sequence(&x); break;
	case ST_CREATE_ENUM: create_enum(&x); break;
	case ST_ALTER_ENUM: alter_enum(&x); break;
	case ST_CREATE_DOMAIN: create_domain(&x); break;
	case ST_CREATE_COMPOSITE: create_composite(&x); break;
	case ST_CREATE_EXTENSION: create_extension(&x); break;
	case ST_CREATE_FUNCTION: create_function(&x); break;
	case ST_CREATE_TRIGGER: create_trigger(&x); break;
	case ST_CREATE_POLICY: create_policy(&x); break;
	case ST_ALTER_OBJECT_SCHEMA: set_schema(&x); break;
	case ST_COMMENT: comment_stmt(&x); break;
	case ST_INSERT:
	case ST_UPDATE:
	case ST_DELETE:
		dml_stmt(&x);
		break;
	case ST_SET: set_stmt(&x); break;
	default: break;
	}
}

/* ---- saving and restoring the replay's own state (cache.c) ---- */

/*
 * Every field of struct replay that lasts from one statement to the
 * next is written here: a field added there is added to both functions
 * below. (A cache written by another build is never read: the key holds
 * the executable's identity.)
 */
static void save_strings(struct strbuf *out, char *const *s, int n)
{
	strbuf_addf(out, "%d", n);
	strbuf_addch(out, '\0');
	for (int i = 0; i < n; i++)
		strbuf_add(out, s[i], strlen(s[i]) + 1);
}

void replay_save(const struct replay *r, struct strbuf *out)
{
	save_strings(out, r->path, r->nr_path);
	strbuf_add(out, r->path_local ? "1" : "0", 2);
	save_strings(out, r->saved, r->nr_saved);
	save_strings(out, r->dropped, r->nr_dropped);
}

/* The next NUL-terminated field of [*p, end), or NULL. */
static const char *next_field(const char **p, const char *end)
{
	const char *f = *p, *nul = f < end ? memchr(f, '\0', (size_t)(end - f)) : NULL;

	if (!nul)
		return NULL;
	*p = nul + 1;
	return f;
}

/* A count field, 0..max; -1 when it is not one. */
static int next_count(const char **p, const char *end, long max)
{
	const char *f = next_field(p, end);
	char *stop;
	long n;

	if (!f || *f < '0' || *f > '9')
		return -1;
	n = strtol(f, &stop, 10);
	return *stop || n > max ? -1 : (int)n;
}

/* n strings into s[] (xstrdup'ed); -1, with nothing allocated, when
   the data ends first. */
static int restore_strings(const char **p, const char *end, char **s, int n)
{
	for (int i = 0; i < n; i++) {
		const char *f = next_field(p, end);

		if (!f) {
			while (i--)
				free(s[i]);
			return -1;
		}
		s[i] = xstrdup(f);
	}
	return 0;
}

static int restore_path(struct replay *r, const char **p, const char *end)
{
	int n = next_count(p, end, MAX_SEARCH_PATH);
	char *names[MAX_SEARCH_PATH];

	if (n < 0 || restore_strings(p, end, names, n))
		return -1;
	path_set(r, (const char **)names, n);
	for (int i = 0; i < n; i++)
		free(names[i]);
	return 0;
}

static int restore_saved(struct replay *r, const char **p, const char *end)
{
	const char *local = next_field(p, end);
	int n = next_count(p, end, MAX_SEARCH_PATH);

	if (!local || n < 0 || restore_strings(p, end, r->saved, n))
		return -1;
	r->nr_saved = n;
	r->path_local = !strcmp(local, "1");
	return 0;
}

static int restore_dropped(struct replay *r, const char **p, const char *end)
{
	/* each string takes a byte at least: the count is bounded by the data */
	int n = next_count(p, end, end - *p);

	if (n < 0)
		return -1;
	ALLOC_GROW(r->dropped, (size_t)n, r->alloc_dropped);
	if (restore_strings(p, end, r->dropped, n))
		return -1;
	r->nr_dropped = n;
	return 0;
}

int replay_restore(struct replay *r, const void *data, size_t len)
{
	const char *p = data, *end = p + len;

	if (r->nr_saved || r->nr_dropped)
		BUG("replay_restore() on a replay that has run");
	if (restore_path(r, &p, end) || restore_saved(r, &p, end) ||
	    restore_dropped(r, &p, end))
		return -1;
	return p == end ? 0 : -1;
}
