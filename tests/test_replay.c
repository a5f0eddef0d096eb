/*
 * test_replay.c - parse + replay + catalog together: SQL goes in through
 * parse_sql() and replay_stmt(), and the tests look at the catalog with
 * the cat_* lookups and at the problems and changes replay reports.
 *
 * The reference is PostgreSQL 15. Every generated name below (t_pkey,
 * t_a_b_idx1, t_lower_lower1_idx, truncated 63-byte names, ...) was
 * checked against a real PostgreSQL 15.18 server (pg_class / pg_constraint
 * after running the same statements); the derivation follows
 * makeObjectName(), ChooseRelationName(), ChooseConstraintName() and
 * ChooseIndexColumnNames() in PostgreSQL's source.
 */
#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "parse.h"
#include "replay.h"
#include "types.h"

#include "banned.h"

static struct catalog *cat;
static struct replay *rp;
static struct replay_result R;     /* changes/problems of the last statement */
static struct stmt_list L;         /* statements of the last exec() */
static char *sql_text;             /* their text (kept alive with L) */
static struct strbuf P;            /* problems of the last exec(): "rule object|..." */
static struct strbuf PM;           /* their messages, for failure output */

static void setup(void)
{
	ck_assert_int_eq(catalog_open(&cat), 0);
	rp = replay_new(cat);
	replay_begin_file(rp);
	replay_result_init(&R);
	stmt_list_init(&L);
	sql_text = NULL;
	strbuf_init(&P);
	strbuf_init(&PM);
}

static void teardown(void)
{
	replay_result_release(&R);
	stmt_list_release(&L);
	free(sql_text);
	sql_text = NULL;
	replay_free(rp);
	catalog_free(cat);
	strbuf_release(&P);
	strbuf_release(&PM);
}

/*
 * Parse 'sql' and replay every statement (file 0, in range). P collects
 * the problems of all statements; R keeps the result of the last one.
 */
static void exec(const char *sql)
{
	struct cat_origin origin = { 0 };

	replay_result_reset(&R);
	stmt_list_release(&L);
	stmt_list_init(&L);
	free(sql_text);
	sql_text = xstrdup(sql);
	strbuf_reset(&P);
	strbuf_reset(&PM);
	ck_assert_int_eq(parse_sql(sql_text, strlen(sql_text), &L), 0);
	for (int i = 0; i < L.nr; i++) {
		const struct stmt *st = &L.stmts[i];

		ck_assert_msg(st->kind != ST_SYNTAX_ERROR, "syntax error in test SQL: %s: %s",
			      sql, st->u.error.message ? st->u.error.message : "?");
		origin.file_index = 0;
		origin.in_range = true;
		origin.file = "test.sql";
		origin.loc.start = st->start;
		origin.loc.end = st->end;
		origin.loc.line = 1;
		origin.loc.col = 1;
		cat_set_origin(cat, &origin);
		replay_result_reset(&R);
		replay_stmt(rp, st, sql_text, &R);
		for (int j = 0; j < R.nr_problems; j++) {
			const struct replay_problem *p = &R.problems[j];

			if (P.len)
				strbuf_addch(&P, '|');
			strbuf_addf(&P, "%s %s", rule_table[p->rule].id,
				    p->object ? p->object : "-");
			strbuf_addf(&PM, "\n  %s: %s", rule_table[p->rule].id, p->message);
		}
	}
}

/* The problems of the last exec(), exactly ("" for none). */
#define ck_problems(want) \
	ck_assert_msg(!strcmp(P.buf, (want)), "problems: got '%s', want '%s'%s", \
		      P.buf, (want), PM.buf)

#define ck_quiet() ck_problems("")

/* exec() and expect no problem. */
#define ok(sql) do { exec(sql); ck_quiet(); } while (0)

/* Does the last exec() report rule 'rule' (any object)? */
static bool reported(const char *rule)
{
	size_t n = strlen(rule);
	const char *p = P.buf;

	while ((p = strstr(p, rule))) {
		if ((p == P.buf || p[-1] == '|') && p[n] == ' ')
			return true;
		p += n;
	}
	return false;
}

/* ---- catalog lookups ---- */

/* Kind of relation schema.name, or 0 when there is none. */
static char rel_kind_in(const char *schema, const char *name)
{
	struct cat_rel r;
	cat_id sid = cat_schema_find(cat, schema);

	if (!sid || cat_rel_find(cat, sid, name, &r))
		return 0;
	return (char)r.kind;
}

static char rel_kind(const char *name)
{
	return rel_kind_in("public", name);
}

static cat_id rel_id_in(const char *schema, const char *name)
{
	struct cat_rel r;
	cat_id sid = cat_schema_find(cat, schema);

	if (!sid || cat_rel_find(cat, sid, name, &r))
		return 0;
	return r.id;
}

static cat_id rel_id(const char *name)
{
	return rel_id_in("public", name);
}

/* Kind of constraint 'name' of public table 'table', or 0. */
static char con_kind(const char *table, const char *name)
{
	struct cat_con c;
	cat_id t = rel_id(table);

	if (!t || cat_con_find(cat, t, name, &c))
		return 0;
	return (char)c.kind;
}

static bool con_get(const char *table, const char *name, struct cat_con *out)
{
	cat_id t = rel_id(table);

	return t && !cat_con_find(cat, t, name, out);
}

static cat_id col_id(const char *table, const char *column)
{
	struct cat_col c;
	cat_id t = rel_id(table);

	if (!t || cat_col_find(cat, t, column, &c))
		return 0;
	return c.id;
}

static char colbuf[256];

/* format_type() spelling of public table.column's type, "" if none. */
static const char *col_type(const char *table, const char *column)
{
	struct cat_col c;
	cat_id t = rel_id(table);

	colbuf[0] = '\0';
	if (t && !cat_col_find(cat, t, column, &c))
		snprintf(colbuf, sizeof(colbuf), "%s", type_str(&c.type));
	return colbuf;
}

static char enumbuf[1024];

static int enum_row(void *data, int ncols, const char *const *names,
		    const char *const *values)
{
	(void)data;
	(void)names;
	ck_assert_int_eq(ncols, 1);
	snprintf(enumbuf, sizeof(enumbuf), "%s", values[0] ? values[0] : "");
	return 0;
}

/* Labels of enum type 'name' in sort order, joined with ','. */
static const char *enum_labels(const char *name)
{
	char *sql = xstrfmt("SELECT coalesce(group_concat(label, ','), '') FROM"
			    " (SELECT ev.label FROM enum_values ev JOIN types t"
			    " ON t.id = ev.type_id WHERE t.name = '%s' ORDER BY ev.sort_order)",
			    name);
	char *err = NULL;

	enumbuf[0] = '\0';
	ck_assert_msg(!catalog_query(cat, sql, enum_row, NULL, &err), "%s", err ? err : "?");
	free(sql);
	return enumbuf;
}

/* The default of column 'column' of schema.table as stored, "" if none
   (reuses enum_row and its buffer). */
static const char *col_default(const char *schema, const char *table, const char *column)
{
	char *sql = xstrfmt("SELECT coalesce(c.default_expr, '') FROM columns c"
			    " JOIN relations r ON r.id = c.rel_id JOIN schemas s ON s.id = r.schema_id"
			    " WHERE s.name = '%s' AND r.name = '%s' AND c.name = '%s'",
			    schema, table, column);
	char *err = NULL;

	enumbuf[0] = '\0';
	ck_assert_msg(!catalog_query(cat, sql, enum_row, NULL, &err), "%s", err ? err : "?");
	free(sql);
	return enumbuf;
}

/* The last statement's change of kind 'kind' (NULL if none). */
static const struct change *change_of(enum change_kind kind)
{
	for (int i = 0; i < R.nr_changes; i++)
		if (R.changes[i].kind == kind)
			return &R.changes[i];
	return NULL;
}

/* Is 'what' among the change's dropped objects? */
static bool dropped_has(const struct change *ch, const char *what)
{
	for (int i = 0; ch && i < ch->nr_dropped; i++)
		if (!strcmp(ch->dropped[i], what))
			return true;
	return false;
}

static char *repeat(char c, int n)
{
	char *s = xmalloc((size_t)n + 1);

	memset(s, c, (size_t)n);
	s[n] = '\0';
	return s;
}

/* ---- PostgreSQL's generated names ---- */

START_TEST(test_names_create_table)
{
	ok("CREATE TABLE orgs (id int PRIMARY KEY);"
	   "CREATE TABLE t (id int PRIMARY KEY, email text UNIQUE,"
	   " org_id int REFERENCES orgs, CHECK (id > 0))");
	ck_assert_int_eq(rel_kind("t"), REL_TABLE);
	ck_assert_int_eq(rel_kind("t_pkey"), REL_INDEX);
	ck_assert_int_eq(rel_kind("t_email_key"), REL_INDEX);
	ck_assert_int_eq(con_kind("t", "t_pkey"), CON_PRIMARY);
	ck_assert_int_eq(con_kind("t", "t_email_key"), CON_UNIQUE);
	ck_assert_int_eq(con_kind("t", "t_org_id_fkey"), CON_FOREIGN);
	ck_assert_int_eq(con_kind("t", "t_id_check"), CON_CHECK);
	/* FK and CHECK constraints have no index */
	ck_assert_int_eq(rel_kind("t_org_id_fkey"), 0);
	ck_assert_int_eq(rel_kind("t_id_check"), 0);
}
END_TEST

START_TEST(test_names_constraint_index_link)
{
	struct cat_con c;

	ok("CREATE TABLE orgs (id int PRIMARY KEY);"
	   "CREATE TABLE t (id int PRIMARY KEY, email text UNIQUE, org_id int REFERENCES orgs)");
	ck_assert(con_get("t", "t_pkey", &c));
	ck_assert_int_eq(c.index_id, rel_id("t_pkey"));
	ck_assert_int_eq(cat_index_constraint(cat, rel_id("t_pkey")), c.id);
	ck_assert(con_get("t", "t_email_key", &c));
	ck_assert_int_eq(c.index_id, rel_id("t_email_key"));
	ck_assert(con_get("t", "t_org_id_fkey", &c));
	ck_assert_int_eq(c.ref_rel_id, rel_id("orgs"));
	ck_assert(c.validated);
}
END_TEST

START_TEST(test_names_check)
{
	/* over two columns: no column in the name; same column twice: a
	   number on the label */
	ok("CREATE TABLE t2 (a int, b int, CHECK (a > b), CHECK (a > 0), CHECK (a < 100))");
	ck_assert_int_eq(con_kind("t2", "t2_check"), CON_CHECK);
	ck_assert_int_eq(con_kind("t2", "t2_a_check"), CON_CHECK);
	ck_assert_int_eq(con_kind("t2", "t2_a_check1"), CON_CHECK);
	/* a column's CHECK mentioning one column twice still names it */
	ok("CREATE TABLE t3 (a int CHECK (a > 0 AND a < 10))");
	ck_assert_int_eq(con_kind("t3", "t3_a_check"), CON_CHECK);
	/* ALTER TABLE ADD CHECK over two columns, and one more on a */
	ok("ALTER TABLE t3 ADD COLUMN b int;"
	   "ALTER TABLE t3 ADD CHECK (a > 0 AND b > 0), ADD CHECK (a IS NOT NULL)");
	ck_assert_int_eq(con_kind("t3", "t3_check"), CON_CHECK);
	ck_assert_int_eq(con_kind("t3", "t3_a_check1"), CON_CHECK);
}
END_TEST

/* Generated names: the first free suffix, also once a name in the
   middle is freed (replay.c remembers where the free ones start). */
START_TEST(test_names_suffix_freed)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_addstr(&sb, "CREATE TABLE t (a int);");
	for (int i = 0; i < 40; i++)
		strbuf_addf(&sb, " ALTER TABLE t ADD CHECK (a > %d); CREATE INDEX ON t (a);", i);
	ok(sb.buf);
	ck_assert_int_eq(con_kind("t", "t_a_check"), CON_CHECK);
	ck_assert_int_eq(con_kind("t", "t_a_check39"), CON_CHECK);
	ck_assert_int_eq(rel_kind("t_a_idx39"), REL_INDEX);
	ok("ALTER TABLE t DROP CONSTRAINT t_a_check7; DROP INDEX t_a_idx12;"
	   "ALTER TABLE t ADD CHECK (a < 0); CREATE INDEX ON t (a)");
	ck_assert_int_eq(con_kind("t", "t_a_check7"), CON_CHECK);
	ck_assert_int_eq(rel_kind("t_a_idx12"), REL_INDEX);
	ck_assert_int_eq(con_kind("t", "t_a_check40"), 0);
	ck_assert_int_eq(rel_kind("t_a_idx40"), 0);
	/* a renamed object frees its old name too */
	ok("ALTER TABLE t RENAME CONSTRAINT t_a_check3 TO c3; ALTER TABLE t ADD CHECK (a <> 5)");
	ck_assert_int_eq(con_kind("t", "t_a_check3"), CON_CHECK);
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_names_check_unique_per_schema)
{
	/* ChooseConstraintName avoids every constraint name of the schema,
	   not only the table's own */
	ok("CREATE TABLE tt (a_b int CHECK (a_b > 0));"
	   "CREATE TABLE tt_a (b int CHECK (b > 0))");
	ck_assert_int_eq(con_kind("tt", "tt_a_b_check"), CON_CHECK);
	ck_assert_int_eq(con_kind("tt_a", "tt_a_b_check1"), CON_CHECK);
}
END_TEST

START_TEST(test_names_index)
{
	ok("CREATE TABLE t2 (a int, b int);"
	   "CREATE INDEX ON t2 (a, b);"
	   "CREATE INDEX ON t2 (a, b)");
	ck_assert_int_eq(rel_kind("t2_a_b_idx"), REL_INDEX);
	ck_assert_int_eq(rel_kind("t2_a_b_idx1"), REL_INDEX);
	/* the change names the generated index */
	ck_assert_ptr_nonnull(change_of(CH_CREATE_INDEX));
	ck_assert_str_eq(change_of(CH_CREATE_INDEX)->name, "t2_a_b_idx1");
	ok("CREATE INDEX ON t2 (a, b)");
	ck_assert_int_eq(rel_kind("t2_a_b_idx2"), REL_INDEX);
	/* a named index does not number */
	ok("CREATE INDEX t2_b ON t2 (b)");
	ck_assert_int_eq(rel_kind("t2_b"), REL_INDEX);
	ck_assert_str_eq(change_of(CH_CREATE_INDEX)->name, "t2_b");
}
END_TEST

START_TEST(test_names_index_include)
{
	/* INCLUDE columns are part of the generated name */
	ok("CREATE TABLE t2 (a int, b int, c int);"
	   "CREATE INDEX ON t2 (a) INCLUDE (b)");
	ck_assert_int_eq(rel_kind("t2_a_b_idx"), REL_INDEX);
}
END_TEST

START_TEST(test_names_unique_include)
{
	/* same for a constraint's index: PostgreSQL says r_a_b_c_key */
	ok("CREATE TABLE r (a int, b int, c int, UNIQUE (a, b) INCLUDE (c))");
	ck_assert_int_eq(con_kind("r", "r_a_b_c_key"), CON_UNIQUE);
	ck_assert_int_eq(rel_kind("r_a_b_c_key"), REL_INDEX);
}
END_TEST

START_TEST(test_names_index_expression)
{
	ok("CREATE TABLE t (id int, email text);"
	   "CREATE INDEX ON t (lower(email))");
	ck_assert_int_eq(rel_kind("t_lower_idx"), REL_INDEX);
	/* an operator expression has no name of its own: "expr" */
	ok("CREATE TABLE t2 (a int, b int);"
	   "CREATE INDEX ON t2 ((a + b))");
	ck_assert_int_eq(rel_kind("t2_expr_idx"), REL_INDEX);
}
END_TEST

START_TEST(test_names_index_expression_coalesce)
{
	/* COALESCE is not a function call in the tree, but FigureColname
	   still names it "coalesce" */
	ok("CREATE TABLE t2 (a int, b int);"
	   "CREATE INDEX ON t2 (coalesce(a, b))");
	ck_assert_int_eq(rel_kind("t2_coalesce_idx"), REL_INDEX);
}
END_TEST

START_TEST(test_names_index_expression_operator_over_function)
{
	/* FigureColname() names an expression by its top node only: an
	   operator over a function call is still "expr" */
	ok("CREATE TABLE t2 (a int, b text);"
	   "CREATE INDEX ON t2 ((lower(b) || a))");
	ck_assert_int_eq(rel_kind("t2_expr_idx"), REL_INDEX);
}
END_TEST

START_TEST(test_names_index_expression_cast)
{
	/* a cast of a column is named after the column */
	ok("CREATE TABLE t2 (a int, b int);"
	   "CREATE INDEX ON t2 ((a::text))");
	ck_assert_int_eq(rel_kind("t2_a_idx"), REL_INDEX);
}
END_TEST

START_TEST(test_names_index_repeated_column_names)
{
	/* ChooseIndexColumnNames makes the names within one index unique */
	ok("CREATE TABLE t2 (a int, b text, c text);"
	   "CREATE INDEX ON t2 (a, a)");
	ck_assert_int_eq(rel_kind("t2_a_a1_idx"), REL_INDEX);
	ok("CREATE INDEX ON t2 (lower(b), lower(c))");
	ck_assert_int_eq(rel_kind("t2_lower_lower1_idx"), REL_INDEX);
}
END_TEST

START_TEST(test_names_index_avoids_relations)
{
	ok("CREATE TABLE t4_a_idx (x int);"
	   "CREATE TABLE t4 (a int);"
	   "CREATE INDEX ON t4 (a)");
	ck_assert_int_eq(rel_kind("t4_a_idx"), REL_TABLE);
	ck_assert_int_eq(rel_kind("t4_a_idx1"), REL_INDEX);
}
END_TEST

START_TEST(test_names_after_table_rename)
{
	/* renaming a table keeps its index and constraint names, so a new
	   table of the old name gets numbered ones */
	ok("CREATE TABLE t (id int PRIMARY KEY, email text UNIQUE);"
	   "ALTER TABLE t RENAME TO t_old;"
	   "CREATE TABLE t (id int PRIMARY KEY, email text UNIQUE)");
	ck_assert_int_eq(con_kind("t_old", "t_pkey"), CON_PRIMARY);
	ck_assert_int_eq(con_kind("t_old", "t_email_key"), CON_UNIQUE);
	ck_assert_int_eq(con_kind("t", "t_pkey1"), CON_PRIMARY);
	ck_assert_int_eq(con_kind("t", "t_email_key1"), CON_UNIQUE);
	ck_assert_int_eq(rel_kind("t_pkey1"), REL_INDEX);
}
END_TEST

START_TEST(test_names_alter_table)
{
	ok("CREATE TABLE orgs (id int PRIMARY KEY);"
	   "CREATE TABLE u (a int, b int, org int);"
	   "ALTER TABLE u ADD PRIMARY KEY (a);"
	   "ALTER TABLE u ADD UNIQUE (a, b);"
	   "ALTER TABLE u ADD FOREIGN KEY (org) REFERENCES orgs;"
	   "ALTER TABLE u ADD COLUMN c int REFERENCES orgs (id);"
	   "ALTER TABLE u ADD CHECK (b > 0)");
	ck_assert_int_eq(con_kind("u", "u_pkey"), CON_PRIMARY);
	ck_assert_int_eq(con_kind("u", "u_a_b_key"), CON_UNIQUE);
	ck_assert_int_eq(con_kind("u", "u_org_fkey"), CON_FOREIGN);
	ck_assert_int_eq(con_kind("u", "u_c_fkey"), CON_FOREIGN);
	ck_assert_int_eq(con_kind("u", "u_b_check"), CON_CHECK);
	/* a multi-column FK */
	ok("CREATE TABLE p (x int, y int, PRIMARY KEY (x, y));"
	   "CREATE TABLE q (x int, y int, FOREIGN KEY (x, y) REFERENCES p)");
	ck_assert_int_eq(con_kind("q", "q_x_y_fkey"), CON_FOREIGN);
}
END_TEST

START_TEST(test_names_serial)
{
	ok("CREATE TABLE s (id serial, n bigserial, g int GENERATED ALWAYS AS IDENTITY)");
	ck_assert_int_eq(rel_kind("s_id_seq"), REL_SEQUENCE);
	ck_assert_int_eq(rel_kind("s_n_seq"), REL_SEQUENCE);
	ck_assert_int_eq(rel_kind("s_g_seq"), REL_SEQUENCE);
	ck_assert_str_eq(col_type("s", "id"), "integer");
	ck_assert_str_eq(col_type("s", "n"), "bigint");
	/* an owned sequence goes with its column */
	ok("ALTER TABLE s DROP COLUMN id");
	ck_assert_int_eq(rel_kind("s_id_seq"), 0);
	ck_assert_int_eq(rel_kind("s_n_seq"), REL_SEQUENCE);
	/* ... and with its table */
	ok("DROP TABLE s");
	ck_assert_int_eq(rel_kind("s_n_seq"), 0);
	ck_assert_int_eq(rel_kind("s_g_seq"), 0);
}
END_TEST

/* A serial default names its sequence as PostgreSQL 15's pg_get_expr()
   prints it (checked there): qualified outside public, quoted. */
START_TEST(test_names_serial_default)
{
	ok("CREATE TABLE customers (id serial);"
	   "CREATE TABLE \"Customers\" (id bigserial);"
	   "CREATE SCHEMA billing;"
	   "CREATE TABLE billing.customers (id serial);"
	   "CREATE TABLE billing.\"Order\" (id smallserial);"
	   "ALTER TABLE billing.customers ADD COLUMN n serial");
	ck_assert_str_eq(col_default("public", "customers", "id"),
			 "nextval('customers_id_seq'::regclass)");
	ck_assert_str_eq(col_default("public", "Customers", "id"),
			 "nextval('\"Customers_id_seq\"'::regclass)");
	ck_assert_str_eq(col_default("billing", "customers", "id"),
			 "nextval('billing.customers_id_seq'::regclass)");
	ck_assert_str_eq(col_default("billing", "Order", "id"),
			 "nextval('billing.\"Order_id_seq\"'::regclass)");
	ck_assert_str_eq(col_default("billing", "customers", "n"),
			 "nextval('billing.customers_n_seq'::regclass)");
}
END_TEST

/*
 * A nextval() default follows its sequence: renamed (ALTER SEQUENCE or
 * ALTER TABLE), moved (ALTER SEQUENCE ... SET SCHEMA, or with the table
 * that owns it), its schema renamed, public included. One written by
 * hand names the sequence found on the search path, as PostgreSQL 15's
 * pg_get_expr() prints it after the same statements (checked there).
 */
START_TEST(test_names_sequence_default_follows)
{
	ok("CREATE TABLE orders (id serial, n bigserial);"
	   "CREATE SEQUENCE s; CREATE SEQUENCE s2;"
	   "CREATE SCHEMA billing; CREATE TABLE billing.inv (id serial);"
	   "SET search_path TO billing, public; CREATE SEQUENCE hand;"
	   "CREATE TABLE tickets (a int DEFAULT nextval('HAND'), b int DEFAULT nextval('s'),"
	   " c int DEFAULT nextval('s2'::regclass), d int DEFAULT nextval('public.s'));"
	   "RESET search_path;"
	   "CREATE TABLE orders_copy (LIKE orders INCLUDING DEFAULTS);"
	   "CREATE TABLE other (x int DEFAULT nextval('nosuch'), y int DEFAULT nextval('s'::text));"
	   "ALTER SEQUENCE orders_id_seq RENAME TO \"Order_Ids\";"
	   "ALTER TABLE orders_n_seq RENAME TO orders_no;"
	   "ALTER SEQUENCE s SET SCHEMA billing;"
	   "ALTER TABLE billing.inv SET SCHEMA public;"
	   "ALTER SCHEMA billing RENAME TO \"Billing Dept\";"
	   "ALTER TABLE orders RENAME TO purchases");
	ck_assert_str_eq(col_default("Billing Dept", "tickets", "a"),
			 "nextval('\"Billing Dept\".hand'::regclass)");
	ck_assert_str_eq(col_default("Billing Dept", "tickets", "b"),
			 "nextval('\"Billing Dept\".s'::regclass)");
	ck_assert_str_eq(col_default("Billing Dept", "tickets", "c"), "nextval('s2'::regclass)");
	ck_assert_str_eq(col_default("Billing Dept", "tickets", "d"),
			 "nextval('\"Billing Dept\".s'::regclass)");
	ck_assert_str_eq(col_default("public", "inv", "id"), "nextval('inv_id_seq'::regclass)");
	ck_assert_str_eq(col_default("public", "purchases", "id"),
			 "nextval('\"Order_Ids\"'::regclass)");
	ck_assert_str_eq(col_default("public", "purchases", "n"), "nextval('orders_no'::regclass)");
	ck_assert_str_eq(col_default("public", "orders_copy", "id"),
			 "nextval('\"Order_Ids\"'::regclass)");
	ck_assert_str_eq(col_default("public", "orders_copy", "n"), "nextval('orders_no'::regclass)");
	/* no sequence of that name, or not a regclass constant: as written */
	ck_assert_str_eq(col_default("public", "other", "x"), "nextval('nosuch')");
	ck_assert_str_eq(col_default("public", "other", "y"), "nextval('s'::text)");

	ok("ALTER SCHEMA public RENAME TO app;"
	   "ALTER SCHEMA \"Billing Dept\" RENAME TO public");
	ck_assert_str_eq(col_default("app", "inv", "id"), "nextval('app.inv_id_seq'::regclass)");
	ck_assert_str_eq(col_default("app", "purchases", "id"),
			 "nextval('app.\"Order_Ids\"'::regclass)");
	ck_assert_str_eq(col_default("app", "orders_copy", "n"), "nextval('app.orders_no'::regclass)");
	ck_assert_str_eq(col_default("public", "tickets", "a"), "nextval('hand'::regclass)");
	ck_assert_str_eq(col_default("public", "tickets", "b"), "nextval('s'::regclass)");
	ck_assert_str_eq(col_default("public", "tickets", "c"), "nextval('app.s2'::regclass)");
	ck_assert_str_eq(col_default("public", "tickets", "d"), "nextval('s'::regclass)");
}
END_TEST

START_TEST(test_names_serial_avoids_taken_name)
{
	ok("CREATE SEQUENCE s_id_seq;"
	   "CREATE TABLE s (id serial)");
	ck_assert_int_eq(rel_kind("s_id_seq1"), REL_SEQUENCE);
}
END_TEST

START_TEST(test_names_truncated)
{
	char *a60 = repeat('a', 60), *a58 = repeat('a', 58), *a57 = repeat('a', 57);
	char *a53 = repeat('a', 53), *a40 = repeat('a', 40), *b40 = repeat('b', 40);
	char *a29 = repeat('a', 29), *b29 = repeat('b', 29);
	char *x40 = repeat('x', 40), *y40 = repeat('y', 40), *y15 = repeat('y', 15);
	char *sql, *want;

	/* name1 60 bytes: the longer name loses bytes first */
	sql = xstrfmt("CREATE TABLE %s (email text UNIQUE, id int PRIMARY KEY, n serial)", a60);
	ok(sql);
	free(sql);
	want = xstrfmt("%s_email_key", a53);
	ck_assert_uint_eq(strlen(want), 63);
	ck_assert_int_eq(rel_kind(want), REL_INDEX);
	free(want);
	want = xstrfmt("%s_pkey", a58);
	ck_assert_int_eq(rel_kind(want), REL_INDEX);
	free(want);
	want = xstrfmt("%s_n_seq", a57);
	ck_assert_int_eq(rel_kind(want), REL_SEQUENCE);
	free(want);

	/* two 40-byte names share the room; on a tie name2 shrinks first */
	sql = xstrfmt("CREATE TABLE %s (%s serial)", a40, b40);
	ok(sql);
	free(sql);
	want = xstrfmt("%s_%s_seq", a29, b29);
	ck_assert_int_eq(rel_kind(want), REL_SEQUENCE);
	free(want);

	/* joined column names are cut too */
	sql = xstrfmt("CREATE TABLE tl (%s int, %s int); CREATE INDEX ON tl (%s, %s)",
		      x40, y40, x40, y40);
	ok(sql);
	free(sql);
	want = xstrfmt("tl_%s_%s_idx", x40, y15);
	ck_assert_uint_eq(strlen(want), 63);
	ck_assert_int_eq(rel_kind(want), REL_INDEX);
	free(want);

	free(a60); free(a58); free(a57); free(a53); free(a40); free(b40);
	free(a29); free(b29); free(x40); free(y40); free(y15);
}
END_TEST

START_TEST(test_names_truncated_multibyte)
{
	/* 57 'a' + U+00E9 (2 bytes) = 59 bytes; 58 bytes are available
	   before "_pkey", which would cut the e-acute in half:
	   pg_mbcliplen keeps 57 */
	char *a57 = repeat('a', 57);
	char *sql = xstrfmt("CREATE TABLE \"%s\xc3\xa9\" (id int PRIMARY KEY)", a57);
	char *want = xstrfmt("%s_pkey", a57);

	ok(sql);
	ck_assert_int_eq(rel_kind(want), REL_INDEX);
	free(sql);
	free(want);
	free(a57);
}
END_TEST

START_TEST(test_identifier_truncated)
{
	/* identifiers longer than 63 bytes are truncated by the parser,
	   so both spellings name the same table */
	char *a70 = repeat('a', 70), *a63 = repeat('a', 63);
	char *sql;

	sql = xstrfmt("CREATE TABLE %s (x int)", a70);
	ok(sql);
	free(sql);
	ck_assert_int_eq(rel_kind(a63), REL_TABLE);
	sql = xstrfmt("ALTER TABLE %s ADD COLUMN y int", a70);
	ok(sql);
	free(sql);
	sql = xstrfmt("ALTER TABLE %s ADD COLUMN z int", a63);
	ok(sql);
	free(sql);
	free(a70);
	free(a63);
}
END_TEST

/* ---- column types as written ---- */

START_TEST(test_column_types)
{
	ok("CREATE TABLE c (a char, c varchar, d float(24), e float(25),"
	   " g int[][], h timestamptz(0), i time(3) with time zone, j bit(3),"
	   " k bit varying(5), m double precision, n bool, o int2,"
	   " p character varying(10)[], q numeric(12,2), r timestamp(3), s integer)");
	ck_assert_str_eq(col_type("c", "a"), "character(1)");
	ck_assert_str_eq(col_type("c", "c"), "character varying");
	ck_assert_str_eq(col_type("c", "d"), "real");
	ck_assert_str_eq(col_type("c", "e"), "double precision");
	ck_assert_str_eq(col_type("c", "g"), "integer[]");
	ck_assert_str_eq(col_type("c", "h"), "timestamp(0) with time zone");
	ck_assert_str_eq(col_type("c", "i"), "time(3) with time zone");
	ck_assert_str_eq(col_type("c", "j"), "bit(3)");
	ck_assert_str_eq(col_type("c", "k"), "bit varying(5)");
	ck_assert_str_eq(col_type("c", "m"), "double precision");
	ck_assert_str_eq(col_type("c", "n"), "boolean");
	ck_assert_str_eq(col_type("c", "o"), "smallint");
	ck_assert_str_eq(col_type("c", "p"), "character varying(10)[]");
	ck_assert_str_eq(col_type("c", "q"), "numeric(12,2)");
	ck_assert_str_eq(col_type("c", "r"), "timestamp(3) without time zone");
	ck_assert_str_eq(col_type("c", "s"), "integer");
}
END_TEST

START_TEST(test_column_type_numeric_precision_only)
{
	/* numeric(p) means numeric(p,0): the typmod holds both, and
	   format_type prints both */
	ok("CREATE TABLE n (f decimal(5), g numeric(7))");
	ck_assert_str_eq(col_type("n", "f"), "numeric(5,0)");
	ck_assert_str_eq(col_type("n", "g"), "numeric(7,0)");
}
END_TEST

/*
 * Tables whose 63-byte names share their first 41 bytes, each with a
 * UNIQUE column of a 60-byte name: every table's index name is cut to
 * the same bytes, so the k-th table takes suffix k, each longer suffix
 * cutting the parts further (PostgreSQL's makeObjectName(); the names
 * are PostgreSQL 15's). The tables share one hint (name_hint()).
 */
START_TEST(test_names_cut_alike_share_suffixes)
{
	char t[64], c[61], want[64];
	struct strbuf sb;

	memset(t, 't', 41);
	memset(c, 'c', 60);
	c[60] = 0;
	strbuf_init(&sb);
	for (int k = 0; k < 12; k++) {
		snprintf(t + 41, sizeof(t) - 41, "_%021d", k);
		strbuf_addf(&sb, "CREATE TABLE %s (id int, %s int UNIQUE);", t, c);
	}
	ok(sb.buf);
	strbuf_release(&sb);
	for (int k = 0; k < 12; k++) {
		/* 58 bytes for the parts, one less from "key1", two from "key10";
		   the longer part is cut first (PostgreSQL 15: t29_c28_key1) */
		int n1 = k < 10 ? 29 : 28, n2 = k ? 28 : 29;

		snprintf(want, sizeof(want), "%.*s_%.*s_key%.0d", n1, t, n2, c, k);
		/* a longer name would be cut to the first table's on lookup */
		ck_assert_uint_eq(strlen(want), 63);
		ck_assert_msg(rel_kind(want) == REL_INDEX, "no index %s", want);
	}
}
END_TEST

/*
 * A constraint name many schemas' tables share, and a table with many
 * constraints: each lookup walks the shorter of two lists (catalog.c,
 * con_by_name() and cat_con_name_in_schema()), and either way finds
 * what is there and nothing else.
 */
START_TEST(test_names_shared_across_schemas)
{
	struct strbuf sb;
	cat_id wide, s7, empty;

	strbuf_init(&sb);
	for (int i = 0; i < 40; i++)
		strbuf_addf(&sb, "CREATE SCHEMA s%d; CREATE TABLE s%d.acct (id int PRIMARY KEY,"
			    " email text UNIQUE);", i, i);
	strbuf_addstr(&sb, "CREATE TABLE wide (id int PRIMARY KEY");
	for (int i = 0; i < 40; i++)
		strbuf_addf(&sb, ", c%d int CONSTRAINT wide_c%d_check CHECK (c%d > 0)", i, i, i);
	strbuf_addstr(&sb, "); CREATE SCHEMA empty; CREATE TABLE empty.a (x int);"
		      " CREATE TABLE empty.b (x int); CREATE SEQUENCE empty.q;");
	ok(sb.buf);
	strbuf_release(&sb);
	/* a name in every schema: each table has its own */
	for (int i = 0; i < 40; i++) {
		char schema[16];
		struct cat_con c;
		cat_id t;

		snprintf(schema, sizeof(schema), "s%d", i);
		t = rel_id_in(schema, "acct");
		ck_assert_int_ne(t, 0);
		ck_assert_int_eq(cat_con_find(cat, t, "acct_pkey", &c), 0);
		ck_assert_int_eq(c.kind, CON_PRIMARY);
		ck_assert_int_eq(cat_con_find(cat, t, "acct_email_key", &c), 0);
		ck_assert_int_eq(c.kind, CON_UNIQUE);
		ck_assert(!cat_con_name_taken(cat, t, "wide_c3_check"));
		ck_assert(!cat_con_name_taken(cat, t, "acct_id_check"));
		ck_assert(cat_con_name_in_schema(cat, cat_schema_find(cat, schema), "acct_pkey"));
	}
	/* many constraints on one table, each name once */
	wide = rel_id("wide");
	ck_assert(cat_con_name_taken(cat, wide, "wide_c0_check"));
	ck_assert(cat_con_name_taken(cat, wide, "wide_c39_check"));
	ck_assert(cat_con_name_taken(cat, wide, "wide_pkey"));
	ck_assert(!cat_con_name_taken(cat, wide, "acct_pkey"));
	ck_assert(!cat_con_name_taken(cat, wide, "wide_c40_check"));
	ck_assert(cat_con_name_in_schema(cat, cat_schema_find(cat, "public"), "wide_c17_check"));
	ck_assert(!cat_con_name_in_schema(cat, cat_schema_find(cat, "public"), "acct_pkey"));
	/* a schema whose relations have no constraints; one the name is not in */
	empty = cat_schema_find(cat, "empty");
	s7 = cat_schema_find(cat, "s7");
	ck_assert(!cat_con_name_in_schema(cat, empty, "acct_pkey"));
	ck_assert(!cat_con_name_in_schema(cat, s7, "wide_c3_check"));
	ck_assert(!cat_con_name_in_schema(cat, s7, "no_such_name"));
	/* a table added to a tenant schema takes the next free names */
	ok("CREATE TABLE s7.acct2 (id int PRIMARY KEY);"
	   "ALTER TABLE s7.acct2 ADD CONSTRAINT acct_pkey1 UNIQUE (id);"
	   "ALTER TABLE s7.acct2 ADD UNIQUE (id)");
	ck_assert_int_eq(cat_con_find(cat, rel_id_in("s7", "acct2"), "acct2_id_key", NULL), 0);
	ck_assert(cat_con_name_in_schema(cat, s7, "acct_pkey1"));
	ck_assert(!cat_con_name_in_schema(cat, cat_schema_find(cat, "s8"), "acct_pkey1"));
}
END_TEST

/* ---- case folding ---- */

START_TEST(test_case_folding)
{
	ok("CREATE TABLE Users (Id int)");
	ck_assert_int_eq(rel_kind("users"), REL_TABLE);
	ck_assert_int_ne(col_id("users", "id"), 0);
	ok("ALTER TABLE users ADD COLUMN email text");
	ok("ALTER TABLE USERS ALTER COLUMN ID SET NOT NULL");
	ok("ALTER TABLE \"users\" DROP COLUMN email");
}
END_TEST

START_TEST(test_case_quoted)
{
	ok("CREATE TABLE \"Users\" (\"Id\" int)");
	ck_assert_int_eq(rel_kind("Users"), REL_TABLE);
	ck_assert_int_eq(rel_kind("users"), 0);
	exec("ALTER TABLE users ADD COLUMN x int");
	ck_problems("unknown-object public.users");
	exec("ALTER TABLE Users ADD COLUMN x int");
	ck_problems("unknown-object public.users");
	ok("ALTER TABLE \"Users\" ADD COLUMN x int");
	exec("ALTER TABLE \"Users\" ALTER COLUMN id SET NOT NULL");
	ck_assert(reported("unknown-object"));
	ok("ALTER TABLE \"Users\" ALTER COLUMN \"Id\" SET NOT NULL");
	/* "Users" and users are two tables */
	ok("CREATE TABLE users (id int)");
	ck_assert_int_eq(rel_kind("users"), REL_TABLE);
}
END_TEST

/* ---- schemas and search_path ---- */

START_TEST(test_schema_qualified)
{
	ok("CREATE SCHEMA app; CREATE TABLE app.t (id int PRIMARY KEY)");
	ck_assert_int_eq(rel_kind_in("app", "t"), REL_TABLE);
	ck_assert_int_eq(rel_kind("t"), 0);
	/* its index lives in the table's schema */
	ck_assert_int_eq(rel_kind_in("app", "t_pkey"), REL_INDEX);
	ok("ALTER TABLE app.t ADD COLUMN a int");
	exec("ALTER TABLE t ADD COLUMN b int");
	ck_problems("unknown-object public.t");
	exec("ALTER TABLE public.t ADD COLUMN b int");
	ck_problems("unknown-object public.t");
	ok("CREATE INDEX ON app.t (a)");
	ck_assert_int_eq(rel_kind_in("app", "t_a_idx"), REL_INDEX);
	/* same name in another schema is another table */
	ok("CREATE TABLE t (id int PRIMARY KEY)");
	ck_assert_int_eq(rel_kind("t_pkey"), REL_INDEX);
	exec("CREATE TABLE nope.t (id int)");
	ck_assert(reported("unknown-object"));
	exec("CREATE SCHEMA app");
	ck_problems("duplicate-object app");
	ok("CREATE SCHEMA IF NOT EXISTS app");
}
END_TEST

START_TEST(test_search_path)
{
	ok("CREATE SCHEMA app; CREATE TABLE p (id int);"
	   "SET search_path TO app;"
	   "CREATE TABLE t (id int)");
	ck_assert_int_eq(rel_kind_in("app", "t"), REL_TABLE);
	ck_assert_int_eq(rel_kind("t"), 0);
	ok("ALTER TABLE t ADD COLUMN a int; CREATE INDEX ON t (a)");
	ck_assert_int_eq(rel_kind_in("app", "t_a_idx"), REL_INDEX);
	/* public is not on the path any more */
	exec("ALTER TABLE p ADD COLUMN a int");
	ck_assert(reported("unknown-object"));
	ok("ALTER TABLE public.p ADD COLUMN a int");
	/* first schema of the path that has the name wins; creation goes
	   to the first schema */
	ok("SET search_path TO app, public;"
	   "ALTER TABLE p ADD COLUMN b int;"
	   "CREATE TABLE u (id int)");
	ck_assert_int_eq(rel_kind_in("app", "u"), REL_TABLE);
	ok("RESET search_path; CREATE TABLE v (id int)");
	ck_assert_int_eq(rel_kind("v"), REL_TABLE);
	exec("ALTER TABLE u ADD COLUMN a int");
	ck_assert(reported("unknown-object"));
}
END_TEST

START_TEST(test_schema_index_drop)
{
	ok("CREATE SCHEMA app; CREATE TABLE app.t (a int); CREATE INDEX ON app.t (a)");
	exec("DROP INDEX t_a_idx");
	ck_problems("unknown-object public.t_a_idx");
	ok("DROP INDEX app.t_a_idx");
	ck_assert_int_eq(rel_kind_in("app", "t_a_idx"), 0);
	/* a unique index is still named _idx */
	ok("CREATE TABLE w (email text); CREATE UNIQUE INDEX ON w (email)");
	ck_assert_int_eq(rel_kind("w_email_idx"), REL_INDEX);
}
END_TEST

START_TEST(test_fk_unqualified_target_uses_search_path)
{
	struct cat_con c;
	cat_id app_t;

	/* REFERENCES t inside CREATE TABLE app.t looks t up on the
	   search_path like any other name: with public.t there, the FK
	   points at public.t, not at app.t itself */
	ok("CREATE SCHEMA app; CREATE TABLE t (id int PRIMARY KEY);"
	   "CREATE TABLE app.t (id int PRIMARY KEY, parent int REFERENCES t)");
	app_t = rel_id_in("app", "t");
	ck_assert(app_t && !cat_con_find(cat, app_t, "t_parent_fkey", &c));
	ck_assert_int_eq(c.ref_rel_id, rel_id("t"));
}
END_TEST

START_TEST(test_fk_unqualified_self_reference_off_path)
{
	/* without a u on the search_path, REFERENCES u inside CREATE TABLE
	   app.u is an unknown relation (PostgreSQL: relation "u" does not
	   exist) */
	ok("CREATE SCHEMA app");
	exec("CREATE TABLE app.u (id int PRIMARY KEY, parent int REFERENCES u)");
	ck_problems("unknown-object public.u");
}
END_TEST

/* ---- renames ---- */

START_TEST(test_rename_table)
{
	const struct change *ch;

	ok("CREATE TABLE t (id int PRIMARY KEY)");
	ok("ALTER TABLE t RENAME TO t2");
	ch = change_of(CH_RENAME_TABLE);
	ck_assert_ptr_nonnull(ch);
	ck_assert_str_eq(ch->rel.name, "t");
	ck_assert_str_eq(ch->new_name, "t2");
	ck_assert_int_eq(rel_kind("t2"), REL_TABLE);
	ck_assert_int_eq(rel_kind("t"), 0);
	ok("ALTER TABLE t2 ADD COLUMN a int");
	exec("ALTER TABLE t ADD COLUMN b int");
	ck_problems("unknown-object public.t");
	/* the index keeps its name and now belongs to t2 */
	ck_assert_int_eq(con_kind("t2", "t_pkey"), CON_PRIMARY);
	/* renaming onto a taken name */
	ok("CREATE TABLE x (id int)");
	exec("ALTER TABLE x RENAME TO t2");
	ck_problems("duplicate-object public.t2");
	exec("ALTER TABLE nope RENAME TO y");
	ck_problems("unknown-object public.nope");
	ok("ALTER TABLE IF EXISTS nope RENAME TO y");
}
END_TEST

START_TEST(test_rename_column)
{
	const struct change *ch;

	ok("CREATE TABLE t (id int, email text UNIQUE)");
	ok("ALTER TABLE t RENAME COLUMN email TO mail");
	ch = change_of(CH_RENAME_COLUMN);
	ck_assert_ptr_nonnull(ch);
	ck_assert_str_eq(ch->column, "email");
	ck_assert_str_eq(ch->new_name, "mail");
	ok("ALTER TABLE t ALTER COLUMN mail SET NOT NULL");
	exec("ALTER TABLE t ALTER COLUMN email SET NOT NULL");
	ck_problems("unknown-object public.t.email");
	/* the unique constraint follows the column */
	ok("ALTER TABLE t DROP COLUMN mail");
	ck_assert_int_eq(con_kind("t", "t_email_key"), 0);
	ck_assert_int_eq(rel_kind("t_email_key"), 0);
	exec("ALTER TABLE t RENAME COLUMN nope TO x");
	ck_problems("unknown-object public.t.nope");
	exec("ALTER TABLE t RENAME COLUMN id TO id");
	ck_problems("duplicate-object public.t.id");
}
END_TEST

START_TEST(test_rename_constraint_renames_index)
{
	const struct change *ch;

	ok("CREATE TABLE t (id int, email text UNIQUE)");
	ok("ALTER TABLE t RENAME CONSTRAINT t_email_key TO t_mail_uq");
	ch = change_of(CH_RENAME_CONSTRAINT);
	ck_assert_ptr_nonnull(ch);
	ck_assert_str_eq(ch->name, "t_email_key");
	ck_assert_str_eq(ch->new_name, "t_mail_uq");
	ck_assert_int_eq(con_kind("t", "t_mail_uq"), CON_UNIQUE);
	ck_assert_int_eq(rel_kind("t_mail_uq"), REL_INDEX);
	ck_assert_int_eq(rel_kind("t_email_key"), 0);
	exec("ALTER TABLE t DROP CONSTRAINT t_email_key");
	ck_problems("unknown-object public.t.t_email_key");
	exec("DROP INDEX t_email_key");
	ck_problems("unknown-object public.t_email_key");
	/* the old name is free again */
	ok("CREATE INDEX t_email_key ON t (email)");
	ok("ALTER TABLE t DROP CONSTRAINT t_mail_uq");
	ck_assert_int_eq(rel_kind("t_mail_uq"), 0);
	ck_assert_int_eq(rel_kind("t_email_key"), REL_INDEX);
}
END_TEST

START_TEST(test_rename_check_constraint)
{
	ok("CREATE TABLE t (a int CHECK (a > 0))");
	ok("ALTER TABLE t RENAME CONSTRAINT t_a_check TO a_positive");
	ck_assert_int_eq(con_kind("t", "a_positive"), CON_CHECK);
	ck_assert_int_eq(con_kind("t", "t_a_check"), 0);
	exec("ALTER TABLE t RENAME CONSTRAINT t_a_check TO x");
	ck_problems("unknown-object public.t.t_a_check");
}
END_TEST

START_TEST(test_rename_index_renames_constraint)
{
	const struct change *ch;

	ok("CREATE TABLE t (id int PRIMARY KEY, email text UNIQUE)");
	ok("ALTER INDEX t_email_key RENAME TO t_email_uq");
	ch = change_of(CH_RENAME_INDEX);
	ck_assert_ptr_nonnull(ch);
	ck_assert_str_eq(ch->new_name, "t_email_uq");
	ck_assert_int_eq(rel_kind("t_email_uq"), REL_INDEX);
	ck_assert_int_eq(con_kind("t", "t_email_uq"), CON_UNIQUE);
	ck_assert_int_eq(con_kind("t", "t_email_key"), 0);
	exec("ALTER TABLE t DROP CONSTRAINT t_email_key");
	ck_problems("unknown-object public.t.t_email_key");
	ok("ALTER TABLE t DROP CONSTRAINT t_email_uq");
	ck_assert_int_eq(rel_kind("t_email_uq"), 0);
}
END_TEST

START_TEST(test_rename_plain_index)
{
	ok("CREATE TABLE t (a int); CREATE INDEX ON t (a)");
	ok("ALTER INDEX t_a_idx RENAME TO ix");
	ck_assert_int_eq(rel_kind("ix"), REL_INDEX);
	exec("DROP INDEX t_a_idx");
	ck_problems("unknown-object public.t_a_idx");
	ok("DROP INDEX ix");
	ck_assert_int_eq(rel_kind("ix"), 0);
}
END_TEST

/* ---- DROP COLUMN / DROP TABLE ---- */

START_TEST(test_drop_column_takes_indexes_and_constraints)
{
	const struct change *ch;

	ok("CREATE TABLE orgs (id int PRIMARY KEY);"
	   "CREATE TABLE t (id int PRIMARY KEY, a int, b int UNIQUE, c int,"
	   " org_id int REFERENCES orgs, CHECK (a > b), CHECK (c > 0));"
	   "CREATE INDEX ON t (a, b); CREATE INDEX ON t (c); CREATE INDEX ON t (lower(b::text))");
	ok("ALTER TABLE t DROP COLUMN b");
	ch = change_of(CH_DROP_COLUMN);
	ck_assert_ptr_nonnull(ch);
	ck_assert_str_eq(ch->column, "b");
	ck_assert_str_eq(type_str(&ch->old_type), "integer");
	ck_assert_int_eq(col_id("t", "b"), 0);
	ck_assert_int_eq(rel_kind("t_a_b_idx"), 0);
	ck_assert_int_eq(rel_kind("t_b_key"), 0);
	ck_assert_int_eq(con_kind("t", "t_b_key"), 0);
	ck_assert_int_eq(con_kind("t", "t_check"), 0);
	/* what does not use b stays */
	ck_assert_int_eq(rel_kind("t_c_idx"), REL_INDEX);
	ck_assert_int_eq(con_kind("t", "t_c_check"), CON_CHECK);
	ck_assert_int_eq(con_kind("t", "t_pkey"), CON_PRIMARY);
	ck_assert_int_eq(con_kind("t", "t_org_id_fkey"), CON_FOREIGN);
	/* the FK column */
	ok("ALTER TABLE t DROP COLUMN org_id");
	ck_assert_int_eq(con_kind("t", "t_org_id_fkey"), 0);
	/* the PK column */
	ok("ALTER TABLE t DROP COLUMN id");
	ck_assert_int_eq(con_kind("t", "t_pkey"), 0);
	ck_assert_int_eq(rel_kind("t_pkey"), 0);
	exec("ALTER TABLE t DROP COLUMN id");
	ck_problems("unknown-object public.t.id");
	ok("ALTER TABLE t DROP COLUMN IF EXISTS id");
}
END_TEST

START_TEST(test_drop_column_expression_index)
{
	/* an index on an expression over the column goes with it too */
	ok("CREATE TABLE t (id int, email text); CREATE INDEX ON t (lower(email))");
	ok("ALTER TABLE t DROP COLUMN email");
	ck_assert_int_eq(rel_kind("t_lower_idx"), 0);
}
END_TEST

START_TEST(test_drop_table_frees_index_names)
{
	const struct change *ch;

	ok("CREATE TABLE t (id int PRIMARY KEY, a int); CREATE INDEX ON t (a)");
	ok("DROP TABLE t");
	ch = change_of(CH_DROP_TABLE);
	ck_assert_ptr_nonnull(ch);
	ck_assert_str_eq(ch->rel.name, "t");
	ck_assert(ch->rel.known);
	ck_assert_int_eq(rel_kind("t"), 0);
	ck_assert_int_eq(rel_kind("t_a_idx"), 0);
	ck_assert_int_eq(rel_kind("t_pkey"), 0);
	/* the names are free: no numbering, no duplicate */
	ok("CREATE TABLE t (id int PRIMARY KEY, a int); CREATE INDEX ON t (a)");
	ck_assert_int_eq(rel_kind("t_a_idx"), REL_INDEX);
	ck_assert_int_eq(rel_kind("t_pkey"), REL_INDEX);
	ok("CREATE TABLE u (x int); CREATE INDEX t_x ON u (x); DROP TABLE u;"
	   "CREATE TABLE t_x (x int)");
}
END_TEST

START_TEST(test_drop_table_cascade_fks)
{
	const struct change *ch;

	ok("CREATE TABLE orgs (id int PRIMARY KEY);"
	   "CREATE TABLE t (id int PRIMARY KEY, org_id int REFERENCES orgs);"
	   "CREATE TABLE u (org int, CONSTRAINT u_org FOREIGN KEY (org) REFERENCES orgs (id))");
	ok("DROP TABLE orgs CASCADE");
	ch = change_of(CH_DROP_TABLE);
	ck_assert_ptr_nonnull(ch);
	ck_assert(ch->cascade);
	ck_assert_int_eq(ch->nr_dropped, 2);
	ck_assert(dropped_has(ch, "constraint \"t_org_id_fkey\" on table \"t\""));
	ck_assert(dropped_has(ch, "constraint \"u_org\" on table \"u\""));
	/* the referencing tables stay, without their FK */
	ck_assert_int_eq(rel_kind("t"), REL_TABLE);
	ck_assert_int_eq(con_kind("t", "t_org_id_fkey"), 0);
	ck_assert_int_eq(con_kind("u", "u_org"), 0);
	ck_assert_ptr_nonnull(change_of(CH_DROP_TABLE));
}
END_TEST

START_TEST(test_drop_if_exists_quiet)
{
	ok("CREATE TABLE t (id int)");
	ok("DROP TABLE IF EXISTS nope;"
	   "DROP INDEX IF EXISTS nope_idx;"
	   "DROP VIEW IF EXISTS nope_v;"
	   "DROP SEQUENCE IF EXISTS nope_seq;"
	   "DROP SCHEMA IF EXISTS nope_s;"
	   "DROP TYPE IF EXISTS nope_t;"
	   "ALTER TABLE IF EXISTS nope ADD COLUMN x int;"
	   "ALTER TABLE t DROP COLUMN IF EXISTS nope;"
	   "ALTER TABLE t DROP CONSTRAINT IF EXISTS nope");
	exec("DROP TABLE nope");
	ck_problems("unknown-object public.nope");
	exec("DROP INDEX nope_idx");
	ck_problems("unknown-object public.nope_idx");
	exec("DROP SCHEMA nope_s");
	ck_problems("unknown-object nope_s");
	exec("ALTER TABLE t DROP CONSTRAINT nope");
	ck_problems("unknown-object public.t.nope");
	/* DROP TABLE of an index is not a DROP INDEX */
	ok("CREATE INDEX t_ix ON t (id)");
	exec("DROP TABLE t_ix");
	ck_assert(reported("unknown-object"));
	ck_assert_int_eq(rel_kind("t_ix"), REL_INDEX);
}
END_TEST

START_TEST(test_drop_index_of_constraint)
{
	/* an index that enforces a constraint cannot be dropped alone */
	ok("CREATE TABLE t (id int PRIMARY KEY)");
	exec("DROP INDEX t_pkey");
	ck_assert_int_eq(R.nr_problems, 1);
	ck_assert_int_eq(rel_kind("t_pkey"), REL_INDEX);
}
END_TEST

/* ---- duplicate objects ---- */

START_TEST(test_duplicate_objects)
{
	ok("CREATE TABLE t (id int, a int); CREATE INDEX t_a ON t (a);"
	   "ALTER TABLE t ADD CONSTRAINT t_a_pos CHECK (a > 0)");
	exec("CREATE TABLE t (x int)");
	ck_problems("duplicate-object public.t");
	exec("CREATE TABLE T (x int)");
	ck_problems("duplicate-object public.t");
	exec("CREATE INDEX t_a ON t (id)");
	ck_problems("duplicate-object public.t_a");
	exec("ALTER TABLE t ADD COLUMN a text");
	ck_problems("duplicate-object public.t.a");
	exec("ALTER TABLE t ADD CONSTRAINT t_a_pos CHECK (a < 10)");
	ck_problems("duplicate-object public.t.t_a_pos");
	/* relations share one namespace */
	exec("CREATE TABLE t_a (x int)");
	ck_problems("duplicate-object public.t_a");
	exec("CREATE INDEX t ON t (a)");
	ck_problems("duplicate-object public.t");
	exec("CREATE SEQUENCE t");
	ck_problems("duplicate-object public.t");
	exec("CREATE VIEW t AS SELECT 1");
	ck_problems("duplicate-object public.t");
}
END_TEST

START_TEST(test_duplicate_if_not_exists_quiet)
{
	ok("CREATE TABLE t (id int, a int); CREATE INDEX t_a ON t (a)");
	ok("CREATE TABLE IF NOT EXISTS t (id int, b int)");
	/* the existing table is left as it was */
	ck_assert_int_eq(col_id("t", "b"), 0);
	ok("CREATE INDEX IF NOT EXISTS t_a ON t (id)");
	ok("ALTER TABLE t ADD COLUMN IF NOT EXISTS a text");
	ck_assert_str_eq(col_type("t", "a"), "integer");
	ok("CREATE SEQUENCE IF NOT EXISTS t_a");
	ok("CREATE SEQUENCE sq; CREATE SEQUENCE IF NOT EXISTS sq");
}
END_TEST

START_TEST(test_duplicate_constraint_and_pk)
{
	ok("CREATE TABLE t (id int PRIMARY KEY, a int)");
	exec("ALTER TABLE t ADD PRIMARY KEY (a)");
	ck_assert(reported("duplicate-object"));
	/* a named UNIQUE whose index name is taken by a relation */
	exec("ALTER TABLE t ADD CONSTRAINT t UNIQUE (a)");
	ck_assert(reported("duplicate-object"));
	ck_assert_int_eq(con_kind("t", "t"), 0);
}
END_TEST

/* ---- ALTER TYPE, SET NOT NULL ---- */

START_TEST(test_alter_type_old_and_new)
{
	const struct change *ch;

	ok("CREATE TABLE t (v varchar(64), n numeric(12,2))");
	ok("ALTER TABLE t ALTER COLUMN v TYPE varchar(32)");
	ch = change_of(CH_ALTER_TYPE);
	ck_assert_ptr_nonnull(ch);
	ck_assert_str_eq(ch->column, "v");
	ck_assert_str_eq(type_str(&ch->old_type), "character varying(64)");
	ck_assert_str_eq(type_str(&ch->new_type), "character varying(32)");
	ck_assert_str_eq(col_type("t", "v"), "character varying(32)");
	/* several subcommands: one change each, old types from before */
	ok("ALTER TABLE t ALTER COLUMN v TYPE text, ALTER COLUMN n TYPE int8 USING n::int8");
	ck_assert_int_eq(R.nr_changes, 2);
	ck_assert_str_eq(type_str(&R.changes[0].old_type), "character varying(32)");
	ck_assert_str_eq(type_str(&R.changes[0].new_type), "text");
	ck_assert_str_eq(type_str(&R.changes[1].old_type), "numeric(12,2)");
	ck_assert_str_eq(type_str(&R.changes[1].new_type), "bigint");
	ck_assert_str_eq(col_type("t", "n"), "bigint");
	/* SET DATA TYPE is the same thing */
	ok("ALTER TABLE t ALTER COLUMN n SET DATA TYPE int4");
	ck_assert_str_eq(type_str(&change_of(CH_ALTER_TYPE)->old_type), "bigint");
	exec("ALTER TABLE t ALTER COLUMN nope TYPE int");
	ck_problems("unknown-object public.t.nope");
}
END_TEST

START_TEST(test_alter_type_after_rename)
{
	const struct change *ch;

	ok("CREATE TABLE t (amount bigint)");
	ok("ALTER TABLE t RENAME COLUMN amount TO total;"
	   "ALTER TABLE t ALTER COLUMN total TYPE int");
	ch = change_of(CH_ALTER_TYPE);
	ck_assert_ptr_nonnull(ch);
	ck_assert_str_eq(ch->column, "total");
	ck_assert_str_eq(type_str(&ch->old_type), "bigint");
	ck_assert_str_eq(type_str(&ch->new_type), "integer");
	ck_assert(ch->rel.known);
}
END_TEST

START_TEST(test_set_not_null_validated_check)
{
	const struct change *ch;

	ok("CREATE TABLE t (c int, d int, CONSTRAINT c_nn CHECK (c IS NOT NULL))");
	ok("ALTER TABLE t ALTER COLUMN c SET NOT NULL");
	ch = change_of(CH_SET_NOT_NULL);
	ck_assert_ptr_nonnull(ch);
	ck_assert(ch->not_null_check);
	ck_assert(!ch->was_not_null);
	/* the CHECK is on c, not d */
	ok("ALTER TABLE t ALTER COLUMN d SET NOT NULL");
	ck_assert(!change_of(CH_SET_NOT_NULL)->not_null_check);
	/* already NOT NULL */
	ok("ALTER TABLE t ALTER COLUMN c SET NOT NULL");
	ck_assert(change_of(CH_SET_NOT_NULL)->was_not_null);
}
END_TEST

START_TEST(test_set_not_null_not_valid_check)
{
	const struct change *ch;
	struct cat_con con;

	ok("CREATE TABLE t (c int);"
	   "ALTER TABLE t ADD CONSTRAINT c_nn CHECK (c IS NOT NULL) NOT VALID");
	ck_assert(con_get("t", "c_nn", &con));
	ck_assert(!con.validated);
	ck_assert_str_eq(con.not_null_column, "c");
	ok("ALTER TABLE t ALTER COLUMN c SET NOT NULL");
	ch = change_of(CH_SET_NOT_NULL);
	ck_assert_ptr_nonnull(ch);
	ck_assert(!ch->not_null_check);
	ok("ALTER TABLE t ALTER COLUMN c DROP NOT NULL;"
	   "ALTER TABLE t VALIDATE CONSTRAINT c_nn");
	ck_assert_ptr_nonnull(change_of(CH_VALIDATE_CONSTRAINT));
	ck_assert(con_get("t", "c_nn", &con));
	ck_assert(con.validated);
	ok("ALTER TABLE t ALTER COLUMN c SET NOT NULL");
	ck_assert(change_of(CH_SET_NOT_NULL)->not_null_check);
	exec("ALTER TABLE t VALIDATE CONSTRAINT nope");
	ck_problems("unknown-object public.t.nope");
}
END_TEST

START_TEST(test_set_not_null_other_check_shapes)
{
	/* only exactly "col IS NOT NULL" proves the column has no NULLs */
	ok("CREATE TABLE t (c int, CHECK (c IS NOT NULL AND c > 0))");
	ok("ALTER TABLE t ALTER COLUMN c SET NOT NULL");
	ck_assert(!change_of(CH_SET_NOT_NULL)->not_null_check);
}
END_TEST

/* ---- TRUNCATE, enums, views ---- */

START_TEST(test_truncate_cascade)
{
	const struct change *ch;

	ok("CREATE SCHEMA app;"
	   "CREATE TABLE orgs (id int PRIMARY KEY);"
	   "CREATE TABLE t (id int PRIMARY KEY, org_id int REFERENCES orgs);"
	   "CREATE TABLE app.child (t_id int REFERENCES t);"
	   "CREATE TABLE other (id int)");
	ok("TRUNCATE orgs CASCADE");
	ch = change_of(CH_TRUNCATE);
	ck_assert_ptr_nonnull(ch);
	ck_assert(ch->cascade);
	ck_assert_int_eq(ch->nr_dropped, 2);
	ck_assert(dropped_has(ch, "\"t\""));
	ck_assert(dropped_has(ch, "\"app\".\"child\""));
	/* TRUNCATE empties rows, it drops nothing */
	ck_assert_int_eq(rel_kind("t"), REL_TABLE);
	ck_assert_int_eq(con_kind("t", "t_org_id_fkey"), CON_FOREIGN);
	/* without CASCADE: the tables whose foreign keys are in the way (t
	   references orgs; app.child references t, which is not emptied) */
	ok("TRUNCATE orgs");
	ch = change_of(CH_TRUNCATE);
	ck_assert(!ch->cascade);
	ck_assert_int_eq(ch->nr_dropped, 1);
	ck_assert(dropped_has(ch, "\"t\""));
	ok("TRUNCATE orgs, t");    /* t is emptied too: orgs is free */
	ck_assert_int_eq(change_of(CH_TRUNCATE)->nr_dropped, 0);
	ok("TRUNCATE t");
	ck_assert(dropped_has(change_of(CH_TRUNCATE), "\"app\".\"child\""));
	ok("TRUNCATE other CASCADE");
	ck_assert_int_eq(change_of(CH_TRUNCATE)->nr_dropped, 0);
	exec("TRUNCATE nope");
	ck_problems("unknown-object public.nope");
}
END_TEST

START_TEST(test_enum_add_value)
{
	ok("CREATE TYPE mood AS ENUM ('sad', 'happy')");
	ck_assert_str_eq(enum_labels("mood"), "sad,happy");
	ok("ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy'");
	ck_assert_str_eq(enum_labels("mood"), "sad,ok,happy");
	ok("ALTER TYPE mood ADD VALUE 'fine' AFTER 'sad'");
	ck_assert_str_eq(enum_labels("mood"), "sad,fine,ok,happy");
	ok("ALTER TYPE mood ADD VALUE 'ecstatic' AFTER 'happy'");
	ck_assert_str_eq(enum_labels("mood"), "sad,fine,ok,happy,ecstatic");
	ok("ALTER TYPE mood ADD VALUE 'meh'");
	ck_assert_str_eq(enum_labels("mood"), "sad,fine,ok,happy,ecstatic,meh");
	ok("ALTER TYPE mood ADD VALUE 'awful' BEFORE 'sad'");
	ck_assert_str_eq(enum_labels("mood"), "awful,sad,fine,ok,happy,ecstatic,meh");
	exec("ALTER TYPE mood ADD VALUE 'ok'");
	ck_problems("duplicate-object ok");
	ok("ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok'");
	exec("ALTER TYPE mood ADD VALUE 'x' BEFORE 'nope'");
	ck_assert(reported("unknown-object"));
	exec("ALTER TYPE nope ADD VALUE 'x'");
	ck_problems("unknown-object public.nope");
	ok("ALTER TYPE mood RENAME VALUE 'meh' TO 'so-so'");
	ck_assert_str_eq(enum_labels("mood"), "awful,sad,fine,ok,happy,ecstatic,so-so");
}
END_TEST

START_TEST(test_enum_before_first_repeatedly)
{
	ok("CREATE TYPE lvl AS ENUM ('a', 'b')");
	ok("ALTER TYPE lvl ADD VALUE 'z' BEFORE 'a'");
	ok("ALTER TYPE lvl ADD VALUE 'y' BEFORE 'z'");
	ok("ALTER TYPE lvl ADD VALUE 'x' BEFORE 'y'");
	ok("ALTER TYPE lvl ADD VALUE 'w' BEFORE 'x'");
	ck_assert_str_eq(enum_labels("lvl"), "w,x,y,z,a,b");
	exec("ALTER TYPE lvl ADD VALUE 'y'");
	ck_problems("duplicate-object y");
}
END_TEST

START_TEST(test_enum_many_between)
{
	/* repeated insertion between the same two neighbours */
	ok("CREATE TYPE e AS ENUM ('first', 'last')");
	for (int i = 0; i < 40; i++) {
		char sql[128];

		snprintf(sql, sizeof(sql), "ALTER TYPE e ADD VALUE 'v%02d' AFTER 'first'", i);
		ok(sql);
	}
	{
		struct strbuf want;

		strbuf_init(&want);
		strbuf_addstr(&want, "first");
		for (int i = 39; i >= 0; i--)
			strbuf_addf(&want, ",v%02d", i);
		strbuf_addstr(&want, ",last");
		ck_assert_str_eq(enum_labels("e"), want.buf);
		strbuf_release(&want);
	}
}
END_TEST

START_TEST(test_view_dropped_by_cascade)
{
	const struct change *ch;

	ok("CREATE TABLE t (id int, name text);"
	   "CREATE VIEW v AS SELECT id FROM t;"
	   "CREATE VIEW vv AS SELECT id FROM v;"
	   "CREATE MATERIALIZED VIEW mv AS SELECT name FROM t");
	ck_assert_int_eq(rel_kind("v"), REL_VIEW);
	ck_assert_int_eq(rel_kind("mv"), REL_MATVIEW);
	ok("DROP TABLE t CASCADE");
	ch = change_of(CH_DROP_TABLE);
	ck_assert_ptr_nonnull(ch);
	ck_assert(dropped_has(ch, "view \"v\""));
	ck_assert(dropped_has(ch, "view \"vv\""));
	ck_assert(dropped_has(ch, "materialized view \"mv\""));
	ck_assert_int_eq(ch->nr_dropped, 3);
	ck_assert_int_eq(rel_kind("v"), 0);
	ck_assert_int_eq(rel_kind("vv"), 0);
	ck_assert_int_eq(rel_kind("mv"), 0);
	/* the view names are free again */
	ok("CREATE TABLE v (id int)");
}
END_TEST

START_TEST(test_view_on_other_table_survives)
{
	ok("CREATE TABLE t (id int); CREATE TABLE u (id int);"
	   "CREATE VIEW v AS SELECT id FROM u");
	ok("DROP TABLE t CASCADE");
	ck_assert_int_eq(change_of(CH_DROP_TABLE)->nr_dropped, 0);
	ck_assert_int_eq(rel_kind("v"), REL_VIEW);
}
END_TEST

/* ---- replay fidelity found on real histories ---- */

static bool col_has_default(const char *table, const char *column)
{
	struct cat_col c;
	cat_id t = rel_id(table);

	return t && !cat_col_find(cat, t, column, &c) && c.has_default;
}

static char col_identity(const char *table, const char *column)
{
	struct cat_col c;
	cat_id t = rel_id(table);

	return t && !cat_col_find(cat, t, column, &c) ? c.identity : 0;
}

static bool function_exists(const char *name, const char *sig)
{
	return cat_function_find(cat, cat_schema_find(cat, "public"), name, sig) != 0;
}

/*
 * PostgreSQL stores no default that cooks to a bare null constant, but a
 * type modifier wraps it in a length coercion (mattermost: bigint DEFAULT
 * NULL; coder: text DEFAULT NULL; pg_dump: NULL::character varying).
 */
START_TEST(test_default_null_not_stored)
{
	ok("CREATE DOMAIN d AS int;"
	   "CREATE TABLE t (a int DEFAULT NULL, b text DEFAULT NULL::text,"
	   " c varchar(26) DEFAULT NULL, d varchar(10) DEFAULT NULL::character varying,"
	   " e int DEFAULT (NULL), f bigint DEFAULT 1, g d DEFAULT NULL,"
	   " h interval(3) DEFAULT NULL, i text DEFAULT NULL::varchar)");
	ck_assert(!col_has_default("t", "a"));
	ck_assert(!col_has_default("t", "b"));
	ck_assert(col_has_default("t", "c"));
	ck_assert(col_has_default("t", "d"));
	ck_assert(!col_has_default("t", "e"));
	ck_assert(col_has_default("t", "g"));
	ck_assert(!col_has_default("t", "h"));
	ck_assert(col_has_default("t", "i"));
	ok("ALTER TABLE t ALTER COLUMN f SET DEFAULT NULL;"
	   "ALTER TABLE t ADD COLUMN j bigint DEFAULT NULL;"
	   "ALTER TABLE t ADD COLUMN k varchar(5) DEFAULT NULL");
	ck_assert(!col_has_default("t", "f"));
	ck_assert(!col_has_default("t", "j"));
	ck_assert(col_has_default("t", "k"));
}
END_TEST

/* The model keeps no columns for views: naming one is not an error. */
START_TEST(test_view_columns_taken_on_trust)
{
	ok("CREATE TABLE t (id int, a text);"
	   "CREATE VIEW v AS SELECT id, a FROM t;"
	   "CREATE MATERIALIZED VIEW mv AS SELECT id, a FROM t;"
	   "CREATE UNIQUE INDEX mv_id ON mv (id);"
	   "CREATE INDEX ON mv (a) INCLUDE (id);"
	   "COMMENT ON COLUMN v.a IS 'x';"
	   "ALTER VIEW v ALTER COLUMN a SET DEFAULT 'x';"
	   "ALTER TABLE v RENAME COLUMN a TO b;"
	   "ALTER MATERIALIZED VIEW mv RENAME COLUMN a TO b");
	ck_assert_int_eq(rel_kind("mv_id"), REL_INDEX);
	ck_assert_int_eq(rel_kind("mv_a_id_idx"), REL_INDEX);
	ok("ALTER INDEX mv_id RENAME TO mv_id2; DROP INDEX mv_a_id_idx");
	exec("CREATE INDEX ON t (nope)");
	ck_assert(reported("unknown-object"));
}
END_TEST

/* ALTER TYPE t ADD ATTRIBUTE is no ALTER TABLE of a relation t. */
START_TEST(test_alter_type_attribute)
{
	ok("CREATE TYPE pair AS (a int, b text);"
	   "ALTER TYPE pair ADD ATTRIBUTE c int, DROP ATTRIBUTE b;"
	   "ALTER TYPE pair RENAME ATTRIBUTE a TO aa");
}
END_TEST

START_TEST(test_rename_function)
{
	ok("CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';"
	   "CREATE FUNCTION f(a text) RETURNS text LANGUAGE sql AS 'SELECT a';"
	   "CREATE FUNCTION g() RETURNS int LANGUAGE sql AS 'SELECT 1';"
	   "ALTER FUNCTION f(int) RENAME TO f2;"
	   "ALTER FUNCTION g RENAME TO g2");
	ck_assert(function_exists("f2", "(int4)"));
	ck_assert(!function_exists("f", "(int4)"));
	ck_assert(function_exists("f", "(text)"));
	ck_assert(function_exists("g2", "()"));
	ck_assert(!function_exists("g", "()"));
}
END_TEST

/* Aggregates are pg_proc entries: created, dropped, renamed like functions. */
START_TEST(test_aggregates_are_functions)
{
	ok("CREATE AGGREGATE mysum(int) (SFUNC = int4pl, STYPE = int);"
	   "CREATE AGGREGATE cnt(*) (SFUNC = int8inc, STYPE = int8);"
	   "CREATE AGGREGATE old (BASETYPE = int, SFUNC = int4pl, STYPE = int);"
	   "CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = int4eq)");
	ck_assert(function_exists("mysum", "(int4)"));
	ck_assert(function_exists("cnt", "()"));
	ck_assert(function_exists("old", "(int4)"));
	ok("DROP AGGREGATE mysum(int); ALTER AGGREGATE cnt(*) RENAME TO cnt2");
	ck_assert(!function_exists("mysum", "(int4)"));
	ck_assert(function_exists("cnt2", "()"));
}
END_TEST

START_TEST(test_identity_set_generated_and_drop)
{
	ok("CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, n int NOT NULL);"
	   "ALTER TABLE t ALTER COLUMN id SET GENERATED BY DEFAULT;"
	   "ALTER TABLE t ALTER COLUMN id RESTART WITH 10");
	ck_assert_int_eq(col_identity("t", "id"), 'd');
	ok("ALTER TABLE t ALTER COLUMN id SET GENERATED ALWAYS RESTART");
	ck_assert_int_eq(col_identity("t", "id"), 'a');
	ck_assert_int_eq(rel_kind("t_id_seq"), REL_SEQUENCE);
	ok("ALTER TABLE t ALTER COLUMN id DROP IDENTITY");   /* its sequence goes too */
	ck_assert_int_eq(col_identity("t", "id"), 0);
	ck_assert_int_eq(rel_kind("t_id_seq"), 0);
}
END_TEST

START_TEST(test_sequence_owned_by_none_survives)
{
	ok("CREATE TABLE t (n int); CREATE SEQUENCE s OWNED BY t.n;"
	   "ALTER SEQUENCE s OWNED BY NONE; DROP TABLE t");
	ck_assert_int_eq(rel_kind("s"), REL_SEQUENCE);
	ok("ALTER SEQUENCE IF EXISTS nope RESTART");
	exec("ALTER SEQUENCE nope RESTART");
	ck_assert(reported("unknown-object"));
}
END_TEST

/* A new owner replaces the old one; the sequence stays (PostgreSQL's
   ALTER SEQUENCE ... OWNED BY), also when the owner does not change. */
START_TEST(test_sequence_owner_moves)
{
	ok("CREATE TABLE t (a int, b int); CREATE SEQUENCE s OWNED BY t.a;"
	   "ALTER SEQUENCE s OWNED BY t.a; ALTER SEQUENCE s OWNED BY t.b");
	ck_assert_int_eq(rel_kind("s"), REL_SEQUENCE);
	ok("ALTER TABLE t DROP COLUMN a");
	ck_assert_int_eq(rel_kind("s"), REL_SEQUENCE);
	ok("ALTER TABLE t DROP COLUMN b");
	ck_assert_int_eq(rel_kind("s"), 0);
}
END_TEST

/* CREATE TABLE AS / SELECT INTO: the columns the query gives. */
START_TEST(test_create_table_as_columns)
{
	ok("CREATE TABLE b (id bigint PRIMARY KEY, name varchar(20) NOT NULL);"
	   "CREATE TABLE f AS SELECT * FROM b;"
	   "CREATE TABLE e AS SELECT 1 AS one, 'x'::text AS t, now() AS ts, count(*) AS n,"
	   " x.name FROM b x;"
	   "CREATE TABLE g (k, v) AS SELECT id, name FROM b WITH NO DATA;"
	   "SELECT b.name AS nm INTO h FROM b;"
	   "CREATE TABLE j AS VALUES (1, 'a');"
	   "CREATE TABLE k AS SELECT id FROM b UNION SELECT 2;"
	   "ALTER TABLE f ADD PRIMARY KEY (id); CREATE INDEX ON e (n)");
	ck_assert_str_eq(col_type("f", "id"), "bigint");
	ck_assert_str_eq(col_type("f", "name"), "character varying(20)");
	ck_assert_str_eq(col_type("e", "one"), "integer");
	ck_assert_str_eq(col_type("e", "t"), "text");
	ck_assert_str_eq(col_type("e", "ts"), "timestamp with time zone");
	ck_assert_str_eq(col_type("e", "n"), "bigint");
	ck_assert_str_eq(col_type("e", "name"), "character varying(20)");
	ck_assert_str_eq(col_type("g", "k"), "bigint");
	ck_assert_str_eq(col_type("g", "v"), "character varying(20)");
	ck_assert_str_eq(col_type("h", "nm"), "character varying(20)");
	ck_assert_str_eq(col_type("j", "column1"), "integer");
	ck_assert_str_eq(col_type("j", "column2"), "text");
	ck_assert_str_eq(col_type("k", "id"), "bigint");
	/* from a view or a subquery: the columns are taken on trust */
	ok("CREATE VIEW v AS SELECT id FROM b;"
	   "CREATE TABLE fv AS SELECT * FROM v;"
	   "CREATE TABLE fs AS SELECT s.id FROM (SELECT id FROM b) s;"
	   "ALTER TABLE fv ADD PRIMARY KEY (id); CREATE INDEX ON fs (id)");
	exec("CREATE INDEX ON f (nope)");
	ck_assert(reported("unknown-object"));
}
END_TEST

static bool trigger_exists(const char *table, const char *name)
{
	cat_id t = rel_id(table);

	return t && cat_trigger_find(cat, t, name);
}

/* lemmy's replaceable schema: DROP SCHEMA r CASCADE takes the triggers
   that run its functions; DROP FUNCTION ... CASCADE too. */
START_TEST(test_drop_function_cascade_drops_triggers)
{
	ok("CREATE TABLE t (id int); CREATE SCHEMA r;"
	   "CREATE FUNCTION r.f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;"
	   "CREATE FUNCTION g() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;"
	   "CREATE TRIGGER tf AFTER INSERT ON t FOR EACH STATEMENT EXECUTE FUNCTION r.f();"
	   "CREATE TRIGGER tg AFTER INSERT ON t FOR EACH ROW EXECUTE PROCEDURE g();"
	   "CREATE TRIGGER tb BEFORE UPDATE ON t FOR EACH ROW"
	   " EXECUTE FUNCTION suppress_redundant_updates_trigger()");
	ok("DROP SCHEMA r CASCADE");
	ck_assert(!trigger_exists("t", "tf"));
	ck_assert(trigger_exists("t", "tg"));
	ok("CREATE OR REPLACE TRIGGER tg AFTER UPDATE ON t FOR EACH ROW EXECUTE FUNCTION g();"
	   "DROP FUNCTION g() CASCADE");
	ck_assert(!trigger_exists("t", "tg"));
	ck_assert(trigger_exists("t", "tb"));
}
END_TEST

/*
 * CREATE TABLE builds one index per key (transformIndexConstraints): a
 * UNIQUE equal to the primary key or to an earlier UNIQUE makes none,
 * and gives its name to an unnamed kept one (UPchieve: "code varchar(2)
 * PRIMARY KEY NOT NULL UNIQUE").
 */
START_TEST(test_create_table_folds_duplicate_unique)
{
	ok("CREATE TABLE s (code varchar(2) PRIMARY KEY NOT NULL UNIQUE);"
	   "CREATE TABLE q (id int PRIMARY KEY, CONSTRAINT foo UNIQUE (id));"
	   "CREATE TABLE q2 (a int UNIQUE, b int, CONSTRAINT bar UNIQUE (a), UNIQUE (b, a),"
	   " UNIQUE (a, b));"
	   "CREATE TABLE q3 (a int UNIQUE, UNIQUE (a) DEFERRABLE);"
	   "ALTER TABLE q3 ADD UNIQUE (a)");
	ck_assert_int_eq(con_kind("s", "s_pkey"), CON_PRIMARY);
	ck_assert_int_eq(con_kind("s", "s_code_key"), 0);
	ck_assert_int_eq(rel_kind("s_code_key"), 0);
	ck_assert_int_eq(con_kind("q", "foo"), CON_PRIMARY);
	ck_assert_int_eq(con_kind("q", "q_pkey"), 0);
	ck_assert_int_eq(con_kind("q2", "bar"), CON_UNIQUE);
	ck_assert_int_eq(con_kind("q2", "q2_a_key"), 0);
	ck_assert_int_eq(con_kind("q2", "q2_b_a_key"), CON_UNIQUE);
	ck_assert_int_eq(con_kind("q2", "q2_a_b_key"), CON_UNIQUE);
	ck_assert_int_eq(con_kind("q3", "q3_a_key"), CON_UNIQUE);
	ck_assert_int_eq(con_kind("q3", "q3_a_key1"), CON_UNIQUE);   /* deferrable differs */
	ck_assert_int_eq(con_kind("q3", "q3_a_key2"), CON_UNIQUE);   /* ALTER: no folding */
}
END_TEST

/* ---- cat_index_covers ---- */

START_TEST(test_index_covers)
{
	cat_id t, a, b, c, d, e;

	ok("CREATE TABLE c (a int, b int, c int, d int, e text);"
	   "CREATE INDEX ON c (b, a, c);"
	   "CREATE INDEX ON c (c) WHERE d > 0;"
	   "CREATE INDEX ON c (d) INCLUDE (a);"
	   "CREATE INDEX ON c (lower(e))");
	t = rel_id("c");
	a = col_id("c", "a");
	b = col_id("c", "b");
	c = col_id("c", "c");
	d = col_id("c", "d");
	e = col_id("c", "e");
	ck_assert(t && a && b && c && d && e);
	/* leading columns, in any order */
	ck_assert(cat_index_covers(cat, t, (cat_id[]){ b }, 1));
	ck_assert(cat_index_covers(cat, t, (cat_id[]){ b, a }, 2));
	ck_assert(cat_index_covers(cat, t, (cat_id[]){ a, b }, 2));
	ck_assert(cat_index_covers(cat, t, (cat_id[]){ c, a, b }, 3));
	/* not leading */
	ck_assert(!cat_index_covers(cat, t, (cat_id[]){ a }, 1));
	ck_assert(!cat_index_covers(cat, t, (cat_id[]){ a, c }, 2));
	/* a partial index does not count */
	ck_assert(!cat_index_covers(cat, t, (cat_id[]){ c }, 1));
	/* INCLUDE columns are not key columns */
	ck_assert(cat_index_covers(cat, t, (cat_id[]){ d }, 1));
	ck_assert(!cat_index_covers(cat, t, (cat_id[]){ d, a }, 2));
	/* an expression over a column is not the column */
	ck_assert(!cat_index_covers(cat, t, (cat_id[]){ e }, 1));
	/* more columns than the index has */
	ck_assert(!cat_index_covers(cat, t, (cat_id[]){ a, b, c, d }, 4));
}
END_TEST

START_TEST(test_index_covers_constraints)
{
	cat_id t, a, b;

	ok("CREATE TABLE p (id int PRIMARY KEY);"
	   "CREATE TABLE k (a int, b int, PRIMARY KEY (a, b), UNIQUE (b))");
	t = rel_id("k");
	a = col_id("k", "a");
	b = col_id("k", "b");
	/* primary key and unique constraint indexes count */
	ck_assert(cat_index_covers(cat, t, (cat_id[]){ a }, 1));
	ck_assert(cat_index_covers(cat, t, (cat_id[]){ b }, 1));
	ck_assert(cat_index_covers(cat, t, (cat_id[]){ b, a }, 2));
	/* a dropped index stops covering */
	ok("ALTER TABLE k DROP CONSTRAINT k_b_key");
	ck_assert(!cat_index_covers(cat, t, (cat_id[]){ b }, 1));
	/* another table's index does not count */
	ok("CREATE TABLE m (a int); CREATE INDEX ON p (id)");
	ck_assert(!cat_index_covers(cat, rel_id("m"), (cat_id[]){ col_id("m", "a") }, 1));
}
END_TEST

/*
 * catalog.c answers lookups from C caches that the SQLite update hook
 * keeps true: every answer below was cached (found or not found) just
 * before the statement that changes it.
 */
START_TEST(test_lookups_follow_changes)
{
	cat_id pub = cat_schema_find(cat, "public"), t, s;
	struct cat_rel r;
	cat_id *kids;
	int nr;
	char kind = 0;

	ok("CREATE TABLE t (a int)");
	t = rel_id("t");
	/* a column added, renamed into, retyped, dropped */
	ck_assert(!col_id("t", "b") && !col_id("t", "c") && col_id("t", "a"));
	ok("ALTER TABLE t ADD b int");
	ck_assert(col_id("t", "b"));
	ck_assert_str_eq(col_type("t", "b"), "integer");
	ok("ALTER TABLE t RENAME a TO c");
	ck_assert(!col_id("t", "a") && col_id("t", "c"));
	ok("ALTER TABLE t ALTER b TYPE bigint");
	ck_assert_str_eq(col_type("t", "b"), "bigint");
	ok("ALTER TABLE t DROP b");
	ck_assert(!col_id("t", "b"));
	/* the name again (its id may be the one freed): the new column */
	ok("ALTER TABLE t ADD b text");
	ck_assert_str_eq(col_type("t", "b"), "text");
	/* a relation created, renamed, dropped; the one renamed into */
	ck_assert(!rel_id("u") && !rel_id("v"));
	ok("CREATE TABLE u (a int)");
	ck_assert(rel_id("u"));
	ok("ALTER TABLE u RENAME TO v");
	ck_assert(!rel_id("u") && rel_id("v"));
	ok("DROP TABLE v");
	ck_assert(!rel_id("v"));
	ok("CREATE VIEW v AS SELECT 1 AS a");
	ck_assert_int_eq(rel_kind("v"), 'v');
	ok("DROP VIEW v");
	/* a schema renamed (the cached row carries its name) and dropped
	   with its tables and their columns */
	ok("CREATE SCHEMA s1; CREATE TABLE s1.x (a int)");
	ck_assert(!cat_rel_find(cat, cat_schema_find(cat, "s1"), "x", &r));
	ck_assert_str_eq(r.schema, "s1");
	ck_assert(!cat_col_find(cat, r.id, "a", NULL));
	ok("ALTER SCHEMA s1 RENAME TO s2");
	s = cat_schema_find(cat, "s2");
	ck_assert(s && !cat_rel_find(cat, s, "x", &r));
	ck_assert_str_eq(r.schema, "s2");
	ok("DROP SCHEMA s2 CASCADE");
	ck_assert(cat_rel_find(cat, s, "x", NULL));
	ck_assert(cat_col_find(cat, r.id, "a", NULL));
	/* a type created and dropped; a table's name is not free once a
	   type has it */
	ck_assert(!cat_type_find(cat, pub, "mood", NULL) && !cat_rel_name_taken(cat, pub, "mood", true));
	ok("CREATE TYPE mood AS ENUM ('a')");
	ck_assert(cat_type_find(cat, pub, "mood", &kind) && kind == 'e');
	ck_assert_str_eq(cat_rel_name_taken(cat, pub, "mood", true), "type");
	ok("DROP TYPE mood");
	ck_assert(!cat_type_find(cat, pub, "mood", NULL));
	/* a partitioned table gains a partition */
	ok("CREATE TABLE p (a int) PARTITION BY LIST (a)");
	ck_assert_int_eq(cat_rel_children(cat, rel_id("p"), &kids, &nr), 0);
	ok("CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1)");
	ck_assert_int_eq(cat_rel_children(cat, rel_id("p"), &kids, &nr), 1);
	ck_assert(kids[0] == rel_id("p1"));
	free(kids);
	ck_assert(t == rel_id("t"));
}
END_TEST

/*
 * catalog.c says "no such object" without SQLite where it knows every
 * name: a filter of all relation and type names, and the column names of
 * the table created last. Each name below is looked up for the first
 * time after the statement that gives it (a rename, a move to another
 * schema, columns copied by LIKE, INHERITS or PARTITION OF).
 */
START_TEST(test_first_lookups_after_changes)
{
	cat_id pub = cat_schema_find(cat, "public");
	struct strbuf sb;
	char name[32];
	int n = 8400;   /* past the filter's first size (8,192 names) */

	ok("CREATE TABLE t (a int, b int); ALTER TABLE t RENAME TO t2");
	ck_assert(rel_id("t2") && !rel_id("t"));
	ok("CREATE TABLE f (a int); ALTER TABLE f RENAME a TO z");
	ck_assert(col_id("f", "z") && !col_id("f", "a"));
	ok("CREATE TABLE g (a int, b int); CREATE TABLE g2 (LIKE g, c int)");
	ck_assert(col_id("g2", "a") && col_id("g2", "b") && col_id("g2", "c"));
	ok("CREATE TABLE h (c int) INHERITS (g)");
	ck_assert(col_id("h", "a") && col_id("h", "c"));
	ok("CREATE TABLE p (x int, y int) PARTITION BY LIST (x);"
	   "CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1)");
	ck_assert(col_id("p1", "y"));
	ok("CREATE SCHEMA s3; CREATE TABLE m (a int); CREATE INDEX m_a ON m (a);"
	   "ALTER TABLE m SET SCHEMA s3");
	ck_assert(rel_id_in("s3", "m") && rel_id_in("s3", "m_a") && !rel_id("m"));
	ok("CREATE TYPE ty AS ENUM ('a'); ALTER TYPE ty RENAME TO tz");
	ck_assert(cat_type_find(cat, pub, "tz", NULL) && !cat_type_find(cat, pub, "ty", NULL));
	ok("CREATE TYPE tq AS ENUM ('a'); ALTER TYPE tq SET SCHEMA s3");
	ck_assert(cat_type_find(cat, cat_schema_find(cat, "s3"), "tq", NULL));
	strbuf_init(&sb);
	for (int i = 0; i < n; i++)
		strbuf_addf(&sb, "CREATE TABLE n%d (a int);", i);
	ok(sb.buf);
	strbuf_release(&sb);
	for (int i = 0; i < n; i += 97) {
		snprintf(name, sizeof(name), "n%d", i);
		ck_assert_msg(rel_id(name), "%s", name);
	}
	snprintf(name, sizeof(name), "n%d", n - 1);
	ck_assert(rel_id(name) && !rel_id("n_none"));
	ok("ALTER TABLE t2 RENAME TO t3");
	ck_assert(rel_id("t3") && !rel_id("t2"));
}
END_TEST

/*
 * More relations and columns than catalog.c caches: each cached row is
 * found again by its id when the update hook says it changed, whichever
 * other rows share its slot or its id's low bits.
 */
START_TEST(test_cached_rows_forgotten_by_id)
{
	struct strbuf sb;
	char name[32], col[32];
	int n = 2600, ncol = 1100;

	strbuf_init(&sb);
	for (int i = 0; i < n; i++)
		strbuf_addf(&sb, "CREATE TABLE r%d (a int);", i);
	for (int t = 0; t < 2; t++) {
		strbuf_addf(&sb, "CREATE TABLE w%d (", t);
		for (int i = 0; i < ncol; i++)
			strbuf_addf(&sb, "%sc%d int", i ? ", " : "", i);
		strbuf_addstr(&sb, ");");
	}
	ok(sb.buf);
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "r%d", i);
		ck_assert_msg(rel_id(name), "%s", name);
	}
	for (int t = 0; t < 2; t++)
		for (int i = 0; i < ncol; i++) {
			snprintf(name, sizeof(name), "w%d", t);
			snprintf(col, sizeof(col), "c%d", i);
			ck_assert_msg(col_id(name, col), "%s.%s", name, col);
		}
	strbuf_reset(&sb);
	for (int i = 0; i < n; i += 2)
		strbuf_addf(&sb, "DROP TABLE r%d;", i);
	for (int i = 1; i < n; i += 10)
		strbuf_addf(&sb, "ALTER TABLE r%d RENAME TO s%d;", i, i);
	for (int t = 0; t < 2; t++)
		for (int i = 0; i < ncol; i += 3)
			strbuf_addf(&sb, "ALTER TABLE w%d DROP COLUMN c%d;", t, i);
	ok(sb.buf);
	strbuf_release(&sb);
	for (int i = 0; i < n; i++) {
		bool renamed = i % 10 == 1;

		snprintf(name, sizeof(name), "r%d", i);
		ck_assert_msg(!rel_id(name) == (i % 2 == 0 || renamed), "%s", name);
		snprintf(name, sizeof(name), "s%d", i);
		ck_assert_msg(!rel_id(name) == !renamed, "%s", name);
	}
	for (int t = 0; t < 2; t++)
		for (int i = 0; i < ncol; i++) {
			snprintf(name, sizeof(name), "w%d", t);
			snprintf(col, sizeof(col), "c%d", i);
			ck_assert_msg(!col_id(name, col) == (i % 3 == 0), "%s.%s", name, col);
		}
}
END_TEST

/* s cut as snprintf() into 'size' bytes cuts it. */
static const char *cut(char *s, size_t size)
{
	if (strlen(s) >= size)
		s[size - 1] = '\0';
	return s;
}

/* quote_rel() and object_path() write what snprintf() wrote into their
   slots, cut where it cut a name too long for them. */
START_TEST(test_quote_and_path_as_snprintf)
{
	char longname[300], want[1024];
	const char *schemas[] = { NULL, "public", "app", longname };
	const size_t quoted = 2 * NAMEBUF + 8, path = 3 * NAMEBUF + 4;

	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	for (size_t i = 0; i < sizeof(schemas) / sizeof(schemas[0]); i++) {
		const char *sc = schemas[i];

		for (int k = 0; k < 2; k++) {
			const char *name = k ? longname : "t";

			if (!sc || !strcmp(sc, "public"))
				snprintf(want, sizeof(want), "\"%s\"", name);
			else
				snprintf(want, sizeof(want), "\"%s\".\"%s\"", sc, name);
			ck_assert_str_eq(quote_rel(sc, name), cut(want, quoted));
			snprintf(want, sizeof(want), "%s.%s", sc ? sc : "public", name);
			ck_assert_str_eq(object_path(sc, name, NULL), cut(want, path));
			snprintf(want, sizeof(want), "%s.%s.%s", sc ? sc : "public", name, "c");
			ck_assert_str_eq(object_path(sc, name, "c"), cut(want, path));
		}
	}
	/* a change with no relation (ALTER TYPE ... ADD VALUE): glibc's %s */
	ck_assert_str_eq(object_path(NULL, NULL, NULL), "public.(null)");
	ck_assert_str_eq(quote_rel(NULL, NULL), "\"(null)\"");
}
END_TEST

/* attnum: one past the highest, however the columns came (catalog.c
   keeps the highest per relation in C) */
START_TEST(test_attnum_follows_changes)
{
	struct cat_col col;

	ok("CREATE TABLE t (a int, b int, c int);"
	   "ALTER TABLE t ADD d int");
	ck_assert(!cat_col_find(cat, rel_id("t"), "d", &col) && col.attnum == 4);
	ok("ALTER TABLE t DROP d; ALTER TABLE t ADD e int");
	ck_assert(!cat_col_find(cat, rel_id("t"), "e", &col) && col.attnum == 4);
	ok("ALTER TABLE t DROP c, DROP e; ALTER TABLE t ADD f int");
	ck_assert(!cat_col_find(cat, rel_id("t"), "f", &col) && col.attnum == 3);
	/* columns copied from the parent, then one of the child's own */
	ok("CREATE TABLE p (x int, y int) PARTITION BY LIST (x);"
	   "CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);"
	   "ALTER TABLE p ADD z int");
	ck_assert(!cat_col_find(cat, rel_id("p1"), "z", &col) && col.attnum == 3);
	ok("CREATE TABLE k (LIKE t); ALTER TABLE k ADD g int");
	ck_assert(!cat_col_find(cat, rel_id("k"), "g", &col) && col.attnum == 4);
}
END_TEST

/* A chain of views longer than SQLite's trigger depth goes with what
   it reads, whether a table or a column goes. */
START_TEST(test_long_view_chain_cascade)
{
	struct strbuf sb;
	int n = 700;

	strbuf_init(&sb);
	strbuf_addstr(&sb, "CREATE TABLE t (a int, b int);"
		      " CREATE VIEW v0 AS SELECT a FROM t;");
	for (int i = 1; i < n; i++)
		strbuf_addf(&sb, " CREATE VIEW v%d AS SELECT a FROM v%d;", i, i - 1);
	strbuf_addstr(&sb, " CREATE VIEW w AS SELECT b FROM t;");
	ok(sb.buf);
	ck_assert(rel_id("v699"));
	ok("ALTER TABLE t DROP COLUMN a CASCADE");
	ck_assert(!rel_id("v0") && !rel_id("v350") && !rel_id("v699"));
	ck_assert(rel_id("w") && rel_id("t"));
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "CREATE VIEW u0 AS SELECT b FROM t;");
	for (int i = 1; i < n; i++)
		strbuf_addf(&sb, " CREATE VIEW u%d AS SELECT b FROM u%d;", i, i - 1);
	ok(sb.buf);
	ok("DROP TABLE t CASCADE");
	ck_assert(!rel_id("t") && !rel_id("w") && !rel_id("u0") && !rel_id("u699"));
	strbuf_release(&sb);
}
END_TEST

/* ---- the columns table: catalog.c's store, as SQL sees it ---- */

static char qbuf[4096];

static int first_value(void *data, int ncols, const char *const *names,
		       const char *const *values)
{
	(void)data;
	(void)names;
	ck_assert_int_ge(ncols, 1);
	snprintf(qbuf, sizeof(qbuf), "%s", values[0] ? values[0] : "NULL");
	return 1;
}

/* The first value the first row of 'sql' over catalog 'c' has ("" for
   no row, "NULL" for NULL). */
static const char *q1_in(struct catalog *c, const char *sql)
{
	char *err = NULL;

	qbuf[0] = '\0';
	ck_assert_msg(!catalog_query(c, sql, first_value, NULL, &err), "%s: %s", sql,
		      err ? err : "?");
	return qbuf;
}

static const char *q1(const char *sql)
{
	return q1_in(cat, sql);
}

/* q1() of the SQL printf() makes of fmt. */
static const char *q1f(const char *fmt, ...) PRINTF_LIKE(1, 2);
static const char *q1f(const char *fmt, ...)
{
	char sql[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return q1(sql);
}

/* Every column's row, in id order, as text with each value's type. */
#define ALL_COLUMNS "SELECT group_concat(r, ' ') FROM (SELECT id || ',' || rel_id || ','" \
	" || attnum || ',' || name || ',' || type || ',' || quote(type_schema) || ','" \
	" || type_name || ',' || quote(typmod1) || ',' || quote(typmod2) || ','" \
	" || array_dims || ',' || not_null || ',' || quote(default_expr) || ','" \
	" || quote(default_volatility) || ',' || quote(identity) || ','" \
	" || quote(generated) || ',' || quote(comment) || ',' || created_file || ','" \
	" || in_range || ',' || quote(file_ref) || ',' || quote(file) || ',' || line" \
	" || ',' || quote(collation) AS r" \
	" FROM columns ORDER BY id)"

/* Rows that still name a column that is gone, or a relation. */
#define ORPHANS "SELECT (SELECT count(*) FROM columns WHERE rel_id NOT IN" \
	" (SELECT id FROM relations))" \
	" + (SELECT count(*) FROM index_columns WHERE column_id NOT IN (SELECT id FROM columns))" \
	" + (SELECT count(*) FROM index_deps WHERE column_id NOT IN (SELECT id FROM columns))" \
	" + (SELECT count(*) FROM constraint_columns WHERE column_id NOT IN" \
	"    (SELECT id FROM columns) OR ref_column_id NOT IN (SELECT id FROM columns))" \
	" + (SELECT count(*) FROM view_deps WHERE column_id NOT IN (SELECT id FROM columns))" \
	" + (SELECT count(*) FROM sequence_owners WHERE column_id NOT IN (SELECT id FROM columns))"

START_TEST(test_columns_table_rows)
{
	ok("CREATE TABLE t (id int PRIMARY KEY, name varchar(40) NOT NULL DEFAULT 'x',"
	   " price numeric(10, 2), tags text[] COLLATE \"C\","
	   " n bigint GENERATED ALWAYS AS IDENTITY)");
	ck_assert_str_eq(q1(ALL_COLUMNS),
		"1,1,1,id,integer,NULL,int4,NULL,NULL,0,1,NULL,NULL,NULL,NULL,NULL,0,1,1,'test.sql',1,"
		"NULL"
		" 2,1,2,name,character varying(40),NULL,varchar,40,NULL,0,1,'''x''','i',NULL,NULL,"
		"NULL,0,1,1,'test.sql',1,NULL"
		" 3,1,3,price,numeric(10,2),NULL,numeric,10,2,0,0,NULL,NULL,NULL,NULL,NULL,0,1,1,"
		"'test.sql',1,NULL"
		" 4,1,4,tags,text[],NULL,text,NULL,NULL,1,0,NULL,NULL,NULL,NULL,NULL,0,1,1,'test.sql',1,"
		"'C'"
		" 5,1,5,n,bigint,NULL,int8,NULL,NULL,0,1,NULL,NULL,'a',NULL,NULL,0,1,1,'test.sql',1,"
		"NULL");
	ck_assert_str_eq(q1("SELECT typeof(id) || typeof(rel_id) || typeof(typmod1) ||"
			    " typeof(name) || typeof(not_null) FROM columns WHERE name = 'price'"),
			 "integerintegerintegertextinteger");
	/* the lookups, with SQL's own comparisons */
	ck_assert_str_eq(q1("SELECT name FROM columns WHERE id = '3'"), "price");
	ck_assert_str_eq(q1("SELECT name FROM columns WHERE id = 3.0"), "price");
	ck_assert_str_eq(q1("SELECT count(*) FROM columns WHERE id = 3.5"), "0");
	ck_assert_str_eq(q1("SELECT name FROM columns WHERE rowid = 4"), "tags");
	ck_assert_str_eq(q1("SELECT attnum FROM columns WHERE rel_id = 1 AND name = 'n'"), "5");
	ck_assert_str_eq(q1("SELECT attnum FROM columns WHERE rel_id = '1' AND name = 'N'"
			    " COLLATE NOCASE"), "5");
	/* without ORDER BY, a relation's columns by name (as its index gave them) */
	ck_assert_str_eq(q1("SELECT group_concat(name) FROM columns WHERE rel_id IN (1, 7)"),
			 "id,n,name,price,tags");
	ck_assert_str_eq(q1("SELECT count(*) FROM columns WHERE rel_id = NULL"), "0");
}
END_TEST

START_TEST(test_columns_attnum_and_ids)
{
	ok("CREATE TABLE t (a int, b int, c int); CREATE TABLE u (x int)");
	ok("ALTER TABLE t DROP COLUMN c; ALTER TABLE u DROP COLUMN x");
	/* as SQLite: one past the highest id in use, one past the highest attnum */
	ok("ALTER TABLE t ADD COLUMN d int");
	ck_assert_str_eq(q1("SELECT id || ':' || attnum FROM columns WHERE name = 'd'"), "3:3");
	ok("ALTER TABLE t DROP COLUMN a; ALTER TABLE t ADD COLUMN e int");
	ck_assert_str_eq(q1("SELECT group_concat(name || attnum) FROM columns WHERE rel_id ="
			    " (SELECT id FROM relations WHERE name = 't')"), "b2,d3,e4");
	ok("ALTER TABLE t RENAME COLUMN b TO a");
	ck_assert_int_ne(col_id("t", "a"), 0);
	ck_assert_int_eq(col_id("t", "b"), 0);
	exec("ALTER TABLE t RENAME COLUMN a TO d");
	ck_assert(reported("duplicate-object"));
	ck_assert_str_eq(q1("SELECT count(*) FROM columns WHERE name = 'a'"), "1");
}
END_TEST

START_TEST(test_columns_go_with_their_relation)
{
	ok("CREATE SCHEMA s; CREATE TABLE s.x (id int PRIMARY KEY);"
	   "CREATE TABLE p (id int PRIMARY KEY, code text UNIQUE, x_id int REFERENCES s.x);"
	   "CREATE TABLE c (id serial PRIMARY KEY, p_code text REFERENCES p (code));"
	   "CREATE INDEX ON p (lower(code)); CREATE INDEX ON c (p_code) WHERE id > 0;"
	   "CREATE VIEW v AS SELECT code FROM p; CREATE VIEW w AS SELECT code FROM v");
	ck_assert_str_eq(q1(ORPHANS), "0");
	ok("DROP TABLE p CASCADE");
	ck_assert_int_eq(con_kind("c", "c_p_code_fkey"), 0);
	ck_assert_int_eq(rel_kind("v"), 0);
	ck_assert_int_eq(rel_kind("w"), 0);
	ck_assert_int_eq(rel_kind("p_lower_idx"), 0);
	ck_assert_str_eq(q1(ORPHANS), "0");
	ck_assert_str_eq(q1("SELECT group_concat(name) FROM columns"), "id,id,p_code");
	ok("DROP SCHEMA s CASCADE");
	ok("ALTER TABLE c DROP COLUMN id");
	ck_assert_int_eq(rel_kind("c_id_seq"), 0);
	ck_assert_int_eq(rel_kind("c_p_code_idx"), 0);
	ck_assert_str_eq(q1(ORPHANS), "0");
	ck_assert_str_eq(q1("SELECT group_concat(name) FROM columns"), "p_code");
}
END_TEST

/* Each of 'writes' refused with a message, by catalog_query(). */
static void expect_refused(const char *const *writes, size_t nr)
{
	char *err;

	for (size_t i = 0; i < nr; i++) {
		err = NULL;
		ck_assert_msg(catalog_query(cat, writes[i], first_value, NULL, &err) != 0,
			      "not refused: %s", writes[i]);
		ck_assert_ptr_nonnull(err);
		free(err);
	}
}

START_TEST(test_columns_read_only)
{
	static const char *const writes[] = {
		"DELETE FROM columns",
		"UPDATE columns SET name = 'b'",
		"INSERT INTO columns (id, rel_id, name) VALUES (9, 1, 'c')",
	};

	ok("CREATE TABLE t (a int)");
	expect_refused(writes, ARRAY_SIZE(writes));
	ck_assert_str_eq(q1("SELECT group_concat(name) FROM columns"), "a");
}
END_TEST

/*
 * relations (relstore.h through catalog.c's virtual table): rows in the
 * orders the table and its indexes gave them, lookups by each key, what
 * goes with a relation deleted through SQL (a schema's trigger), the
 * unique (schema_id, name), and no write through SQL.
 */
START_TEST(test_relations_table)
{
	static const char *const writes[] = {
		"DELETE FROM relations",
		"UPDATE relations SET name = 'x'",
		"INSERT INTO relations (id, schema_id, name, kind) VALUES (99, 2, 'y', 'r')",
	};
	cat_id pub, t;

	ok("CREATE TABLE b (id int PRIMARY KEY); CREATE TABLE a (x int, id serial);"
	   " CREATE INDEX a_x ON a (x); CREATE SEQUENCE c OWNED BY a.x;"
	   " CREATE TABLE p (k int) PARTITION BY LIST (k);"
	   " CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);"
	   " CREATE SCHEMA s; CREATE TABLE s.z (a int); CREATE VIEW s.v AS SELECT a FROM s.z");
	pub = cat_schema_find(cat, "public");
	t = rel_id("a");
	/* a scan by id; by schema, by name; the unique key's columns alone,
	   by (schema_id, name) */
	ck_assert_str_eq(q1("SELECT group_concat(name) FROM relations WHERE kind = 'r'"),
			 "b,a,p1,z");
	ck_assert_str_eq(q1f("SELECT group_concat(name) FROM (SELECT name FROM relations"
			     " WHERE schema_id = %lld)", (long long)pub),
			 "a,a_id_seq,a_x,b,b_pkey,c,p,p1");
	ck_assert_str_eq(q1("SELECT group_concat(name) FROM (SELECT name FROM relations)"),
			 "a,a_id_seq,a_x,b,b_pkey,c,p,p1,v,z");
	ck_assert_str_eq(q1f("SELECT kind FROM relations WHERE schema_id = %lld AND name = 'c'",
			     (long long)pub), "S");
	ck_assert_str_eq(q1f("SELECT group_concat(name) FROM relations WHERE table_id = %lld",
			     (long long)t), "a_id_seq,a_x");
	ck_assert_str_eq(q1("SELECT group_concat(c.name) FROM relations p JOIN relations c"
			    " ON c.parent_id = p.id WHERE p.name = 'p'"), "p1");
	ck_assert_str_eq(q1("SELECT count(*) FROM relations WHERE parent_id IS NULL"), "9");
	ck_assert_str_eq(q1("SELECT partition_bound FROM relations WHERE name = 'p1'"),
			 "FOR VALUES IN (1)");
	ck_assert_str_eq(q1("SELECT definition IS NOT NULL FROM relations WHERE name = 'v'"),
			 "1");
	/* the unique key: no second relation of a name in a schema */
	ck_assert_int_eq(cat_rel_create(cat, pub, "a", REL_TABLE, 0), 0);
	ck_assert_int_gt(cat_rel_create(cat, cat_schema_find(cat, "s"), "a", REL_TABLE, 0), 0);
	expect_refused(writes, ARRAY_SIZE(writes));
	/* a schema's trigger deletes its relations through SQL: theirs go too */
	ok("DROP SCHEMA s CASCADE");
	ck_assert_str_eq(q1("SELECT count(*) FROM relations WHERE schema_id NOT IN"
			    " (SELECT id FROM schemas)"), "0");
	ck_assert_str_eq(q1("SELECT count(*) FROM columns WHERE rel_id NOT IN"
			    " (SELECT id FROM relations)"), "0");
	ok("DROP TABLE a");
	ck_assert_int_eq(rel_kind("c"), 0);
	ck_assert_int_eq(rel_kind("a_id_seq"), 0);
	ck_assert_int_eq(rel_kind("a_x"), 0);
	ck_assert_str_eq(q1("SELECT group_concat(name) FROM relations WHERE kind = 'r'"), "b,p1");
}
END_TEST

/* index_columns and constraint_columns (linkstore.h through catalog.c's
   virtual tables): every column, each lookup as the indexes had them,
   rows in the order the tables gave them. */
#define ALL_INDEX_COLUMNS "SELECT group_concat(r, ' ') FROM (SELECT i.name || ':'" \
	" || ic.pos || ',' || quote(c.name) || ',' || quote(ic.expr) || ','" \
	" || ic.is_include || ',' || ic.descending AS r FROM relations i" \
	" JOIN index_columns ic ON ic.index_id = i.id LEFT JOIN columns c" \
	" ON c.id = ic.column_id ORDER BY i.name, ic.pos)"

START_TEST(test_index_columns_table)
{
	ok("CREATE TABLE t (a int, b int, c text);"
	   "CREATE INDEX t_x ON t (b DESC, lower(c)) INCLUDE (a);"
	   "CREATE UNIQUE INDEX t_y ON t (a, b); CREATE INDEX t_z ON t ((a + b))");
	ck_assert_str_eq(q1(ALL_INDEX_COLUMNS),
		"t_x:1,'b',NULL,0,1 t_x:2,NULL,'lower(c)',0,0 t_x:3,'a',NULL,1,0"
		" t_y:1,'a',NULL,0,0 t_y:2,'b',NULL,0,0 t_z:1,NULL,'a + b',0,0");
	ck_assert_str_eq(q1("SELECT typeof(index_id) || typeof(pos) || typeof(column_id) ||"
			    " typeof(expr) || typeof(is_include) FROM index_columns WHERE pos = 2"
			    " AND expr IS NOT NULL"), "integerintegernulltextinteger");
	/* by index, without ORDER BY: by position */
	ck_assert_str_eq(q1f("SELECT group_concat(pos) FROM index_columns WHERE"
		 " index_id = %lld", (long long)rel_id("t_x")), "1,2,3");
	ck_assert_str_eq(q1f("SELECT quote(expr) FROM index_columns WHERE"
		 " index_id = '%lld' AND pos = 2.0", (long long)rel_id("t_x")), "'lower(c)'");
	/* ORDER BY pos is the order a parent's rows come in; DESC is sorted */
	ck_assert_str_eq(q1f("SELECT group_concat(pos) FROM (SELECT pos FROM index_columns"
		 " WHERE index_id = ' %lld' ORDER BY pos)", (long long)rel_id("t_x")), "1,2,3");
	ck_assert_str_eq(q1f("SELECT group_concat(pos) FROM (SELECT pos FROM index_columns"
		 " WHERE index_id = %lld ORDER BY index_id, pos DESC)", (long long)rel_id("t_x")), "3,2,1");
	/* by column: in the order added; IS NULL finds the expressions */
	ck_assert_str_eq(q1f("SELECT group_concat(r.name) FROM index_columns ic JOIN"
		 " relations r ON r.id = ic.index_id WHERE ic.column_id = %lld",
		 (long long)col_id("t", "a")), "t_x,t_y");
	ck_assert_str_eq(q1("SELECT count(*) FROM index_columns WHERE column_id IS NULL"), "2");
	ck_assert_str_eq(q1("SELECT count(*) FROM index_columns WHERE column_id = NULL"), "0");
	ck_assert_str_eq(q1("SELECT count(*) FROM index_columns WHERE index_id = 1.5"), "0");
	/* a column dropped takes the indexes that use it, and their rows */
	ok("ALTER TABLE t DROP COLUMN c");
	ck_assert_int_eq(rel_kind("t_x"), 0);
	ck_assert_str_eq(q1(ALL_INDEX_COLUMNS),
		"t_y:1,'a',NULL,0,0 t_y:2,'b',NULL,0,0 t_z:1,NULL,'a + b',0,0");
	ok("DROP INDEX t_y");
	ck_assert_str_eq(q1("SELECT count(*) || ',' || count(DISTINCT index_id)"
			    " FROM index_columns"), "1,1");
	ck_assert_str_eq(q1(ORPHANS), "0");
}
END_TEST

START_TEST(test_constraint_columns_table)
{
	ok("CREATE TABLE p (a int, b int, PRIMARY KEY (a, b));"
	   "CREATE TABLE c (x int, y int, z int, FOREIGN KEY (y, x) REFERENCES p (a, b),"
	   " CONSTRAINT c_u UNIQUE (z, y))");
	ck_assert_str_eq(q1("SELECT group_concat(r, ' ') FROM (SELECT k.name || ':' || cc.pos"
			    " || ',' || c.name || ',' || coalesce(f.name, '-') AS r"
			    " FROM constraints k JOIN constraint_columns cc ON cc.con_id = k.id"
			    " JOIN columns c ON c.id = cc.column_id LEFT JOIN columns f"
			    " ON f.id = cc.ref_column_id ORDER BY k.name, cc.pos)"),
			 "c_u:1,z,- c_u:2,y,- c_y_x_fkey:1,y,a c_y_x_fkey:2,x,b"
			 " p_pkey:1,a,- p_pkey:2,b,-");
	ck_assert_str_eq(q1f("SELECT group_concat(k.name) FROM constraint_columns cc"
		 " JOIN constraints k ON k.id = cc.con_id WHERE cc.ref_column_id = %lld",
		 (long long)col_id("p", "b")), "c_y_x_fkey");
	ck_assert_str_eq(q1f("SELECT group_concat(k.name) FROM constraint_columns cc"
		 " JOIN constraints k ON k.id = cc.con_id WHERE cc.column_id = %lld",
		 (long long)col_id("c", "y")), "c_u,c_y_x_fkey");
	ck_assert_str_eq(q1("SELECT count(*) FROM constraint_columns WHERE ref_column_id IS NULL"),
			 "4");
	/* a referenced column dropped takes the foreign key; a column the
	   unique constraint has, that one */
	ok("ALTER TABLE p DROP COLUMN b CASCADE");
	ck_assert_int_eq(con_kind("c", "c_y_x_fkey"), 0);
	ck_assert_int_eq(con_kind("c", "c_u"), 'u');
	ok("ALTER TABLE c DROP COLUMN z");
	ck_assert_int_eq(con_kind("c", "c_u"), 0);
	ck_assert_str_eq(q1("SELECT count(*) FROM constraint_columns"), "0");
	ck_assert_str_eq(q1(ORPHANS), "0");
}
END_TEST

START_TEST(test_view_deps_table)
{
	ok("CREATE TABLE t (a int, b int); CREATE TABLE u (x int);"
	   "CREATE VIEW v AS SELECT a FROM t; CREATE VIEW w AS SELECT v.a, u.x FROM v, u");
	ck_assert_str_eq(q1f("SELECT group_concat(r.name || '.' || coalesce(c.name, '*'))"
		 " FROM view_deps d JOIN relations r ON r.id = d.rel_id LEFT JOIN columns c"
		 " ON c.id = d.column_id WHERE d.view_id = %lld", (long long)rel_id("w")), "v.*,u.x");
	ck_assert_str_eq(q1f("SELECT group_concat(r.name) FROM view_deps d JOIN relations r"
		 " ON r.id = d.view_id WHERE d.rel_id = %lld AND d.column_id IS NULL",
		 (long long)rel_id("v")), "w");
	/* replaced, a view keeps going; what it read no longer takes it */
	ok("CREATE OR REPLACE VIEW w AS SELECT u.x FROM u");
	ck_assert_int_eq(rel_kind("w"), 'v');
	ck_assert_str_eq(q1f("SELECT count(*) FROM view_deps WHERE rel_id = %lld",
		 (long long)rel_id("v")), "0");
	/* a column dropped takes the views that read it, and theirs */
	ok("CREATE VIEW y AS SELECT a FROM v; ALTER TABLE t DROP COLUMN a CASCADE");
	ck_assert_int_eq(rel_kind("v"), 0);
	ck_assert_int_eq(rel_kind("y"), 0);
	ck_assert_int_eq(rel_kind("w"), 'v');
	ok("DROP TABLE u CASCADE");
	ck_assert_int_eq(rel_kind("w"), 0);
	ck_assert_str_eq(q1("SELECT count(*) FROM view_deps"), "0");
	ck_assert_str_eq(q1("SELECT count(*) FROM dropping_views"), "0");
	ck_assert_str_eq(q1(ORPHANS), "0");
}
END_TEST

START_TEST(test_indexes_table)
{
	ok("CREATE TABLE p (id int, at date, code text) PARTITION BY RANGE (at);"
	   "CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');"
	   "CREATE INDEX p_at ON p (at) WHERE code IS NOT NULL;"
	   "CREATE UNIQUE INDEX p_id ON p USING btree (id, at) INCLUDE (code);"
	   "CREATE INDEX p_code ON p USING hash (code)");
	ck_assert_str_eq(q1("SELECT group_concat(r, ' ') FROM (SELECT r.name || ':' || t.name || ','"
			    " || i.is_unique || i.is_primary || ',' || i.method || ',' ||"
			    " quote(i.predicate) || ',' || i.nr_key || ',' || coalesce(pi.name, '-') AS r"
			    " FROM indexes i JOIN relations r ON r.id = i.rel_id JOIN relations t"
			    " ON t.id = i.table_id LEFT JOIN relations pi ON pi.id = i.parent_index"
			    " ORDER BY r.name)"),
			 "p1_at_idx:p1,00,btree,'code is not null',1,p_at"
			 " p1_code_idx:p1,00,hash,NULL,1,p_code p1_id_at_code_idx:p1,10,btree,NULL,2,p_id"
			 " p_at:p,00,btree,'code is not null',1,- p_code:p,00,hash,NULL,1,-"
			 " p_id:p,10,btree,NULL,2,-");
	/* the rowid is rel_id; by table in rel_id order; by parent_index */
	ck_assert_str_eq(q1f("SELECT rowid = rel_id FROM indexes WHERE rel_id = %lld",
		 (long long)rel_id("p_id")), "1");
	ck_assert_str_eq(q1f("SELECT group_concat(r.name) FROM indexes i JOIN relations r"
		 " ON r.id = i.rel_id WHERE i.table_id = %lld", (long long)rel_id("p")), "p_at,p_id,p_code");
	ck_assert_str_eq(q1f("SELECT group_concat(r.name) FROM indexes i JOIN relations r"
		 " ON r.id = i.rel_id WHERE i.parent_index = %lld", (long long)rel_id("p_id")), "p1_id_at_code_idx");
	ck_assert_str_eq(q1("SELECT count(*) FROM indexes WHERE parent_index IS NULL"), "3");
	/* a partitioned table's index takes its partitions' along */
	ok("DROP INDEX p_code");
	ck_assert_int_eq(rel_kind("p1_code_idx"), 0);
	/* a detached partition's indexes are its own */
	ok("ALTER TABLE p DETACH PARTITION p1");
	ck_assert_str_eq(q1("SELECT count(*) FROM indexes WHERE parent_index IS NOT NULL"), "0");
	ok("DROP INDEX p_id");
	ck_assert_int_eq(rel_kind("p1_id_at_code_idx"), 'i');
	/* a primary key made from a unique index */
	ok("CREATE TABLE t (a int NOT NULL); CREATE UNIQUE INDEX t_a ON t (a);"
	   "ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY USING INDEX t_a");
	ck_assert_str_eq(q1f("SELECT is_unique || is_primary FROM indexes WHERE rel_id = %lld",
		 (long long)rel_id("t_pk")), "11");
	ok("DROP TABLE p1; DROP TABLE t");
	ck_assert_str_eq(q1("SELECT group_concat(r.name) FROM indexes i JOIN relations r"
			    " ON r.id = i.rel_id"), "p_at");
	ck_assert_str_eq(q1("SELECT count(*) FROM index_columns"), "1");
	ck_assert_str_eq(q1(ORPHANS), "0");
}
END_TEST

START_TEST(test_link_tables_read_only)
{
	static const char *const writes[] = {
		"DELETE FROM index_columns",
		"UPDATE index_columns SET pos = 3",
		"INSERT INTO index_columns (index_id, pos) VALUES (1, 9)",
		"DELETE FROM constraint_columns",
		"INSERT INTO constraint_columns (con_id, pos, column_id) VALUES (1, 9, 1)",
		"DELETE FROM view_deps",
		"UPDATE indexes SET is_unique = 0",
		"DELETE FROM indexes",
	};

	ok("CREATE TABLE t (a int PRIMARY KEY)");
	expect_refused(writes, ARRAY_SIZE(writes));
	ck_assert_str_eq(q1("SELECT count(*) FROM index_columns"), "1");
	ck_assert_str_eq(q1("SELECT count(*) FROM constraint_columns"), "1");
}
END_TEST

START_TEST(test_columns_saved_and_loaded)
{
	struct cat_image img;
	struct catalog *c2;
	char before[sizeof(qbuf)];
	void *copy;

	ok("CREATE TABLE t (id int PRIMARY KEY, name varchar(40) COLLATE \"C\" NOT NULL"
	   " DEFAULT 'x', price numeric(10, 2), tags text[]); CREATE TABLE u (a int, b text);"
	   "ALTER TABLE u DROP COLUMN a; CREATE INDEX ON u (lower(b) DESC);"
	   "ALTER TABLE u ALTER COLUMN b TYPE varchar(9) COLLATE \"POSIX\"");
	ck_assert_str_eq(q1("SELECT group_concat(name || ':' || quote(collation))"
			    " FROM columns ORDER BY id"), "id:NULL,name:'C',price:NULL,tags:NULL,b:'POSIX'");
	snprintf(before, sizeof(before), "%s", q1(ALL_COLUMNS));
	ck_assert_int_eq(catalog_save(cat, &img), 0);
	copy = cat_image_alloc(img.len);
	memcpy(copy, img.data, img.len);
	ck_assert_int_eq(catalog_load(&c2, copy, img.len), 0);
	ck_assert_str_eq(q1_in(c2, ALL_COLUMNS), before);
	ck_assert_str_eq(q1_in(c2, "SELECT count(*) FROM columns c JOIN relations r"
			       " ON r.id = c.rel_id WHERE r.name = 't'"), "4");
	/* and the index and constraint columns */
	ck_assert_str_eq(q1_in(c2, ALL_INDEX_COLUMNS), "t_pkey:1,'id',NULL,0,0"
			 " u_lower_idx:1,NULL,'lower(b)',0,1");
	ck_assert_str_eq(q1_in(c2, "SELECT group_concat(k.name || ':' || cc.pos || ':' ||"
			       " c.name) FROM constraints k JOIN constraint_columns cc"
			       " ON cc.con_id = k.id JOIN columns c ON c.id = cc.column_id"), "t_pkey:1:id");
	/* a relation dropped in the loaded catalog takes its columns */
	cat_rel_drop(c2, rel_id("t"));
	ck_assert_str_eq(q1_in(c2, "SELECT group_concat(name) FROM columns"), "b");
	catalog_free(c2);
	cat_image_release(&img);
}
END_TEST

/* The column store's bytes at the image's end (colstore_save()): a
   damaged copy is refused, never half read. */
static int load_changed(const struct cat_image *img, size_t at, unsigned char byte)
{
	unsigned char *copy = cat_image_alloc(img->len);
	struct catalog *c2;
	int ret;

	memcpy(copy, img->data, img->len);
	copy[at] = byte;
	ret = catalog_load(&c2, copy, img->len);
	catalog_free(c2);
	return ret;
}

START_TEST(test_damaged_column_bytes_refused)
{
	struct cat_image img;
	size_t cols_len = 0, end;

	ok("CREATE TABLE t (id int PRIMARY KEY, name text); CREATE TABLE u (a int)");
	ck_assert_int_eq(catalog_save(cat, &img), 0);
	for (int i = 0; i < 8; i++)
		cols_len |= (size_t)((const unsigned char *)img.data)[img.len - 16 + i] << (8 * i);
	ck_assert_uint_gt(cols_len, 16);
	end = img.len - 16;
	ck_assert_int_eq(load_changed(&img, end - 1, 0xff), -1);   /* its collation's string */
	ck_assert_int_eq(load_changed(&img, end - 5, 0xff), -1);   /* the last row's flags */
	ck_assert_int_eq(load_changed(&img, end - 5, 0x00), 0);    /* the same */
	ck_assert_int_eq(load_changed(&img, end - 4 * 18 + 3, 0x7f), -1);  /* its id, far out */
	ck_assert_int_eq(load_changed(&img, end - 4 * 18, 0x00), -1);      /* ... or before */
	/* its relation, far out: refused, not reserved for */
	ck_assert_int_eq(load_changed(&img, end - 4 * 17 + 3, 0x7f), -1);
	ck_assert_int_eq(load_changed(&img, end - cols_len, 0xff), -1);    /* index columns count */
	ck_assert_int_eq(load_changed(&img, img.len - 9, 0x7f), -1);       /* the length */
	cat_image_release(&img);
}
END_TEST

START_TEST(test_columns_references_checked)
{
	cat_id cols[2];
	struct cat_con_def def = { 0 };
	char want[64];

	ok("CREATE TABLE t (a int, b int); CREATE INDEX t_a ON t (a)");
	/* a key with an expression: only the column is a row */
	cols[0] = col_id("t", "a");
	cols[1] = 0;
	def.kind = CON_UNIQUE;
	def.name = "t_u";
	def.columns = cols;
	def.nr_columns = 2;
	def.validated = true;
	ck_assert_int_ne(cat_con_add(cat, rel_id("t"), &def), 0);
	snprintf(want, sizeof(want), "1:%lld", (long long)cols[0]);
	ck_assert_str_eq(q1("SELECT group_concat(cc.pos || ':' || cc.column_id) FROM"
			    " constraint_columns cc JOIN constraints k ON k.id = cc.con_id"
			    " WHERE k.name = 't_u'"), want);
	cat_index_dep(cat, rel_id("t_a"), 9999);
	ck_assert_str_eq(q1("SELECT count(*) FROM index_deps"), "0");
	ck_assert_str_eq(q1(ORPHANS), "0");
	/* a column of a relation that is not there */
	def.name = NULL;
	ck_assert_int_eq(cat_col_add(cat, 9999, &(struct cat_col_def){ .name = "x",
			 .type = &(struct type_ref){ .name = "int4" } }), 0);
	ck_assert_str_eq(q1("SELECT count(*) FROM columns"), "2");
}
END_TEST

static Suite *replay_suite(void)
{
	Suite *s = suite_create("replay");
	TCase *names = tcase_create("names");
	TCase *objs = tcase_create("objects");
	TCase *chg = tcase_create("changes");

	tcase_add_checked_fixture(names, setup, teardown);
	tcase_add_test(names, test_names_create_table);
	tcase_add_test(names, test_lookups_follow_changes);
	tcase_add_test(names, test_attnum_follows_changes);
	tcase_add_test(names, test_first_lookups_after_changes);
	tcase_add_test(names, test_cached_rows_forgotten_by_id);
	tcase_add_test(names, test_quote_and_path_as_snprintf);
	tcase_add_test(names, test_long_view_chain_cascade);
	tcase_add_test(names, test_names_constraint_index_link);
	tcase_add_test(names, test_names_check);
	tcase_add_test(names, test_names_suffix_freed);
	tcase_add_test(names, test_names_check_unique_per_schema);
	tcase_add_test(names, test_names_index);
	tcase_add_test(names, test_names_index_include);
	tcase_add_test(names, test_names_unique_include);
	tcase_add_test(names, test_names_index_expression);
	tcase_add_test(names, test_names_index_expression_coalesce);
	tcase_add_test(names, test_names_index_expression_operator_over_function);
	tcase_add_test(names, test_names_index_expression_cast);
	tcase_add_test(names, test_names_index_repeated_column_names);
	tcase_add_test(names, test_names_index_avoids_relations);
	tcase_add_test(names, test_names_after_table_rename);
	tcase_add_test(names, test_names_alter_table);
	tcase_add_test(names, test_names_serial);
	tcase_add_test(names, test_names_serial_default);
	tcase_add_test(names, test_names_sequence_default_follows);
	tcase_add_test(names, test_names_serial_avoids_taken_name);
	tcase_add_test(names, test_names_truncated);
	tcase_add_test(names, test_names_truncated_multibyte);
	tcase_add_test(names, test_identifier_truncated);
	tcase_add_test(names, test_column_types);
	tcase_add_test(names, test_column_type_numeric_precision_only);
	tcase_add_test(names, test_names_shared_across_schemas);
	tcase_add_test(names, test_names_cut_alike_share_suffixes);
	suite_add_tcase(s, names);

	tcase_add_checked_fixture(objs, setup, teardown);
	tcase_add_test(objs, test_case_folding);
	tcase_add_test(objs, test_case_quoted);
	tcase_add_test(objs, test_schema_qualified);
	tcase_add_test(objs, test_search_path);
	tcase_add_test(objs, test_schema_index_drop);
	tcase_add_test(objs, test_fk_unqualified_target_uses_search_path);
	tcase_add_test(objs, test_fk_unqualified_self_reference_off_path);
	tcase_add_test(objs, test_rename_table);
	tcase_add_test(objs, test_rename_column);
	tcase_add_test(objs, test_rename_constraint_renames_index);
	tcase_add_test(objs, test_rename_check_constraint);
	tcase_add_test(objs, test_rename_index_renames_constraint);
	tcase_add_test(objs, test_rename_plain_index);
	tcase_add_test(objs, test_drop_column_takes_indexes_and_constraints);
	tcase_add_test(objs, test_drop_column_expression_index);
	tcase_add_test(objs, test_drop_table_frees_index_names);
	tcase_add_test(objs, test_drop_table_cascade_fks);
	tcase_add_test(objs, test_drop_if_exists_quiet);
	tcase_add_test(objs, test_drop_index_of_constraint);
	tcase_add_test(objs, test_duplicate_objects);
	tcase_add_test(objs, test_duplicate_if_not_exists_quiet);
	tcase_add_test(objs, test_duplicate_constraint_and_pk);
	tcase_add_test(objs, test_index_covers);
	tcase_add_test(objs, test_index_covers_constraints);
	suite_add_tcase(s, objs);

	tcase_add_checked_fixture(chg, setup, teardown);
	tcase_add_test(chg, test_alter_type_old_and_new);
	tcase_add_test(chg, test_alter_type_after_rename);
	tcase_add_test(chg, test_set_not_null_validated_check);
	tcase_add_test(chg, test_set_not_null_not_valid_check);
	tcase_add_test(chg, test_set_not_null_other_check_shapes);
	tcase_add_test(chg, test_truncate_cascade);
	tcase_add_test(chg, test_enum_add_value);
	tcase_add_test(chg, test_enum_before_first_repeatedly);
	tcase_add_test(chg, test_enum_many_between);
	tcase_add_test(chg, test_view_dropped_by_cascade);
	tcase_add_test(chg, test_view_on_other_table_survives);
	tcase_add_test(chg, test_default_null_not_stored);
	tcase_add_test(chg, test_view_columns_taken_on_trust);
	tcase_add_test(chg, test_alter_type_attribute);
	tcase_add_test(chg, test_rename_function);
	tcase_add_test(chg, test_aggregates_are_functions);
	tcase_add_test(chg, test_identity_set_generated_and_drop);
	tcase_add_test(chg, test_sequence_owned_by_none_survives);
	tcase_add_test(chg, test_sequence_owner_moves);
	tcase_add_test(chg, test_create_table_as_columns);
	tcase_add_test(chg, test_drop_function_cascade_drops_triggers);
	tcase_add_test(chg, test_create_table_folds_duplicate_unique);
	tcase_add_test(chg, test_columns_references_checked);
	tcase_add_test(chg, test_columns_table_rows);
	tcase_add_test(chg, test_columns_attnum_and_ids);
	tcase_add_test(chg, test_columns_go_with_their_relation);
	tcase_add_test(chg, test_columns_read_only);
	tcase_add_test(chg, test_relations_table);
	tcase_add_test(chg, test_index_columns_table);
	tcase_add_test(chg, test_constraint_columns_table);
	tcase_add_test(chg, test_view_deps_table);
	tcase_add_test(chg, test_indexes_table);
	tcase_add_test(chg, test_link_tables_read_only);
	tcase_add_test(chg, test_columns_saved_and_loaded);
	tcase_add_test(chg, test_damaged_column_bytes_refused);
	suite_add_tcase(s, chg);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(replay_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
