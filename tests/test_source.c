/*
 * test_source.c - loading migration files, validation and the mapping
 * from byte offsets to line:column.
 */
#include "source.h"
#include "util.h"

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

static char tmpdir[64];

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/migsafe-source-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

/* The tests make only files directly under tmpdir. */
static void teardown(void)
{
	struct dirent *de;
	DIR *d = opendir(tmpdir);

	while (d && (de = readdir(d))) {
		char *path = xstrfmt("%s/%s", tmpdir, de->d_name);

		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlink(path);
		free(path);
	}
	if (d)
		closedir(d);
	rmdir(tmpdir);
}

/* Write 'len' bytes to tmpdir/name; returns the path (caller frees). */
static char *write_tmp(const char *name, const char *data, size_t len)
{
	char *path = xstrfmt("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
	return path;
}

static void from_text(struct source_file *sf, const char *text)
{
	source_from_text(sf, "t.sql", xstrdup(text), strlen(text));
}

#define ck_pos(sf, off, l, c) do {                                  \
		struct srcpos p_ = source_pos((sf), (off));           \
		ck_assert_int_eq(p_.line, (l));                       \
		ck_assert_int_eq(p_.col, (c));                        \
	} while (0)

START_TEST(test_positions_ascii)
{
	struct source_file sf;

	from_text(&sf, "select 1;\nselect 2;\n");
	ck_assert_int_eq(sf.nr_lines, 3);
	ck_pos(&sf, 0, 1, 1);
	ck_pos(&sf, 7, 1, 8);
	ck_pos(&sf, 9, 1, 10);   /* the newline itself */
	ck_pos(&sf, 10, 2, 1);
	ck_pos(&sf, 17, 2, 8);
	ck_pos(&sf, 20, 3, 1);   /* end of file */
	source_release(&sf);
}
END_TEST

START_TEST(test_positions_multibyte)
{
	struct source_file sf;
	/* "é" is 2 bytes, "€" 3, "😀" 4; a tab is one character */
	const char *text = "-- é€😀\tx\nselect 'ü';\n";
	const char *x = strchr(text, 'x');
	const char *semi = strchr(text, ';');

	from_text(&sf, text);
	ck_pos(&sf, (size_t)(x - text), 1, 8);
	ck_pos(&sf, (size_t)(semi - text), 2, 11);
	source_release(&sf);
}
END_TEST

START_TEST(test_positions_crlf)
{
	struct source_file sf;
	const char *line;
	size_t len;

	from_text(&sf, "a;\r\nbé;\r\nc;");
	ck_assert_int_eq(sf.nr_lines, 3);
	ck_pos(&sf, 2, 1, 3);   /* '\r' */
	ck_pos(&sf, 3, 1, 4);   /* '\n' of "\r\n": still line 1 */
	ck_pos(&sf, 4, 2, 1);
	ck_pos(&sf, 7, 2, 3);   /* ';' after "bé" */
	ck_pos(&sf, 10, 3, 1);
	ck_pos(&sf, 12, 3, 3);  /* end of file, no newline */

	line = source_line(&sf, 2, &len);
	ck_assert_uint_eq(len, 4);
	ck_assert(!memcmp(line, "bé;", 4));
	line = source_line(&sf, 3, &len);
	ck_assert_uint_eq(len, 2);
	ck_assert(!memcmp(line, "c;", 2));
	ck_assert_ptr_null(source_line(&sf, 4, &len));
	ck_assert_ptr_null(source_line(&sf, 0, &len));
	source_release(&sf);
}
END_TEST

START_TEST(test_lone_cr)
{
	struct source_file sf;
	const char *line;
	size_t len;

	from_text(&sf, "a\rb\r\nc\n\nd");
	ck_assert_int_eq(sf.nr_lines, 5);
	ck_pos(&sf, 2, 2, 1);
	ck_pos(&sf, 5, 3, 1);
	ck_pos(&sf, 7, 4, 1);
	ck_pos(&sf, 8, 5, 1);
	line = source_line(&sf, 1, &len);
	ck_assert_uint_eq(len, 1);
	ck_assert_int_eq(line[0], 'a');
	line = source_line(&sf, 4, &len);
	ck_assert_uint_eq(len, 0);
	source_release(&sf);
}
END_TEST

START_TEST(test_empty_text)
{
	struct source_file sf;
	size_t len;

	from_text(&sf, "");
	ck_assert_int_eq(sf.nr_lines, 1);
	ck_pos(&sf, 0, 1, 1);
	ck_assert_ptr_nonnull(source_line(&sf, 1, &len));
	ck_assert_uint_eq(len, 0);
	source_release(&sf);
}
END_TEST

START_TEST(test_load_ok_and_bom)
{
	static const char text[] = "\xef\xbb\xbfselect 1;\nselect 2;\n";
	char *path = write_tmp("bom.sql", text, sizeof(text) - 1), *why = NULL;
	struct source_file sf;

	ck_assert_int_eq(source_load(&sf, path, &why), 0);
	ck_assert_ptr_null(why);
	ck_assert_str_eq(sf.path, path);
	ck_assert_uint_eq(sf.len, sizeof(text) - 1);
	/* offsets are the file's: the BOM stays in the text */
	ck_assert(!memcmp(sf.text, "\xef\xbb\xbf", 3));
	ck_assert_uint_eq(sf.lines[1], 13);
	/* the BOM is invisible: the statement starts in column 1 */
	ck_pos(&sf, 3, 1, 1);
	ck_pos(&sf, 10, 1, 8);
	ck_pos(&sf, 13, 2, 1);
	source_release(&sf);
	free(path);
}
END_TEST

static char *load_fails(const char *name, const char *data, size_t len)
{
	char *path = write_tmp(name, data, len), *why = NULL;
	struct source_file sf;

	ck_assert_int_eq(source_load(&sf, path, &why), -1);
	ck_assert_ptr_nonnull(why);
	ck_assert_ptr_null(sf.text);
	ck_assert_ptr_null(sf.lines);
	free(path);
	return why;
}

START_TEST(test_binary)
{
	char *why = load_fails("bin.sql", "abc\0def\xff", 8);

	ck_assert_str_eq(why, "binary file (NUL byte at offset 3)");
	free(why);
}
END_TEST

struct bad_utf8 {
	const char *text;
	size_t len;
	const char *why;
};

static const struct bad_utf8 bad_utf8[] = {
	{ "ok\n\xff\n", 4, "not valid UTF-8 (byte 0xff at line 2)" },
	/* overlong encodings of '/' and NUL */
	{ "a\n\n\xc0\xaf", 5, "not valid UTF-8 (byte 0xc0 at line 3)" },
	{ "x \xe0\x80\xaf", 5, "not valid UTF-8 (byte 0xe0 at line 1)" },
	{ "\xf0\x80\x80\xaf", 4, "not valid UTF-8 (byte 0xf0 at line 1)" },
	/* UTF-16 surrogate U+D800 */
	{ "a\r\nb\xed\xa0\x80", 7, "not valid UTF-8 (byte 0xed at line 2)" },
	/* above U+10FFFF */
	{ "\xf4\x90\x80\x80", 4, "not valid UTF-8 (byte 0xf4 at line 1)" },
	{ "\xf5\x80\x80\x80", 4, "not valid UTF-8 (byte 0xf5 at line 1)" },
	/* truncated: at the end, and before an ASCII byte */
	{ "select 'a\xe2\x82", 11, "not valid UTF-8 (byte 0xe2 at line 1)" },
	{ "a\rb\xe2\x82z", 6, "not valid UTF-8 (byte 0xe2 at line 2)" },
	/* a continuation byte on its own */
	{ "12345678\n12345678\x80", 18, "not valid UTF-8 (byte 0x80 at line 2)" },
};

START_TEST(test_invalid_utf8)
{
	const struct bad_utf8 *t = &bad_utf8[_i];
	char *why = NULL;

	ck_assert_int_eq(source_validate(t->text, t->len, &why), -1);
	ck_assert_str_eq(why, t->why);
	free(why);
	why = load_fails("bad.sql", t->text, t->len);
	ck_assert_str_eq(why, t->why);
	free(why);
}
END_TEST

START_TEST(test_valid_utf8)
{
	/* the edges of each range are valid */
	static const char text[] = "\x7f \xc2\x80 \xdf\xbf \xe0\xa0\x80 \xed\x9f\xbf "
		"\xee\x80\x80 \xef\xbf\xbf \xf0\x90\x80\x80 \xf4\x8f\xbf\xbf";
	char *why = NULL;

	ck_assert_int_eq(source_validate(text, sizeof(text) - 1, &why), 0);
	ck_assert_ptr_null(why);
	ck_assert_int_eq(source_validate(text, sizeof(text) - 1, NULL), 0);
	ck_assert_int_eq(source_validate("\xff", 1, NULL), -1);
}
END_TEST

START_TEST(test_too_large)
{
	char *path = xstrfmt("%s/big.sql", tmpdir), *why = NULL;
	struct source_file sf;
	int fd = open(path, O_CREAT | O_WRONLY, 0644);

	ck_assert_int_ge(fd, 0);
	/* sparse: 70 MB that take no space */
	ck_assert_int_eq(ftruncate(fd, 70 * 1024 * 1024), 0);
	close(fd);
	ck_assert_int_eq(source_load(&sf, path, &why), -1);
	ck_assert_str_eq(why, "file too large (70.0 MB, limit 64 MB)");
	free(why);
	free(path);
}
END_TEST

START_TEST(test_directory_and_missing)
{
	char *why = NULL, *missing = xstrfmt("%s/nope.sql", tmpdir);
	struct source_file sf;

	ck_assert_int_eq(source_load(&sf, tmpdir, &why), -1);
	ck_assert_str_eq(why, "cannot read: is a directory");
	free(why);
	ck_assert_int_eq(source_load(&sf, missing, &why), -1);
	ck_assert_str_eq(why, "cannot read: no such file or directory");
	free(why);
	ck_assert_int_eq(source_load(&sf, missing, NULL), -1);
	free(missing);
}
END_TEST

START_TEST(test_unreadable)
{
	char *path = write_tmp("secret.sql", "select 1;", 9), *why = NULL;
	struct source_file sf;

	if (geteuid() == 0) {
		/* root reads anything: nothing to check */
		free(path);
		return;
	}
	ck_assert_int_eq(chmod(path, 0), 0);
	ck_assert_int_eq(source_load(&sf, path, &why), -1);
	ck_assert_str_eq(why, "cannot read: permission denied");
	free(why);
	free(path);
}
END_TEST

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 50 MB, half ASCII lines and half multibyte: must take linear time. */
START_TEST(test_large_file_linear)
{
	static const char line[] = "insert into t values (1, 'héllo wörld € 😀');\r\n";
	size_t n = 50u * 1024 * 1024 / (sizeof(line) - 1), i, len = n * (sizeof(line) - 1);
	char *text = xmalloc(len + 1), *path, *why = NULL;
	struct source_file sf;
	double t0;

	for (i = 0; i < n; i++)
		memcpy(text + i * (sizeof(line) - 1), line, sizeof(line) - 1);
	text[len] = '\0';
	path = write_tmp("large.sql", text, len);
	free(text);

	t0 = now();
	ck_assert_int_eq(source_load(&sf, path, &why), 0);
	ck_assert_int_eq(sf.nr_lines, (int)n + 1);
	ck_pos(&sf, sf.len, (int)n + 1, 1);
	ck_pos(&sf, sf.len - 3, (int)n, 44);
	/* generous for sanitizer builds; quadratic would take hours */
	ck_assert_double_lt(now() - t0, 10.0);
	source_release(&sf);
	free(path);
}
END_TEST

static uint64_t fp(const char *text)
{
	struct source_file sf;
	uint64_t h;

	from_text(&sf, text);
	h = source_fingerprint(&sf, 0, sf.len);
	source_release(&sf);
	return h;
}

/* FNV-1a of the normalised text, written out by hand */
static uint64_t fnv(const char *s)
{
	return fnv1a64(s, strlen(s), FNV1A64_INIT);
}

START_TEST(test_fingerprint)
{
	/* reformatting, comments and keyword case do not count */
	ck_assert_uint_eq(fp("ALTER  TABLE t\n\tADD COLUMN a int"),
			  fnv("alter table t add column a int"));
	ck_assert_uint_eq(fp("alter table t -- why\n add /* x */ column a INT"),
			  fnv("alter table t add column a int"));
	ck_assert_uint_eq(fp("  select 1"), fnv(" select 1"));
	/* a literal is kept as written: case, spaces and comment markers */
	ck_assert_uint_eq(fp("SELECT 'A  --b /*c*/'"), fnv("select 'A  --b /*c*/'"));
	ck_assert_uint_eq(fp("SELECT 'It''S'  X"), fnv("select 'It''S' x"));
	/* an unterminated literal runs to the end */
	ck_assert_uint_eq(fp("SELECT 'Ab  C"), fnv("select 'Ab  C"));
	/* a lone '-' or '/' is text; an unterminated block comment ends it */
	ck_assert_uint_eq(fp("SELECT 4 - 2 / 1"), fnv("select 4 - 2 / 1"));
	ck_assert_uint_eq(fp("SELECT 1 /* no end"), fnv("select 1"));
	ck_assert_uint_ne(fp("SELECT a"), fp("SELECT 'a'"));
}
END_TEST

static Suite *source_suite(void)
{
	Suite *s = suite_create("source");
	TCase *pos = tcase_create("positions");
	TCase *load = tcase_create("load");

	tcase_add_test(pos, test_positions_ascii);
	tcase_add_test(pos, test_positions_multibyte);
	tcase_add_test(pos, test_positions_crlf);
	tcase_add_test(pos, test_lone_cr);
	tcase_add_test(pos, test_empty_text);
	tcase_add_test(pos, test_fingerprint);
	suite_add_tcase(s, pos);

	tcase_add_checked_fixture(load, setup, teardown);
	tcase_set_timeout(load, 60);
	tcase_add_test(load, test_load_ok_and_bom);
	tcase_add_test(load, test_binary);
	tcase_add_loop_test(load, test_invalid_utf8, 0, (int)ARRAY_SIZE(bad_utf8));
	tcase_add_test(load, test_valid_utf8);
	tcase_add_test(load, test_too_large);
	tcase_add_test(load, test_directory_and_missing);
	tcase_add_test(load, test_unreadable);
	tcase_add_test(load, test_large_file_linear);
	suite_add_tcase(s, load);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(source_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
