/*
 * test_util.c - the growable buffer's printf-style appends
 * (analyzer/util.h): strbuf_addf() writes the conversions messages use
 * itself and leaves the rest to vsnprintf, so every case here compares
 * it with vsnprintf byte for byte, on an empty buffer and after text
 * already in it; and fmt_buf(), the same fast path into a buffer of a
 * given size, with snprintf() at sizes that cut the text at either end
 * and in the middle. And read_file(): a regular file in one read, the end of
 * what is not a regular file, the limits and errors it reports. And the
 * stores' row arrays (rows_reserve()), in the heap and in mappings, and
 * their pages faulted in ahead from another thread (memory_fault_ahead()).
 */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "util.h"

#include "banned.h"

static void expect_same(const char *prefix, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* fmt_vbuf() against vsnprintf() into buffers of 'size' bytes (and a
   guard after them): the same return value and the same bytes. */
static void expect_same_buf(size_t size, const char *fmt, va_list ap)
{
	size_t room = size + 16;
	char *got = xmalloc(room), *want = xmalloc(room);
	va_list cp;
	int n, m;

	memset(got, 'Z', room);
	memset(want, 'Z', room);
	va_copy(cp, ap);
	n = vsnprintf(size ? want : NULL, size, fmt, cp);
	va_end(cp);
	va_copy(cp, ap);
	m = fmt_vbuf(size ? got : NULL, size, fmt, cp);
	va_end(cp);
	ck_assert_msg(n == m, "'%s' in %zu bytes: %d, vsnprintf %d", fmt, size, m, n);
	ck_assert_msg(!memcmp(got, want, room), "'%s' in %zu bytes: other bytes", fmt, size);
	free(got);
	free(want);
}

/* strbuf_vaddf() after 'prefix' against vsnprintf(). */
static void expect_same(const char *prefix, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap, cp;
	size_t plen = strlen(prefix);
	char *want;
	int n;

	va_start(ap, fmt);
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	ck_assert_int_ge(n, 0);
	want = xmalloc((size_t)n + 1);
	va_copy(cp, ap);
	vsnprintf(want, (size_t)n + 1, fmt, cp);
	va_end(cp);
	/* fmt_buf(): room for all of it, for none, and cut at each end
	   and in the middle */
	{
		size_t sizes[] = { 0, 1, 2, (size_t)n / 2, (size_t)n, (size_t)n + 1, (size_t)n + 2, 64 };

		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			va_copy(cp, ap);
			expect_same_buf(sizes[i], fmt, cp);
			va_end(cp);
		}
	}
	strbuf_init(&sb);
	strbuf_addstr(&sb, prefix);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ck_assert_msg(sb.len == plen + (size_t)n, "'%s': %zu bytes, vsnprintf %d",
		      fmt, sb.len - plen, n);
	ck_assert_msg(!memcmp(sb.buf + plen, want, (size_t)n), "'%s': '%s', vsnprintf '%s'",
		      fmt, sb.buf + plen, want);
	ck_assert(!memcmp(sb.buf, prefix, plen));
	ck_assert_int_eq(sb.buf[sb.len], '\0');
	free(want);
	strbuf_release(&sb);
}

/* Each case on an empty buffer and after some text. */
#define SAME(...)                                            \
	do {                                                 \
		expect_same("", __VA_ARGS__);                \
		expect_same("text before: ", __VA_ARGS__);   \
	} while (0)

START_TEST(test_addf_strings)
{
	static const char nul_inside[] = { 'a', 'b', '\0', 'c', 'd', '\0' };
	size_t long_len = 100000;
	char *long_str = xmalloc(long_len + 1);

	memset(long_str, 'x', long_len);
	long_str[long_len] = '\0';
	SAME("no conversions at all");
	SAME("%s", "");
	SAME("%s", "x");
	SAME("[%s]", "\xc3\xa9t\xc3\xa9 \"quoted\" \\ \t\n");
	SAME("%s%s%s", "", "a", "");
	SAME("%s on %s (blocks %s)", "ACCESS EXCLUSIVE", "\"t\"", "reads and writes");
	SAME("%s", long_str);
	SAME("before %s after", long_str);
	SAME("%s|%s", long_str, long_str + 1);
	SAME("%.*s", 0, "abc");
	SAME("%.*s", 2, "abc");
	SAME("%.*s", 3, "abc");
	SAME("%.*s", 100, "abc");
	SAME("%.*s", -1, "abc");
	SAME("%.*s", INT_MIN, "abc");
	SAME("%.*s", 0, "");
	SAME("%.*s", 5, nul_inside);      /* stops at the NUL */
	SAME("%.*s|%.*s", 2, nul_inside, 1, nul_inside + 3);
	SAME("%.*s", 3, long_str);
	SAME("<%.*s>", 70000, long_str);
	free(long_str);
}
END_TEST

START_TEST(test_addf_integers)
{
	SAME("%d", 0);
	SAME("%d %d %d", 1, -1, 42);
	SAME("%d", INT_MAX);
	SAME("%d", INT_MIN);
	SAME("%i|%i", INT_MIN, INT_MAX);
	SAME("%u %u", 0u, UINT_MAX);
	SAME("%x %x %x", 0u, 0xdeadbeefu, UINT_MAX);
	SAME("%ld %ld %ld", 0L, LONG_MIN, LONG_MAX);
	SAME("%li", LONG_MIN);
	SAME("%lu %lx", ULONG_MAX, ULONG_MAX);
	SAME("%lld %lld %lld", 0LL, LLONG_MIN, LLONG_MAX);
	SAME("%lli", LLONG_MIN);
	SAME("%llu %llx %llx", ULLONG_MAX, 0ULL, ULLONG_MAX);
	SAME("%zu %zu %zx", (size_t)0, SIZE_MAX, SIZE_MAX);
	SAME("line %d:%d, %zu bytes", 12, 345, (size_t)6789);
	for (int i = -1000; i <= 1000; i++)
		SAME("%d/%u/%x", i * 2147, (unsigned)i * 4000037u, (unsigned)i);
}
END_TEST

START_TEST(test_addf_chars_and_percent)
{
	SAME("%c", 'a');
	SAME("%c%c%c", 'x', '"', '\\');
	SAME("a%cb", 0);                 /* a NUL byte in the text */
	SAME("%c", 255);
	SAME("%c", -1);
	SAME("%c", 0x141);               /* converted to unsigned char */
	SAME("%%");
	SAME("100%% of %s", "it");
	SAME("%%%s%%%d%%", "s", -7);
}
END_TEST

/* What the fast path leaves to vsnprintf, alone and after conversions
   it handles: the arguments already taken must be read again. */
START_TEST(test_addf_fallback)
{
	ssize_t neg = -5;
	const char *volatile null = NULL;

	SAME("%5d|%-5d|%05d", 42, 42, 42);
	SAME("%+d % d", 3, 3);
	SAME("%02x %02X %016llx", 10u, 171u, 0xabcULL);
	SAME("%#x %#o %o", 255u, 8u, 8u);
	SAME("%-8s|%8s|", "ab", "cd");
	SAME("%*s|%-*d|", 6, "x", 4, 9);
	SAME("%.3s|%.0s|%.10s", "abcdef", "abc", "ab");
	SAME("%.1f %.0f %f %g %e", 2.25, 2.5, 1.0 / 3, 1e100, -0.0);
	SAME("%hd %hu %hhd %hhu", (short)-1, (unsigned short)65535, (signed char)-1,
	     (unsigned char)255);
	SAME("%jd %ju", (intmax_t)INT64_MIN, (uintmax_t)UINT64_MAX);
	SAME("%td", (ptrdiff_t)-3);
	SAME("%zd", neg);
	SAME("%s %d %5s", "fast", 1, "slow");
	SAME("%.*s then %-3d", 2, "abc", 7);
	SAME("%s", null);
	SAME("%.*s", 3, null);
	SAME("%s and %s", "x", null);
	SAME("%p", (void *)&neg);
}
END_TEST

/* Appends one after another grow the buffer as needed. */
START_TEST(test_addf_appends)
{
	struct strbuf sb, want;

	strbuf_init(&sb);
	strbuf_init(&want);
	for (int i = 0; i < 5000; i++) {
		char piece[64];

		strbuf_addf(&sb, "%s%d:%c;", i % 3 ? "item " : "", i, 'a' + i % 26);
		snprintf(piece, sizeof(piece), "%s%d:%c;", i % 3 ? "item " : "", i, 'a' + i % 26);
		strbuf_addstr(&want, piece);
	}
	ck_assert_uint_eq(sb.len, want.len);
	ck_assert_str_eq(sb.buf, want.buf);
	strbuf_release(&sb);
	strbuf_release(&want);
}
END_TEST

START_TEST(test_xstrfmt)
{
	char *s = xstrfmt("%s.%s", "public", "users");

	ck_assert_str_eq(s, "public.users");
	free(s);
	s = xstrfmt("%s", "");
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST


/* ---- read_file ---- */

/* A file of 'n' bytes (every byte value, NULs included) in a new
   directory; the path is the caller's to free, the file to unlink. */
static char *file_of(size_t n)
{
	char dir[] = "/tmp/migsafe-test-util-XXXXXX", *path;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = xstrfmt("%s/f.sql", dir);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < n; i++)
		fputc((int)(i * 7 % 256), f);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

static void remove_file(char *path)
{
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
	free(path);
}

START_TEST(test_read_file_sizes)
{
	static const size_t sizes[] = { 0, 1, 4095, 4096, 4097, 65536, 300001 };

	for (size_t k = 0; k < sizeof(sizes) / sizeof(*sizes); k++) {
		char *path = file_of(sizes[k]), *text = NULL;
		size_t len = 12345;

		ck_assert_int_eq(read_file(path, &text, &len, 1 << 20), 0);
		ck_assert_uint_eq(len, sizes[k]);
		ck_assert_int_eq(text[len], '\0');
		for (size_t i = 0; i < len; i++)
			ck_assert_int_eq((unsigned char)text[i], (int)(i * 7 % 256));
		free(text);
		remove_file(path);
	}
}
END_TEST

START_TEST(test_read_file_limits)
{
	char *path = file_of(100), *text = NULL, *dir;
	struct stat st;
	size_t len;

	/* exactly the limit is read; one byte over is refused */
	ck_assert_int_eq(read_file(path, &text, &len, 100), 0);
	ck_assert_uint_eq(len, 100);
	free(text);
	text = NULL;
	errno = 0;
	ck_assert_int_eq(read_file_stat(path, &text, &len, 99, &st), -1);
	ck_assert_int_eq(errno, EFBIG);
	ck_assert_int_eq((int)st.st_size, 100);
	ck_assert_ptr_null(text);
	/* what is not a regular file is read to its end, within the limit */
	errno = 0;
	ck_assert_int_eq(read_file("/dev/zero", &text, &len, 100000), -1);
	ck_assert_int_eq(errno, EFBIG);
	ck_assert_int_eq(read_file("/dev/null", &text, &len, 100), 0);
	ck_assert_uint_eq(len, 0);
	free(text);
	/* a directory, a path that is not there */
	dir = xstrdup(path);
	*strrchr(dir, '/') = '\0';
	errno = 0;
	ck_assert_int_eq(read_file(dir, &text, &len, 100), -1);
	ck_assert_int_eq(errno, EISDIR);
	free(dir);
	remove_file(path);
	errno = 0;
	ck_assert_int_eq(read_file("/nonexistent/migsafe.sql", &text, &len, 100), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

struct row {
	uint32_t id, sum;
	unsigned char pad[56];
};

/* Rows written id by id, with gaps, past ROWS_MAP_FROM: every row kept
   through each move, the gaps zeroed; once mapped, never moved again. */
/*
 * A block grown with arena_block_resize() keeps its bytes, and an arena
 * that adopts it frees it on release (ASan and valgrind see a leak or a
 * double free); the arena's own chunk keeps serving arena_alloc().
 */
START_TEST(test_arena_adopt)
{
	for (int seeded = 0; seeded < 2; seeded++) {
		struct arena a;
		int *block = NULL, *before = NULL, *after;
		int n = 0;

		arena_init(&a);
		if (seeded)
			before = arena_alloc(&a, sizeof(*before));
		for (int alloc = 4; alloc <= 1 << 16; alloc *= 4) {
			block = arena_block_resize(block, (size_t)alloc * sizeof(*block));
			for (; n < alloc; n++)
				block[n] = n;
		}
		block = arena_block_resize(block, 1000 * sizeof(*block));
		arena_adopt(&a, block);
		after = arena_alloc(&a, sizeof(*after));
		*after = -1;
		for (int i = 0; i < 1000; i++)
			ck_assert_int_eq(block[i], i);
		ck_assert_ptr_ne(after, block);
		if (before)
			ck_assert_ptr_ne(after, before);
		arena_release(&a);
	}
	arena_block_free(NULL);
	arena_block_free(arena_block_resize(NULL, 10));
}
END_TEST

START_TEST(test_rows_reserve)
{
	const int64_t last = (int64_t)(3 * ROWS_MAP_FROM / sizeof(struct row));
	struct row *rows = NULL, *mapped = NULL;
	size_t alloc = 0;
	int64_t max_id = 0;

	for (int64_t id = 1; id <= last; id += id % 7 ? 1 : 3) {
		rows = rows_reserve(rows, &alloc, sizeof(*rows), id, max_id, 16, "rows");
		ck_assert_uint_gt(alloc, (size_t)id);
		rows[id].id = (uint32_t)id;
		rows[id].sum = (uint32_t)id * 2654435761u;
		max_id = id;
		if (!UNDER_ASAN && (size_t)(id + 1) * sizeof(*rows) > 2 * ROWS_MAP_FROM) {
			if (!mapped)
				mapped = rows;
			ck_assert_ptr_eq(rows, mapped);
		}
	}
	for (int64_t id = 1, next = 1; id <= max_id; id++) {
		if (id == next) {
			ck_assert_int_eq(rows[id].id, id);
			ck_assert_uint_eq(rows[id].sum, (uint32_t)id * 2654435761u);
			next = id + (id % 7 ? 1 : 3);
		} else {
			ck_assert_int_eq(rows[id].id, 0);
			ck_assert_uint_eq(rows[id].sum, 0);
		}
	}
	/* an exact size, and the rows kept */
	rows = rows_resize(rows, &alloc, sizeof(*rows), (size_t)max_id + 1000,
			   (size_t)max_id + 1);
	ck_assert_uint_ge(alloc, (size_t)max_id + 1000);
	ck_assert_int_eq(rows[max_id].id, max_id);
	rows_free(rows);
}
END_TEST

/* More arrays of that size than there are mappings: the rest stay in
   the heap, each usable and freed as the rest. */
START_TEST(test_rows_many)
{
	unsigned char *arrays[48];
	size_t alloc;

	for (int i = 0; i < 48; i++) {
		arrays[i] = rows_resize(NULL, &alloc, 1, ROWS_MAP_FROM, 0);
		ck_assert_uint_ge(alloc, ROWS_MAP_FROM);
		arrays[i][0] = (unsigned char)i;
		arrays[i][ROWS_MAP_FROM - 1] = (unsigned char)i;
		arrays[i] = rows_resize(arrays[i], &alloc, 1, 2 * ROWS_MAP_FROM, ROWS_MAP_FROM);
		ck_assert_int_eq(arrays[i][0], i);
		ck_assert_int_eq(arrays[i][ROWS_MAP_FROM - 1], i);
		arrays[i][2 * ROWS_MAP_FROM - 1] = 1;
	}
	for (int i = 0; i < 48; i++)
		rows_free(arrays[i]);
	rows_free(NULL);
}
END_TEST

static atomic_bool faulting;

static void *fault_loop(void *unused)
{
	(void)unused;
	while (atomic_load(&faulting))
		memory_fault_ahead();
	return NULL;
}

/* Whether this kernel faults pages in on request (Linux 5.14 on). */
static bool can_populate(void)
{
#ifdef MADV_POPULATE_WRITE
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bool ok;

	if (p == MAP_FAILED)
		return false;
	ok = !madvise(p, 4096, MADV_POPULATE_WRITE);
	munmap(p, 4096);
	return ok;
#else
	return false;
#endif
}

static bool resident(const void *p)
{
	unsigned char vec = 0;
	uintptr_t page = (uintptr_t)p & ~(uintptr_t)4095;

	return !mincore((void *)page, 4096, &vec) && (vec & 1);
}

/*
 * Rows written while another thread faults their pages in ahead: every
 * row as written (faulting in never changes a byte), and, where the
 * system can, the page past the rows written is in before they reach
 * it, and the one after it is not.
 */
START_TEST(test_fault_ahead)
{
	const size_t huge = (size_t)2 << 20;
	const int64_t last = (int64_t)(6 * ROWS_MAP_FROM / sizeof(struct row));
	struct row *rows = NULL;
	size_t alloc = 0, written;
	int64_t max_id = 0, id;
	pthread_t t;

	memory_fault_ahead();   /* nothing to do yet */
	atomic_store(&faulting, true);
	ck_assert_int_eq(pthread_create(&t, NULL, fault_loop, NULL), 0);
	for (id = 1; id <= last; id++) {
		rows = rows_reserve(rows, &alloc, sizeof(*rows), id, max_id, 16, "rows");
		rows[id].id = (uint32_t)id;
		rows[id].sum = (uint32_t)id * 2654435761u;
		max_id = id;
	}
	atomic_store(&faulting, false);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	for (id = 1; id <= max_id; id++) {
		ck_assert_int_eq(rows[id].id, id);
		ck_assert_uint_eq(rows[id].sum, (uint32_t)id * 2654435761u);
	}
	/* up to three quarters into a huge page, two on */
	written = (((uintptr_t)&rows[max_id + 1] / huge + 1) * huge + 3 * huge / 4) -
		  (uintptr_t)rows;
	for (id = max_id + 1; (size_t)(id + 1) * sizeof(*rows) <= written; id++) {
		rows = rows_reserve(rows, &alloc, sizeof(*rows), id, max_id, 16, "rows");
		rows[id].id = (uint32_t)id;
		max_id = id;
	}
	memory_fault_ahead();
	if (!UNDER_ASAN && can_populate() && alloc * sizeof(*rows) > ((size_t)1 << 30) / 2) {
		unsigned char *end = (unsigned char *)rows + (size_t)(max_id + 1) * sizeof(*rows);
		uintptr_t next = ((uintptr_t)end + huge - 1) & ~(uintptr_t)(huge - 1);

		ck_assert(resident((void *)next));
		ck_assert(resident((void *)(next + huge - 4096)));
		ck_assert(!resident((void *)(next + huge)));
	}
	ck_assert_int_eq(rows[max_id].id, max_id);
	rows_free(rows);
}
END_TEST

static Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("strbuf_addf");

	tcase_add_test(tc, test_addf_strings);
	tcase_add_test(tc, test_addf_integers);
	tcase_add_test(tc, test_addf_chars_and_percent);
	tcase_add_test(tc, test_addf_fallback);
	tcase_add_test(tc, test_addf_appends);
	tcase_add_test(tc, test_xstrfmt);
	suite_add_tcase(s, tc);
	tc = tcase_create("read_file");
	tcase_add_test(tc, test_read_file_sizes);
	tcase_add_test(tc, test_read_file_limits);
	suite_add_tcase(s, tc);
	tc = tcase_create("arena");
	tcase_add_test(tc, test_arena_adopt);
	suite_add_tcase(s, tc);
	tc = tcase_create("rows");
	tcase_add_test(tc, test_rows_reserve);
	tcase_add_test(tc, test_rows_many);
	tcase_add_test(tc, test_fault_ahead);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(util_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
