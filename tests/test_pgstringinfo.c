/*
 * test_pgstringinfo.c - our StringInfo functions (analyzer/pgprintf.c)
 * do what PostgreSQL 15's src/common/stringinfo.c does: a copy of its
 * code, written here over malloc() and pg_vsnprintf() (the reference),
 * and ours are given the same appends, and must end with the same text,
 * len, maxlen and cursor after each. Appends of our formats and of
 * formats handed on, started at every room left around the text's
 * length (so that it ends just before, at and past the last byte) and
 * with less than 16 bytes left; appendStringInfoVA()'s answers; the
 * growth of enlargeStringInfo(); errno for %m; and the errors: a
 * request past MaxAllocSize, or negative, is refused through
 * libpg_query's error, not returned from.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pgprintf.h"

#include "banned.h"

int pg_vsnprintf(char *str, size_t count, const char *fmt, va_list args);
void *pg_query_enter_memory_context(void);
void pg_query_exit_memory_context(void *ctx);

#define MAX_ALLOC 0x3fffffff

/* ---- the reference: PostgreSQL's stringinfo.c over malloc() ---- */

static size_t ref_pvsnprintf(char *buf, size_t len, const char *fmt, va_list args)
{
	int n = pg_vsnprintf(buf, len, fmt, args);

	ck_assert_int_ge(n, 0);
	return (size_t)n < len ? (size_t)n : (size_t)n + 1;
}

static void ref_init(StringInfo str)
{
	str->data = malloc(1024);
	ck_assert_ptr_nonnull(str->data);
	str->maxlen = 1024;
	str->data[0] = '\0';
	str->len = 0;
	str->cursor = 0;
}

static void ref_enlarge(StringInfo str, int needed)
{
	int newlen;

	ck_assert_int_ge(needed, 0);
	ck_assert_uint_lt((size_t)needed, MAX_ALLOC - (size_t)str->len);
	needed += str->len + 1;
	if (needed <= str->maxlen)
		return;
	newlen = 2 * str->maxlen;
	while (needed > newlen)
		newlen = 2 * newlen;
	if (newlen > MAX_ALLOC)
		newlen = MAX_ALLOC;
	str->data = realloc(str->data, (size_t)newlen);
	ck_assert_ptr_nonnull(str->data);
	str->maxlen = newlen;
}

static int ref_append_va(StringInfo str, const char *fmt, va_list args)
{
	int avail = str->maxlen - str->len;
	size_t nprinted;

	if (avail < 16)
		return 32;
	nprinted = ref_pvsnprintf(str->data + str->len, (size_t)avail, fmt, args);
	if (nprinted < (size_t)avail) {
		str->len += (int)nprinted;
		return 0;
	}
	str->data[str->len] = '\0';
	return (int)nprinted;
}

static void ref_append(StringInfo str, const char *fmt, ...)
{
	int save_errno = errno;

	for (;;) {
		va_list args;
		int needed;

		errno = save_errno;
		va_start(args, fmt);
		needed = ref_append_va(str, fmt, args);
		va_end(args);
		if (!needed)
			break;
		ref_enlarge(str, needed);
	}
}

static void ref_binary(StringInfo str, const char *data, int datalen)
{
	ref_enlarge(str, datalen);
	memcpy(str->data + str->len, data, (size_t)datalen);
	str->len += datalen;
	str->data[str->len] = '\0';
}

static void ref_char(StringInfo str, char ch)
{
	if (str->len + 1 >= str->maxlen)
		ref_enlarge(str, 1);
	str->data[str->len] = ch;
	str->len++;
	str->data[str->len] = '\0';
}

static void ref_spaces(StringInfo str, int count)
{
	if (count > 0) {
		ref_enlarge(str, count);
		while (--count >= 0)
			str->data[str->len++] = ' ';
		str->data[str->len] = '\0';
	}
}

/* ---- ours and the reference side by side ---- */

static void *ctx;
static StringInfoData ours, ref;

static void setup(void)
{
	ctx = pg_query_enter_memory_context();
}

static void teardown(void)
{
	pg_query_exit_memory_context(ctx);   /* frees ours */
}

static void start(void)
{
	initStringInfo(&ours);
	ref_init(&ref);
}

static void finish(void)
{
	free(ref.data);
}

static void check_same(const char *what)
{
	ck_assert_msg(ours.len == ref.len && ours.maxlen == ref.maxlen &&
		      ours.cursor == ref.cursor,
		      "%s: len %d maxlen %d cursor %d, PostgreSQL's %d %d %d", what,
		      ours.len, ours.maxlen, ours.cursor, ref.len, ref.maxlen, ref.cursor);
	ck_assert_msg(!memcmp(ours.data, ref.data, (size_t)ref.len + 1),
		      "%s: '%s', PostgreSQL's '%s'", what, ours.data, ref.data);
}

/* both filled to len bytes, with room: a StringInfo of 1024 bytes,
   doubled as often as that takes (the same for both) */
static void fill_to(int len)
{
	static const char abc[] = "abcdefghijklmnopqrstuvwxyz0123456789";

	resetStringInfo(&ours);
	ref.len = ref.cursor = 0;
	ref.data[0] = '\0';
	while (ours.len < len) {
		int k = len - ours.len < 36 ? len - ours.len : 36;

		appendBinaryStringInfo(&ours, abc, k);
		ref_binary(&ref, abc, k);
	}
	check_same("fill");
}

/* fmt appended by both, from every room left around the text's length
   n (its end just before, at and past maxlen - 1), with less than 16
   left, and with a buffer that has to double more than once */
#define BOTH(...) do { \
		char probe_[512]; \
		int n_ = snprintf(probe_, sizeof(probe_), __VA_ARGS__); \
		ck_assert_int_ge(n_, 0); \
		for (int avail_ = 1; avail_ <= n_ + 20; avail_++) { \
			start(); \
			fill_to(1024 - avail_); \
			appendStringInfo(&ours, __VA_ARGS__); \
			ref_append(&ref, __VA_ARGS__); \
			check_same(probe_); \
			appendStringInfo(&ours, __VA_ARGS__); \
			ref_append(&ref, __VA_ARGS__); \
			check_same(probe_); \
			finish(); \
		} \
	} while (0)

/* NULL, out of sight of the compiler's format checks */
static const char *volatile no_string;

START_TEST(test_our_formats)
{
	BOTH("plain text");
	BOTH("%s", "");
	BOTH("\"location\":%d,", 42);
	BOTH("\"location\":%d,", -1);
	BOTH("%d", INT_MIN);
	BOTH("%d|%d", INT_MAX, 0);
	BOTH("%u|%u", 0u, UINT_MAX);
	BOTH("%ld|%lu", LONG_MIN, ULONG_MAX);
	BOTH("%ld|%lu|%ld", LONG_MAX, 0ul, 9l);
	BOTH("%d,%d,%d,%d", 9, 10, 99999, 100000000);
	BOTH("{\"%s\":{", "CreateStmt");
	BOTH("\"relname\":\"%s\",", "");
	BOTH("\"sval\":\"%s\",", "100%% sure: %d");
	BOTH("%s", no_string);   /* "(null)", as PostgreSQL's */
	BOTH("%c%c|", 'x', 0);
	BOTH("100%%");
	BOTH("%%d %d %%", 7);
	BOTH("%s=%d,%s=%u,%c", "a", -5, "b", 6u, 'z');
	/* more conversions than a plan holds, longer text than it holds */
	BOTH("%d%d%d%d%d%d", 1, 2, 3, 4, 5, 6);
	BOTH("a long literal text, longer than a plan keeps in its text: %d and more %s",
	     12345, "text");
	/* exactly a plan's text (48 bytes), and a COPY block */
	BOTH("0123456789abcdef0123456789abcdef0123456789abcdef");
	BOTH("0123456789abcdef");
	BOTH("0123456789abcdef%s0123456789abcdef", "0123456789abcdef");
	/* a string longer than the buffer: more than one doubling */
	BOTH("%s|%d", "a string of some length, appended where the room left is small and "
	     "has to grow; a string of some length, appended where the room left is small "
	     "and has to grow; a string of some length, appended where the room left is "
	     "small and has to grow", 3);
}
END_TEST

START_TEST(test_formats_handed_on)
{
	BOTH("%5d|%-4s|%x|%.2s", 3, "ab", 255u, "xyz");
	BOTH("%lld %hd", 1LL << 40, (short)-3);
	BOTH("%f %e", 1.5, 2.25e10);
	BOTH("%*d", 6, 42);
	BOTH("%.*s", 2, "abcdef");
	BOTH("%i %o %X %p", 9, 8u, 171u, (void *)0);
}
END_TEST

/* a format not in read-only memory (never kept as a plan) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
START_TEST(test_format_in_writable_memory)
{
	char fmt[64];

	snprintf(fmt, sizeof(fmt), "\"%%s\":%%d,");
	for (int avail = 1; avail < 40; avail++) {
		start();
		fill_to(1024 - avail);
		appendStringInfo(&ours, fmt, "field", -7);
		ref_append(&ref, fmt, "field", -7);
		check_same(fmt);
		finish();
	}
}
END_TEST
#pragma GCC diagnostic pop

/* %m reads errno as it was when appendStringInfo() was called, after
   an enlargement too; and errno is left as it came */
START_TEST(test_errno)
{
	for (int avail = 1; avail < 40; avail++) {
		start();
		fill_to(1024 - avail);
		errno = ENOENT;
		appendStringInfo(&ours, "%d: %m", 5);
		ck_assert_int_eq(errno, ENOENT);
		errno = ENOENT;
		ref_append(&ref, "%d: %m", 5);
		check_same("%m");
		ck_assert_ptr_nonnull(strstr(ours.data, "5: No such file or directory"));
		errno = EINVAL;
		appendStringInfo(&ours, "\"location\":%d,", 1234567);
		ck_assert_int_eq(errno, EINVAL);
		ref_append(&ref, "\"location\":%d,", 1234567);
		check_same("errno");
		finish();
	}
}
END_TEST

static int ours_va(StringInfo str, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int ours_va(StringInfo str, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = appendStringInfoVA(str, fmt, args);
	va_end(args);
	return n;
}

static int ref_va(StringInfo str, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int ref_va(StringInfo str, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = ref_append_va(str, fmt, args);
	va_end(args);
	return n;
}

/* appendStringInfoVA(): 0 and the text appended, or the room it needs
   (32 with less than 16 left) and str as it was */
START_TEST(test_append_va)
{
	for (int avail = 1; avail < 60; avail++) {
		int a, b;

		start();
		fill_to(1024 - avail);
		a = ours_va(&ours, "\"relname\":\"%s\",%d", "a_table", 77);
		b = ref_va(&ref, "\"relname\":\"%s\",%d", "a_table", 77);
		ck_assert_int_eq(a, b);
		check_same("VA");
		a = ours_va(&ours, "%5d|%x", 3, 255u);
		b = ref_va(&ref, "%5d|%x", 3, 255u);
		ck_assert_int_eq(a, b);
		check_same("VA handed on");
		finish();
	}
}
END_TEST

/* the other appends, at every room left around their length, and the
   growth enlargeStringInfo() makes */
START_TEST(test_appends)
{
	static const char text[] = "0123456789abcdefghijklmnopqrstuvwxyz";

	for (int avail = 1; avail < 50; avail++) {
		start();
		fill_to(1024 - avail);
		appendStringInfoString(&ours, text);
		ref_binary(&ref, text, (int)strlen(text));
		check_same("String");
		finish();
		start();
		fill_to(1024 - avail);
		appendBinaryStringInfo(&ours, "a\0b", 3);
		ref_binary(&ref, "a\0b", 3);
		check_same("Binary");
		appendBinaryStringInfo(&ours, "", 0);
		ref_binary(&ref, "", 0);
		check_same("Binary, none");
		finish();
		start();
		fill_to(1024 - avail);
		appendStringInfoChar(&ours, 'x');
		ref_char(&ref, 'x');
		check_same("Char");
		finish();
		start();
		fill_to(1024 - avail);
		appendStringInfoSpaces(&ours, avail);
		ref_spaces(&ref, avail);
		check_same("Spaces");
		appendStringInfoSpaces(&ours, 0);
		ref_spaces(&ref, 0);
		appendStringInfoSpaces(&ours, -3);
		ref_spaces(&ref, -3);
		check_same("no Spaces");
		ours.cursor = ref.cursor = 5;
		resetStringInfo(&ours);
		ref.len = ref.cursor = 0;
		ref.data[0] = '\0';
		check_same("reset");
		finish();
	}
	start();
	for (int needed = 0; needed < 300000; needed = needed * 3 + 7) {
		enlargeStringInfo(&ours, needed);
		ref_enlarge(&ref, needed);
		check_same("enlarge");
		appendStringInfoChar(&ours, 'y');
		ref_char(&ref, 'y');
		check_same("enlarge");
	}
	finish();
}
END_TEST

/* many appends of all kinds, in a pseudo-random order: the buffers
   grow past many boundaries the same way */
START_TEST(test_mixed)
{
	uint32_t r = 12345;

	start();
	for (int i = 0; i < 20000; i++) {
		r = r * 1103515245u + 12345u;
		switch ((r >> 16) % 7) {
		case 0:
			appendStringInfo(&ours, "\"location\":%d,", (int)r);
			ref_append(&ref, "\"location\":%d,", (int)r);
			break;
		case 1:
			appendStringInfo(&ours, "{\"%s\":{", "ColumnRef");
			ref_append(&ref, "{\"%s\":{", "ColumnRef");
			break;
		case 2:
			appendStringInfo(&ours, "%04x%s", r & 0xffff, "|");
			ref_append(&ref, "%04x%s", r & 0xffff, "|");
			break;
		case 3:
			appendStringInfoString(&ours, "\"fields\":");
			ref_binary(&ref, "\"fields\":", 9);
			break;
		case 4:
			appendStringInfoChar(&ours, ',');
			ref_char(&ref, ',');
			break;
		case 5:
			appendStringInfoSpaces(&ours, (int)(r >> 28));
			ref_spaces(&ref, (int)(r >> 28));
			break;
		default:
			appendStringInfo(&ours, "]");
			ref_append(&ref, "]");
			break;
		}
		check_same("mixed");
	}
	finish();
}
END_TEST

/*
 * A request PostgreSQL refuses raises libpg_query's error: made in a
 * child, outside any libpg_query call, where that error is FATAL and
 * libpg_query's proc_exit() prints so and exits with 1. Coming back
 * from the call, a crash or abort() fail.
 */
static void refused(void (*request)(void))
{
	static const char said[] = "Terminating process due to FATAL error";
	char out[256] = "";
	int fds[2], status;
	ssize_t got = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	fflush(NULL);   /* the child's exit() must not print ours again */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(fds[1], 1);
		if (null >= 0)
			dup2(null, 2);   /* PostgreSQL's own report */
		ctx = pg_query_enter_memory_context();
		request();
		_exit(0);
	}
	close(fds[1]);
	for (size_t n = 0; n < sizeof(out) - 1; n += (size_t)got)
		if ((got = read(fds[0], out + n, sizeof(out) - 1 - n)) <= 0)
			break;
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 1, "status %#x", status);
	ck_assert_msg(strstr(out, said), "it said '%s'", out);
}

static void enlarge_past_max(void)
{
	StringInfoData s;

	initStringInfo(&s);
	appendStringInfoString(&s, "abc");
	enlargeStringInfo(&s, MAX_ALLOC - 3);
}

static void enlarge_negative(void)
{
	StringInfoData s;

	initStringInfo(&s);
	enlargeStringInfo(&s, -1);
}

static void binary_negative(void)
{
	StringInfoData s;

	initStringInfo(&s);
	appendBinaryStringInfo(&s, "x", -2);
}

/* a format PostgreSQL's printf refuses: pvsnprintf() asks for more
   room than a StringInfo may have */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
static void bad_format(void)
{
	StringInfoData s;
	char fmt[16];

	snprintf(fmt, sizeof(fmt), "trailing %%");
	initStringInfo(&s);
	appendStringInfo(&s, fmt);
}
#pragma GCC diagnostic pop

START_TEST(test_refused)
{
	refused(enlarge_past_max);
	refused(enlarge_negative);
	refused(binary_negative);
	refused(bad_format);
}
END_TEST

static Suite *pgstringinfo_suite(void)
{
	Suite *s = suite_create("pgstringinfo");
	TCase *tc = tcase_create("stringinfo");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_our_formats);
	tcase_add_test(tc, test_formats_handed_on);
	tcase_add_test(tc, test_format_in_writable_memory);
	tcase_add_test(tc, test_errno);
	tcase_add_test(tc, test_append_va);
	tcase_add_test(tc, test_appends);
	tcase_add_test(tc, test_mixed);
	tcase_add_test(tc, test_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pgstringinfo_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
