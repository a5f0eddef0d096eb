/*
 * test_sqlite.c - the SQLite dialect: splitting with SQLite's parser and
 * the positions it gives, the sandbox the migrations run in (nothing
 * reaches the file system, limits stop runaway statements), the schema
 * read back into the catalog, and table rebuilds recognised as one
 * change.
 */
#include <check.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "sqlite_dialect.h"
#include "sqlite_sandbox.h"

#include "banned.h"

static struct catalog *cat;
static struct sqlite_replay *sq;
static struct stmt_list L;
static struct replay_result R[32];   /* changes of each statement of the last file */
static int file_index;

static void setup(void)
{
	ck_assert_int_eq(catalog_open(&cat), 0);
	ck_assert_int_eq(sqlite_replay_new(&sq, cat, NULL), 0);
	stmt_list_init(&L);
	for (size_t i = 0; i < ARRAY_SIZE(R); i++)
		replay_result_init(&R[i]);
	file_index = 0;
}

static void teardown(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(R); i++)
		replay_result_release(&R[i]);
	stmt_list_release(&L);
	sqlite_replay_free(sq);
	catalog_free(cat);
}

/* Run one migration file (in a transaction, as golang-migrate does) and
   replay every statement into the catalog. */
static void migrate(const char *sql)
{
	stmt_list_release(&L);
	stmt_list_init(&L);
	ck_assert_int_eq(sqlite_replay_file(sq, sql, strlen(sql), TX_PER_FILE,
					    LAYOUT_GOLANG_MIGRATE, &L), 0);
	ck_assert_int_le(L.nr, (int)ARRAY_SIZE(R));
	for (int i = 0; i < L.nr; i++) {
		struct cat_origin o = { .file_index = file_index, .in_range = true,
					.file = "test.sql" };

		o.loc.start = L.stmts[i].start;
		o.loc.line = 1;
		replay_result_reset(&R[i]);
		if (L.stmts[i].kind != ST_SYNTAX_ERROR)
			sqlite_replay_stmt(sq, i, &o, &R[i]);
	}
	file_index++;
}

static int count_changes(int stmt, enum change_kind kind)
{
	int n = 0;

	for (int i = 0; i < R[stmt].nr_changes; i++)
		n += R[stmt].changes[i].kind == kind;
	return n;
}

static const struct change *find_change(int stmt, enum change_kind kind)
{
	for (int i = 0; i < R[stmt].nr_changes; i++)
		if (R[stmt].changes[i].kind == kind)
			return &R[stmt].changes[i];
	return NULL;
}

static int first_row(void *data, int n, const char *const *names, const char *const *values)
{
	snprintf(data, 256, "%s", values[0] ? values[0] : "NULL");
	return 1;
}

/* The first column of the first row of a catalog query, as text. */
static const char *one(const char *sql)
{
	static char buf[256];
	char *err = NULL;

	snprintf(buf, sizeof(buf), "(no row)");
	ck_assert_msg(!catalog_query(cat, sql, first_row, buf, &err), "%s: %s", sql, err);
	return buf;
}

/* ---- splitting and positions ---- */

START_TEST(test_split_positions)
{
	const char *sql =
		"-- a comment; with a semicolon\n"
		"CREATE TABLE t (a TEXT DEFAULT 'x;y', \"b;\" INTEGER);  \n"
		"/* block; */ CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
		"  UPDATE t SET a = 'z'; DELETE FROM t WHERE a IS NULL;\n"
		"END;\n"
		"SELEC 1;\n"
		"CREATE INDEX t_a ON t (a) -- trailing\n"
		";\n"
		"-- the end\n";

	migrate(sql);
	ck_assert_int_eq(L.nr, 4);
	ck_assert_str_eq(L.stmts[0].node, "sqlite");
	ck_assert_int_eq(L.stmts[0].kind, ST_CREATE_TABLE);
	ck_assert_int_eq(L.stmts[0].start, strstr(sql, "CREATE TABLE") - sql);
	ck_assert_int_eq(L.stmts[0].end, strstr(sql, ");  ") + 1 - sql);
	ck_assert_int_eq(L.stmts[1].kind, ST_CREATE_TRIGGER);
	ck_assert_int_eq(L.stmts[1].start, strstr(sql, "CREATE TRIGGER") - sql);
	ck_assert_int_eq(L.stmts[1].end, strstr(sql, "END;") + 3 - sql);
	/* SQLite's message at the token its parser stopped at */
	ck_assert_int_eq(L.stmts[2].kind, ST_SYNTAX_ERROR);
	ck_assert_str_eq(L.stmts[2].u.error.message, "near \"SELEC\": syntax error");
	ck_assert_int_eq(L.stmts[2].u.error.offset, strstr(sql, "SELEC") - sql);
	/* the rest still runs */
	ck_assert_int_eq(L.stmts[3].kind, ST_CREATE_INDEX);
	ck_assert_int_eq(L.stmts[3].end, strstr(sql, "(a)") + 3 - sql);
	ck_assert_str_eq(one("SELECT count(*) FROM relations WHERE name = 't_a' AND kind = 'i'"), "1");
	ck_assert_int_eq(L.nr_comments, 4);
}
END_TEST

START_TEST(test_errors_are_problems)
{
	migrate("CREATE TABLE t (id INTEGER PRIMARY KEY);\n"
		"CREATE TABLE t (id INTEGER);\n"
		"DROP TABLE nope;\n"
		"INSERT INTO t VALUES (1);\n"
		"ALTER TABLE t ADD COLUMN c TEXT NOT NULL;\n");
	ck_assert_int_eq(R[1].nr_problems, 1);
	ck_assert_int_eq(R[1].problems[0].rule, RULE_DUPLICATE_OBJECT);
	ck_assert_str_eq(R[1].problems[0].message, "table t already exists");
	ck_assert_int_eq(R[2].problems[0].rule, RULE_UNKNOWN_OBJECT);
	ck_assert_str_eq(R[2].problems[0].message, "no such table: nope");
	/* the table has a row now: SQLite's own refusal */
	ck_assert_int_eq(R[4].problems[0].rule, RULE_ADD_REQUIRED_COLUMN);
	ck_assert_str_eq(one("SELECT count(*) FROM columns c JOIN relations r ON r.id = c.rel_id"
			     " WHERE r.name = 't'"), "1");
}
END_TEST

START_TEST(test_transactions_as_the_tool_runs_them)
{
	const char *sql = "BEGIN;\nCREATE TABLE t (id INTEGER PRIMARY KEY);\nCOMMIT;\n";

	/* a plain file that opens its own transaction runs statement by statement */
	stmt_list_release(&L);
	stmt_list_init(&L);
	ck_assert_int_eq(sqlite_replay_file(sq, sql, strlen(sql), TX_PER_FILE, LAYOUT_PLAIN, &L), 0);
	ck_assert_int_eq(L.nr, 3);
	ck_assert_int_eq(L.stmts[0].kind, ST_TRANSACTION);
	for (int i = 0; i < L.nr; i++) {
		struct cat_origin o = { .file_index = 0, .file = "plain.sql" };

		replay_result_reset(&R[i]);
		sqlite_replay_stmt(sq, i, &o, &R[i]);
		ck_assert_int_eq(R[i].nr_problems, 0);
	}
	/* a tool's transaction does not nest */
	file_index = 1;
	migrate("BEGIN;\nDROP TABLE t;\n");
	ck_assert_int_eq(R[0].problems[0].rule, RULE_TRANSACTION_NESTING);
	ck_assert_int_eq(count_changes(1, CH_DROP_TABLE), 1);
}
END_TEST

/* ---- the sandbox ---- */

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

START_TEST(test_hostile_migration_touches_no_file)
{
	char dir[] = "/tmp/migsafe-sqlite-XXXXXX", cwd[4096];
	char *sql;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(chdir(dir), 0);
	sql = xstrfmt(
		"ATTACH 'attached.db' AS a;\n"
		"ATTACH DATABASE 'file:uri.db?mode=rwc' AS b;\n"
		"ATTACH '%s/abs.db' AS c;\n"
		"CREATE TABLE a.t (x);\n"
		"SELECT load_extension('%s/evil.so');\n"
		"SELECT readfile('/etc/passwd');\n"
		"SELECT writefile('written.txt', 'data');\n"
		"SELECT edit('x', 'vi');\n"
		"SELECT fts3_tokenizer('simple', x'0000000000000000');\n"
		"VACUUM INTO 'vacuumed.db';\n"
		"VACUUM;\n"
		"PRAGMA temp_store = FILE;\n"
		"PRAGMA temp_store_directory = '%s';\n"
		"CREATE TEMP TABLE big (x);\n"
		"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 20000)"
		" INSERT INTO big SELECT randomblob(512) FROM c;\n"
		"CREATE INDEX big_x ON big (x);\n"
		"CREATE VIRTUAL TABLE v USING fts5 (body);\n"
		"CREATE TABLE ok (id INTEGER PRIMARY KEY);\n", dir, dir, dir);
	migrate(sql);
	free(sql);
	ck_assert_int_eq(chdir(cwd), 0);
	ck_assert_int_eq(entries(dir), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	/* refused, and said so */
	ck_assert_int_eq(R[0].problems[0].rule, RULE_UNANALYZABLE_STATEMENT);
	ck_assert_ptr_nonnull(strstr(R[0].problems[0].message, "ATTACH is not run"));
	ck_assert_ptr_nonnull(strstr(R[4].problems[0].message, "load_extension is not run"));
	ck_assert_int_eq(R[5].problems[0].rule, RULE_UNKNOWN_OBJECT);   /* no such function */
	ck_assert_ptr_nonnull(strstr(R[8].problems[0].message, "fts3_tokenizer is not run"));
	/* and the migration went on */
	ck_assert_str_eq(one("SELECT count(*) FROM relations WHERE name = 'ok'"), "1");
}
END_TEST

START_TEST(test_no_file_vfs)
{
	char dir[] = "/tmp/migsafe-sqlite-XXXXXX";
	struct sandbox *sb;
	sqlite3 *db = NULL;
	char *path;

	ck_assert_int_eq(sandbox_open(&sb, NULL), 0);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = xstrfmt("%s/direct.db", dir);
	/* even a direct open through the sandbox's VFS creates nothing */
	ck_assert_int_ne(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
					 "migsafe-nofile"), SQLITE_OK);
	sqlite3_close(db);
	/* nor does ATTACH with the authorizer out of the way */
	ck_assert_int_ne(sandbox_exec_internal(sb, "ATTACH 'x.db' AS x"), 0);
	ck_assert_int_eq(entries(dir), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	free(path);
	sandbox_free(sb);
}
END_TEST

START_TEST(test_limits_stop_runaway_statements)
{
	struct sandbox_limits lim;
	struct sandbox *sb;
	sqlite3_stmt *st = NULL;

	sandbox_default_limits(&lim);
	lim.seconds = 0.5;
	lim.max_pages = 64;
	ck_assert_int_eq(sandbox_open(&sb, &lim), 0);
	ck_assert_int_eq(sandbox_prepare(sb, "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL"
					 " SELECT n + 1 FROM c) SELECT count(*) FROM c", -1, &st,
					 NULL), SQLITE_OK);
	ck_assert_int_eq(sandbox_run(sb, st) & 0xff, SQLITE_INTERRUPT);
	ck_assert(sb->interrupted);
	sqlite3_finalize(st);
	ck_assert_int_eq(sandbox_prepare(sb, "CREATE TABLE b (x); INSERT INTO b"
					 " SELECT zeroblob(4096) FROM (WITH RECURSIVE c(n) AS"
					 " (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000)"
					 " SELECT n FROM c)", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sandbox_run(sb, st), SQLITE_DONE);   /* CREATE TABLE */
	sqlite3_finalize(st);
	ck_assert_int_ne(sandbox_exec_internal(sb, "INSERT INTO b SELECT zeroblob(4096) FROM"
					       " (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL"
					       " SELECT n + 1 FROM c WHERE n < 1000) SELECT n FROM c)"), 0);
	ck_assert_int_eq(sqlite3_errcode(sb->db), SQLITE_FULL);
	sandbox_free(sb);
}
END_TEST

/* ---- the schema read back ---- */

START_TEST(test_schema_read_back)
{
	migrate("CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE,"
		" name TEXT DEFAULT 'x', n);\n"
		"CREATE TABLE posts (id INTEGER, user_id INTEGER REFERENCES users ON DELETE CASCADE,"
		" body TEXT CHECK (length(body) < 100), PRIMARY KEY (id, user_id)) WITHOUT ROWID;\n"
		"CREATE INDEX posts_body ON posts (lower(body)) WHERE body IS NOT NULL;\n");
	ck_assert_str_eq(one("SELECT type || '|' || type_name || '|' || typmod1 FROM columns"
			     " WHERE name = 'email'"), "VARCHAR(255)|varchar|255");
	ck_assert_str_eq(one("SELECT quote(type) FROM columns WHERE name = 'n'"), "''");
	ck_assert_str_eq(one("SELECT not_null || default_expr FROM columns WHERE name = 'name'"),
			 "0'x'");
	ck_assert_str_eq(one("SELECT k.name FROM constraints k JOIN relations r ON r.id = k.rel_id"
			     " WHERE r.name = 'users' AND k.kind = 'u'"), "sqlite_autoindex_users_1");
	ck_assert_str_eq(one("SELECT group_concat(c.name) FROM constraints k"
			     " JOIN constraint_columns cc ON cc.con_id = k.id"
			     " JOIN columns c ON c.id = cc.column_id"
			     " JOIN relations r ON r.id = k.rel_id"
			     " WHERE r.name = 'posts' AND k.kind = 'p'"), "id,user_id");
	ck_assert_str_eq(one("SELECT r.name || '.' || c.name || '|' || k.on_delete FROM constraints k"
			     " JOIN relations r ON r.id = k.ref_rel_id"
			     " JOIN constraint_columns cc ON cc.con_id = k.id"
			     " JOIN columns c ON c.id = cc.ref_column_id WHERE k.kind = 'f'"),
			 "users.id|c");
	ck_assert_str_eq(one("SELECT expr FROM constraints WHERE kind = 'c'"), "length(body) < 100");
	ck_assert_str_eq(one("SELECT i.predicate || '|' || ic.expr FROM indexes i"
			     " JOIN relations r ON r.id = i.rel_id JOIN index_columns ic"
			     " ON ic.index_id = i.rel_id WHERE r.name = 'posts_body'"),
			 "body IS NOT NULL|lower(body)");
	ck_assert_int_eq(count_changes(0, CH_CREATE_TABLE), 1);
	ck_assert_int_eq(count_changes(2, CH_CREATE_INDEX), 1);
}
END_TEST

START_TEST(test_alter_changes)
{
	migrate("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT);");
	migrate("ALTER TABLE t ADD COLUMN c INTEGER NOT NULL DEFAULT 0;\n"
		"ALTER TABLE t RENAME COLUMN a TO a2;\n"
		"ALTER TABLE t DROP COLUMN b;\n"
		"ALTER TABLE t RENAME TO u;\n");
	ck_assert_str_eq(find_change(0, CH_ADD_COLUMN)->column, "c");
	ck_assert(find_change(0, CH_ADD_COLUMN)->coldef->not_null);
	ck_assert_str_eq(find_change(1, CH_RENAME_COLUMN)->new_name, "a2");
	ck_assert_str_eq(find_change(2, CH_DROP_COLUMN)->column, "b");
	ck_assert_str_eq(find_change(3, CH_RENAME_TABLE)->new_name, "u");
	/* the table and its untouched column keep where they were created */
	ck_assert_str_eq(one("SELECT r.created_file || c.created_file FROM relations r"
			     " JOIN columns c ON c.rel_id = r.id WHERE r.name = 'u'"
			     " AND c.name = 'a2'"), "00");
	ck_assert_str_eq(one("SELECT created_file FROM columns WHERE name = 'c'"), "1");
}
END_TEST

/* ---- rebuilds ---- */

START_TEST(test_rebuild_is_one_change)
{
	migrate("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, phone TEXT,"
		" score TEXT);\n"
		"CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));\n");
	migrate("CREATE TABLE new_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL,"
		" score INTEGER);\n"
		"INSERT INTO new_users (id, email, score) SELECT id, email, score FROM users"
		" WHERE email <> '';\n"
		"DROP TABLE users;\n"
		"ALTER TABLE new_users RENAME TO users;\n");
	{
		const struct change *ch = find_change(1, CH_REBUILD_TABLE);
		const struct sqlite_rebuild *rb;

		ck_assert_ptr_nonnull(ch);
		rb = ch->rebuild;
		ck_assert_str_eq(ch->rel.name, "users");
		ck_assert_int_eq(ch->rel.created_file, 0);
		ck_assert_str_eq(rb->target, "new_users");
		ck_assert_str_eq(rb->final_name, "users");
		ck_assert_int_eq(rb->nr_lost, 1);
		ck_assert_str_eq(rb->lost[0], "phone");
		ck_assert_int_eq(rb->nr_filters, 1);
		ck_assert_str_eq(rb->filters[0], "WHERE");
		ck_assert_str_eq(rb->cols[2].from, "score");
		ck_assert_str_eq(rb->cols[2].from_type, "TEXT");
	}
	ck_assert_int_eq(count_changes(1, CH_REBUILD_TABLE), 1);
	ck_assert_int_eq(count_changes(2, CH_DROP_TABLE), 0);      /* the rebuild's drop */
	ck_assert_int_eq(count_changes(3, CH_RENAME_TABLE), 0);    /* and rename */
	/* the rebuilt table is the old one: created by the first file */
	ck_assert_str_eq(one("SELECT created_file FROM relations WHERE name = 'users'"), "0");
	ck_assert_str_eq(one("SELECT c.created_file FROM columns c JOIN relations r"
			     " ON r.id = c.rel_id WHERE r.name = 'users' AND c.name = 'email'"), "0");
	/* and posts' foreign key points at it again */
	ck_assert_str_eq(one("SELECT count(*) FROM constraints k JOIN relations r"
			     " ON r.id = k.ref_rel_id WHERE k.kind = 'f' AND r.name = 'users'"), "1");
}
END_TEST

START_TEST(test_rebuild_rename_first_and_backup)
{
	migrate("CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT);\n"
		"CREATE TABLE b (id INTEGER PRIMARY KEY, y TEXT);\n");
	migrate("ALTER TABLE a RENAME TO old_a;\n"
		"CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT NOT NULL);\n"
		"INSERT INTO a SELECT * FROM old_a;\n"
		"DROP TABLE old_a;\n"
		"CREATE TEMP TABLE b_backup AS SELECT * FROM b;\n"
		"DROP TABLE b;\n"
		"CREATE TABLE b (id INTEGER PRIMARY KEY, y TEXT);\n"
		"INSERT INTO b SELECT id, y FROM b_backup;\n"
		"DROP TABLE b_backup;\n");
	ck_assert_int_eq(count_changes(0, CH_RENAME_TABLE), 0);
	ck_assert_int_eq(count_changes(2, CH_REBUILD_TABLE), 1);
	ck_assert(!find_change(2, CH_REBUILD_TABLE)->rebuild->cols[1].from_not_null);
	ck_assert_int_eq(count_changes(3, CH_DROP_TABLE), 0);
	ck_assert_int_eq(count_changes(4, CH_REBUILD_TABLE), 1);
	ck_assert_int_eq(count_changes(5, CH_DROP_TABLE), 0);
	ck_assert_str_eq(one("SELECT group_concat(name || created_file) FROM"
			     " (SELECT name, created_file FROM relations WHERE kind = 'r'"
			     " ORDER BY name)"), "a0,b0");
}
END_TEST

START_TEST(test_plain_drop_is_a_drop)
{
	migrate("CREATE TABLE a (id INTEGER PRIMARY KEY);");
	migrate("CREATE TABLE a_copy AS SELECT * FROM a;\n"
		"DROP TABLE a_copy;\n"
		"DROP TABLE a;\n");
	ck_assert_int_eq(count_changes(1, CH_DROP_TABLE), 1);
	ck_assert_int_eq(count_changes(2, CH_DROP_TABLE), 1);
	ck_assert_int_eq(count_changes(0, CH_REBUILD_TABLE), 0);
}
END_TEST

/* ---- names and verdicts ---- */

START_TEST(test_dialect_names)
{
	struct history h = { 0 };
	struct migration m[2] = { { .path = "db/0001_a.sql.sqlite" },
				  { .path = "db/0002_b.SQLITE.sql" } };
	enum dialect d;

	ck_assert_int_eq(dialect_parse("sqlite", &d), 0);
	ck_assert_int_eq(d, DIALECT_SQLITE);
	ck_assert_int_eq(dialect_parse("postgres", &d), 0);
	ck_assert_int_eq(d, DIALECT_POSTGRESQL);
	ck_assert_int_eq(dialect_parse("mysql", &d), -1);
	h.items = m;
	h.nr = 2;
	ck_assert_int_eq(dialect_resolve(DIALECT_AUTO, &h), DIALECT_SQLITE);
	ck_assert_int_eq(dialect_resolve(DIALECT_POSTGRESQL, &h), DIALECT_POSTGRESQL);
	m[1].path = "db/0002_b.sql";
	ck_assert_int_eq(dialect_resolve(DIALECT_AUTO, &h), DIALECT_POSTGRESQL);
}
END_TEST

START_TEST(test_affinity_narrowing)
{
	const char *why = NULL;

	ck_assert(sqlite_type_change_narrows("TEXT", "INTEGER", false, &why));
	ck_assert(sqlite_type_change_narrows("BIGINT", "DOUBLE", false, &why));
	ck_assert(sqlite_type_change_narrows("", "NUMERIC", false, &why));
	ck_assert(!sqlite_type_change_narrows("VARCHAR(64)", "TEXT", false, &why));
	ck_assert(!sqlite_type_change_narrows("INT", "BIGINT", false, &why));
	ck_assert(!sqlite_type_change_narrows("INTEGER", "TEXT", false, &why));
	ck_assert(sqlite_type_change_narrows("TEXT", "INTEGER", true, &why));
	ck_assert(!sqlite_type_change_narrows("TEXT", "ANY", true, &why));
}
END_TEST

static Suite *sqlite_suite(void)
{
	Suite *s = suite_create("sqlite");
	TCase *tc = tcase_create("sqlite");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_split_positions);
	tcase_add_test(tc, test_errors_are_problems);
	tcase_add_test(tc, test_transactions_as_the_tool_runs_them);
	tcase_add_test(tc, test_hostile_migration_touches_no_file);
	tcase_add_test(tc, test_no_file_vfs);
	tcase_add_test(tc, test_limits_stop_runaway_statements);
	tcase_add_test(tc, test_schema_read_back);
	tcase_add_test(tc, test_alter_changes);
	tcase_add_test(tc, test_rebuild_is_one_change);
	tcase_add_test(tc, test_rebuild_rename_first_and_backup);
	tcase_add_test(tc, test_plain_drop_is_a_drop);
	tcase_add_test(tc, test_dialect_names);
	tcase_add_test(tc, test_affinity_narrowing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sqlite_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
