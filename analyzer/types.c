#include "types.h"

#include <stdlib.h>
#include <string.h>

#include "keywords.h"
#include "banned.h"

struct type_spelling {
	const char *name;      /* canonical internal name */
	const char *spelled;   /* format_type's spelling */
	const char *suffix;    /* after the modifiers */
};

static const struct type_spelling spellings[] = {
	{ "int2", "smallint", "" },
	{ "int4", "integer", "" },
	{ "int8", "bigint", "" },
	{ "float4", "real", "" },
	{ "float8", "double precision", "" },
	{ "bool", "boolean", "" },
	{ "varchar", "character varying", "" },
	{ "bpchar", "character", "" },
	{ "varbit", "bit varying", "" },
	{ "timestamp", "timestamp", " without time zone" },
	{ "timestamptz", "timestamp", " with time zone" },
	{ "time", "time", " without time zone" },
	{ "timetz", "time", " with time zone" },
};

void add_ident(struct strbuf *out, const char *s)
{
	if (!ident_needs_quotes(s)) {
		strbuf_addstr(out, s);
		return;
	}
	strbuf_addch(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			strbuf_addch(out, '"');
		strbuf_addch(out, *s);
	}
	strbuf_addch(out, '"');
}

static void add_mods(struct strbuf *out, const struct type_ref *t)
{
	if (t->nr_mods == 1 && !t->schema && t->name && !strcmp(t->name, "numeric"))
		strbuf_addf(out, "(%d,0)", t->mods[0]);   /* numeric(5) is numeric(5,0) */
	else if (t->nr_mods == 1)
		strbuf_addf(out, "(%d)", t->mods[0]);
	else if (t->nr_mods == 2)
		strbuf_addf(out, "(%d,%d)", t->mods[0], t->mods[1]);
}

/* intervaltypmodout(): the fields of an interval modifier. */
static const char *interval_fields(int mask)
{
	static const struct {
		int mask;
		const char *text;
	} fields[] = {
		{ 4, " year" }, { 2, " month" }, { 8, " day" }, { 1024, " hour" },
		{ 2048, " minute" }, { 4096, " second" }, { 4 | 2, " year to month" },
		{ 8 | 1024, " day to hour" }, { 8 | 1024 | 2048, " day to minute" },
		{ 8 | 1024 | 2048 | 4096, " day to second" }, { 1024 | 2048, " hour to minute" },
		{ 1024 | 2048 | 4096, " hour to second" }, { 2048 | 4096, " minute to second" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		if (fields[i].mask == mask)
			return fields[i].text;
	return "";
}

static void interval_format(const struct type_ref *t, struct strbuf *out)
{
	strbuf_addstr(out, "interval");
	if (t->nr_mods >= 1)
		strbuf_addstr(out, interval_fields(t->mods[0]));
	if (t->nr_mods >= 2 && t->mods[1] != 0xFFFF)
		strbuf_addf(out, "(%d)", t->mods[1]);
	if (t->array_dims)
		strbuf_addstr(out, "[]");
}

/* Built-in types that format_type() names itself, bare, though they are
   keywords (its switch on the type's oid; any other type's name goes
   through quote_identifier()). */
static bool builtin_bare(const struct type_ref *t)
{
	static const char *const names[] = { "bit", "interval", "numeric" };

	if (t->schema && strcmp(t->schema, "pg_catalog"))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(names[i], t->name))
			return true;
	return false;
}

void type_format(const struct type_ref *t, struct strbuf *out)
{
	const struct type_spelling *sp = NULL;

	if (!t->name) {
		strbuf_addstr(out, "unknown");
		return;
	}
	if (!t->schema && !strcmp(t->name, "interval") && t->nr_mods > 0) {
		interval_format(t, out);
		return;
	}
	if (!t->schema)
		for (size_t i = 0; i < ARRAY_SIZE(spellings) && !sp; i++)
			if (!strcmp(spellings[i].name, t->name))
				sp = &spellings[i];
	if (sp && !strcmp(t->name, "bpchar") && t->nr_mods <= 0)
		sp = NULL;   /* format_type prints a length-less bpchar as "bpchar" */
	if (sp) {
		strbuf_addstr(out, sp->spelled);
		add_mods(out, t);
		strbuf_addstr(out, sp->suffix);
	} else {
		if (t->schema && strcmp(t->schema, "public") && strcmp(t->schema, "pg_catalog")) {
			add_ident(out, t->schema);
			strbuf_addch(out, '.');
		}
		if (builtin_bare(t))
			strbuf_addstr(out, t->name);
		else
			add_ident(out, t->name);   /* "char", "user": keywords are quoted */
		add_mods(out, t);
	}
	if (t->array_dims)
		strbuf_addstr(out, "[]");
}

void serial_default_format(struct strbuf *out, const char *schema, const char *seq)
{
	struct strbuf rel;

	strbuf_init(&rel);
	if (schema && strcmp(schema, "public")) {
		add_ident(&rel, schema);
		strbuf_addch(&rel, '.');
	}
	add_ident(&rel, seq);
	strbuf_addstr(out, "nextval('");
	for (const char *p = rel.buf; *p; p++) {   /* a string literal: ' doubled */
		if (*p == '\'')
			strbuf_addch(out, '\'');
		strbuf_addch(out, *p);
	}
	strbuf_addstr(out, "'::regclass)");
	strbuf_release(&rel);
}

/* scanner_isspace(): what regclass input skips around a name */
static bool regclass_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
}

/*
 * One name of a qualified name at *p, as SplitIdentifierString() reads
 * it (quoted as written, else up to a '.' or a space, folded); *p moves
 * past it and the spaces after. -1 when empty or too long for 'size'.
 */
static int regclass_part(const char **p, char *out, size_t size)
{
	const char *s = *p;
	size_t n = 0;

	while (regclass_space(*s))
		s++;
	if (*s == '"') {
		for (s++; *s && (*s != '"' || s[1] == '"'); s++) {
			s += *s == '"';
			if (n + 1 >= size)
				return -1;
			out[n++] = *s;
		}
		if (*s++ != '"')
			return -1;
	} else {
		for (; *s && *s != '.' && !regclass_space(*s); s++) {
			if (n + 1 >= size)
				return -1;
			out[n++] = (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
		}
	}
	while (regclass_space(*s))
		s++;
	out[n] = '\0';
	*p = s;
	return n ? 0 : -1;
}

/* The constant of nextval('...') or nextval('...'::regclass), its ''
   undone, into 'lit'. */
static int nextval_literal(const char *text, struct strbuf *lit)
{
	static const char call[] = "nextval('", cast[] = "::regclass";
	const char *p;

	if (strncmp(text, call, sizeof(call) - 1))
		return -1;
	for (p = text + sizeof(call) - 1; *p && (*p != '\'' || p[1] == '\''); p++) {
		p += *p == '\'';
		strbuf_addch(lit, *p);
	}
	if (*p++ != '\'')
		return -1;
	if (!strncmp(p, cast, sizeof(cast) - 1))
		p += sizeof(cast) - 1;
	return strcmp(p, ")") ? -1 : 0;
}

int nextval_default_parse(const char *text, char *schema, char *name, size_t size)
{
	struct strbuf lit;
	const char *p;
	int ret = -1;

	strbuf_init(&lit);
	if (!text || nextval_literal(text, &lit))
		goto out;
	p = lit.buf;
	schema[0] = '\0';
	if (regclass_part(&p, name, size))
		goto out;
	if (*p == '.') {
		memcpy(schema, name, strlen(name) + 1);
		p++;
		if (regclass_part(&p, name, size))
			goto out;
	}
	ret = *p ? -1 : 0;
out:
	strbuf_release(&lit);
	return ret;
}

const char *type_str(const struct type_ref *t)
{
	static char ring[8][160];
	static int next;
	struct strbuf sb;
	char *slot = ring[next++ & 7];

	strbuf_init(&sb);
	type_format(t, &sb);
	snprintf(slot, sizeof(ring[0]), "%s", sb.buf);
	strbuf_release(&sb);
	return slot;
}

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

/* Modifiers as PostgreSQL stores them: numeric(p) is numeric(p,0). */
static int norm_mods(const struct type_ref *t, int m[2])
{
	int n = t->nr_mods;

	m[0] = n >= 1 ? t->mods[0] : 0;
	m[1] = n >= 2 ? t->mods[1] : 0;
	if (n == 1 && !t->schema && t->name && !strcmp(t->name, "numeric"))
		n = 2;
	return n;
}

bool type_equal(const struct type_ref *a, const struct type_ref *b)
{
	int ma[2], mb[2], na, nb;

	if (!str_eq(a->name, b->name) || !str_eq(a->schema, b->schema))
		return false;
	na = norm_mods(a, ma);
	nb = norm_mods(b, mb);
	if (a->array_dims != b->array_dims || na != nb)
		return false;
	for (int i = 0; i < na && i < 2; i++)
		if (ma[i] != mb[i])
			return false;
	return true;
}

static bool is(const struct type_ref *t, const char *name)
{
	return !t->schema && t->name && !strcmp(t->name, name);
}

static bool is_text_like(const struct type_ref *t)
{
	return is(t, "text") || is(t, "varchar") || is(t, "bpchar") || is(t, "citext");
}

static int int_rank(const struct type_ref *t)
{
	if (is(t, "int2"))
		return 2;
	if (is(t, "int4"))
		return 4;
	if (is(t, "int8"))
		return 8;
	return 0;
}

/* Decimal digits an integer type may need. */
static int int_digits(int rank)
{
	return rank == 2 ? 5 : rank == 4 ? 10 : 19;
}

/* -1 when the type has no length limit. */
static int length_of(const struct type_ref *t)
{
	return t->nr_mods >= 1 ? t->mods[0] : -1;
}

static enum type_change text_change(const struct type_ref *from, const struct type_ref *to,
				    const char **why)
{
	int fl = is(from, "text") ? -1 : length_of(from);
	int tl = is(to, "text") ? -1 : length_of(to);

	if (is(to, "bpchar") && is(from, "bpchar")) {
		if (tl >= 0 && (fl < 0 || fl > tl)) {
			*why = "longer values are rejected";
			return TC_NARROWING;
		}
		return TC_REWRITE;   /* bpchar has no length support function */
	}
	if (is(to, "bpchar") && !is(from, "bpchar")) {
		if (tl >= 0 && (fl < 0 || fl > tl)) {
			*why = "longer values are rejected";
			return TC_NARROWING;
		}
		return TC_REWRITE;
	}
	if (tl >= 0 && (fl < 0 || fl > tl)) {
		*why = "longer values are rejected";
		return TC_NARROWING;
	}
	if (is(from, "bpchar") && !is(to, "bpchar"))
		return TC_REWRITE;    /* bpchar -> text casts through rtrim */
	return TC_COMPATIBLE;
}

static enum type_change numeric_change(const struct type_ref *from, const struct type_ref *to,
				       const char **why)
{
	int fp = from->nr_mods >= 1 ? from->mods[0] : -1;
	int fs = from->nr_mods >= 2 ? from->mods[1] : 0;
	int tp = to->nr_mods >= 1 ? to->mods[0] : -1;
	int ts = to->nr_mods >= 2 ? to->mods[1] : 0;

	if (tp < 0)
		return TC_COMPATIBLE;
	if (fp < 0) {
		*why = "unconstrained numeric values may not fit the new precision";
		return TC_NARROWING;
	}
	if (ts < fs) {
		*why = "digits after the decimal point are rounded away";
		return TC_NARROWING;
	}
	if (tp - ts < fp - fs) {
		*why = "values with more integer digits are rejected";
		return TC_NARROWING;
	}
	return ts == fs ? TC_COMPATIBLE : TC_REWRITE;
}

static enum type_change int_change(int fr, const struct type_ref *to, const char **why)
{
	int tr = int_rank(to);

	if (tr) {
		if (tr < fr) {
			*why = "values outside the smaller integer range are rejected";
			return TC_NARROWING;
		}
		return tr == fr ? TC_SAME : TC_REWRITE;
	}
	if (is(to, "numeric")) {
		int tp = to->nr_mods >= 1 ? to->mods[0] : -1;
		int ts = to->nr_mods >= 2 ? to->mods[1] : 0;

		if (tp >= 0 && tp - ts < int_digits(fr)) {
			*why = "large integers do not fit the numeric precision";
			return TC_NARROWING;
		}
		return TC_REWRITE;
	}
	if (is(to, "float4") && fr >= 4) {
		*why = "real keeps only about 6 significant digits";
		return TC_NARROWING;
	}
	if (is(to, "float8") && fr == 8) {
		*why = "double precision keeps only about 15 significant digits";
		return TC_NARROWING;
	}
	if (is(to, "float4") || is(to, "float8"))
		return TC_REWRITE;
	*why = "values may not convert to the new type";
	return TC_NARROWING;
}

static enum type_change time_change(const struct type_ref *from, const struct type_ref *to,
				    const char **why)
{
	int fp = from->nr_mods >= 1 ? from->mods[0] : 6;
	int tp = to->nr_mods >= 1 ? to->mods[0] : 6;
	bool same_kind = str_eq(from->name, to->name);

	if (is(from, "timestamptz") && is(to, "timestamp")) {
		*why = "the time zone is lost: values are converted to the session's local time";
		return TC_NARROWING;
	}
	if ((is(from, "timestamp") || is(from, "timestamptz")) && is(to, "date")) {
		*why = "the time of day is lost";
		return TC_NARROWING;
	}
	if (tp < fp && (same_kind || is(to, "timestamptz") || is(to, "timestamp"))) {
		*why = "fractional seconds are rounded to the lower precision";
		return TC_NARROWING;
	}
	if (same_kind)
		return TC_COMPATIBLE;
	if (is(from, "date") && (is(to, "timestamp") || is(to, "timestamptz")))
		return TC_REWRITE;
	if (is(from, "timestamp") && is(to, "timestamptz"))
		return TC_REWRITE;
	*why = "values may not convert to the new type";
	return TC_NARROWING;
}

static bool is_time_like(const struct type_ref *t)
{
	return is(t, "timestamp") || is(t, "timestamptz") || is(t, "date");
}

static enum type_change scalar_change(const struct type_ref *from, const struct type_ref *to,
				      const char **why)
{
	int fr = int_rank(from);

	if (is_text_like(from) && is_text_like(to))
		return text_change(from, to, why);
	if (is_text_like(to)) {
		/* anything renders as text; a length limit may not fit */
		if (length_of(to) >= 0 && !is(to, "text")) {
			*why = "longer values are rejected";
			return TC_NARROWING;
		}
		return TC_REWRITE;
	}
	if (is_text_like(from)) {
		*why = "text values that are not valid for the new type make the statement fail";
		return TC_NARROWING;
	}
	if (fr)
		return int_change(fr, to, why);
	if (is(from, "numeric") && is(to, "numeric"))
		return numeric_change(from, to, why);
	if ((is(from, "numeric") || is(from, "float4") || is(from, "float8")) && int_rank(to)) {
		*why = "fractional digits are rounded away and large values are rejected";
		return TC_NARROWING;
	}
	if (is(from, "float8") && is(to, "float4")) {
		*why = "real keeps only about 6 significant digits";
		return TC_NARROWING;
	}
	if (is(from, "numeric") && (is(to, "float4") || is(to, "float8"))) {
		*why = "floating point loses exact decimal digits";
		return TC_NARROWING;
	}
	if (is_time_like(from) && is_time_like(to))
		return time_change(from, to, why);
	if ((is(from, "time") || is(from, "timetz")) && (is(to, "time") || is(to, "timetz")))
		return time_change(from, to, why);
	/* a time of day becomes a point in time (via USING): nothing is cut */
	if ((is(from, "time") || is(from, "timetz")) && (is(to, "timestamp") || is(to, "timestamptz")))
		return TC_REWRITE;
	if (is(from, "json") && is(to, "jsonb"))
		return TC_REWRITE;
	if ((is(from, "float4") && is(to, "float8")) || (is(from, "float4") && is(to, "numeric")) ||
	    (is(from, "float8") && is(to, "numeric")))
		return TC_REWRITE;
	if (is(from, "cidr") && is(to, "inet"))
		return TC_COMPATIBLE;
	if (str_eq(from->name, to->name) && str_eq(from->schema, to->schema)) {
		if (length_of(to) >= 0 && length_of(to) < length_of(from)) {
			*why = "longer values are rejected";
			return TC_NARROWING;
		}
		return TC_COMPATIBLE;
	}
	*why = "values may not convert to the new type";
	return TC_NARROWING;
}

enum type_change type_change_classify(const struct type_ref *from, const struct type_ref *to,
				      const char **why)
{
	const char *dummy;
	enum type_change tc;

	if (!why)
		why = &dummy;
	*why = NULL;
	if (!from->name || !to->name)
		return TC_REWRITE;
	if (type_equal(from, to))
		return TC_SAME;
	if (from->array_dims && !to->array_dims) {
		*why = "array values do not convert to a scalar type";
		return TC_NARROWING;
	}
	tc = scalar_change(from, to, why);
	/* an array coercion is never binary: any element change rewrites */
	if ((from->array_dims || to->array_dims) && tc == TC_COMPATIBLE)
		tc = TC_REWRITE;
	return tc;
}

struct volatility {
	const char *name;
	char v;
};

/* Built-in functions that show up in defaults and index expressions,
   with provolatile from PostgreSQL 15's pg_proc. */
static const struct volatility volatilities[] = {
	{ "abs", 'i' }, { "array_length", 'i' }, { "btrim", 'i' },
	{ "clock_timestamp", 'v' }, { "coalesce", 'i' }, { "concat", 's' },
	{ "current_date", 's' }, { "current_role", 's' }, { "current_schema", 's' },
	{ "current_time", 's' }, { "current_timestamp", 's' }, { "current_user", 's' },
	{ "date_trunc", 'i' }, { "gen_random_bytes", 'v' }, { "gen_random_uuid", 'v' },
	{ "greatest", 'i' }, { "jsonb_build_array", 's' }, { "jsonb_build_object", 's' },
	{ "json_build_array", 's' }, { "json_build_object", 's' }, { "least", 'i' },
	{ "length", 'i' }, { "localtime", 's' }, { "localtimestamp", 's' },
	{ "lower", 'i' }, { "ltrim", 'i' }, { "md5", 'i' }, { "nextval", 'v' },
	{ "now", 's' }, { "nullif", 'i' }, { "random", 'v' }, { "replace", 'i' },
	{ "rtrim", 'i' }, { "session_user", 's' }, { "setval", 'v' },
	{ "statement_timestamp", 's' }, { "substring", 'i' }, { "timeofday", 'v' },
	{ "timezone", 'i' }, { "to_char", 's' }, { "to_json", 's' }, { "to_jsonb", 's' },
	{ "transaction_timestamp", 's' }, { "trim", 'i' }, { "txid_current", 's' },
	{ "upper", 'i' }, { "user", 's' }, { "uuid_generate_v1", 'v' },
	{ "uuid_generate_v1mc", 'v' }, { "uuid_generate_v4", 'v' },
	{ "uuid_generate_v3", 'i' }, { "uuid_generate_v5", 'i' },
};

char builtin_volatility(const char *func)
{
	for (size_t i = 0; i < ARRAY_SIZE(volatilities); i++)
		if (!strcmp(volatilities[i].name, func))
			return volatilities[i].v;
	return 0;
}

/* ---- a renamed column in expression texts ---- */

static bool ident_start(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' ||
	       (unsigned char)ch >= 0x80;
}

static bool ident_char(char ch)
{
	return ident_start(ch) || (ch >= '0' && ch <= '9') || ch == '$';
}

/* The name an identifier token at p spells (a quoted one unescaped)
   into 'name'; returns the token's end. */
static const char *ident_token(const char *p, struct strbuf *name)
{
	strbuf_reset(name);
	if (*p != '"') {
		while (ident_char(*p))
			strbuf_addch(name, *p++);
		return p;
	}
	for (p++; *p && (*p != '"' || p[1] == '"'); p++) {
		p += *p == '"';
		strbuf_addch(name, *p);
	}
	return *p ? p + 1 : p;
}

/* Is the token [start, end) of 'text' a column reference: not a type
   after "::", not a qualified name's part, not a function's name? */
static bool column_position(const char *text, const char *start, const char *end)
{
	const char *b = start, *a = end;

	while (b > text && b[-1] == ' ')
		b--;
	while (*a == ' ')
		a++;
	if (b > text && (b[-1] == '.' || (b[-1] == ':' && b - 1 > text && b[-2] == ':')))
		return false;
	return *a != '(' && *a != '.';
}

char *expr_rename_column(const char *text, const char *from, const char *to)
{
	struct strbuf out, name;
	bool changed = false;
	const char *p = text;

	strbuf_init(&out);
	strbuf_init(&name);
	while (*p) {
		const char *end;

		if (*p == '\'') {
			end = p + 1;
			while (*end && (*end != '\'' || end[1] == '\''))
				end += *end == '\'' ? 2 : 1;
			end += *end == '\'';
			strbuf_add(&out, p, (size_t)(end - p));
			p = end;
			continue;
		}
		if (*p != '"' && (!ident_start(*p) || (p > text && ident_char(p[-1])))) {
			strbuf_addch(&out, *p++);
			continue;
		}
		end = ident_token(p, &name);
		if (!strcmp(name.buf, from) && (*p == '"' || !ident_needs_quotes(name.buf)) &&
		    column_position(text, p, end)) {
			add_ident(&out, to);
			changed = true;
		} else {
			strbuf_add(&out, p, (size_t)(end - p));
		}
		p = end;
	}
	strbuf_release(&name);
	if (!changed) {
		strbuf_release(&out);
		return NULL;
	}
	return strbuf_detach(&out);
}
