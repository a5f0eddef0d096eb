/*
 * test_pgprintf.c - our pvsnprintf() (analyzer/pgprintf.c) gives the
 * text PostgreSQL's pg_vsnprintf() gives, and the same answer about its
 * length, for the formats it does itself and for those it hands on;
 * into buffers that fit, that are a byte short, and that are tiny;
 * twice for the same format (its plan kept) and for a format whose
 * address is reused with other text; a bad format refused. And libpg_query's JSON through it
 * reads as before.
 */
#include <check.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "pgprintf.h"

#include "banned.h"

int pg_vsnprintf(char *str, size_t count, const char *fmt, va_list args);

/* our answer and PostgreSQL's for fmt into len bytes must agree */
static void same_at(size_t len, const char *fmt, va_list args)
{
	char ours[256], theirs[256];
	size_t got, want;
	va_list a1, a2;
	int n;

	ck_assert_uint_le(len, sizeof(ours));
	memset(ours, '#', sizeof(ours));
	memset(theirs, '#', sizeof(theirs));
	va_copy(a1, args);
	va_copy(a2, args);
	got = pvsnprintf(ours, len, fmt, a1);
	n = pg_vsnprintf(theirs, len, fmt, a2);
	va_end(a1);
	va_end(a2);
	ck_assert_int_ge(n, 0);
	want = (size_t)n < len ? (size_t)n : (size_t)n + 1;
	ck_assert_msg(got == want, "'%s' into %zu: %zu, PostgreSQL's %zu", fmt, len, got, want);
	if (len)   /* what fits, and its NUL, byte for byte */
		ck_assert_msg(!memcmp(ours, theirs, (size_t)n < len ? (size_t)n + 1 : len),
			      "'%s' into %zu: '%.*s', PostgreSQL's '%.*s'", fmt, len,
			      (int)len, ours, (int)len, theirs);
	ck_assert_msg(!memcmp(ours + len, theirs + len, sizeof(ours) - len),
		      "'%s' into %zu: written past the buffer", fmt, len);
}

/* fmt with its arguments, into buffers of every size from 0 to
   the text's length + 2, and into a roomy one */
static void same(const char *fmt, ...)
{
	char probe[256];
	va_list args;
	int n;

	va_start(args, fmt);
	n = pg_vsnprintf(probe, sizeof(probe), fmt, args);
	va_end(args);
	ck_assert_int_ge(n, 0);
	ck_assert_int_lt(n, 200);
	for (size_t len = 0; len <= (size_t)n + 2; len++) {
		va_start(args, fmt);
		same_at(len, fmt, args);
		va_end(args);
	}
	va_start(args, fmt);
	same_at(sizeof(probe), fmt, args);
	va_end(args);
}

START_TEST(test_our_formats)
{
	same("plain text");
	same("");
	same("\"location\":%d,", 42);
	same("\"location\":%d,", -1);
	same("%d", INT_MIN);
	same("%d", INT_MAX);
	same("%u", 0u);
	same("%u", UINT_MAX);
	same("%ld|%lu", LONG_MIN, ULONG_MAX);
	same("%ld", LONG_MAX);
	same("{\"%s\":{", "CreateStmt");
	same("\"relname\":\"%s\",", "");
	same("\"sval\":\"%s\",", "100%% sure: %d");
	same("%s", (const char *)NULL);
	same("%c%c|", 'x', 0);
	same("100%%");
	same("%%d %d %%", 7);
	same("%s=%d,%s=%u,%c", "a", -5, "b", 6u, 'z');
	/* more conversions than a plan holds, longer text than it holds */
	same("%d%d%d%d%d%d", 1, 2, 3, 4, 5, 6);
	same("a long literal text, longer than a plan keeps in its text: %d and more %s",
	     12345, "text");
}
END_TEST

START_TEST(test_formats_handed_on)
{
	same("%5d|%-4s|%x|%.2s", 3, "ab", 255u, "xyz");
	same("%lld %hd", 1LL << 40, (short)-3);
	same("%f %e", 1.5, 2.25e10);
	same("%*d", 6, 42);
	same("%.*s", 2, "abcdef");
	same("%i %o %X %p", 9, 8u, 171u, (void *)0);
	same("%ls", (const char *)NULL);
}
END_TEST

static size_t ours(char *buf, size_t len, const char *fmt, ...)
{
	va_list args;
	size_t n;

	va_start(args, fmt);
	n = pvsnprintf(buf, len, fmt, args);
	va_end(args);
	return n;
}

/* where PostgreSQL's printf fails (and its pvsnprintf() raises an
   error), ours asks for more room than any buffer may have, so that
   the caller's allocation raises it */
START_TEST(test_bad_format)
{
	char buf[64];

	ck_assert_uint_eq(ours(buf, sizeof(buf), "trailing %"), 0x7fffffff);
	ck_assert_uint_eq(ours(buf, sizeof(buf), "%z", 1), 0x7fffffff);
}
END_TEST

/* a plan is found by the format's address: the same address with other
   text (a buffer reused) must not get the old plan's text */
START_TEST(test_reused_address)
{
	char fmt[64];

	snprintf(fmt, sizeof(fmt), "first %%d");
	same(fmt, 1);
	same(fmt, 2);
	snprintf(fmt, sizeof(fmt), "second %%s!");
	same(fmt, "x");
}
END_TEST

/* libpg_query's JSON made through our pvsnprintf: the statement's
   names, numbers and locations come back as written */
START_TEST(test_json_through_ours)
{
	const char *sql = "CREATE TABLE \"100%\" (id int8 DEFAULT -42, note varchar(17));";
	const struct create_table *t;
	struct stmt_list l;

	stmt_list_init(&l);
	ck_assert_int_eq(parse_sql(sql, strlen(sql), &l), 0);
	ck_assert_int_eq(l.nr, 1);
	ck_assert_int_eq(l.stmts[0].kind, ST_CREATE_TABLE);
	t = &l.stmts[0].u.create_table;
	ck_assert_str_eq(t->name.name, "100%");
	ck_assert_int_eq(t->nr_columns, 2);
	ck_assert_str_eq(t->columns[0].name, "id");
	ck_assert_str_eq(t->columns[0].default_expr->text, "-42");
	ck_assert_str_eq(t->columns[1].type.name, "varchar");
	ck_assert_int_eq(t->columns[1].type.nr_mods, 1);
	ck_assert_int_eq(t->columns[1].type.mods[0], 17);
	ck_assert_uint_eq(t->columns[1].start, strstr(sql, "note") - sql);
	stmt_list_release(&l);
}
END_TEST

static Suite *pgprintf_suite(void)
{
	Suite *s = suite_create("pgprintf");
	TCase *tc = tcase_create("formats");

	tcase_add_test(tc, test_our_formats);
	tcase_add_test(tc, test_formats_handed_on);
	tcase_add_test(tc, test_bad_format);
	tcase_add_test(tc, test_reused_address);
	tcase_add_test(tc, test_json_through_ours);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pgprintf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
