/*
 * test_types.c - PostgreSQL type knowledge (analyzer/types.h): how
 * format_type() spells a type (and quote_identifier() a name), the
 * default of a serial column (and the sequence a nextval() default
 * names), and what ALTER COLUMN ... TYPE does to the stored values.
 *
 * Expected spellings are what PostgreSQL 15's format_type(atttypid,
 * atttypmod) prints for a column declared with that type. Expected
 * rewrite/no-rewrite verdicts were checked on PostgreSQL 15 by
 * comparing pg_relation_filenode() before and after the ALTER.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "keywords.h"
#include "types.h"

#include "banned.h"

/* A built-in type with 0, 1 or 2 modifiers. */
static struct type_ref ty(const char *name, int nr_mods, int m0, int m1)
{
	struct type_ref t;

	memset(&t, 0, sizeof(t));
	t.name = name;
	t.nr_mods = nr_mods;
	t.mods[0] = m0;
	t.mods[1] = m1;
	return t;
}

#define T0(n) ty((n), 0, 0, 0)
#define T1(n, a) ty((n), 1, (a), 0)
#define T2(n, a, b) ty((n), 2, (a), (b))

static struct type_ref arr(struct type_ref t, int dims)
{
	t.array_dims = dims;
	return t;
}

static struct type_ref user(const char *schema, const char *name)
{
	struct type_ref t = T0(name);

	t.schema = schema;
	return t;
}

static char fmtbuf[256];

/* sb's text, kept in fmtbuf; sb released. */
static const char *kept(struct strbuf *sb)
{
	snprintf(fmtbuf, sizeof(fmtbuf), "%s", sb->buf);
	strbuf_release(sb);
	return fmtbuf;
}

static const char *fmt(struct type_ref t)
{
	struct strbuf sb;

	strbuf_init(&sb);
	type_format(&t, &sb);
	return kept(&sb);
}

#define ck_fmt(t, want) ck_assert_str_eq(fmt(t), (want))

START_TEST(test_format_builtin)
{
	ck_fmt(T0("int4"), "integer");
	ck_fmt(T0("int8"), "bigint");
	ck_fmt(T0("int2"), "smallint");
	ck_fmt(T0("float4"), "real");
	ck_fmt(T0("float8"), "double precision");
	ck_fmt(T0("bool"), "boolean");
	ck_fmt(T0("text"), "text");
	ck_fmt(T0("uuid"), "uuid");
	ck_fmt(T0("jsonb"), "jsonb");
	ck_fmt(T0("date"), "date");
	ck_fmt(T0("interval"), "interval");
	ck_fmt(T0("bytea"), "bytea");
	ck_fmt(T0("numeric"), "numeric");
	ck_fmt(T0("varchar"), "character varying");
}
END_TEST

START_TEST(test_format_modifiers)
{
	ck_fmt(T1("varchar", 64), "character varying(64)");
	ck_fmt(T1("bpchar", 1), "character(1)");
	ck_fmt(T1("bpchar", 10), "character(10)");
	ck_fmt(T2("numeric", 12, 2), "numeric(12,2)");
	ck_fmt(T2("numeric", 5, 0), "numeric(5,0)");
	/* numeric(p) is numeric(p,0): format_type prints the scale */
	ck_fmt(T1("numeric", 5), "numeric(5,0)");
	ck_fmt(T1("bit", 3), "bit(3)");
	ck_fmt(T1("varbit", 5), "bit varying(5)");
}
END_TEST

START_TEST(test_format_time)
{
	ck_fmt(T0("timestamp"), "timestamp without time zone");
	ck_fmt(T0("timestamptz"), "timestamp with time zone");
	ck_fmt(T1("timestamp", 3), "timestamp(3) without time zone");
	ck_fmt(T1("timestamptz", 0), "timestamp(0) with time zone");
	ck_fmt(T0("time"), "time without time zone");
	ck_fmt(T0("timetz"), "time with time zone");
	ck_fmt(T1("timetz", 3), "time(3) with time zone");
}
END_TEST

START_TEST(test_format_arrays)
{
	ck_fmt(arr(T0("int4"), 1), "integer[]");
	/* format_type prints one [] whatever the declared dimensions */
	ck_fmt(arr(T0("int4"), 2), "integer[]");
	ck_fmt(arr(T1("varchar", 10), 1), "character varying(10)[]");
	ck_fmt(arr(T0("timestamptz"), 1), "timestamp with time zone[]");
	ck_fmt(arr(T0("text"), 1), "text[]");
}
END_TEST

START_TEST(test_format_user_types)
{
	ck_fmt(user("public", "mood"), "mood");
	ck_fmt(user("public", "MyType"), "\"MyType\"");
	ck_fmt(user("billing", "money2"), "billing.money2");
	ck_fmt(user("Billing", "money2"), "\"Billing\".money2");
	ck_fmt(user("public", "my type"), "\"my type\"");
	ck_fmt(user("public", "a\"b"), "\"a\"\"b\"");
	ck_fmt(user("public", "ty$"), "\"ty$\"");
	ck_fmt(arr(user("public", "mood"), 1), "mood[]");
	/* a user type named like a built-in one is not respelled */
	ck_fmt(user("app", "int4"), "app.int4");
	/* keywords are quoted, in the name and in the schema */
	ck_fmt(user("public", "user"), "\"user\"");
	ck_fmt(arr(user("public", "order"), 1), "\"order\"[]");
	ck_fmt(user("user", "mood"), "\"user\".mood");
	ck_fmt(user("public", "name"), "name");   /* unreserved */
}
END_TEST

/* Built-in types that are keywords: format_type() names them itself. */
START_TEST(test_format_builtin_keywords)
{
	ck_fmt(T0("numeric"), "numeric");
	ck_fmt(T2("numeric", 10, 2), "numeric(10,2)");
	ck_fmt(T0("interval"), "interval");
	ck_fmt(T1("bit", 3), "bit(3)");
	ck_fmt(arr(T0("numeric"), 1), "numeric[]");
}
END_TEST

/* quote_identifier()'s test: only reserved, type/function and column
   name keywords are quoted, with names that are not plain lower case. */
START_TEST(test_ident_needs_quotes)
{
	static const char *const quoted[] = {
		"user", "order", "precision", "left", "select", "group", "char",
		"Abc", "1a", "a$", "",
	};
	static const char *const bare[] = { "name", "data", "abc", "a_1", "_x", "text" };

	for (size_t i = 0; i < ARRAY_SIZE(quoted); i++)
		ck_assert_msg(ident_needs_quotes(quoted[i]), "%s should be quoted", quoted[i]);
	for (size_t i = 0; i < ARRAY_SIZE(bare); i++)
		ck_assert_msg(!ident_needs_quotes(bare[i]), "%s should be bare", bare[i]);
}
END_TEST

/* expr_rename_column(): column references renamed, nothing else */
static void renamed(const char *text, const char *from, const char *to, const char *want)
{
	char *got = expr_rename_column(text, from, to);

	if (!want)
		ck_assert_msg(!got, "'%s': renamed to '%s'", text, got);
	else
		ck_assert_msg(got && !strcmp(got, want), "'%s': '%s', want '%s'", text,
			      got ? got : "(none)", want);
	free(got);
}

START_TEST(test_expr_rename_column)
{
	renamed("(qty > 0)", "qty", "amount", "(amount > 0)");
	renamed("(qty > 0) AND (qty < max_qty)", "qty", "n", "(n > 0) AND (n < max_qty)");
	renamed("(\"createdAt\" IS NOT NULL)", "createdAt", "made", "(made IS NOT NULL)");
	renamed("(a > 0)", "a", "Big", "(\"Big\" > 0)");
	renamed("(\"user\" <> 'qty')", "user", "owner", "(owner <> 'qty')");
	renamed("('qty' = note)", "qty", "n", NULL);         /* a string */
	renamed("(x::qty)", "qty", "n", NULL);               /* a type */
	renamed("(t.qty > 0)", "qty", "n", NULL);            /* a qualified name */
	renamed("(qty(x) > 0)", "qty", "n", NULL);           /* a function */
	renamed("(qty2 > 0)", "qty", "n", NULL);             /* another name */
}
END_TEST

START_TEST(test_format_bpchar_without_length)
{
	/* "bpchar" written without a length has typmod -1, which is not the
	   same as CHARACTER (= character(1)); format_type says "bpchar" */
	ck_fmt(T0("bpchar"), "bpchar");
}
END_TEST

/* The one-byte internal "char" is a keyword: format_type quotes it. */
START_TEST(test_format_internal_char)
{
	struct type_ref t = T0("char");

	ck_fmt(t, "\"char\"");
	t.array_dims = 1;
	ck_fmt(t, "\"char\"[]");
}
END_TEST

static const char *ident(const char *name)
{
	struct strbuf sb;

	strbuf_init(&sb);
	add_ident(&sb, name);
	return kept(&sb);
}

/* quote_identifier()'s output. */
START_TEST(test_add_ident)
{
	ck_assert_str_eq(ident("user"), "\"user\"");
	ck_assert_str_eq(ident("precision"), "\"precision\"");
	ck_assert_str_eq(ident("data"), "data");
	ck_assert_str_eq(ident("users"), "users");
	ck_assert_str_eq(ident("_x1"), "_x1");
	ck_assert_str_eq(ident("Users"), "\"Users\"");
	ck_assert_str_eq(ident("1abc"), "\"1abc\"");
	ck_assert_str_eq(ident("abc$"), "\"abc$\"");
	ck_assert_str_eq(ident("my table"), "\"my table\"");
	ck_assert_str_eq(ident("a\"b"), "\"a\"\"b\"");
	ck_assert_str_eq(ident("\xc3\xa9t\xc3\xa9"), "\"\xc3\xa9t\xc3\xa9\"");   /* "ete" with accents */
	ck_assert_str_eq(ident(""), "\"\"");
}
END_TEST

static const char *serial_default(const char *schema, const char *seq)
{
	struct strbuf sb;

	strbuf_init(&sb);
	serial_default_format(&sb, schema, seq);
	return kept(&sb);
}

/* What PostgreSQL 15's pg_get_expr() prints for the default of a serial
   column, search_path public. */
START_TEST(test_serial_default)
{
	ck_assert_str_eq(serial_default("public", "customers_id_seq"),
			 "nextval('customers_id_seq'::regclass)");
	ck_assert_str_eq(serial_default(NULL, "customers_id_seq"),
			 "nextval('customers_id_seq'::regclass)");
	ck_assert_str_eq(serial_default("public", "Customers_id_seq"),
			 "nextval('\"Customers_id_seq\"'::regclass)");
	ck_assert_str_eq(serial_default("billing", "customers_id_seq"),
			 "nextval('billing.customers_id_seq'::regclass)");
	ck_assert_str_eq(serial_default("billing", "Order_id_seq"),
			 "nextval('billing.\"Order_id_seq\"'::regclass)");
	ck_assert_str_eq(serial_default("Sales Dept", "deals_id_seq"),
			 "nextval('\"Sales Dept\".deals_id_seq'::regclass)");
	ck_assert_str_eq(serial_default("public", "we'ird_id_seq"),
			 "nextval('\"we''ird_id_seq\"'::regclass)");
	ck_assert_str_eq(serial_default("public", "back\\slash_id_seq"),
			 "nextval('\"back\\slash_id_seq\"'::regclass)");
	ck_assert_str_eq(serial_default("user", "t_id_seq"),
			 "nextval('\"user\".t_id_seq'::regclass)");
	ck_assert_str_eq(serial_default("public", "order"),
			 "nextval('\"order\"'::regclass)");
}
END_TEST

static char parsed_schema[64], parsed_name[64];

static int parse_nextval(const char *text)
{
	return nextval_default_parse(text, parsed_schema, parsed_name, sizeof(parsed_name));
}

#define ck_nextval(text, schema, name)                                  \
	do {                                                            \
		ck_assert_int_eq(parse_nextval(text), 0);               \
		ck_assert_str_eq(parsed_schema, schema);                \
		ck_assert_str_eq(parsed_name, name);                    \
	} while (0)

/* The sequence a nextval() default names, read as regclass input reads
   it (PostgreSQL 15 resolves nextval(' Billing . "Seq" ') to
   billing."Seq", nextval('"a.b"') to the sequence "a.b"). */
START_TEST(test_nextval_default_parse)
{
	ck_nextval("nextval('s')", "", "s");
	ck_nextval("nextval('s'::regclass)", "", "s");
	ck_nextval("nextval('Billing.Orders_ID')", "billing", "orders_id");
	ck_nextval("nextval(' Billing . \"Seq\" ')", "billing", "Seq");
	ck_nextval("nextval('\"a.b\"')", "", "a.b");
	ck_nextval("nextval('\"q\"\"s\"')", "", "q\"s");
	ck_nextval("nextval('o''s')", "", "o's");
	ck_nextval("nextval('\"Sales Dept\".deal_id_seq'::regclass)", "Sales Dept", "deal_id_seq");
	ck_nextval("nextval('caf\xc3\xa9_id_seq')", "", "caf\xc3\xa9_id_seq");
	/* another shape: left as written */
	ck_assert_int_eq(parse_nextval("nextval('s'::text)"), -1);
	ck_assert_int_eq(parse_nextval("nextval('s') + 1"), -1);
	ck_assert_int_eq(parse_nextval("currval('s')"), -1);
	ck_assert_int_eq(parse_nextval("nextval('s'"), -1);
	/* names it does not read */
	ck_assert_int_eq(parse_nextval("nextval('db.billing.s')"), -1);
	ck_assert_int_eq(parse_nextval("nextval('')"), -1);
	ck_assert_int_eq(parse_nextval("nextval('billing.')"), -1);
	ck_assert_int_eq(parse_nextval("nextval('\"s')"), -1);
	ck_assert_int_eq(parse_nextval("nextval('a b')"), -1);
	ck_assert_int_eq(parse_nextval("nextval('"
				       "a123456789012345678901234567890123456789012345678901234567890123"
				       "')"), -1);
}
END_TEST

START_TEST(test_type_str)
{
	struct type_ref a = T1("varchar", 64), b = T0("timestamptz");
	const char *sa = type_str(&a), *sb = type_str(&b);

	/* rotating slots: two results stay valid together */
	ck_assert_str_eq(sa, "character varying(64)");
	ck_assert_str_eq(sb, "timestamp with time zone");
	ck_assert_ptr_ne(sa, sb);
}
END_TEST

START_TEST(test_type_equal)
{
	struct type_ref a = T1("varchar", 10), b = T1("varchar", 10), c = T1("varchar", 20);
	struct type_ref i1 = T0("int4"), i2 = arr(T0("int4"), 1);
	struct type_ref u1 = user("a", "t"), u2 = user("b", "t");

	ck_assert(type_equal(&a, &b));
	ck_assert(!type_equal(&a, &c));
	ck_assert(!type_equal(&i1, &i2));
	ck_assert(!type_equal(&u1, &u2));
}
END_TEST

/* ---- type_change_classify ---- */

static const char *tc_name(enum type_change tc)
{
	switch (tc) {
	case TC_SAME: return "same";
	case TC_COMPATIBLE: return "compatible";
	case TC_REWRITE: return "rewrite";
	case TC_NARROWING: return "narrowing";
	}
	return "?";
}

/* Check the verdict; narrowing must come with an explanation, the
   other verdicts without one. */
#define ck_tc(from, to, want) do { \
	struct type_ref f_ = (from), t_ = (to); \
	const char *why_ = "unset"; \
	enum type_change got_ = type_change_classify(&f_, &t_, &why_); \
	ck_assert_msg(got_ == (want), "%s -> %s: got %s, want %s", \
		      type_str(&f_), type_str(&t_), tc_name(got_), tc_name(want)); \
	if ((want) == TC_NARROWING) \
		ck_assert_msg(why_ && *why_, "%s -> %s: no explanation", \
			      type_str(&f_), type_str(&t_)); \
	else \
		ck_assert_msg(why_ == NULL, "%s -> %s: explanation '%s' for %s", \
			      type_str(&f_), type_str(&t_), why_, tc_name(got_)); \
} while (0)

START_TEST(test_same)
{
	ck_tc(T0("int4"), T0("int4"), TC_SAME);
	ck_tc(T1("varchar", 10), T1("varchar", 10), TC_SAME);
	ck_tc(T2("numeric", 10, 2), T2("numeric", 10, 2), TC_SAME);
	ck_tc(user("public", "mood"), user("public", "mood"), TC_SAME);
}
END_TEST

START_TEST(test_same_numeric_implicit_scale)
{
	struct type_ref a = T1("numeric", 5), b = T2("numeric", 5, 0);

	/* numeric(5) and numeric(5,0) have the same typmod */
	ck_assert(type_equal(&a, &b));
	ck_tc(T1("numeric", 5), T2("numeric", 5, 0), TC_SAME);
	ck_tc(T1("numeric", 5), T2("numeric", 7, 0), TC_COMPATIBLE);
	ck_tc(T1("numeric", 5), T2("numeric", 5, 2), TC_NARROWING);
}
END_TEST

START_TEST(test_narrowing_text)
{
	ck_tc(T1("varchar", 64), T1("varchar", 32), TC_NARROWING);
	ck_tc(T1("bpchar", 10), T1("bpchar", 5), TC_NARROWING);
	ck_tc(T0("text"), T1("varchar", 255), TC_NARROWING);
	ck_tc(T0("varchar"), T1("varchar", 255), TC_NARROWING);
	ck_tc(T0("text"), T1("bpchar", 2), TC_NARROWING);
	ck_tc(T1("varchar", 64), T1("bpchar", 10), TC_NARROWING);
}
END_TEST

START_TEST(test_narrowing_integers)
{
	ck_tc(T0("int8"), T0("int4"), TC_NARROWING);
	ck_tc(T0("int8"), T0("int2"), TC_NARROWING);
	ck_tc(T0("int4"), T0("int2"), TC_NARROWING);
	/* numeric(5,0) holds at most 99999 */
	ck_tc(T0("int4"), T2("numeric", 5, 0), TC_NARROWING);
}
END_TEST

START_TEST(test_narrowing_numeric)
{
	/* smaller precision */
	ck_tc(T2("numeric", 12, 2), T2("numeric", 10, 2), TC_NARROWING);
	/* smaller scale: digits are rounded away */
	ck_tc(T2("numeric", 12, 4), T2("numeric", 12, 2), TC_NARROWING);
	/* more scale at the same precision: fewer integer digits */
	ck_tc(T2("numeric", 10, 2), T2("numeric", 10, 4), TC_NARROWING);
	/* unconstrained to constrained */
	ck_tc(T0("numeric"), T2("numeric", 10, 2), TC_NARROWING);
	/* any numeric to an integer type */
	ck_tc(T2("numeric", 10, 2), T0("int4"), TC_NARROWING);
	ck_tc(T2("numeric", 5, 0), T0("int8"), TC_NARROWING);
	ck_tc(T0("numeric"), T0("int8"), TC_NARROWING);
}
END_TEST

START_TEST(test_narrowing_float_time)
{
	ck_tc(T0("float8"), T0("float4"), TC_NARROWING);
	ck_tc(T0("float8"), T0("int4"), TC_NARROWING);
	ck_tc(T0("timestamptz"), T0("timestamp"), TC_NARROWING);
	ck_tc(T0("timestamp"), T1("timestamp", 3), TC_NARROWING);
	ck_tc(T1("timestamp", 6), T1("timestamp", 0), TC_NARROWING);
	ck_tc(T1("timestamptz", 3), T1("timestamptz", 0), TC_NARROWING);
	ck_tc(T0("timestamptz"), T0("date"), TC_NARROWING);
}
END_TEST

START_TEST(test_narrowing_text_to_other)
{
	ck_tc(T0("text"), T0("int4"), TC_NARROWING);
	ck_tc(T1("varchar", 20), T0("int8"), TC_NARROWING);
	ck_tc(T0("text"), T0("uuid"), TC_NARROWING);
	ck_tc(T0("varchar"), T0("bool"), TC_NARROWING);
	ck_tc(T0("text"), T0("jsonb"), TC_NARROWING);
	ck_tc(T0("text"), T0("timestamptz"), TC_NARROWING);
	/* arrays to scalars */
	ck_tc(arr(T0("text"), 1), T0("text"), TC_NARROWING);
}
END_TEST

START_TEST(test_compatible)
{
	ck_tc(T1("varchar", 32), T1("varchar", 64), TC_COMPATIBLE);
	ck_tc(T0("varchar"), T0("text"), TC_COMPATIBLE);
	ck_tc(T1("varchar", 32), T0("text"), TC_COMPATIBLE);
	ck_tc(T1("varchar", 32), T0("varchar"), TC_COMPATIBLE);
	ck_tc(T0("text"), T0("varchar"), TC_COMPATIBLE);
	ck_tc(T2("numeric", 10, 2), T2("numeric", 12, 2), TC_COMPATIBLE);
	ck_tc(T2("numeric", 10, 2), T0("numeric"), TC_COMPATIBLE);
	ck_tc(T1("timestamp", 3), T1("timestamp", 6), TC_COMPATIBLE);
	ck_tc(T1("timestamp", 3), T0("timestamp"), TC_COMPATIBLE);
	ck_tc(T1("time", 3), T1("time", 6), TC_COMPATIBLE);
	ck_tc(T0("cidr"), T0("inet"), TC_COMPATIBLE);
}
END_TEST

START_TEST(test_rewrite)
{
	ck_tc(T0("int4"), T0("int8"), TC_REWRITE);
	ck_tc(T0("int2"), T0("int4"), TC_REWRITE);
	ck_tc(T0("int2"), T0("int8"), TC_REWRITE);
	ck_tc(T0("timestamp"), T0("timestamptz"), TC_REWRITE);
	ck_tc(T2("numeric", 10, 2), T2("numeric", 12, 4), TC_REWRITE);
	ck_tc(T0("json"), T0("jsonb"), TC_REWRITE);
	ck_tc(T0("float4"), T0("float8"), TC_REWRITE);
	ck_tc(T0("int4"), T0("numeric"), TC_REWRITE);
	ck_tc(T0("int4"), T0("text"), TC_REWRITE);
	ck_tc(T0("date"), T0("timestamptz"), TC_REWRITE);
	/* bpchar -> text/varchar goes through rtrim: a rewrite */
	ck_tc(T1("bpchar", 5), T0("text"), TC_REWRITE);
	ck_tc(T1("bpchar", 5), T1("varchar", 10), TC_REWRITE);
	ck_tc(arr(T0("int4"), 1), arr(T0("int8"), 1), TC_REWRITE);
}
END_TEST

START_TEST(test_rewrite_char_longer)
{
	/* character(n) has no length-coercion support function (its values
	   are blank-padded to n), so a longer character(m) rewrites the
	   table: PostgreSQL 15 gives the table a new relfilenode */
	ck_tc(T1("bpchar", 5), T1("bpchar", 10), TC_REWRITE);
}
END_TEST

START_TEST(test_rewrite_array_elements)
{
	/* an array coercion is never simplified away: even where the
	   element change is binary coercible, PostgreSQL 15 rewrites */
	ck_tc(arr(T1("varchar", 10), 1), arr(T1("varchar", 20), 1), TC_REWRITE);
	ck_tc(arr(T1("varchar", 10), 1), arr(T0("text"), 1), TC_REWRITE);
	/* but a narrowing element change is still narrowing */
	ck_tc(arr(T1("varchar", 20), 1), arr(T1("varchar", 10), 1), TC_NARROWING);
}
END_TEST

START_TEST(test_why_optional)
{
	struct type_ref a = T0("int8"), b = T0("int4");

	/* why may be NULL */
	ck_assert_int_eq(type_change_classify(&a, &b, NULL), TC_NARROWING);
	ck_assert_int_eq(type_change_classify(&b, &a, NULL), TC_REWRITE);
}
END_TEST

START_TEST(test_volatility)
{
	ck_assert_int_eq(builtin_volatility("now"), 's');
	ck_assert_int_eq(builtin_volatility("random"), 'v');
	ck_assert_int_eq(builtin_volatility("gen_random_uuid"), 'v');
	ck_assert_int_eq(builtin_volatility("clock_timestamp"), 'v');
	ck_assert_int_eq(builtin_volatility("lower"), 'i');
	ck_assert_int_eq(builtin_volatility("no_such_function"), 0);
}
END_TEST

static Suite *types_suite(void)
{
	Suite *s = suite_create("types");
	TCase *f = tcase_create("format");
	TCase *c = tcase_create("classify");

	tcase_add_test(f, test_format_builtin);
	tcase_add_test(f, test_format_modifiers);
	tcase_add_test(f, test_format_time);
	tcase_add_test(f, test_format_arrays);
	tcase_add_test(f, test_format_user_types);
	tcase_add_test(f, test_format_bpchar_without_length);
	tcase_add_test(f, test_format_internal_char);
	tcase_add_test(f, test_format_builtin_keywords);
	tcase_add_test(f, test_ident_needs_quotes);
	tcase_add_test(f, test_expr_rename_column);
	tcase_add_test(f, test_add_ident);
	tcase_add_test(f, test_serial_default);
	tcase_add_test(f, test_nextval_default_parse);
	tcase_add_test(f, test_type_str);
	tcase_add_test(f, test_type_equal);
	suite_add_tcase(s, f);

	tcase_add_test(c, test_same);
	tcase_add_test(c, test_same_numeric_implicit_scale);
	tcase_add_test(c, test_narrowing_text);
	tcase_add_test(c, test_narrowing_integers);
	tcase_add_test(c, test_narrowing_numeric);
	tcase_add_test(c, test_narrowing_float_time);
	tcase_add_test(c, test_narrowing_text_to_other);
	tcase_add_test(c, test_compatible);
	tcase_add_test(c, test_rewrite);
	tcase_add_test(c, test_rewrite_char_longer);
	tcase_add_test(c, test_rewrite_array_elements);
	tcase_add_test(c, test_why_optional);
	tcase_add_test(c, test_volatility);
	suite_add_tcase(s, c);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(types_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
