/*
 * test_parse.c - parse_sql(): spans and offsets, error recovery,
 * comments, the mapping of every statement kind, types, expressions
 * and constraints.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#include "banned.h"

static struct stmt_list L;
static const char *SRC;

static void setup(void)
{
	stmt_list_init(&L);
}

static void teardown(void)
{
	stmt_list_release(&L);
}

static void parse(const char *sql)
{
	stmt_list_release(&L);
	SRC = sql;
	ck_assert_int_eq(parse_sql(sql, strlen(sql), &L), 0);
}

static struct stmt *one(const char *sql, enum stmt_kind kind)
{
	parse(sql);
	ck_assert_msg(L.nr == 1, "%d statements in '%s'", L.nr, sql);
	ck_assert_msg(L.stmts[0].kind == kind, "kind %d, want %d for '%s'",
		      L.stmts[0].kind, kind, sql);
	ck_assert_ptr_nonnull(L.stmts[0].node);
	return &L.stmts[0];
}

/* The statement's text, as the span says. */
static const char *span(const struct stmt *st)
{
	static char buf[512];
	size_t n = st->end - st->start;

	ck_assert_uint_le(st->start, st->end);
	ck_assert_uint_lt(n, sizeof(buf));
	memcpy(buf, SRC + st->start, n);
	buf[n] = '\0';
	return buf;
}

static size_t offset_of(const char *needle)
{
	const char *p = strstr(SRC, needle);

	ck_assert_msg(p != NULL, "'%s' not in input", needle);
	return (size_t)(p - SRC);
}

#define ck_qname(q, sch, nm) do { \
	if (sch) \
		ck_assert_str_eq((q).schema, (const char *)(sch)); \
	else \
		ck_assert_ptr_null((q).schema); \
	ck_assert_str_eq((q).name, (nm)); \
} while (0)

/* ---- spans, offsets, recovery ------------------------------------- */

START_TEST(test_spans_multibyte)
{
	parse("-- é comment;\nSELECT 'é';\n  /* ü */ CREATE TABLE \"Ü\" (a int) /* t */ ;\n-- end");
	ck_assert_int_eq(L.nr, 2);
	ck_assert_str_eq(span(&L.stmts[0]), "SELECT 'é'");
	ck_assert_uint_eq(L.stmts[0].start, offset_of("SELECT"));
	ck_assert_str_eq(span(&L.stmts[1]), "CREATE TABLE \"Ü\" (a int)");
	ck_assert_uint_eq(L.stmts[1].start, offset_of("CREATE"));
	ck_assert_str_eq(L.stmts[1].u.create_table.name.name, "Ü");
	ck_assert_uint_eq(L.stmts[1].u.create_table.columns[0].start,
			  offset_of("a int"));
	ck_assert_int_eq(L.nr_comments, 4);
	ck_assert_str_eq(L.comments[0].text, "é comment;");
	ck_assert_uint_eq(L.comments[1].start, offset_of("/* ü */"));
	ck_assert_uint_eq(L.comments[1].end, offset_of("/* ü */") + strlen("/* ü */"));
	ck_assert_str_eq(L.comments[1].text, "ü");
	ck_assert_str_eq(L.comments[3].text, "end");
}
END_TEST

START_TEST(test_last_statement_without_semicolon)
{
	parse("select 1;\n\n  select 2 -- trailing\n\n");
	ck_assert_int_eq(L.nr, 2);
	ck_assert_str_eq(span(&L.stmts[1]), "select 2");
	ck_assert_str_eq(L.stmts[1].node, "SelectStmt");
}
END_TEST

START_TEST(test_syntax_error_middle)
{
	parse("create table a (id int);\nselec 1;\ncreate table b (id int);");
	ck_assert_int_eq(L.nr, 3);
	ck_assert_int_eq(L.stmts[0].kind, ST_CREATE_TABLE);
	ck_assert_str_eq(L.stmts[0].u.create_table.name.name, "a");
	ck_assert_int_eq(L.stmts[1].kind, ST_SYNTAX_ERROR);
	ck_assert_str_eq(span(&L.stmts[1]), "selec 1");
	ck_assert_uint_eq(L.stmts[1].u.error.offset, offset_of("selec"));
	ck_assert_ptr_nonnull(strstr(L.stmts[1].u.error.message, "syntax error"));
	ck_assert_int_eq(L.stmts[2].kind, ST_CREATE_TABLE);
	ck_assert_str_eq(L.stmts[2].u.create_table.name.name, "b");
	/* the slow path keeps locations absolute in the file */
	ck_assert_uint_eq(L.stmts[2].u.create_table.columns[0].start,
			  (size_t)(strstr(SRC + L.stmts[2].start, "id int") - SRC));
}
END_TEST

/* cursorpos counts characters; the offset must be in bytes */
START_TEST(test_error_offset_multibyte)
{
	parse("SELECT 'é'; selec 1;");
	ck_assert_int_eq(L.nr, 2);
	ck_assert_int_eq(L.stmts[0].kind, ST_SELECT);
	ck_assert_int_eq(L.stmts[1].kind, ST_SYNTAX_ERROR);
	ck_assert_uint_eq(L.stmts[1].u.error.offset, 13);
	parse("select 1; select 'éé' from from t;");
	ck_assert_int_eq(L.stmts[1].kind, ST_SYNTAX_ERROR);
	ck_assert_uint_eq(L.stmts[1].u.error.offset, offset_of("from t"));
	/* at end of input: the end of the piece */
	parse("select 1; select 'éé' + ;");
	ck_assert_int_eq(L.stmts[1].kind, ST_SYNTAX_ERROR);
	ck_assert_uint_eq(L.stmts[1].u.error.offset, offset_of("+ ;") + 1);
	parse("select 'ü';\nselect (1 + ");
	ck_assert_int_eq(L.stmts[1].kind, ST_SYNTAX_ERROR);
	ck_assert_uint_le(L.stmts[1].u.error.offset, L.stmts[1].end);
	ck_assert_uint_ge(L.stmts[1].u.error.offset, L.stmts[1].start);
}
END_TEST

START_TEST(test_unterminated)
{
	parse("select 1; select 'abc; select 2");
	ck_assert_int_eq(L.nr, 2);
	ck_assert_int_eq(L.stmts[0].kind, ST_SELECT);
	ck_assert_int_eq(L.stmts[1].kind, ST_SYNTAX_ERROR);
	ck_assert_ptr_nonnull(strstr(L.stmts[1].u.error.message, "unterminated"));
	ck_assert_uint_eq(L.stmts[1].u.error.offset, offset_of("'abc"));

	parse("select 1; do $$ begin; select 2");
	ck_assert_int_eq(L.nr, 2);
	ck_assert_int_eq(L.stmts[1].kind, ST_SYNTAX_ERROR);

	parse("select 1; /* abc; select 2");
	ck_assert_int_eq(L.nr, 1);
	ck_assert_int_eq(L.stmts[0].kind, ST_SELECT);
	ck_assert_int_eq(L.nr_comments, 1);
	ck_assert_str_eq(L.comments[0].text, "abc; select 2");

	parse("select \"abc");
	ck_assert_int_eq(L.nr, 1);
	ck_assert_int_eq(L.stmts[0].kind, ST_SYNTAX_ERROR);
}
END_TEST

START_TEST(test_comments_and_bodies)
{
	parse("do $$ begin; perform 1; end $$; --  x; select\n/* ; */\n-- migsafe:ignore drop-table  \n");
	ck_assert_int_eq(L.nr, 1);
	ck_assert_int_eq(L.stmts[0].kind, ST_DO);
	ck_assert_str_eq(span(&L.stmts[0]), "do $$ begin; perform 1; end $$");
	ck_assert_int_eq(L.nr_comments, 3);
	ck_assert_str_eq(L.comments[0].text, "x; select");
	ck_assert_str_eq(L.comments[1].text, ";");
	ck_assert_str_eq(L.comments[2].text, "migsafe:ignore drop-table");
	/* comments inside strings and quoted identifiers are not comments */
	parse("select '-- no', \"/* no */\" from t -- yes");
	ck_assert_int_eq(L.nr_comments, 1);
	ck_assert_str_eq(L.comments[0].text, "yes");
	/* empty and comment-only input */
	parse("");
	ck_assert_int_eq(L.nr, 0);
	parse("  -- nothing\n /* here */ ;; ");
	ck_assert_int_eq(L.nr, 0);
	ck_assert_int_eq(L.nr_comments, 2);
}
END_TEST

START_TEST(test_begin_atomic)
{
	/* the syntax error forces the splitter to handle BEGIN ATOMIC */
	parse("create function f() returns int language sql begin atomic "
	      "select case when true then 1 end; select 2; end; selec; select 3");
	ck_assert_int_eq(L.nr, 3);
	ck_assert_int_eq(L.stmts[0].kind, ST_CREATE_FUNCTION);
	ck_assert_str_eq(L.stmts[0].u.function.language, "sql");
	ck_assert_int_eq(L.stmts[1].kind, ST_SYNTAX_ERROR);
	ck_assert_int_eq(L.stmts[2].kind, ST_SELECT);
	ck_assert_str_eq(span(&L.stmts[2]), "select 3");
}
END_TEST

START_TEST(test_bom)
{
	parse("\xEF\xBB\xBFselect 1");
	ck_assert_int_eq(L.nr, 1);
	ck_assert_int_eq(L.stmts[0].kind, ST_SELECT);
	ck_assert_uint_eq(L.stmts[0].start, 3);
}
END_TEST

/* 'n' times 'term' between 'head' and 'tail', a statement between two
   CREATE TABLEs: kept unread (ST_UNREADABLE, node 'node'), not fatal,
   its neighbours intact */
static void check_unreadable(const char *head, const char *term, int n, const char *tail,
			     const char *node)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_addf(&sb, "create table a (x int);\n%s", head);
	for (int i = 0; i < n; i++)
		strbuf_addstr(&sb, term);
	strbuf_addf(&sb, "%s;\ncreate table b (y int);", tail);
	parse(sb.buf);
	ck_assert_int_eq(L.nr, 3);
	ck_assert_int_eq(L.stmts[0].kind, ST_CREATE_TABLE);
	ck_assert_int_eq(L.stmts[1].kind, ST_UNREADABLE);
	ck_assert_str_eq(L.stmts[1].node, node);
	ck_assert_ptr_nonnull(strstr(L.stmts[1].u.error.message, "nested too deeply"));
	ck_assert_uint_eq(L.stmts[1].start, strlen("create table a (x int);\n"));
	ck_assert_int_eq(L.stmts[2].kind, ST_CREATE_TABLE);
	ck_assert_str_eq(L.stmts[2].u.create_table.name.name, "b");
	stmt_list_release(&L);
	strbuf_release(&sb);
}

/* deeper than cJSON's nesting limit */
START_TEST(test_too_deep)
{
	check_unreadable("create table t (a int check (a", " + a", 3000, " > 0))", "CreateStmt");
}
END_TEST

/*
 * Left-deep: each '+' a level of the tree, which the grammar builds
 * without recursing; libpg_query's JSON writer recursed 300,000 levels
 * and overflowed the stack. Stopped by the bound (pgguard.h), in a
 * small file and in a big one (parsed in runs).
 */
START_TEST(test_left_deep)
{
	check_unreadable("create view v as select 1", " + 1", 30000, " as n", "ViewStmt");
	check_unreadable("create view v as select 1", " + 1", 300000, " as n", "ViewStmt");
}
END_TEST

/*
 * A view's relations, each once where it first comes, qualified apart
 * from unqualified; past 32 of them through the sorted way. CTEs are
 * not relations.
 */
START_TEST(test_view_rels_once)
{
	struct strbuf sb;
	const struct create_view *v;

	strbuf_init(&sb);
	strbuf_addstr(&sb, "create view v as with c as (select 1) select 1 from t3, c");
	for (int i = 0; i < 40; i++)
		strbuf_addf(&sb, ", t%d, s.t%d", i % 20, i % 3);
	strbuf_addstr(&sb, ", public.t3, t3");
	v = &one(sb.buf, ST_CREATE_VIEW)->u.view;
	/* t3, t0, s.t0, s.t1, t1, t2, s.t2, t4 .. t19, public.t3 */
	ck_assert_int_eq(v->nr_rels, 1 + 20 - 1 + 3 + 1);
	ck_assert_str_eq(v->rels[0].name, "t3");
	ck_assert_ptr_null(v->rels[0].schema);
	ck_assert_str_eq(v->rels[1].name, "t0");
	ck_assert_str_eq(v->rels[2].schema, "s");
	ck_assert_str_eq(v->rels[2].name, "t0");
	ck_assert_str_eq(v->rels[3].name, "t1");
	ck_assert_ptr_null(v->rels[3].schema);
	ck_assert_str_eq(v->rels[v->nr_rels - 1].schema, "public");
	ck_assert_str_eq(v->rels[v->nr_rels - 1].name, "t3");
	strbuf_release(&sb);
}
END_TEST

/*
 * A file over 256 KB (a schema dump) is parsed a run of statements at a
 * time: the same statements, spans and comments as a small file gives,
 * across the runs' edges, with a syntax error failing only itself.
 */
START_TEST(test_big_file_in_runs)
{
	struct strbuf sb;
	char want[128];
	int n = 6000, bad = 3000, i;

	strbuf_init(&sb);
	for (i = 0; i < n; i++) {
		strbuf_addf(&sb, "-- table %d\n", i);
		if (i == bad)
			strbuf_addstr(&sb, "create tabel broken (x int);\n");
		else if (i % 7 == 0)
			strbuf_addf(&sb, "create function f%d() returns int as $b$ select 1; $b$"
				    " language sql;\n", i);
		else
			strbuf_addf(&sb, "create table t%d (id bigint primary key, note text"
				    " default 'a;b');\n", i);
	}
	ck_assert_uint_gt(sb.len, 256 * 1024);
	parse(sb.buf);
	ck_assert_int_eq(L.nr, n);
	ck_assert_int_eq(L.nr_comments, n);
	for (i = 0; i < n; i++) {
		const struct stmt *st = &L.stmts[i];

		if (i == bad) {
			ck_assert_int_eq(st->kind, ST_SYNTAX_ERROR);
			ck_assert_str_eq(span(st), "create tabel broken (x int)");
			continue;
		}
		if (i % 7 == 0) {
			snprintf(want, sizeof(want), "create function f%d() returns int as"
				 " $b$ select 1; $b$ language sql", i);
			ck_assert_str_eq(span(st), want);
			continue;
		}
		ck_assert_int_eq(st->kind, ST_CREATE_TABLE);
		snprintf(want, sizeof(want), "t%d", i);
		ck_assert_str_eq(st->u.create_table.name.name, want);
		snprintf(want, sizeof(want), "create table t%d (id bigint primary key,"
			 " note text default 'a;b')", i);
		ck_assert_str_eq(span(st), want);
	}
	SRC = NULL;
	stmt_list_release(&L);
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_backend_version)
{
	ck_assert_ptr_nonnull(strstr(parse_backend_version(), "libpg_query 15"));
	ck_assert_ptr_nonnull(strstr(parse_backend_version(), "PostgreSQL 15"));
}
END_TEST

/* EXECUTE of a string constant is as static as the statement itself. */
START_TEST(test_do_block_constant_execute)
{
	struct stmt_list sl;
	bool dynamic;

	stmt_list_init(&sl);
	ck_assert_int_eq(parse_do_block(" BEGIN EXECUTE 'CREATE INDEX i ON t (a)';"
					" IF true THEN EXECUTE $q$ALTER TABLE t ADD c int$q$; END IF;"
					" CREATE TABLE u (id int); END ", &sl, &dynamic), 3);
	ck_assert(!dynamic);
	ck_assert_int_eq(sl.nr, 3);
	ck_assert_int_eq(sl.stmts[0].kind, ST_CREATE_INDEX);
	ck_assert_int_eq(sl.stmts[1].kind, ST_ALTER_TABLE);
	ck_assert_int_eq(sl.stmts[2].kind, ST_CREATE_TABLE);
	stmt_list_release(&sl);
	stmt_list_init(&sl);
	ck_assert_int_eq(parse_do_block(" BEGIN EXECUTE format('DROP TABLE %I', 't');"
					" EXECUTE 'DROP TABLE ' || 'u'; END ", &sl, &dynamic), 0);
	ck_assert(dynamic);
	stmt_list_release(&sl);
}
END_TEST

/* ---- every statement kind ------------------------------------------ */

static const struct {
	const char *sql;
	enum stmt_kind kind;
	const char *node;
} kinds[] = {
	{ "selec 1", ST_SYNTAX_ERROR, NULL },
	{ "create role bob", ST_OTHER, "CreateRoleStmt" },
	{ "explain select 1", ST_OTHER, "ExplainStmt" },
	{ "create table t (a int)", ST_CREATE_TABLE, "CreateStmt" },
	{ "create table t as select 1", ST_CREATE_TABLE, "CreateTableAsStmt" },
	{ "select 1 into t", ST_CREATE_TABLE, "SelectStmt" },
	{ "alter table t add column a int", ST_ALTER_TABLE, "AlterTableStmt" },
	{ "create index on t (a)", ST_CREATE_INDEX, "IndexStmt" },
	{ "drop table t", ST_DROP, "DropStmt" },
	{ "alter table t rename to u", ST_RENAME, "RenameStmt" },
	{ "truncate t", ST_TRUNCATE, "TruncateStmt" },
	{ "lock t", ST_LOCK, "LockStmt" },
	{ "alter domain s.d set not null", ST_ALTER_DOMAIN, "AlterDomainStmt" },
	{ "create schema s", ST_CREATE_SCHEMA, "CreateSchemaStmt" },
	{ "create view v as select 1", ST_CREATE_VIEW, "ViewStmt" },
	{ "create materialized view v as select 1", ST_CREATE_VIEW, "CreateTableAsStmt" },
	{ "create sequence s", ST_CREATE_SEQUENCE, "CreateSeqStmt" },
	{ "alter sequence s restart", ST_ALTER_SEQUENCE, "AlterSeqStmt" },
	{ "create type m as enum ('a')", ST_CREATE_ENUM, "CreateEnumStmt" },
	{ "alter type m add value 'b'", ST_ALTER_ENUM, "AlterEnumStmt" },
	{ "create domain d as int", ST_CREATE_DOMAIN, "CreateDomainStmt" },
	{ "create type c as (a int)", ST_CREATE_COMPOSITE, "CompositeTypeStmt" },
	{ "create extension pgcrypto", ST_CREATE_EXTENSION, "CreateExtensionStmt" },
	{ "create function f() returns int as 'select 1' language sql", ST_CREATE_FUNCTION, "CreateFunctionStmt" },
	{ "create trigger tr after insert on t for each row execute function f()", ST_CREATE_TRIGGER, "CreateTrigStmt" },
	{ "create policy p on t using (true)", ST_CREATE_POLICY, "CreatePolicyStmt" },
	{ "alter table t set schema s", ST_ALTER_OBJECT_SCHEMA, "AlterObjectSchemaStmt" },
	{ "comment on table t is 'x'", ST_COMMENT, "CommentStmt" },
	{ "grant select on t to bob", ST_GRANT, "GrantStmt" },
	{ "revoke r from u", ST_GRANT, "GrantRoleStmt" },
	{ "alter default privileges grant select on tables to r", ST_GRANT, "AlterDefaultPrivilegesStmt" },
	{ "alter schema s owner to bob", ST_OWNER, "AlterOwnerStmt" },
	{ "insert into t values (1)", ST_INSERT, "InsertStmt" },
	{ "update t set a = 1", ST_UPDATE, "UpdateStmt" },
	{ "delete from t", ST_DELETE, "DeleteStmt" },
	{ "begin", ST_TRANSACTION, "TransactionStmt" },
	{ "set lock_timeout = '1s'", ST_SET, "VariableSetStmt" },
	{ "do $$ begin end $$", ST_DO, "DoStmt" },
	{ "vacuum t", ST_MAINTENANCE, "VacuumStmt" },
	{ "cluster t using i", ST_MAINTENANCE, "ClusterStmt" },
	{ "reindex table t", ST_MAINTENANCE, "ReindexStmt" },
	{ "refresh materialized view m", ST_MAINTENANCE, "RefreshMatViewStmt" },
	{ "drop database d", ST_DROP_DATABASE, "DropdbStmt" },
	{ "create database d", ST_CREATE_DATABASE, "CreatedbStmt" },
	{ "select now()", ST_SELECT, "SelectStmt" },
};

START_TEST(test_kinds)
{
	struct stmt *st = one(kinds[_i].sql, kinds[_i].kind);

	if (kinds[_i].node)
		ck_assert_str_eq(st->node, kinds[_i].node);
	ck_assert_str_eq(span(st), kinds[_i].sql);
}
END_TEST

/* ---- types ---------------------------------------------------------- */

static const struct {
	const char *written;
	const char *schema, *name;
	int nr_mods, mod0, mod1, dims;
	bool serial;
} types[] = {
	{ "int", NULL, "int4", 0, 0, 0, 0, false },
	{ "integer", NULL, "int4", 0, 0, 0, 0, false },
	{ "int4", NULL, "int4", 0, 0, 0, 0, false },
	{ "pg_catalog.int4", NULL, "int4", 0, 0, 0, 0, false },
	{ "smallint", NULL, "int2", 0, 0, 0, 0, false },
	{ "int2", NULL, "int2", 0, 0, 0, 0, false },
	{ "bigint", NULL, "int8", 0, 0, 0, 0, false },
	{ "int8", NULL, "int8", 0, 0, 0, 0, false },
	{ "real", NULL, "float4", 0, 0, 0, 0, false },
	{ "float4", NULL, "float4", 0, 0, 0, 0, false },
	{ "double precision", NULL, "float8", 0, 0, 0, 0, false },
	{ "float", NULL, "float8", 0, 0, 0, 0, false },
	{ "float8", NULL, "float8", 0, 0, 0, 0, false },
	{ "float(10)", NULL, "float4", 0, 0, 0, 0, false },
	{ "float(24)", NULL, "float4", 0, 0, 0, 0, false },
	{ "float(25)", NULL, "float8", 0, 0, 0, 0, false },
	{ "decimal", NULL, "numeric", 0, 0, 0, 0, false },
	{ "numeric(12,2)", NULL, "numeric", 2, 12, 2, 0, false },
	{ "decimal(10)", NULL, "numeric", 1, 10, 0, 0, false },
	{ "boolean", NULL, "bool", 0, 0, 0, 0, false },
	{ "bool", NULL, "bool", 0, 0, 0, 0, false },
	{ "character varying(20)", NULL, "varchar", 1, 20, 0, 0, false },
	{ "varchar(64)", NULL, "varchar", 1, 64, 0, 0, false },
	{ "varchar", NULL, "varchar", 0, 0, 0, 0, false },
	{ "varchar[]", NULL, "varchar", 0, 0, 0, 1, false },
	{ "int[][]", NULL, "int4", 0, 0, 0, 2, false },
	{ "char", NULL, "bpchar", 1, 1, 0, 0, false },
	{ "character(3)", NULL, "bpchar", 1, 3, 0, 0, false },
	{ "bpchar", NULL, "bpchar", 0, 0, 0, 0, false },
	{ "text", NULL, "text", 0, 0, 0, 0, false },
	{ "timestamp", NULL, "timestamp", 0, 0, 0, 0, false },
	{ "timestamp(3)", NULL, "timestamp", 1, 3, 0, 0, false },
	{ "timestamp without time zone", NULL, "timestamp", 0, 0, 0, 0, false },
	{ "timestamptz", NULL, "timestamptz", 0, 0, 0, 0, false },
	{ "timestamp with time zone", NULL, "timestamptz", 0, 0, 0, 0, false },
	{ "timestamp(6) with time zone", NULL, "timestamptz", 1, 6, 0, 0, false },
	{ "time", NULL, "time", 0, 0, 0, 0, false },
	{ "timetz", NULL, "timetz", 0, 0, 0, 0, false },
	{ "time with time zone", NULL, "timetz", 0, 0, 0, 0, false },
	{ "interval", NULL, "interval", 0, 0, 0, 0, false },
	{ "jsonb", NULL, "jsonb", 0, 0, 0, 0, false },
	{ "serial", NULL, "int4", 0, 0, 0, 0, true },
	{ "serial4", NULL, "int4", 0, 0, 0, 0, true },
	{ "bigserial", NULL, "int8", 0, 0, 0, 0, true },
	{ "serial8", NULL, "int8", 0, 0, 0, 0, true },
	{ "smallserial", NULL, "int2", 0, 0, 0, 0, true },
	{ "serial2", NULL, "int2", 0, 0, 0, 0, true },
	{ "\"MyType\"", NULL, "MyType", 0, 0, 0, 0, false },
	{ "MyType", NULL, "mytype", 0, 0, 0, 0, false },
	{ "public.mood", "public", "mood", 0, 0, 0, 0, false },
	{ "public.mood[]", "public", "mood", 0, 0, 0, 1, false },
};

START_TEST(test_types)
{
	char sql[200];
	struct stmt *st;
	struct type_ref *t;

	snprintf(sql, sizeof(sql), "create table t (c %s)", types[_i].written);
	st = one(sql, ST_CREATE_TABLE);
	ck_assert_int_eq(st->u.create_table.nr_columns, 1);
	t = &st->u.create_table.columns[0].type;
	ck_assert_msg(t->name && !strcmp(t->name, types[_i].name),
		      "'%s' -> '%s', want '%s'", types[_i].written, t->name,
		      types[_i].name);
	if (types[_i].schema)
		ck_assert_str_eq(t->schema, types[_i].schema);
	else
		ck_assert_ptr_null(t->schema);
	ck_assert_int_eq(t->nr_mods, types[_i].nr_mods);
	if (t->nr_mods > 0)
		ck_assert_int_eq(t->mods[0], types[_i].mod0);
	if (t->nr_mods > 1)
		ck_assert_int_eq(t->mods[1], types[_i].mod1);
	ck_assert_int_eq(t->array_dims, types[_i].dims);
	ck_assert_int_eq(t->serial, types[_i].serial);
}
END_TEST

/* ---- expressions ----------------------------------------------------- */

static const struct {
	const char *written;
	const char *text;
	const char *funcs;      /* comma-joined */
	const char *columns;
	bool is_const, is_null, has_subquery;
} exprs[] = {
	{ "now()", "now()", "now", "", false, false, false },
	{ "NOW( )", "now()", "now", "", false, false, false },
	{ "pg_catalog.now()", "now()", "now", "", false, false, false },
	{ "CURRENT_TIMESTAMP", "current_timestamp", "current_timestamp", "", false, false, false },
	{ "current_date", "current_date", "current_date", "", false, false, false },
	{ "localtimestamp(3)", "localtimestamp(3)", "localtimestamp", "", false, false, false },
	{ "nextval('s'::regclass)", "nextval('s'::regclass)", "nextval", "", false, false, false },
	{ "0", "0", "", "", true, false, false },
	{ "-1", "-1", "", "", true, false, false },
	{ "42", "42", "", "", true, false, false },
	{ "1.5", "1.5", "", "", true, false, false },
	{ "'it''s'", "'it''s'", "", "", true, false, false },
	{ "'x'::text", "'x'::text", "", "", true, false, false },
	{ "'{}'::int[]", "'{}'::int4[]", "", "", true, false, false },
	{ "CAST('a' AS varchar(3))", "'a'::varchar(3)", "", "", true, false, false },
	{ "interval '1 day'", "'1 day'::interval", "", "", true, false, false },
	{ "true", "true", "", "", true, false, false },
	{ "false", "false", "", "", true, false, false },
	{ "NULL", "null", "", "", true, true, false },
	{ "NULL::text", "null::text", "", "", true, true, false },
	{ "B'101'", "b'101'", "", "", true, false, false },
	{ "gen_random_uuid()", "gen_random_uuid()", "gen_random_uuid", "", false, false, false },
	{ "Lower(Name)  ||  'X'", "lower(name) || 'X'", "lower", "name", false, false, false },
	/* names that need quotes keep them: the text reads back as written */
	{ "\"Name\" || upper(b)", "\"Name\" || upper(b)", "upper", "Name,b", false, false, false },
	{ "\"user\" = \"order\".x", "\"user\" = \"order\".x", "", "user,x", false, false, false },
	{ "a + b * c", "a + (b * c)", "", "a,b,c", false, false, false },
	{ "(a + b) * c", "(a + b) * c", "", "a,b,c", false, false, false },
	{ "-a", "-a", "", "a", false, false, false },
	{ "a IN (1, 2)", "a in (1, 2)", "", "a", false, false, false },
	{ "a NOT IN ('x')", "a not in ('x')", "", "a", false, false, false },
	{ "a BETWEEN 1 AND 2", "a between 1 and 2", "", "a", false, false, false },
	{ "a LIKE 'x%'", "a like 'x%'", "", "a", false, false, false },
	{ "a NOT ILIKE 'x%'", "a not ilike 'x%'", "", "a", false, false, false },
	{ "a = ANY(b)", "a = any (b)", "", "a,b", false, false, false },
	{ "a IS DISTINCT FROM b", "a is distinct from b", "", "a,b", false, false, false },
	{ "NULLIF(a, '')", "nullif(a, '')", "", "a", false, false, false },
	{ "a > 0 AND b > 0 OR NOT c", "((a > 0) and (b > 0)) or (not c)", "", "a,b,c", false, false, false },
	{ "a IS NOT NULL", "a is not null", "", "a", false, false, false },
	{ "a IS TRUE", "a is true", "", "a", false, false, false },
	{ "a IS NOT UNKNOWN", "a is not unknown", "", "a", false, false, false },
	{ "CASE WHEN a THEN 1 ELSE 2 END", "case when a then 1 else 2 end", "", "a", false, false, false },
	{ "CASE a WHEN 1 THEN 'x' END", "case a when 1 then 'x' end", "", "a", false, false, false },
	{ "COALESCE(a, b, 0)", "coalesce(a, b, 0)", "", "a,b", false, false, false },
	{ "GREATEST(a, 1)", "greatest(a, 1)", "", "a", false, false, false },
	{ "LEAST(a, 1)", "least(a, 1)", "", "a", false, false, false },
	{ "ARRAY[1, 2]", "array[1, 2]", "", "", false, false, false },
	{ "ROW(1, a)", "row(1, a)", "", "a", false, false, false },
	{ "$1", "$1", "", "", false, false, false },
	{ "'x' COLLATE \"C\"", "'x' collate \"C\"", "", "", false, false, false },
	{ "f(a => 1)", "f(a => 1)", "f", "", false, false, false },
	{ "(a).b", "(a).b", "", "a", false, false, false },
	{ "a[1]", "a[1]", "", "a", false, false, false },
	{ "t.a::int", "t.a::int4", "", "a", false, false, false },
	{ "(a + 1)::text", "(a + 1)::text", "", "a", false, false, false },
	{ "count(*)", "count(*)", "count", "", false, false, false },
	{ "count(DISTINCT a)", "count(distinct a)", "count", "a", false, false, false },
	{ "EXISTS (SELECT 1 FROM t)", "exists (<subquery>)", "", "", false, false, true },
	{ "(SELECT max(x) FROM t)", "(<subquery>)", "", "", false, false, true },
	{ "a = 1 AND now() > b AND now() < c", "(a = 1) and (now() > b) and (now() < c)", "now", "a,b,c", false, false, false },
	{ "extract(year from a)", "extract('year', a)", "extract", "a", false, false, false },
	{ "a AT TIME ZONE 'UTC'", "timezone('UTC', a)", "timezone", "a", false, false, false },
	{ "a::\"MyType\"", "a::\"MyType\"", "", "a", false, false, false },
	{ "a::\"user\"[]", "a::\"user\"[]", "", "a", false, false, false },
	{ "a::interval", "a::interval", "", "a", false, false, false },
	{ "'1 hour'::interval hour", "'1 hour'::interval hour", "", "", true, false, false },
	{ "interval '1' second(3)", "'1'::interval second(3)", "", "", true, false, false },
	{ "a::interval day to minute", "a::interval day to minute", "", "a", false, false, false },
	{ "xmlelement(name foo)", "<XmlExpr>", "", "", false, false, false },
};

static void ck_list(const char **v, int nr, const char *joined)
{
	struct strbuf sb;
	int i;

	strbuf_init(&sb);
	for (i = 0; i < nr; i++)
		strbuf_addf(&sb, "%s%s", i ? "," : "", v[i]);
	ck_assert_str_eq(sb.buf, joined);
	strbuf_release(&sb);
}

START_TEST(test_exprs)
{
	char sql[300];
	struct stmt *st;
	struct expr *e;

	/* SELECT expressions are not kept; a UPDATE ... USING is not DDL. A
	   policy's USING takes any expression. */
	snprintf(sql, sizeof(sql), "create policy p on t using (%s)", exprs[_i].written);
	st = one(sql, ST_CREATE_POLICY);
	e = st->u.policy.using_expr;
	ck_assert_ptr_nonnull(e);
	ck_assert_msg(!strcmp(e->text, exprs[_i].text), "'%s' -> '%s', want '%s'",
		      exprs[_i].written, e->text, exprs[_i].text);
	ck_list(e->funcs, e->nr_funcs, exprs[_i].funcs);
	ck_list(e->columns, e->nr_columns, exprs[_i].columns);
	ck_assert_int_eq(e->is_const, exprs[_i].is_const);
	ck_assert_int_eq(e->is_null, exprs[_i].is_null);
	ck_assert_int_eq(e->has_subquery, exprs[_i].has_subquery);
	if (!strcmp(e->text, "a is not null"))
		ck_assert_str_eq(e->not_null_column, "a");
	else
		ck_assert_ptr_null(e->not_null_column);
	ck_assert_uint_ge(e->start, offset_of("("));
	ck_assert_uint_lt(e->start, strlen(sql));
}
END_TEST

START_TEST(test_expr_start)
{
	struct stmt *st = one("create table t (a int default 42, b timestamptz default now())",
			      ST_CREATE_TABLE);

	ck_assert_uint_eq(st->u.create_table.columns[0].default_expr->start,
			  offset_of("42"));
	ck_assert_uint_eq(st->u.create_table.columns[1].default_expr->start,
			  offset_of("now()"));
}
END_TEST

START_TEST(test_not_null_column)
{
	struct stmt *st;
	struct constraint_def *c;

	st = one("alter table t add constraint c check (col IS NOT NULL) not valid",
		 ST_ALTER_TABLE);
	c = st->u.alter_table.cmds[0].con;
	ck_assert_int_eq(c->kind, CON_CHECK);
	ck_assert_str_eq(c->check->not_null_column, "col");
	ck_assert_int_eq(c->not_valid, true);
	ck_assert_str_eq(c->check->text, "col is not null");

	st = one("alter table t add constraint c check (((\"Col\" is not null)))",
		 ST_ALTER_TABLE);
	ck_assert_str_eq(st->u.alter_table.cmds[0].con->check->not_null_column, "Col");
	ck_assert_int_eq(st->u.alter_table.cmds[0].con->not_valid, false);

	st = one("alter table t add check (t.col is not null)", ST_ALTER_TABLE);
	ck_assert_str_eq(st->u.alter_table.cmds[0].con->check->not_null_column, "col");

	st = one("alter table t add check (a is not null and b > 0)", ST_ALTER_TABLE);
	ck_assert_ptr_null(st->u.alter_table.cmds[0].con->check->not_null_column);
	st = one("alter table t add check (a is null)", ST_ALTER_TABLE);
	ck_assert_ptr_null(st->u.alter_table.cmds[0].con->check->not_null_column);
	st = one("alter table t add check (lower(a) is not null)", ST_ALTER_TABLE);
	ck_assert_ptr_null(st->u.alter_table.cmds[0].con->check->not_null_column);
}
END_TEST

/* ---- CREATE TABLE and constraints ------------------------------------ */

START_TEST(test_create_table_hoisting)
{
	struct stmt *st = one(
		"create table if not exists s.t (\n"
		"  id bigint primary key,\n"
		"  email text not null unique,\n"
		"  org_id int references orgs (id) on delete cascade deferrable initially deferred,\n"
		"  n int check (n > 0) default 1,\n"
		"  code text null collate \"C\",\n"
		"  gid int generated always as identity,\n"
		"  g2 int generated by default as identity,\n"
		"  total int generated always as (n * 2) stored,\n"
		"  constraint uq unique (email, n) include (code),\n"
		"  exclude using gist (n with =),\n"
		"  foreign key (a, b) references p (x, y) on update set null not valid\n"
		")", ST_CREATE_TABLE);
	struct create_table *ct = &st->u.create_table;
	struct constraint_def *c = ct->constraints;

	ck_qname(ct->name, "s", "t");
	ck_assert(ct->if_not_exists);
	ck_assert_int_eq(ct->nr_columns, 8);
	ck_assert_str_eq(ct->columns[0].name, "id");
	ck_assert(ct->columns[0].not_null);              /* PRIMARY KEY */
	ck_assert(ct->columns[1].not_null);
	ck_assert(!ct->columns[2].not_null);
	ck_assert_str_eq(ct->columns[3].default_expr->text, "1");
	ck_assert(ct->columns[4].explicit_null);
	ck_assert_str_eq(ct->columns[4].collation, "C");
	ck_assert_int_eq(ct->columns[5].identity, IDENTITY_ALWAYS);
	ck_assert_int_eq(ct->columns[6].identity, IDENTITY_BY_DEFAULT);
	ck_assert_str_eq(ct->columns[7].generated->text, "n * 2");
	ck_assert_int_eq(ct->columns[7].identity, IDENTITY_NONE);

	ck_assert_int_eq(ct->nr_constraints, 7);
	ck_assert_int_eq(c[0].kind, CON_PRIMARY);
	ck_list(c[0].columns, c[0].nr_columns, "id");
	ck_assert_int_eq(c[1].kind, CON_UNIQUE);
	ck_list(c[1].columns, c[1].nr_columns, "email");
	ck_assert_int_eq(c[2].kind, CON_FOREIGN);
	ck_list(c[2].columns, c[2].nr_columns, "org_id");
	ck_qname(c[2].ref_table, NULL, "orgs");
	ck_list(c[2].ref_columns, c[2].nr_ref_columns, "id");
	ck_assert_int_eq(c[2].on_delete, FK_CASCADE);
	ck_assert_int_eq(c[2].on_update, FK_NO_ACTION);
	ck_assert(c[2].deferrable);
	ck_assert(c[2].initially_deferred);
	ck_assert_uint_eq(c[2].start, offset_of("references orgs"));
	ck_assert_int_eq(c[3].kind, CON_CHECK);
	ck_list(c[3].columns, c[3].nr_columns, "n");
	ck_assert_str_eq(c[3].check->text, "n > 0");
	ck_assert_int_eq(c[4].kind, CON_UNIQUE);
	ck_assert_str_eq(c[4].name, "uq");
	ck_list(c[4].columns, c[4].nr_columns, "email,n");
	ck_list(c[4].include, c[4].nr_include, "code");
	ck_assert_int_eq(c[5].kind, CON_EXCLUDE);
	ck_assert_str_eq(c[5].index_method, "gist");
	ck_list(c[5].columns, c[5].nr_columns, "n");
	ck_assert_int_eq(c[6].kind, CON_FOREIGN);
	ck_list(c[6].columns, c[6].nr_columns, "a,b");
	ck_list(c[6].ref_columns, c[6].nr_ref_columns, "x,y");
	ck_assert_int_eq(c[6].on_update, FK_SET_NULL);
	ck_assert_int_eq(c[6].on_delete, FK_NO_ACTION);
	/* NOT VALID means nothing on a new table */
	ck_assert(!c[6].not_valid);
}
END_TEST

START_TEST(test_create_table_misc)
{
	struct stmt *st;
	struct create_table *ct;

	st = one("create temp table t (like u including all) inherits (p, s.q)", ST_CREATE_TABLE);
	ct = &st->u.create_table;
	ck_assert(ct->temporary);
	ck_assert_int_eq(ct->nr_like, 1);
	ck_qname(ct->like[0], NULL, "u");
	ck_assert_int_eq(ct->nr_inherits, 2);
	ck_qname(ct->inherits[1], "s", "q");
	ck_assert_ptr_null(ct->partition_of.name);

	st = one("create unlogged table t2 partition of p for values from (1) to (2)", ST_CREATE_TABLE);
	ct = &st->u.create_table;
	ck_assert(ct->unlogged);
	ck_qname(ct->partition_of, NULL, "p");
	ck_assert_int_eq(ct->nr_inherits, 0);

	st = one("create table t3 (a int, b text) partition by range (a, lower(b))", ST_CREATE_TABLE);
	ck_assert_str_eq(st->u.create_table.partition_by, "range (a, lower(b))");

	st = one("create table t4 as select * from u", ST_CREATE_TABLE);
	ck_assert(st->u.create_table.as_select);
	ck_qname(st->u.create_table.name, NULL, "t4");
}
END_TEST

START_TEST(test_quoted_identifiers)
{
	struct stmt *st;

	parse("create table \"Users\" (\"Name\" text); create table users (name text)");
	ck_assert_int_eq(L.nr, 2);
	ck_assert_str_eq(L.stmts[0].u.create_table.name.name, "Users");
	ck_assert_str_eq(L.stmts[0].u.create_table.columns[0].name, "Name");
	ck_assert_str_eq(L.stmts[1].u.create_table.name.name, "users");
	ck_assert_str_eq(L.stmts[1].u.create_table.columns[0].name, "name");
	st = one("ALTER TABLE Public.USERS DROP COLUMN \"Email\"", ST_ALTER_TABLE);
	ck_qname(st->u.alter_table.rel, "public", "users");
	ck_assert_str_eq(st->u.alter_table.cmds[0].column, "Email");
}
END_TEST

static const struct {
	const char *clause;
	enum fk_action del, upd;
} fk_actions[] = {
	{ "", FK_NO_ACTION, FK_NO_ACTION },
	{ "on delete cascade", FK_CASCADE, FK_NO_ACTION },
	{ "on delete set null", FK_SET_NULL, FK_NO_ACTION },
	{ "on delete set default", FK_SET_DEFAULT, FK_NO_ACTION },
	{ "on delete restrict", FK_RESTRICT, FK_NO_ACTION },
	{ "on delete no action on update cascade", FK_NO_ACTION, FK_CASCADE },
	{ "on update restrict on delete cascade", FK_CASCADE, FK_RESTRICT },
};

START_TEST(test_fk_actions)
{
	char sql[200];
	struct stmt *st;
	struct constraint_def *c;

	snprintf(sql, sizeof(sql),
		 "alter table t add constraint fk foreign key (a) references u %s not valid",
		 fk_actions[_i].clause);
	st = one(sql, ST_ALTER_TABLE);
	c = st->u.alter_table.cmds[0].con;
	ck_assert_int_eq(st->u.alter_table.cmds[0].kind, AT_ADD_CONSTRAINT);
	ck_assert_int_eq(c->kind, CON_FOREIGN);
	ck_assert_str_eq(c->name, "fk");
	ck_assert_str_eq(st->u.alter_table.cmds[0].name, "fk");
	ck_assert_int_eq(c->on_delete, fk_actions[_i].del);
	ck_assert_int_eq(c->on_update, fk_actions[_i].upd);
	ck_assert(c->not_valid);
	ck_assert_int_eq(c->nr_ref_columns, 0);
}
END_TEST

/* ---- ALTER TABLE ------------------------------------------------------ */

START_TEST(test_alter_add_column_hoisting)
{
	struct stmt *st = one(
		"alter table if exists only t add column if not exists z int "
		"primary key references u on delete set default check (z <> 0) "
		"default 5, add column w text",
		ST_ALTER_TABLE);
	struct alter_table *at = &st->u.alter_table;
	struct alter_cmd *c = at->cmds;

	ck_assert(at->if_exists);
	ck_assert(at->only);
	ck_assert_int_eq(at->relkind, OBJ_TABLE);
	ck_assert_int_eq(at->nr_cmds, 5);
	ck_assert_int_eq(c[0].kind, AT_ADD_COLUMN);
	ck_assert_str_eq(c[0].column, "z");
	ck_assert(c[0].if_not_exists);
	ck_assert(c[0].coldef->not_null);
	ck_assert_str_eq(c[0].coldef->type.name, "int4");
	ck_assert_str_eq(c[0].coldef->default_expr->text, "5");
	ck_assert(c[0].coldef->default_expr->is_const);
	ck_assert_int_eq(c[1].kind, AT_ADD_CONSTRAINT);
	ck_assert_int_eq(c[1].con->kind, CON_PRIMARY);
	ck_list(c[1].con->columns, c[1].con->nr_columns, "z");
	ck_assert_int_eq(c[2].kind, AT_ADD_CONSTRAINT);
	ck_assert_int_eq(c[2].con->kind, CON_FOREIGN);
	ck_qname(c[2].con->ref_table, NULL, "u");
	ck_assert_int_eq(c[2].con->on_delete, FK_SET_DEFAULT);
	ck_list(c[2].con->columns, c[2].con->nr_columns, "z");
	ck_assert_int_eq(c[3].kind, AT_ADD_CONSTRAINT);
	ck_assert_int_eq(c[3].con->kind, CON_CHECK);
	ck_assert_str_eq(c[3].con->check->text, "z <> 0");
	ck_assert_int_eq(c[4].kind, AT_ADD_COLUMN);
	ck_assert_str_eq(c[4].column, "w");
	ck_assert_ptr_null(c[4].coldef->default_expr);
}
END_TEST

static const struct {
	const char *sql;
	enum alter_kind kind;
	const char *column, *name;
} alters[] = {
	{ "alter table t drop column if exists a cascade", AT_DROP_COLUMN, "a", "a" },
	{ "alter table t alter column b type bigint using b::bigint", AT_ALTER_TYPE, "b", "b" },
	{ "alter table t alter column c set default now()", AT_SET_DEFAULT, "c", "c" },
	{ "alter table t alter column c drop default", AT_DROP_DEFAULT, "c", "c" },
	{ "alter table t alter column c set not null", AT_SET_NOT_NULL, "c", "c" },
	{ "alter table t alter column c drop not null", AT_DROP_NOT_NULL, "c", "c" },
	{ "alter table t add constraint k unique (a)", AT_ADD_CONSTRAINT, NULL, "k" },
	{ "alter table t add primary key using index i", AT_ADD_CONSTRAINT, NULL, NULL },
	{ "alter table t drop constraint if exists k", AT_DROP_CONSTRAINT, NULL, "k" },
	{ "alter table t validate constraint k", AT_VALIDATE_CONSTRAINT, NULL, "k" },
	{ "alter table t alter column e add generated always as identity", AT_ADD_IDENTITY, "e", "e" },
	{ "alter table t alter column e drop identity if exists", AT_DROP_IDENTITY, "e", "e" },
	{ "alter table t alter column e set generated by default", AT_SET_IDENTITY, "e", "e" },
	{ "alter table t alter column f drop expression", AT_DROP_EXPRESSION, "f", "f" },
	{ "alter table t attach partition p for values in (1)", AT_ATTACH_PARTITION, NULL, "p" },
	{ "alter table t detach partition q concurrently", AT_DETACH_PARTITION, NULL, "q" },
	{ "alter table t enable row level security", AT_ENABLE_RLS, NULL, NULL },
	{ "alter table t disable row level security", AT_DISABLE_RLS, NULL, NULL },
	{ "alter table t force row level security", AT_FORCE_RLS, NULL, NULL },
	{ "alter table t no force row level security", AT_NO_FORCE_RLS, NULL, NULL },
	{ "alter table t set tablespace x", AT_SET_TABLESPACE, NULL, "x" },
	{ "alter table t set logged", AT_SET_LOGGED, NULL, NULL },
	{ "alter table t set unlogged", AT_SET_UNLOGGED, NULL, NULL },
	{ "alter table t owner to bob", AT_OWNER, NULL, "bob" },
	{ "alter table t replica identity full", AT_REPLICA_IDENTITY, NULL, "full" },
	{ "alter table t replica identity using index i", AT_REPLICA_IDENTITY, NULL, "i" },
	{ "alter table t alter column a set statistics 100", AT_SET_STORAGE, "a", "a" },
	{ "alter table t alter column a set storage plain", AT_SET_STORAGE, "a", "a" },
	{ "alter table t set (fillfactor = 10)", AT_SET_STORAGE, NULL, NULL },
	{ "alter table t reset (fillfactor)", AT_SET_STORAGE, NULL, NULL },
	{ "alter table t alter column a set (n_distinct = 1)", AT_SET_STORAGE, "a", "a" },
	{ "alter table t cluster on i", AT_CLUSTER_ON, NULL, "i" },
	{ "alter table t enable trigger all", AT_ENABLE_TRIGGER, NULL, NULL },
	{ "alter table t enable always trigger y", AT_ENABLE_TRIGGER, NULL, "y" },
	{ "alter table t disable trigger x", AT_DISABLE_TRIGGER, NULL, "x" },
	{ "alter table t inherit p", AT_INHERIT, NULL, "p" },
	{ "alter table t no inherit p", AT_NO_INHERIT, NULL, "p" },
	{ "alter table t set without cluster", AT_OTHER, NULL, NULL },
	{ "alter index i attach partition j", AT_ATTACH_INDEX, NULL, "j" },
};

START_TEST(test_alter_kinds)
{
	struct stmt *st = one(alters[_i].sql, ST_ALTER_TABLE);
	struct alter_cmd *c = &st->u.alter_table.cmds[0];

	ck_assert_int_eq(st->u.alter_table.nr_cmds, 1);
	ck_assert_msg(c->kind == alters[_i].kind, "'%s': kind %d, want %d",
		      alters[_i].sql, c->kind, alters[_i].kind);
	if (alters[_i].column)
		ck_assert_str_eq(c->column, alters[_i].column);
	else
		ck_assert_ptr_null(c->column);
	if (alters[_i].name)
		ck_assert_str_eq(c->name, alters[_i].name);
	else if (c->kind != AT_ADD_CONSTRAINT)
		ck_assert_ptr_null(c->name);
}
END_TEST

START_TEST(test_alter_details)
{
	struct stmt *st;
	struct alter_cmd *c;

	st = one("alter table t alter column b type numeric(10,2) using b::numeric", ST_ALTER_TABLE);
	c = st->u.alter_table.cmds;
	ck_assert_str_eq(c->type.name, "numeric");
	ck_assert_int_eq(c->type.nr_mods, 2);
	ck_assert_str_eq(c->using_expr->text, "b::numeric");

	st = one("alter table t alter column c set default 'x'", ST_ALTER_TABLE);
	ck_assert_str_eq(st->u.alter_table.cmds[0].expr->text, "'x'");
	ck_assert(st->u.alter_table.cmds[0].expr->is_const);

	st = one("alter table t drop column a cascade, drop constraint if exists k", ST_ALTER_TABLE);
	ck_assert(st->u.alter_table.cmds[0].cascade);
	ck_assert(!st->u.alter_table.cmds[0].if_exists);
	ck_assert(st->u.alter_table.cmds[1].if_exists);

	st = one("alter table t detach partition s.q concurrently", ST_ALTER_TABLE);
	ck_assert(st->u.alter_table.cmds[0].concurrently);
	ck_qname(st->u.alter_table.cmds[0].partition, "s", "q");

	st = one("alter table t add constraint pk primary key using index i", ST_ALTER_TABLE);
	ck_assert_str_eq(st->u.alter_table.cmds[0].con->using_index, "i");
	ck_assert_int_eq(st->u.alter_table.cmds[0].con->kind, CON_PRIMARY);

	st = one("alter table t alter column e add generated by default as identity", ST_ALTER_TABLE);
	ck_assert_int_eq(st->u.alter_table.cmds[0].identity, IDENTITY_BY_DEFAULT);

	st = one("alter materialized view m set tablespace x", ST_ALTER_TABLE);
	ck_assert_int_eq(st->u.alter_table.relkind, OBJ_MATVIEW);
	st = one("alter view v owner to x", ST_ALTER_TABLE);
	ck_assert_int_eq(st->u.alter_table.relkind, OBJ_VIEW);
	st = one("alter index i set tablespace x", ST_ALTER_TABLE);
	ck_assert_int_eq(st->u.alter_table.relkind, OBJ_INDEX);
	st = one("alter sequence s owner to x", ST_ALTER_TABLE);
	ck_assert_int_eq(st->u.alter_table.relkind, OBJ_SEQUENCE);
	st = one("alter foreign table f add column x int", ST_ALTER_TABLE);
	ck_assert_int_eq(st->u.alter_table.relkind, OBJ_FOREIGN_TABLE);
	ck_assert_uint_eq(st->u.alter_table.cmds[0].start, offset_of("x int"));
}
END_TEST

/* ---- CREATE INDEX ---------------------------------------------------- */

START_TEST(test_index)
{
	struct stmt *st = one(
		"create unique index concurrently if not exists i on only s.t using GIST "
		"(a desc nulls first, lower(b) text_pattern_ops, (c + 1) nulls last) "
		"include (d) where deleted_at is null", ST_CREATE_INDEX);
	struct index_def *ix = &st->u.index;

	ck_assert_str_eq(ix->name, "i");
	ck_qname(ix->table, "s", "t");
	ck_assert(ix->unique && ix->concurrently && ix->if_not_exists && ix->only);
	ck_assert_str_eq(ix->method, "gist");
	ck_assert_int_eq(ix->nr_elems, 3);
	ck_assert_str_eq(ix->elems[0].column, "a");
	ck_assert(ix->elems[0].desc);
	ck_assert_int_eq(ix->elems[0].nulls, 1);
	ck_assert_ptr_null(ix->elems[1].column);
	ck_assert_str_eq(ix->elems[1].expr->text, "lower(b)");
	ck_assert_str_eq(ix->elems[1].opclass, "text_pattern_ops");
	ck_assert_str_eq(ix->elems[2].expr->text, "c + 1");
	ck_assert_int_eq(ix->elems[2].nulls, 2);
	ck_list(ix->include, ix->nr_include, "d");
	ck_assert_str_eq(ix->where->text, "deleted_at is null");
	ck_list(ix->where->columns, ix->where->nr_columns, "deleted_at");
	ck_assert_uint_eq(ix->where->start, offset_of("deleted_at"));

	st = one("create index on t (a) where (b > 0) and c", ST_CREATE_INDEX);
	ix = &st->u.index;
	ck_assert_ptr_null(ix->name);
	ck_assert_str_eq(ix->method, "btree");
	ck_assert(!ix->only && !ix->unique && !ix->concurrently);
	ck_assert_str_eq(ix->where->text, "(b > 0) and c");
	ck_assert_int_eq(ix->elems[0].nulls, 0);
	ck_assert(!ix->elems[0].desc);

	st = one("create unique index on t (a) nulls not distinct", ST_CREATE_INDEX);
	ck_assert(st->u.index.nulls_not_distinct);
}
END_TEST

/* ---- DROP, RENAME and friends ------------------------------------- */

START_TEST(test_drop)
{
	struct stmt *st;
	struct drop_stmt *d;

	st = one("drop function if exists f(int, text), s.g, h(), k(int[], varchar(3), s.mood, \"MyType\") cascade", ST_DROP);
	d = &st->u.drop;
	ck_assert_int_eq(d->kind, OBJ_FUNCTION);
	ck_assert(d->if_exists && d->cascade);
	ck_assert_int_eq(d->nr_objects, 4);
	ck_assert_str_eq(d->signatures[0], "(int4,text)");
	ck_qname(d->objects[1], "s", "g");
	ck_assert_ptr_null(d->signatures[1]);
	ck_assert_str_eq(d->signatures[2], "()");
	ck_assert_str_eq(d->signatures[3], "(int4[],varchar,s.mood,MyType)");

	st = one("drop procedure p(bigint)", ST_DROP);
	ck_assert_int_eq(st->u.drop.kind, OBJ_PROCEDURE);
	ck_assert_str_eq(st->u.drop.signatures[0], "(int8)");

	st = one("drop trigger trg on public.t", ST_DROP);
	d = &st->u.drop;
	ck_assert_int_eq(d->kind, OBJ_TRIGGER);
	ck_qname(d->objects[0], NULL, "trg");
	ck_qname(d->on[0], "public", "t");

	st = one("drop policy if exists p on t", ST_DROP);
	ck_assert_int_eq(st->u.drop.kind, OBJ_POLICY);
	ck_qname(st->u.drop.objects[0], NULL, "p");
	ck_qname(st->u.drop.on[0], NULL, "t");

	st = one("drop index concurrently s.i", ST_DROP);
	ck_assert(st->u.drop.concurrently);
	ck_assert_int_eq(st->u.drop.kind, OBJ_INDEX);
	ck_qname(st->u.drop.objects[0], "s", "i");

	st = one("drop table a.b, c", ST_DROP);
	ck_assert_int_eq(st->u.drop.nr_objects, 2);
	ck_qname(st->u.drop.objects[0], "a", "b");
	ck_qname(st->u.drop.objects[1], NULL, "c");
	ck_assert_ptr_null(st->u.drop.on);

	static const struct {
		const char *sql;
		enum obj_kind kind;
	} k[] = {
		{ "drop view v", OBJ_VIEW }, { "drop materialized view v", OBJ_MATVIEW },
		{ "drop sequence v", OBJ_SEQUENCE }, { "drop schema v", OBJ_SCHEMA },
		{ "drop type v", OBJ_TYPE }, { "drop domain v", OBJ_DOMAIN },
		{ "drop extension v", OBJ_EXTENSION }, { "drop foreign table v", OBJ_FOREIGN_TABLE },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(k); i++) {
		st = one(k[i].sql, ST_DROP);
		ck_assert_int_eq(st->u.drop.kind, k[i].kind);
		ck_qname(st->u.drop.objects[0], NULL, "v");
	}
}
END_TEST

START_TEST(test_rename)
{
	struct stmt *st;

	st = one("alter table s.t rename column a to b", ST_RENAME);
	ck_assert_int_eq(st->u.rename.kind, OBJ_COLUMN);
	ck_assert_int_eq(st->u.rename.relkind, OBJ_TABLE);
	ck_qname(st->u.rename.rel, "s", "t");
	ck_assert_str_eq(st->u.rename.subname, "a");
	ck_assert_str_eq(st->u.rename.newname, "b");

	st = one("alter view v rename column a to b", ST_RENAME);
	ck_assert_int_eq(st->u.rename.relkind, OBJ_VIEW);

	st = one("alter table if exists t rename to u", ST_RENAME);
	ck_assert_int_eq(st->u.rename.kind, OBJ_TABLE);
	ck_assert(st->u.rename.if_exists);
	ck_qname(st->u.rename.rel, NULL, "t");

	st = one("alter table t rename constraint c to d", ST_RENAME);
	ck_assert_int_eq(st->u.rename.kind, OBJ_CONSTRAINT);
	ck_assert_int_eq(st->u.rename.relkind, OBJ_TABLE);
	ck_assert_str_eq(st->u.rename.subname, "c");

	st = one("alter index i rename to j", ST_RENAME);
	ck_assert_int_eq(st->u.rename.kind, OBJ_INDEX);

	st = one("alter schema s rename to t", ST_RENAME);
	ck_assert_int_eq(st->u.rename.kind, OBJ_SCHEMA);
	ck_qname(st->u.rename.rel, NULL, "s");

	st = one("alter type public.x rename to y", ST_RENAME);
	ck_assert_int_eq(st->u.rename.kind, OBJ_TYPE);
	ck_qname(st->u.rename.rel, "public", "x");

	st = one("alter trigger tr on t rename to tr2", ST_RENAME);
	ck_assert_int_eq(st->u.rename.kind, OBJ_TRIGGER);
	ck_qname(st->u.rename.rel, NULL, "t");
	ck_assert_str_eq(st->u.rename.subname, "tr");
}
END_TEST

START_TEST(test_view)
{
	struct stmt *st = one(
		"create or replace view v (x, y) as\n"
		"  with c as (select * from c1)\n"
		"  select a.x, b.y from s.a join b using (id), c\n"
		"  where exists (select 1 from z where z.q = a.x)\n"
		"  with local check option", ST_CREATE_VIEW);
	struct create_view *v = &st->u.view;

	ck_qname(v->name, NULL, "v");
	ck_assert(v->or_replace && !v->materialized);
	ck_list(v->columns, v->nr_columns, "x,y");
	ck_assert_int_eq(v->nr_rels, 4);
	ck_qname(v->rels[0], "s", "a");
	ck_qname(v->rels[1], NULL, "b");
	ck_qname(v->rels[2], NULL, "z");
	ck_qname(v->rels[3], NULL, "c1");
	ck_list(v->rel_columns, v->nr_rel_columns, "x,y,id,q");
	ck_assert_str_eq(v->query_text,
		"with c as (select * from c1)\n"
		"  select a.x, b.y from s.a join b using (id), c\n"
		"  where exists (select 1 from z where z.q = a.x)");

	st = one("create materialized view if not exists \"M\" (a) with (fillfactor = 50) as "
		 "select t.a from t with no data", ST_CREATE_VIEW);
	v = &st->u.view;
	ck_qname(v->name, NULL, "M");
	ck_assert(v->materialized && v->if_not_exists && v->with_no_data);
	ck_assert_str_eq(v->query_text, "select t.a from t");
	ck_list(v->rel_columns, v->nr_rel_columns, "a");

	st = one("create view w as select b, a, t.b, c.a, b from t, c where a > b", ST_CREATE_VIEW);
	ck_list(st->u.view.rel_columns, st->u.view.nr_rel_columns, "b,a");
	ck_assert_int_eq(st->u.view.nr_rels, 2);

	st = one("create view \"as\" as values (1)", ST_CREATE_VIEW);
	ck_assert_str_eq(st->u.view.query_text, "values (1)");
	ck_assert_int_eq(st->u.view.nr_rels, 0);
}
END_TEST

START_TEST(test_sequence_enum_domain)
{
	struct stmt *st;

	st = one("create sequence if not exists s.q as bigint owned by t.c", ST_CREATE_SEQUENCE);
	ck_qname(st->u.sequence.name, "s", "q");
	ck_assert(st->u.sequence.if_not_exists);
	ck_assert_str_eq(st->u.sequence.as_type, "int8");
	ck_qname(st->u.sequence.owned_by_table, NULL, "t");
	ck_assert_str_eq(st->u.sequence.owned_by_column, "c");

	st = one("alter sequence q owned by s.t.c", ST_ALTER_SEQUENCE);
	ck_qname(st->u.sequence.owned_by_table, "s", "t");
	ck_assert_str_eq(st->u.sequence.owned_by_column, "c");
	st = one("alter sequence q owned by none", ST_ALTER_SEQUENCE);
	ck_assert_ptr_null(st->u.sequence.owned_by_column);

	st = one("create type s.mood as enum ('a', 'B')", ST_CREATE_ENUM);
	ck_qname(st->u.create_enum.name, "s", "mood");
	ck_list(st->u.create_enum.values, st->u.create_enum.nr_values, "a,B");

	st = one("alter type mood add value if not exists 'c' before 'a'", ST_ALTER_ENUM);
	ck_assert_str_eq(st->u.alter_enum.new_value, "c");
	ck_assert_str_eq(st->u.alter_enum.neighbor, "a");
	ck_assert(!st->u.alter_enum.after && st->u.alter_enum.if_not_exists);
	st = one("alter type mood add value 'd' after 'b'", ST_ALTER_ENUM);
	ck_assert(st->u.alter_enum.after && !st->u.alter_enum.if_not_exists);
	st = one("alter type mood rename value 'a' to 'z'", ST_ALTER_ENUM);
	ck_assert_str_eq(st->u.alter_enum.old_value, "a");
	ck_assert_str_eq(st->u.alter_enum.new_value, "z");

	st = one("create domain s.d as varchar(10) not null default 'x' constraint c check (value <> '')",
		 ST_CREATE_DOMAIN);
	ck_qname(st->u.domain.name, "s", "d");
	ck_assert_str_eq(st->u.domain.type.name, "varchar");
	ck_assert(st->u.domain.not_null);
	ck_assert_str_eq(st->u.domain.default_expr->text, "'x'");
	ck_assert_int_eq(st->u.domain.nr_constraints, 1);
	ck_assert_str_eq(st->u.domain.constraints[0].name, "c");
	ck_assert_str_eq(st->u.domain.constraints[0].check->text, "value <> ''");

	st = one("create type c as (a int, b text)", ST_CREATE_COMPOSITE);
	ck_assert_int_eq(st->u.composite.nr_columns, 2);
	ck_assert_str_eq(st->u.composite.columns[0].type.name, "int4");
}
END_TEST

START_TEST(test_functions_triggers_policies)
{
	struct stmt *st;

	st = one("create or replace function s.f(a int, out b text, inout c varchar(10), "
		 "variadic d int[] default '{}') returns int language plpgsql stable "
		 "as $$ begin return 1; end $$", ST_CREATE_FUNCTION);
	ck_qname(st->u.function.name, "s", "f");
	ck_assert_str_eq(st->u.function.signature, "(int4,varchar,int4[])");
	ck_assert_str_eq(st->u.function.language, "plpgsql");
	ck_assert_str_eq(st->u.function.volatility, "stable");
	ck_assert(st->u.function.or_replace && !st->u.function.is_procedure);

	st = one("create function g(x t.col%type) returns trigger as 'x' language 'C' IMMUTABLE",
		 ST_CREATE_FUNCTION);
	ck_assert_str_eq(st->u.function.language, "c");
	ck_assert_str_eq(st->u.function.volatility, "immutable");

	st = one("create procedure p(a bigint) begin atomic select 1; end", ST_CREATE_FUNCTION);
	ck_assert(st->u.function.is_procedure);
	ck_assert_str_eq(st->u.function.language, "sql");
	ck_assert_str_eq(st->u.function.volatility, "volatile");
	ck_assert_str_eq(st->u.function.signature, "(int8)");

	st = one("create function h() returns table (x int) language sql as 'select 1'",
		 ST_CREATE_FUNCTION);
	ck_assert_str_eq(st->u.function.signature, "()");

	st = one("create or replace trigger tr before insert on s.t for each row execute function f()",
		 ST_CREATE_TRIGGER);
	ck_assert_str_eq(st->u.trigger.name, "tr");
	ck_qname(st->u.trigger.table, "s", "t");
	ck_assert(st->u.trigger.or_replace);

	st = one("create policy p on s.t as restrictive for update to bob using (owner = current_user) "
		 "with check (a > 0)", ST_CREATE_POLICY);
	ck_assert_str_eq(st->u.policy.name, "p");
	ck_qname(st->u.policy.table, "s", "t");
	ck_assert_str_eq(st->u.policy.command, "update");
	ck_assert(st->u.policy.restrictive);
	ck_assert_str_eq(st->u.policy.using_expr->text, "owner = current_user");
	ck_assert_str_eq(st->u.policy.check_expr->text, "a > 0");
	st = one("create policy p on t with check (true)", ST_CREATE_POLICY);
	ck_assert_str_eq(st->u.policy.command, "all");
	ck_assert(!st->u.policy.restrictive);
	ck_assert_ptr_null(st->u.policy.using_expr);
}
END_TEST

START_TEST(test_misc_ddl)
{
	struct stmt *st;

	st = one("truncate only a, s.b restart identity cascade", ST_TRUNCATE);
	ck_assert_int_eq(st->u.truncate.nr_rels, 2);
	ck_qname(st->u.truncate.rels[1], "s", "b");
	ck_assert(st->u.truncate.cascade && st->u.truncate.restart_identity);

	st = one("lock table a", ST_LOCK);
	ck_assert_int_eq(st->u.lock.nr_rels, 1);
	ck_assert_int_eq(st->u.lock.mode, 8);      /* ACCESS EXCLUSIVE */
	ck_assert(!st->u.lock.only[0] && !st->u.lock.nowait);
	st = one("lock only a, s.b in row exclusive mode nowait", ST_LOCK);
	ck_assert_int_eq(st->u.lock.nr_rels, 2);
	ck_qname(st->u.lock.rels[1], "s", "b");
	ck_assert(st->u.lock.only[0] && !st->u.lock.only[1] && st->u.lock.nowait);
	ck_assert_int_eq(st->u.lock.mode, 3);
	st = one("lock a, only b in access share mode", ST_LOCK);
	ck_assert(!st->u.lock.only[0] && st->u.lock.only[1]);
	ck_assert_int_eq(st->u.lock.mode, 1);

	st = one("create schema if not exists s", ST_CREATE_SCHEMA);
	ck_assert_str_eq(st->u.create_schema.name, "s");
	ck_assert(st->u.create_schema.if_not_exists);
	st = one("create schema authorization bob", ST_CREATE_SCHEMA);
	ck_assert_str_eq(st->u.create_schema.name, "bob");

	st = one("create extension if not exists \"uuid-ossp\" with schema ext", ST_CREATE_EXTENSION);
	ck_assert_str_eq(st->u.extension.name, "uuid-ossp");
	ck_assert_str_eq(st->u.extension.schema, "ext");
	ck_assert(st->u.extension.if_not_exists);

	st = one("alter table s.t set schema u", ST_ALTER_OBJECT_SCHEMA);
	ck_assert_int_eq(st->u.set_schema.kind, OBJ_TABLE);
	ck_qname(st->u.set_schema.obj, "s", "t");
	ck_assert_str_eq(st->u.set_schema.new_schema, "u");
	st = one("alter type m set schema u", ST_ALTER_OBJECT_SCHEMA);
	ck_assert_int_eq(st->u.set_schema.kind, OBJ_TYPE);
	ck_qname(st->u.set_schema.obj, NULL, "m");
	st = one("alter function f(int) set schema u", ST_ALTER_OBJECT_SCHEMA);
	ck_assert_int_eq(st->u.set_schema.kind, OBJ_FUNCTION);
	ck_qname(st->u.set_schema.obj, NULL, "f");

	st = one("comment on column s.t.c is null", ST_COMMENT);
	ck_assert_int_eq(st->u.comment.kind, OBJ_COLUMN);
	ck_qname(st->u.comment.obj, "s", "t");
	ck_assert_str_eq(st->u.comment.subname, "c");
	ck_assert(st->u.comment.is_null);
	st = one("comment on table t is 'x'", ST_COMMENT);
	ck_assert_int_eq(st->u.comment.kind, OBJ_TABLE);
	ck_qname(st->u.comment.obj, NULL, "t");
	ck_assert(!st->u.comment.is_null);
	st = one("comment on constraint c on t is 'q'", ST_COMMENT);
	ck_assert_int_eq(st->u.comment.kind, OBJ_CONSTRAINT);
	ck_qname(st->u.comment.obj, NULL, "t");
	ck_assert_str_eq(st->u.comment.subname, "c");
	st = one("comment on type s.m is 'b'", ST_COMMENT);
	ck_qname(st->u.comment.obj, "s", "m");
}
END_TEST

START_TEST(test_dml_txn_set)
{
	struct stmt *st;

	st = one("insert into s.t (a, b) values (1, 2) returning id", ST_INSERT);
	ck_qname(st->u.dml.rel, "s", "t");
	ck_assert(st->u.dml.has_returning && !st->u.dml.has_where);
	ck_list(st->u.dml.set_columns, st->u.dml.nr_set_columns, "a,b");
	st = one("update t set a = 1, b = 2 where c", ST_UPDATE);
	ck_assert(st->u.dml.has_where);
	ck_list(st->u.dml.set_columns, st->u.dml.nr_set_columns, "a,b");
	st = one("update t set a = 1", ST_UPDATE);
	ck_assert(!st->u.dml.has_where);
	st = one("delete from t where id = 1", ST_DELETE);
	ck_assert(st->u.dml.has_where);

	static const struct {
		const char *sql;
		enum txn_kind kind;
	} txns[] = {
		{ "begin", TXN_BEGIN }, { "start transaction", TXN_BEGIN },
		{ "commit", TXN_COMMIT }, { "end", TXN_COMMIT },
		{ "rollback", TXN_ROLLBACK }, { "abort", TXN_ROLLBACK },
		{ "savepoint a", TXN_SAVEPOINT }, { "release savepoint a", TXN_RELEASE },
		{ "rollback to savepoint a", TXN_ROLLBACK_TO },
		{ "prepare transaction 'x'", TXN_PREPARE },
		{ "commit prepared 'x'", TXN_COMMIT_PREPARED },
		{ "rollback prepared 'x'", TXN_ROLLBACK_PREPARED },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(txns); i++) {
		st = one(txns[i].sql, ST_TRANSACTION);
		ck_assert_int_eq(st->u.txn.kind, txns[i].kind);
	}

	st = one("SET Lock_Timeout = '5s'", ST_SET);
	ck_assert_str_eq(st->u.set.name, "lock_timeout");
	ck_list(st->u.set.values, st->u.set.nr_values, "5s");
	ck_assert(!st->u.set.local && !st->u.set.reset);
	st = one("set local statement_timeout to 0", ST_SET);
	ck_assert(st->u.set.local);
	ck_list(st->u.set.values, st->u.set.nr_values, "0");
	st = one("set search_path to public, \"S\"", ST_SET);
	ck_list(st->u.set.values, st->u.set.nr_values, "public,S");
	st = one("reset lock_timeout", ST_SET);
	ck_assert(st->u.set.reset);
	ck_assert_str_eq(st->u.set.name, "lock_timeout");
	st = one("set x to default", ST_SET);
	ck_assert(st->u.set.reset);
	ck_assert_int_eq(st->u.set.nr_values, 0);
	st = one("set y = 1.5", ST_SET);
	ck_list(st->u.set.values, st->u.set.nr_values, "1.5");
}
END_TEST

START_TEST(test_maintenance)
{
	struct stmt *st;

	st = one("vacuum full t", ST_MAINTENANCE);
	ck_assert_str_eq(st->u.maint.what, "vacuum full");
	ck_assert(st->u.maint.full);
	ck_qname(st->u.maint.rels[0], NULL, "t");
	st = one("vacuum (analyze) a, b", ST_MAINTENANCE);
	ck_assert_str_eq(st->u.maint.what, "vacuum");
	ck_assert_int_eq(st->u.maint.nr_rels, 2);
	st = one("analyze t", ST_MAINTENANCE);
	ck_assert_str_eq(st->u.maint.what, "analyze");
	st = one("cluster s.t using i", ST_MAINTENANCE);
	ck_assert_str_eq(st->u.maint.what, "cluster");
	ck_qname(st->u.maint.rels[0], "s", "t");
	st = one("reindex index concurrently i", ST_MAINTENANCE);
	ck_assert_str_eq(st->u.maint.what, "reindex");
	ck_assert_int_eq(st->u.maint.relkind, OBJ_INDEX);
	ck_assert(st->u.maint.concurrently);
	st = one("reindex (concurrently) table t", ST_MAINTENANCE);
	ck_assert_int_eq(st->u.maint.relkind, OBJ_TABLE);
	ck_assert(st->u.maint.concurrently);
	st = one("reindex table t", ST_MAINTENANCE);
	ck_assert(!st->u.maint.concurrently);
	st = one("reindex schema s", ST_MAINTENANCE);
	ck_assert_int_eq(st->u.maint.relkind, OBJ_SCHEMA);
	ck_qname(st->u.maint.rels[0], NULL, "s");
	st = one("refresh materialized view concurrently m", ST_MAINTENANCE);
	ck_assert_str_eq(st->u.maint.what, "refresh materialized view");
	ck_assert(st->u.maint.concurrently);
	st = one("drop database if exists d", ST_DROP_DATABASE);
	ck_assert_str_eq(st->u.database.name, "d");
	st = one("create database e", ST_CREATE_DATABASE);
	ck_assert_str_eq(st->u.database.name, "e");
}
END_TEST

START_TEST(test_obj_kind_name)
{
	ck_assert_str_eq(obj_kind_name(OBJ_TABLE), "table");
	ck_assert_str_eq(obj_kind_name(OBJ_MATVIEW), "materialized view");
	ck_assert_str_eq(obj_kind_name(OBJ_FOREIGN_TABLE), "foreign table");
	ck_assert_str_eq(obj_kind_name(OBJ_OTHER), "object");
}
END_TEST

/* sql_rename_relation(): a view's text after a relation it reads is
   renamed (schema "public", "metric" to "metric_eu"); NULL: unchanged. */
static const struct {
	const char *in, *out;
} view_renames[] = {
	{ "SELECT region, value FROM metric", "SELECT region, value FROM metric_eu" },
	{ "SELECT metric.region FROM public.metric WHERE metric.value > 0",
	  "SELECT metric_eu.region FROM public.metric_eu WHERE metric_eu.value > 0" },
	{ "SELECT m.region FROM metric m JOIN \"metric\" USING (id)",
	  "SELECT m.region FROM metric_eu m JOIN metric_eu USING (id)" },
	{ "SELECT public.metric.value FROM Metric", "SELECT public.metric_eu.value FROM metric_eu" },
	/* an alias keeps the qualifiers; other schemas, other names stay */
	{ "SELECT metric.x FROM other.metric, metrics AS metric", NULL },
	{ "SELECT metric FROM t WHERE metric = 'metric'", NULL },
	/* a WITH query of that name may be what the text means */
	{ "WITH metric AS (SELECT 1 AS a) SELECT a FROM metric", NULL },
	{ "SELECT * FROM (SELECT region FROM metric) s, lateral (SELECT 1) l",
	  "SELECT * FROM (SELECT region FROM metric_eu) s, lateral (SELECT 1) l" },
	{ "SELECT 1 FROM app.public.metric", "SELECT 1 FROM app.public.metric_eu" },
	{ "not sql at all", NULL },
};

START_TEST(test_view_rename)
{
	char *got = sql_rename_relation(view_renames[_i].in, "public", "metric", "metric_eu");

	if (view_renames[_i].out)
		ck_assert_str_eq(got ? got : "(null)", view_renames[_i].out);
	else
		ck_assert_ptr_null(got);
	free(got);
	/* a new name that needs quotes gets them */
	got = sql_rename_relation("SELECT 1 FROM metric", "public", "metric", "Metric EU");
	ck_assert_str_eq(got, "SELECT 1 FROM \"Metric EU\"");
	free(got);
}
END_TEST

static Suite *parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("parse");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_spans_multibyte);
	tcase_add_test(tc, test_last_statement_without_semicolon);
	tcase_add_test(tc, test_syntax_error_middle);
	tcase_add_test(tc, test_big_file_in_runs);
	tcase_add_test(tc, test_error_offset_multibyte);
	tcase_add_test(tc, test_unterminated);
	tcase_add_test(tc, test_comments_and_bodies);
	tcase_add_test(tc, test_begin_atomic);
	tcase_add_test(tc, test_bom);
	tcase_add_test(tc, test_too_deep);
	tcase_add_test(tc, test_left_deep);
	tcase_add_test(tc, test_view_rels_once);
	tcase_add_test(tc, test_backend_version);
	tcase_add_test(tc, test_do_block_constant_execute);
	tcase_add_loop_test(tc, test_kinds, 0, ARRAY_SIZE(kinds));
	tcase_add_loop_test(tc, test_types, 0, ARRAY_SIZE(types));
	tcase_add_loop_test(tc, test_exprs, 0, ARRAY_SIZE(exprs));
	tcase_add_test(tc, test_expr_start);
	tcase_add_test(tc, test_not_null_column);
	tcase_add_test(tc, test_create_table_hoisting);
	tcase_add_test(tc, test_create_table_misc);
	tcase_add_test(tc, test_quoted_identifiers);
	tcase_add_loop_test(tc, test_fk_actions, 0, ARRAY_SIZE(fk_actions));
	tcase_add_test(tc, test_alter_add_column_hoisting);
	tcase_add_loop_test(tc, test_alter_kinds, 0, ARRAY_SIZE(alters));
	tcase_add_test(tc, test_alter_details);
	tcase_add_test(tc, test_index);
	tcase_add_test(tc, test_drop);
	tcase_add_test(tc, test_rename);
	tcase_add_test(tc, test_view);
	tcase_add_test(tc, test_sequence_enum_domain);
	tcase_add_test(tc, test_functions_triggers_policies);
	tcase_add_test(tc, test_misc_ddl);
	tcase_add_test(tc, test_dml_txn_set);
	tcase_add_test(tc, test_maintenance);
	tcase_add_test(tc, test_obj_kind_name);
	tcase_add_loop_test(tc, test_view_rename, 0, ARRAY_SIZE(view_renames));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(parse_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
