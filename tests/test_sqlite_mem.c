/*
 * test_sqlite_mem.c - the free-list allocator SQLite gets in migsafe
 * (analyzer/sqlite_mem.h), called as SQLite calls it: blocks of every
 * size on both sides of the small limit, each filled with its own byte
 * and checked after the others were allocated, freed and reallocated;
 * and a real database run on it.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_mem.h"

#include "banned.h"

#define N 4000

struct block {
	unsigned char *p;
	int n;
	unsigned char fill;
};

static void fill(struct block *b, int i)
{
	b->fill = (unsigned char)(i * 7 + 1);
	memset(b->p, b->fill, (size_t)b->n);
}

static void check_block_bytes(const struct block *b)
{
	int k = 0;

	while (k < b->n && b->p[k] == b->fill)
		k++;
	ck_assert_msg(k == b->n, "byte %d of a %d-byte block", k, b->n);
}

static void check_block(const sqlite3_mem_methods *m, const struct block *b)
{
	ck_assert(((uintptr_t)b->p & 15) == 0);
	ck_assert_int_ge(m->xSize(b->p), b->n);
	ck_assert_int_eq(m->xSize(b->p), m->xRoundup(b->n));
	check_block_bytes(b);
}

START_TEST(test_blocks_keep_their_bytes)
{
	const sqlite3_mem_methods *m = sqlite_mem_methods();
	static struct block b[N];
	unsigned seed = 1;

	ck_assert_int_eq(m->xInit(NULL), SQLITE_OK);
	for (int i = 0; i < N; i++) {
		seed = seed * 1103515245u + 12345u;
		b[i].n = (int)(seed >> 8) % (3 * SQLITE_MEM_SMALL) + 1;
		ck_assert_ptr_nonnull(b[i].p = m->xMalloc(b[i].n));
		fill(&b[i], i);
	}
	/* free every third, reallocate every fifth across the limit */
	for (int i = 0; i < N; i += 3) {
		m->xFree(b[i].p);
		b[i].p = NULL;
	}
	for (int i = 1; i < N; i += 5) {
		int old = b[i].n, n = old > SQLITE_MEM_SMALL ? old / 4 + 1 : old * 3 + 200;

		if (!b[i].p)
			continue;
		ck_assert_ptr_nonnull(b[i].p = m->xRealloc(b[i].p, n));
		b[i].n = old < n ? old : n;
		check_block_bytes(&b[i]);
		b[i].n = n;
		fill(&b[i], i);
	}
	/* the freed blocks come back for new ones */
	for (int i = 0; i < N; i += 3) {
		b[i].n = i % 2 ? 16 : SQLITE_MEM_SMALL;
		ck_assert_ptr_nonnull(b[i].p = m->xMalloc(b[i].n));
		fill(&b[i], i);
	}
	for (int i = 0; i < N; i++)
		check_block(m, &b[i]);
	for (int i = 0; i < N; i++)
		m->xFree(b[i].p);
	m->xShutdown(NULL);
}
END_TEST

START_TEST(test_edges)
{
	const sqlite3_mem_methods *m = sqlite_mem_methods();
	unsigned char *p, *q;

	ck_assert_int_eq(m->xRoundup(1), 16);
	ck_assert_int_eq(m->xRoundup(SQLITE_MEM_SMALL), SQLITE_MEM_SMALL);
	ck_assert_int_eq(m->xRoundup(SQLITE_MEM_SMALL + 1), SQLITE_MEM_SMALL + 1);
	/* the same class: realloc keeps the block */
	p = m->xMalloc(20);
	ck_assert_ptr_eq(m->xRealloc(p, 30), p);
	/* freed, then taken again by a block of its class */
	m->xFree(p);
	q = m->xMalloc(32);
	ck_assert_ptr_eq(q, p);
	m->xFree(q);
	m->xFree(NULL);
	m->xShutdown(NULL);
}
END_TEST

/* A database on these methods: SQLite checks its own structures. */
START_TEST(test_database)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	ck_assert_int_eq(sqlite3_config(SQLITE_CONFIG_SINGLETHREAD), SQLITE_OK);
	ck_assert_int_eq(sqlite3_config(SQLITE_CONFIG_MALLOC, sqlite_mem_methods()), SQLITE_OK);
	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db,
		"CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, b BLOB);"
		"CREATE INDEX t_s ON t(s);"
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)"
		" INSERT INTO t SELECT i, printf('%0*d', i % 700, i), zeroblob(i % 3000) FROM n;"
		"DELETE FROM t WHERE id % 3 = 0;"
		"UPDATE t SET s = s || s WHERE id % 5 = 0;", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT count(*), sum(length(s)), sum(length(b))"
					    " FROM t", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), 3334);
	sqlite3_finalize(st);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_shutdown(), SQLITE_OK);
}
END_TEST

static Suite *mem_suite(void)
{
	Suite *s = suite_create("sqlite_mem");
	TCase *c = tcase_create("methods");

	tcase_add_test(c, test_blocks_keep_their_bytes);
	tcase_add_test(c, test_edges);
	tcase_add_test(c, test_database);
	tcase_set_timeout(c, 60);
	suite_add_tcase(s, c);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(mem_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
