/*
 * test_split.c - the statement splitter (split_sql) and its keyword
 * finder. Each input is copied into a buffer of exactly 'len' bytes
 * with no terminating NUL, so a sanitizer build catches any read past
 * the end.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#include "banned.h"

struct spans {
	const char *text;
	struct strbuf stmts;      /* "a|b|c" */
	struct strbuf comments;
	int nr_stmts, nr_comments;
};

static void on_stmt(void *data, size_t start, size_t end)
{
	struct spans *s = data;

	ck_assert_uint_lt(start, end);
	if (s->nr_stmts++)
		strbuf_addch(&s->stmts, '|');
	strbuf_add(&s->stmts, s->text + start, end - start);
}

static void on_comment(void *data, size_t start, size_t end)
{
	struct spans *s = data;

	ck_assert_uint_lt(start, end);
	if (s->nr_comments++)
		strbuf_addch(&s->comments, '|');
	strbuf_add(&s->comments, s->text + start, end - start);
}

static struct spans S;

static void setup(void)
{
	memset(&S, 0, sizeof(S));
	strbuf_init(&S.stmts);
	strbuf_init(&S.comments);
}

static void teardown(void)
{
	strbuf_release(&S.stmts);
	strbuf_release(&S.comments);
}

/* Split the first 'len' bytes of 'sql' from an exact-size heap copy. */
static void split_n(const char *sql, size_t len)
{
	char *copy = xmalloc(len ? len : 1);

	memcpy(copy, sql, len);
	strbuf_reset(&S.stmts);
	strbuf_reset(&S.comments);
	S.nr_stmts = S.nr_comments = 0;
	S.text = copy;
	split_sql(copy, len, on_stmt, on_comment, &S);
	S.text = NULL;
	free(copy);
}

static void split(const char *sql)
{
	split_n(sql, strlen(sql));
}

#define ck_stmts(n, joined) do { \
	ck_assert_str_eq(S.stmts.buf, (joined)); \
	ck_assert_int_eq(S.nr_stmts, (n)); \
} while (0)

#define ck_comments(n, joined) do { \
	ck_assert_str_eq(S.comments.buf, (joined)); \
	ck_assert_int_eq(S.nr_comments, (n)); \
} while (0)

START_TEST(test_basic)
{
	split("select 1; select 2");
	ck_stmts(2, "select 1|select 2");
	split("  select 1 ;\n\n\tselect 2;\n");
	ck_stmts(2, "select 1|select 2");
	split(";;  ;\n; ");
	ck_stmts(0, "");
	split("");
	ck_stmts(0, "");
	split("foo bar; select 1");
	ck_stmts(2, "foo bar|select 1");
}
END_TEST

START_TEST(test_strings)
{
	split("select ';'; select 'it''s;'");
	ck_stmts(2, "select ';'|select 'it''s;'");
	/* standard strings: a backslash is an ordinary character */
	split("select '\\'; select 1");
	ck_stmts(2, "select '\\'|select 1");
	/* E'' strings: a backslash escapes the quote */
	split("select E'\\';'; select 1");
	ck_stmts(2, "select E'\\';'|select 1");
	split("select e'a\\\\'; select 1");
	ck_stmts(2, "select e'a\\\\'|select 1");
	/* 'name' followed by a string is not an E string */
	split("select namee'\\'; select 1");
	ck_stmts(2, "select namee'\\'|select 1");
	split("select U&'d\\0061t;'; select U&\"a;\"");
	ck_stmts(2, "select U&'d\\0061t;'|select U&\"a;\"");
	split("select b'01;', x'1f;'; select 2");
	ck_stmts(2, "select b'01;', x'1f;'|select 2");
}
END_TEST

START_TEST(test_quoted_identifiers)
{
	split("select \"a;\"\"b\" from \"T;\"; select 1");
	ck_stmts(2, "select \"a;\"\"b\" from \"T;\"|select 1");
	split("select \"--not a comment\"; select 1");
	ck_stmts(2, "select \"--not a comment\"|select 1");
	ck_comments(0, "");
}
END_TEST

START_TEST(test_dollar_quotes)
{
	split("do $$ begin; end $$; select 1");
	ck_stmts(2, "do $$ begin; end $$|select 1");
	split("create function f() returns int as $body$ select 1; $b$ ; $body$ language sql; select 2");
	ck_stmts(2, "create function f() returns int as $body$ select 1; $b$ ; $body$ language sql|select 2");
	split("do $a$ $b$ ; $b$ $a$; select 2");
	ck_stmts(2, "do $a$ $b$ ; $b$ $a$|select 2");
	/* $1 is a parameter, a$b an identifier: neither opens a quote */
	split("select $1; select a$b$; select 2");
	ck_stmts(3, "select $1|select a$b$|select 2");
	/* a tag never starts with a digit */
	split("select $1$; select 2");
	ck_stmts(2, "select $1$|select 2");
	/* comments inside dollar quotes are not comments */
	split("do $$ -- x ; /* y */ $$");
	ck_stmts(1, "do $$ -- x ; /* y */ $$");
	ck_comments(0, "");
}
END_TEST

START_TEST(test_comments)
{
	split("-- a; b\nselect 1 /* ; */; /* x /* nested ; */ still */ select 2 -- end");
	ck_stmts(2, "select 1|select 2");
	ck_comments(4, "-- a; b|/* ; */|/* x /* nested ; */ still */|-- end");
	/* only comments: no statement */
	split("-- one\n/* two */\n  -- three;\n");
	ck_stmts(0, "");
	ck_comments(3, "-- one|/* two */|-- three;");
	/* comments inside a statement do not end it and are not in its span */
	split("  -- lead\n select /* mid */ 1 -- tail\n ;");
	ck_stmts(1, "select /* mid */ 1");
	ck_comments(3, "-- lead|/* mid */|-- tail");
	/* '-' and '/' alone are operators */
	split("select 4 - 2 / 1; select 1");
	ck_stmts(2, "select 4 - 2 / 1|select 1");
}
END_TEST

START_TEST(test_parentheses)
{
	split("create rule r as on insert to t do also (insert into a values (1); insert into b values (2)); select 1");
	ck_stmts(2, "create rule r as on insert to t do also (insert into a values (1); insert into b values (2))|select 1");
	/* a stray ')' does not make the depth negative */
	split("select 1); select 2");
	ck_stmts(2, "select 1)|select 2");
}
END_TEST

START_TEST(test_begin_atomic)
{
	split("create function f() returns int language sql begin atomic select 1; "
	      "select case when x then 1 else case when y then 2 end end; end; select 2");
	ck_stmts(2, "create function f() returns int language sql begin atomic select 1; "
		 "select case when x then 1 else case when y then 2 end end; end|select 2");
	split("CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END; SELECT 3");
	ck_stmts(2, "CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END|SELECT 3");
	/* a transaction BEGIN is an ordinary statement */
	split("begin; select 1; commit; end;");
	ck_stmts(4, "begin|select 1|commit|end");
	split("begin -- x\n atomic_thing; select 1");
	ck_stmts(2, "begin -- x\n atomic_thing|select 1");
}
END_TEST

START_TEST(test_unterminated)
{
	split("select 1; select 'abc; select 2");
	ck_stmts(2, "select 1|select 'abc; select 2");
	split("select 1; select E'abc\\");
	ck_stmts(2, "select 1|select E'abc\\");
	split("select 1; do $$ begin; select 2");
	ck_stmts(2, "select 1|do $$ begin; select 2");
	split("select 1; do $tag");
	ck_stmts(2, "select 1|do $tag");
	split("select 1; /* abc /* nested */ ; select 2");
	ck_stmts(1, "select 1");
	ck_comments(1, "/* abc /* nested */ ; select 2");
	split("select 1; select \"abc");
	ck_stmts(2, "select 1|select \"abc");
	split("select 1 --");
	ck_stmts(1, "select 1");
	ck_comments(1, "--");
	split("select 1 /");
	ck_stmts(1, "select 1 /");
	split("select (((");
	ck_stmts(1, "select (((");
}
END_TEST

/* Cuts at every length: never a read past 'len', never a crash. */
START_TEST(test_prefixes)
{
	static const char *const inputs[] = {
		"select E'a\\'b'; do $x$ ; $x$; /* a /* b */ c */ -- d\n select \"q\"\"r\", U&'s' ;",
		"create function f() begin atomic select case when 1 then 2 end; end; $1 $$",
	};
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(inputs); i++)
		for (n = 0; n <= strlen(inputs[i]); n++)
			split_n(inputs[i], n);
	split_n("select 'ab' ; select 2", 9);
	ck_stmts(1, "select 'a");
}
END_TEST

START_TEST(test_multibyte)
{
	split("select 'é;'; select \"Ü\"; -- ñ\nselect 1");
	ck_stmts(3, "select 'é;'|select \"Ü\"|select 1");
	ck_comments(1, "-- ñ");
	/* a non-ASCII byte may start an identifier */
	split("select é$x$; select 2");
	ck_stmts(2, "select é$x$|select 2");
}
END_TEST

/*
 * split_comments() must call back exactly as split_sql() with no
 * statement callback: every input of a few bytes drawn from the bytes
 * that matter to either lexer, and longer random ones.
 */
struct clist {
	size_t at[64][2];
	int nr;
};

static void on_span(void *data, size_t start, size_t end)
{
	struct clist *l = data;

	if (l->nr < 64) {
		l->at[l->nr][0] = start;
		l->at[l->nr][1] = end;
	}
	l->nr++;
}

static void ck_same_comments(const char *sql, size_t len)
{
	char *copy = xmalloc(len ? len : 1);
	struct clist a = { .nr = 0 }, b = { .nr = 0 };

	memcpy(copy, sql, len);
	split_sql(copy, len, NULL, on_span, &a);
	split_comments(copy, len, on_span, &b);
	free(copy);
	if (a.nr != b.nr || memcmp(a.at, b.at, sizeof(a.at[0]) * (size_t)(a.nr < 64 ? a.nr : 64)))
		ck_abort_msg("comments differ on \"%.*s\": %d and %d", (int)len, sql, a.nr, b.nr);
}

START_TEST(test_comments_only)
{
	static const char alphabet[] = "$eE'\"-/*a1 \n\\U&_;x";
	const size_t k = sizeof(alphabet) - 1;
	static const char *const cases[] = {
		"$E'a\\'--x' -- c", "a$E'\\'--'", "1E'\\'--' --c", "x$$--$$--c",
		"$a$--$a$$b$/*$b$/*c*/", "$1$a$--c", "U&'\\'--c", "E'\\\\'--c",
		"\"E\"'\\'--x'--c", "/* /* */ -- */ --c", "-- only", "é$$--$$--c",
		"e'\\''--'", "$$$$--c", "'a''--'--c",
	};
	char buf[256];
	uint64_t x = 88172645463325252ULL;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		ck_same_comments(cases[i], strlen(cases[i]));
	/* every string of up to 5 bytes of the alphabet */
	for (size_t len = 0; len <= 5; len++) {
		size_t total = 1;

		for (size_t i = 0; i < len; i++)
			total *= k;
		for (size_t n = 0; n < total; n++) {
			size_t v = n;

			for (size_t i = 0; i < len; i++, v /= k)
				buf[i] = alphabet[v % k];
			ck_same_comments(buf, len);
		}
	}
	/* longer ones, past the 16-byte blocks */
	for (int round = 0; round < 200000; round++) {
		size_t len;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		len = (size_t)(x % sizeof(buf));
		for (size_t i = 0; i < len; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[i] = alphabet[x % k];
		}
		ck_same_comments(buf, len);
	}
}
END_TEST

START_TEST(test_find_keyword)
{
	const char *s = "create view \"as\" (as_x) with (a='as') /* as */ as select 1 as y";
	size_t len = strlen(s);

	ck_assert_uint_eq(sql_find_keyword(s, 0, len, "as"),
			  (size_t)(strstr(s, "*/ as") + 3 - s));
	ck_assert_uint_eq(sql_find_keyword(s, 0, len, "nope"), len);
	ck_assert_uint_eq(sql_find_keyword("x AS y", 0, 6, "as"), 2);
	ck_assert_uint_eq(sql_find_keyword("x AS y", 0, 3, "as"), 3);
}
END_TEST

static Suite *split_suite(void)
{
	Suite *s = suite_create("split");
	TCase *tc = tcase_create("split");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_basic);
	tcase_add_test(tc, test_strings);
	tcase_add_test(tc, test_quoted_identifiers);
	tcase_add_test(tc, test_dollar_quotes);
	tcase_add_test(tc, test_comments);
	tcase_add_test(tc, test_parentheses);
	tcase_add_test(tc, test_begin_atomic);
	tcase_add_test(tc, test_unterminated);
	tcase_add_test(tc, test_prefixes);
	tcase_add_test(tc, test_multibyte);
	tcase_add_test(tc, test_find_keyword);
	tcase_add_test(tc, test_comments_only);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(split_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
