/*
 * test_discover.c - layouts, ordering, the lint range and the masking
 * of parts a migration tool does not run. Each test builds its
 * directories under a fresh mkdtemp() directory.
 */
#include "discover.h"
#include "util.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

static char tmpdir[64];

static void rm_rf(const char *path)
{
	struct stat st;
	struct dirent *de;
	DIR *d;

	if (lstat(path, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	d = opendir(path);
	while (d && (de = readdir(d))) {
		char *sub;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sub = xstrfmt("%s/%s", path, de->d_name);
		rm_rf(sub);
		free(sub);
	}
	if (d)
		closedir(d);
	rmdir(path);
}

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/migsafe-discover-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	rm_rf(tmpdir);
}

/* tmpdir/rel, caller frees */
static char *tmp(const char *rel)
{
	return xstrfmt("%s/%s", tmpdir, rel);
}

/* Create tmpdir/rel with 'content', and its parent directories. */
static void touch(const char *rel, const char *content)
{
	char *path = tmp(rel), *slash;
	FILE *f;

	for (slash = path + strlen(tmpdir) + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		ck_assert(!mkdir(path, 0755) || errno == EEXIST);
		*slash = '/';
	}
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(content, f);
	fclose(f);
	free(path);
}

static void mkdir_tmp(const char *rel)
{
	char *path = tmp(rel);

	ck_assert_int_eq(mkdir(path, 0755), 0);
	free(path);
}

/* Run discover on tmpdir-relative paths. */
static int run(struct history *h, bool *explicit_range, const struct discover_opts *opts,
	       int nr, const char **rel)
{
	char *paths[8];
	int i, ret;

	ck_assert_int_le(nr, 8);
	for (i = 0; i < nr; i++)
		paths[i] = tmp(rel[i]);
	history_init(h);
	ret = discover((const char **)paths, nr, opts, h, explicit_range);
	for (i = 0; i < nr; i++)
		free(paths[i]);
	return ret;
}

static int run1(struct history *h, bool *explicit_range, const char *rel)
{
	static const struct discover_opts none = { NULL, NULL };

	return run(h, explicit_range, &none, 1, &rel);
}

/* Display paths, tmpdir-relative, against a NULL-terminated list. */
static void check_order(const struct history *h, const char *const *want)
{
	size_t skip = strlen(tmpdir) + 1;
	int i;

	for (i = 0; want[i]; i++) {
		ck_assert_int_lt(i, h->nr);
		ck_assert_int_eq(strncmp(h->items[i].display, tmpdir, skip - 1), 0);
		ck_assert_str_eq(h->items[i].display + skip, want[i]);
	}
	ck_assert_int_eq(h->nr, i);
}

/* Which items are in range, as a string of 0 and 1. */
static char *range_of(const struct history *h)
{
	char *s = xmalloc((size_t)h->nr + 1);
	int i;

	for (i = 0; i < h->nr; i++)
		s[i] = h->items[i].in_range ? '1' : '0';
	s[h->nr] = '\0';
	return s;
}

#define ck_range(h, want) do {                                      \
		char *r_ = range_of(h);                                \
		ck_assert_str_eq(r_, (want));                          \
		free(r_);                                              \
	} while (0)

/* stderr of discover(), for checking its messages. */
struct capture {
	int saved;
	char path[80];
};

static void capture_start(struct capture *c)
{
	int fd;

	snprintf(c->path, sizeof(c->path), "%s/.stderr", tmpdir);
	fflush(stderr);
	c->saved = dup(2);
	fd = open(c->path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	ck_assert_int_ge(fd, 0);
	dup2(fd, 2);
	close(fd);
}

static char *capture_end(struct capture *c)
{
	char *out = NULL;
	size_t len;

	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	ck_assert_int_eq(read_file(c->path, &out, &len, 65536), 0);
	unlink(c->path);
	return out;
}

START_TEST(test_version_cmp)
{
	ck_assert_int_lt(version_cmp("2", "10"), 0);
	ck_assert_int_gt(version_cmp("10", "2"), 0);
	ck_assert_int_eq(version_cmp("0001", "1"), 0);
	ck_assert_int_lt(version_cmp("13.1", "13.2"), 0);
	ck_assert_int_lt(version_cmp("13.2", "14"), 0);
	ck_assert_int_lt(version_cmp("13", "13.1"), 0);
	ck_assert_int_eq(version_cmp("1_1", "1.1"), 0);
	ck_assert_int_lt(version_cmp("2018-02-17-205753", "2018-12-01-000000"), 0);
	ck_assert_int_lt(version_cmp("2024-03-06-170000", "2024-03-13"), 0);
	ck_assert_int_lt(version_cmp("2024-03-13", "2024-06-05-131359"), 0);
	ck_assert_int_lt(version_cmp("20230404095503", "20230411134605"), 0);
	/* longer than any integer type */
	ck_assert_int_lt(version_cmp("99999999999999999999999", "100000000000000000000000"), 0);
	ck_assert_int_gt(version_cmp("100000000000000000000001", "100000000000000000000000"), 0);
	ck_assert_int_lt(version_cmp("abc", "abd"), 0);
	ck_assert_int_lt(version_cmp("", "1"), 0);
}
END_TEST

START_TEST(test_layout_names)
{
	ck_assert_str_eq(layout_name(LAYOUT_PLAIN), "plain");
	ck_assert_str_eq(layout_name(LAYOUT_GOLANG_MIGRATE), "golang-migrate");
	ck_assert_str_eq(layout_name(LAYOUT_GOOSE), "goose");
	ck_assert_str_eq(layout_name(LAYOUT_ATLAS), "atlas");
	ck_assert_str_eq(layout_name(LAYOUT_FLYWAY), "flyway");
	ck_assert_str_eq(layout_name(LAYOUT_DBMATE), "dbmate");
	ck_assert_str_eq(layout_name(LAYOUT_DIESEL), "diesel");
	ck_assert_str_eq(layout_name(LAYOUT_PRISMA), "prisma");
}
END_TEST

START_TEST(test_plain_numeric_order)
{
	static const char *const want[] = {
		"m/1_a.sql", "m/2_x.sql", "m/003-init.sql", "m/10_x.sql",
		"m/V11_v.sql", NULL,
	};
	struct history h;
	bool ex = true;

	touch("m/10_x.sql", "select 10;");
	touch("m/2_x.sql", "select 2;");
	touch("m/1_a.sql", "select 1;");
	touch("m/003-init.sql", "");
	touch("m/V11_v.sql", "");
	touch("m/schema.sql", "");      /* no version: not a migration */
	touch("m/5_y.down.sql", "");
	touch("m/.9_hidden.sql", "");
	touch("m/README.md", "");
	ck_assert_int_eq(run1(&h, &ex, "m"), 0);
	check_order(&h, want);
	ck_assert(!ex);
	ck_range(&h, "11111");
	ck_assert_int_eq(h.nr_dirs, 1);
	ck_assert_str_eq(h.items[1].version, "2");
	ck_assert_str_eq(h.items[1].name, "x");
	ck_assert_str_eq(h.items[2].version, "003");
	ck_assert_str_eq(h.items[2].name, "init");
	ck_assert_str_eq(h.items[4].version, "11");
	ck_assert_int_eq(h.items[0].layout, LAYOUT_PLAIN);
	ck_assert_int_eq(h.items[0].tx, TX_PER_FILE);
	ck_assert_str_eq(h.items[0].path, h.items[0].display);
	history_release(&h);
	ck_assert_int_eq(h.nr, 0);
	ck_assert_ptr_null(h.items);
}
END_TEST

START_TEST(test_display_trailing_slash)
{
	struct history h;
	bool ex;
	char *want = tmp("m/1_a.sql");

	touch("m/1_a.sql", "");
	ck_assert_int_eq(run1(&h, &ex, "m/"), 0);
	ck_assert_int_eq(h.nr, 1);
	ck_assert_str_eq(h.items[0].display, want);
	history_release(&h);
	free(want);
}
END_TEST

START_TEST(test_flyway_two_locations)
{
	static const char *const want[] = {
		"a/V1__init.sql", "a/V1_1__x.sql", "a/V13.1__cols.sql",
		"b/V13.2__backfill.sql", "a/V14__parent.sql", "b/V14.0.1__y.sql", NULL,
	};
	static const char *dirs[] = { "a", "b" };
	static const struct discover_opts none = { NULL, NULL };
	struct history h;
	bool ex;
	int i;

	touch("a/V1__init.sql", "");
	touch("a/V1_1__x.sql", "");
	touch("a/V13.1__cols.sql", "");
	touch("a/V14__parent.sql", "");
	touch("a/R__views.sql", "");
	touch("a/U14__undo.sql", "");
	touch("a/B13__baseline.sql", "");
	touch("a/notes.sql", "");
	touch("b/V13.2__backfill.sql", "");
	touch("b/V14.0.1__y.sql", "");
	ck_assert_int_eq(run(&h, &ex, &none, 2, dirs), 0);
	check_order(&h, want);
	ck_assert_int_eq(h.nr_dirs, 2);
	ck_assert_str_eq(h.items[1].version, "1_1");
	ck_assert_str_eq(h.items[1].name, "x");
	ck_assert_str_eq(h.items[2].version, "13.1");
	ck_assert_str_eq(h.items[2].name, "cols");
	for (i = 0; i < h.nr; i++) {
		ck_assert_int_eq(h.items[i].layout, LAYOUT_FLYWAY);
		ck_assert_int_eq(h.items[i].tx, TX_PER_FILE);
	}
	history_release(&h);
}
END_TEST

START_TEST(test_golang_migrate)
{
	static const char *const want[] = {
		"m/1_a.up.sql", "m/2_b.up.sql", "m/10_c.up.sql", NULL,
	};
	struct history h;
	bool ex;

	touch("m/1_a.up.sql", "");
	touch("m/1_a.down.sql", "");
	touch("m/2_b.up.sql", "");
	touch("m/2_b.down.sql", "");
	touch("m/10_c.up.sql", "");
	touch("m/10_c.down.sql", "");
	touch("m/3_plain.sql", "");   /* golang-migrate would not run it */
	touch("m/.4_d.up.sql", "");
	ck_assert_int_eq(run1(&h, &ex, "m"), 0);
	check_order(&h, want);
	ck_assert_int_eq(h.items[0].layout, LAYOUT_GOLANG_MIGRATE);
	ck_assert_int_eq(h.items[0].tx, TX_IMPLICIT);
	ck_assert_str_eq(h.items[2].version, "10");
	ck_assert_str_eq(h.items[2].name, "c");
	history_release(&h);
}
END_TEST

START_TEST(test_diesel_dates)
{
	static const char *const want[] = {
		"m/00000000000000_diesel_initial_setup/up.sql",
		"m/2018-02-17-205753_a/up.sql",
		"m/2018-12-01-000000_b/up.sql",
		"m/2024-03-06-170000_d/up.sql",
		"m/2024-03-13_170000_c/up.sql",
		NULL,
	};
	struct history h;
	bool ex;

	touch("m/2018-12-01-000000_b/up.sql", "");
	touch("m/2018-12-01-000000_b/down.sql", "");
	touch("m/2018-12-01-000000_b/metadata.toml", "run_in_transaction = false\n");
	touch("m/2018-02-17-205753_a/up.sql", "");
	touch("m/2018-02-17-205753_a/down.sql", "");
	touch("m/2024-03-13_170000_c/up.sql", "");
	touch("m/2024-03-06-170000_d/up.sql", "");
	touch("m/00000000000000_diesel_initial_setup/up.sql", "");
	touch("m/2025-01-01-000000_only_down/down.sql", "");
	touch("m/.keep", "");
	ck_assert_int_eq(run1(&h, &ex, "m"), 0);
	check_order(&h, want);
	ck_assert_int_eq(h.items[1].layout, LAYOUT_DIESEL);
	ck_assert_str_eq(h.items[1].version, "2018-02-17-205753");
	ck_assert_str_eq(h.items[1].name, "a");
	ck_assert_str_eq(h.items[4].version, "2024-03-13");
	ck_assert_int_eq(h.items[1].tx, TX_PER_FILE);
	ck_assert_int_eq(h.items[2].tx, TX_NONE);
	history_release(&h);
}
END_TEST

START_TEST(test_prisma)
{
	static const char *const want[] = {
		"m/20230404095503_init/migration.sql",
		"m/20230411134605_doc_208/migration.sql",
		"m/20231030055821_add_indexes/migration.sql",
		NULL,
	};
	struct history h;
	bool ex;

	touch("m/20231030055821_add_indexes/migration.sql", "");
	touch("m/20230411134605_doc_208/migration.sql", "");
	touch("m/20230404095503_init/migration.sql", "");
	touch("m/migration_lock.toml", "provider = \"postgresql\"\n");
	ck_assert_int_eq(run1(&h, &ex, "m"), 0);
	check_order(&h, want);
	ck_assert_int_eq(h.items[0].layout, LAYOUT_PRISMA);
	ck_assert_int_eq(h.items[0].tx, TX_IMPLICIT);
	ck_assert_str_eq(h.items[1].version, "20230411134605");
	ck_assert_str_eq(h.items[1].name, "doc_208");
	history_release(&h);
}
END_TEST

START_TEST(test_atlas)
{
	static const char *const want[] = { "m/1_a.sql", "m/2.sql", NULL };
	struct history h;
	bool ex;

	touch("m/atlas.sum", "h1:xyz\n");
	touch("m/1_a.sql", "");
	touch("m/2.sql", "");
	ck_assert_int_eq(run1(&h, &ex, "m"), 0);
	check_order(&h, want);
	ck_assert_int_eq(h.items[0].layout, LAYOUT_ATLAS);
	ck_assert_int_eq(h.items[0].tx, TX_PER_FILE);
	ck_assert_str_eq(h.items[1].version, "2");
	ck_assert_str_eq(h.items[1].name, "");
	history_release(&h);
}
END_TEST

static void golang_dir(void)
{
	touch("m/1_a.up.sql", "");
	touch("m/1_a.down.sql", "");
	touch("m/2_b.up.sql", "");
	touch("m/10_c.up.sql", "");
}

START_TEST(test_file_argument)
{
	static const char *const want[] = {
		"m/1_a.up.sql", "m/2_b.up.sql", "m/10_c.up.sql", NULL,
	};
	struct history h;
	bool ex = false;
	char *arg = tmp("m//2_b.up.sql");

	golang_dir();
	ck_assert_int_eq(run1(&h, &ex, "m/2_b.up.sql"), 0);
	check_order(&h, want);
	ck_assert(ex);
	ck_range(&h, "010");
	ck_assert_int_eq(h.items[1].layout, LAYOUT_GOLANG_MIGRATE);
	history_release(&h);

	/* shown exactly as named */
	ck_assert_int_eq(run1(&h, &ex, "m//2_b.up.sql"), 0);
	ck_assert_int_eq(h.nr, 3);
	ck_assert_str_eq(h.items[1].display, arg);
	ck_range(&h, "010");
	history_release(&h);
	free(arg);
}
END_TEST

START_TEST(test_several_file_arguments)
{
	static const char *files[] = { "m/10_c.up.sql", "m/1_a.up.sql", "m/10_c.up.sql" };
	static const char *mixed[] = { "m/1_a.up.sql", "m" };
	static const struct discover_opts none = { NULL, NULL };
	struct history h;
	bool ex;

	golang_dir();
	ck_assert_int_eq(run(&h, &ex, &none, 3, files), 0);
	ck_assert_int_eq(h.nr, 3);
	ck_assert_int_eq(h.nr_dirs, 1);
	ck_range(&h, "101");
	ck_assert(ex);
	history_release(&h);

	/* the directory named too: all of it is in range, listed once */
	ck_assert_int_eq(run(&h, &ex, &none, 2, mixed), 0);
	ck_assert_int_eq(h.nr, 3);
	ck_range(&h, "111");
	history_release(&h);
}
END_TEST

/* Two names for one file: the one named is the one in range, whatever
   order the directory lists them in (an inode match once picked the
   first listed). */
START_TEST(test_file_argument_hard_link)
{
	static const char *first[] = { "m/2_b.up.sql", "m/3_b.up.sql" };
	static const char *second[] = { "m/3_b.up.sql", "m/2_b.up.sql" };
	static const struct discover_opts none = { NULL, NULL };
	char *a = tmp("m/2_b.up.sql"), *b = tmp("m/3_b.up.sql");
	struct history h;
	bool ex;

	golang_dir();
	ck_assert_int_eq(link(a, b), 0);
	ck_assert_int_eq(run(&h, &ex, &none, 1, second), 0);
	ck_assert_int_eq(h.nr, 4);
	ck_range(&h, "0010");
	history_release(&h);
	ck_assert_int_eq(run(&h, &ex, &none, 1, first), 0);
	ck_range(&h, "0100");
	history_release(&h);
	/* both, in either order */
	ck_assert_int_eq(run(&h, &ex, &none, 2, first), 0);
	ck_range(&h, "0110");
	history_release(&h);
	ck_assert_int_eq(run(&h, &ex, &none, 2, second), 0);
	ck_range(&h, "0110");
	history_release(&h);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_file_argument_relative)
{
	static const char *files[] = { "2_b.up.sql" };
	static const struct discover_opts none = { NULL, NULL };
	struct history h;
	bool ex;
	char *cwd = getcwd(NULL, 0), *dir = tmp("m");
	int ret;

	golang_dir();
	ck_assert_int_eq(chdir(dir), 0);
	history_init(&h);
	ret = discover(files, 1, &none, &h, &ex);
	ck_assert_int_eq(chdir(cwd), 0);
	ck_assert_int_eq(ret, 0);
	ck_assert_int_eq(h.nr, 3);
	ck_assert_str_eq(h.items[0].display, "1_a.up.sql");
	ck_assert_str_eq(h.items[1].display, "2_b.up.sql");
	ck_assert_str_eq(h.items[2].display, "10_c.up.sql");
	ck_range(&h, "010");
	history_release(&h);
	free(cwd);
	free(dir);
}
END_TEST

START_TEST(test_file_argument_diesel)
{
	static const char *files[] = { "m/2_b/up.sql", "m/3_c/up.sql" };
	static const struct discover_opts none = { NULL, NULL };
	struct history h;
	bool ex;
	char *arg = tmp("m/2_b/up.sql");

	touch("m/1_a/up.sql", "");
	touch("m/2_b/up.sql", "");
	touch("m/2_b/down.sql", "");
	touch("m/3_c/up.sql", "");
	touch("m/4_d/up.sql", "");
	ck_assert_int_eq(run(&h, &ex, &none, 2, files), 0);
	ck_assert_int_eq(h.nr, 4);
	ck_assert_str_eq(h.items[1].display, arg);
	ck_range(&h, "0110");
	ck_assert(ex);
	history_release(&h);
	free(arg);
}
END_TEST

START_TEST(test_file_argument_not_a_migration)
{
	struct history h;
	bool ex;

	golang_dir();
	touch("m/notes.sql", "select 1;");
	/* named, so linted, after the history */
	ck_assert_int_eq(run1(&h, &ex, "m/notes.sql"), 0);
	ck_assert_int_eq(h.nr, 4);
	ck_range(&h, "0001");
	ck_assert_str_eq(h.items[3].version, "");
	ck_assert_str_eq(h.items[3].name, "notes");
	history_release(&h);
}
END_TEST

START_TEST(test_since)
{
	struct discover_opts opts = { NULL, "2" };
	static const char *dir[] = { "m" };
	struct history h;
	bool ex = false;

	golang_dir();
	ck_assert_int_eq(run(&h, &ex, &opts, 1, dir), 0);
	ck_assert_int_eq(h.nr, 3);
	ck_range(&h, "011");
	ck_assert(ex);
	history_release(&h);

	opts.since = "0011";
	ck_assert_int_eq(run(&h, &ex, &opts, 1, dir), 0);
	ck_range(&h, "000");
	ck_assert(ex);
	history_release(&h);
}
END_TEST

START_TEST(test_since_dates)
{
	struct discover_opts opts = { NULL, "2018-06-01-000000" };
	static const char *dir[] = { "m" };
	struct history h;
	bool ex;

	touch("m/2018-02-17-205753_a/up.sql", "");
	touch("m/2018-12-01-000000_b/up.sql", "");
	touch("m/2019-01-01-000000_c/up.sql", "");
	ck_assert_int_eq(run(&h, &ex, &opts, 1, dir), 0);
	ck_range(&h, "011");
	history_release(&h);
}
END_TEST

START_TEST(test_missing_path)
{
	struct history h;
	struct capture cap;
	bool ex;
	char *msg, *want = xstrfmt("migsafe: error: cannot access '%s/nope': "
				   "No such file or directory\n", tmpdir);
	int ret;

	capture_start(&cap);
	ret = run1(&h, &ex, "nope");
	msg = capture_end(&cap);
	ck_assert_int_eq(ret, -1);
	ck_assert_str_eq(msg, want);
	ck_assert_int_eq(h.nr, 0);
	history_release(&h);
	free(msg);
	free(want);
}
END_TEST

START_TEST(test_empty_dir)
{
	struct history h;
	struct capture cap;
	bool ex;
	char *msg, *want = xstrfmt("migsafe: error: no migrations found in '%s/m'\n", tmpdir);
	int ret;

	mkdir_tmp("m");
	touch("m/README.md", "");
	touch("m/1_a.down.sql", "");
	touch("m/sub/up.sql", "");   /* no version in the directory name */
	capture_start(&cap);
	ret = run1(&h, &ex, "m");
	msg = capture_end(&cap);
	ck_assert_int_eq(ret, -1);
	ck_assert_str_eq(msg, want);
	history_release(&h);
	free(msg);
	free(want);
}
END_TEST

START_TEST(test_symlink_loop)
{
	static const char *const want[] = {
		"m/1_a.sql", "m/2_b/migration.sql", "m/3_c.sql", NULL,
	};
	struct history h;
	bool ex;
	char *p;

	touch("m/1_a.sql", "");
	touch("m/2_b/migration.sql", "");
	touch("real/x.sql", "");
	p = tmp("m/3_c.sql");
	ck_assert_int_eq(symlink("../real/x.sql", p), 0);   /* a file: fine */
	free(p);
	p = tmp("m/4_loop");
	ck_assert_int_eq(symlink(".", p), 0);               /* itself */
	free(p);
	p = tmp("m/5_self");
	ck_assert_int_eq(symlink("5_self", p), 0);          /* ELOOP */
	free(p);
	p = tmp("m/2_b/6_up");
	ck_assert_int_eq(symlink("..", p), 0);
	free(p);
	ck_assert_int_eq(run1(&h, &ex, "m"), 0);
	check_order(&h, want);
	history_release(&h);
}
END_TEST

START_TEST(test_forced_layout)
{
	struct discover_opts opts = { "golang-migrate", NULL };
	static const char *dir[] = { "m" };
	struct history h;
	struct capture cap;
	bool ex;
	char *msg;
	int ret;

	touch("m/1_a.up.sql", "");
	touch("m/2_b.sql", "");
	ck_assert_int_eq(run(&h, &ex, &opts, 1, dir), 0);
	ck_assert_int_eq(h.nr, 1);
	history_release(&h);

	touch("m/atlas.sum", "");
	opts.layout = "goose";
	ck_assert_int_eq(run(&h, &ex, &opts, 1, dir), 0);
	ck_assert_int_eq(h.nr, 2);
	ck_assert_int_eq(h.items[0].layout, LAYOUT_GOOSE);
	ck_assert_int_eq(h.items[0].tx, TX_PER_FILE);
	history_release(&h);

	opts.layout = "liquibase";
	capture_start(&cap);
	ret = run(&h, &ex, &opts, 1, dir);
	msg = capture_end(&cap);
	ck_assert_int_eq(ret, -1);
	ck_assert_ptr_nonnull(strstr(msg, "unknown layout 'liquibase'"));
	ck_assert_ptr_nonnull(strstr(msg, "golang-migrate"));
	ck_assert_ptr_nonnull(strstr(msg, "plain"));
	free(msg);
	history_release(&h);
}
END_TEST

/* migration_mask on a copy of 'in'; checks length and line ends kept. */
static char *mask(struct migration *m, const char *in)
{
	char *text = xstrdup(in);
	size_t i, len = strlen(in);

	migration_mask(m, text, len);
	ck_assert_uint_eq(strlen(text), len);
	for (i = 0; i < len; i++)
		ck_assert((in[i] == '\n') == (text[i] == '\n'));
	return text;
}

static void plain_migration(struct migration *m)
{
	memset(m, 0, sizeof(*m));
	m->layout = LAYOUT_PLAIN;
	m->tx = TX_PER_FILE;
}

START_TEST(test_mask_goose)
{
	static const char in[] =
		"drop table x;\n"
		"-- +goose Up\n"
		"create table t (id int);\n"
		"-- +goose StatementBegin\n"
		"create function f() returns int as $$ select 1; $$ language sql;\n"
		"-- +goose StatementEnd\n"
		"-- +goose Down\n"
		"drop table t;\n";
	static const char want[] =
		"             \n"
		"-- +goose Up\n"
		"create table t (id int);\n"
		"-- +goose StatementBegin\n"
		"create function f() returns int as $$ select 1; $$ language sql;\n"
		"-- +goose StatementEnd\n"
		"              \n"
		"             \n";
	struct migration m;
	char *out;

	plain_migration(&m);
	out = mask(&m, in);
	ck_assert_str_eq(out, want);
	ck_assert_int_eq(m.layout, LAYOUT_GOOSE);
	ck_assert_int_eq(m.tx, TX_PER_FILE);
	free(out);
}
END_TEST

/* rubenv/sql-migrate (nakama): only the Up part runs */
START_TEST(test_mask_sql_migrate)
{
	static const char in[] =
		"/* licence */\n"
		"-- +migrate Up\n"
		"create table t (id int);\n"
		"-- +migrate StatementBegin\n"
		"create function f() returns int as $$ select 1; $$ language sql;\n"
		"-- +migrate StatementEnd\n"
		"-- +migrate Down\n"
		"drop table t;\n";
	struct migration m;
	char *out;

	plain_migration(&m);
	out = mask(&m, in);
	ck_assert_int_eq(m.layout, LAYOUT_SQL_MIGRATE);
	ck_assert_str_eq(layout_name(m.layout), "sql-migrate");
	ck_assert_int_eq(m.tx, TX_PER_FILE);
	ck_assert_ptr_nonnull(strstr(out, "create table t (id int);"));
	ck_assert_ptr_nonnull(strstr(out, "create function f()"));
	ck_assert_ptr_null(strstr(out, "drop table"));
	free(out);

	plain_migration(&m);
	out = mask(&m, "-- +migrate Up notransaction\ncreate index concurrently i on t (a);\n"
		   "-- +migrate Down\ndrop index i;\n");
	ck_assert_int_eq(m.tx, TX_NONE);
	ck_assert_ptr_null(strstr(out, "drop index"));
	free(out);
}
END_TEST

START_TEST(test_mask_goose_no_transaction)
{
	static const char in[] =
		"--+goose NO   TRANSACTION\r\n"
		"--  +GOOSE up\r\n"
		"create index concurrently i on t (a);\r\n"
		"-- +goose down\r\n"
		"drop index i;";
	struct migration m;
	char *out;

	plain_migration(&m);
	out = mask(&m, in);
	ck_assert_int_eq(m.layout, LAYOUT_GOOSE);
	ck_assert_int_eq(m.tx, TX_NONE);
	ck_assert_ptr_nonnull(strstr(out, "create index concurrently i on t (a);"));
	ck_assert_ptr_null(strstr(out, "drop"));
	ck_assert_ptr_null(strstr(out, "NO"));
	free(out);

	/* forced goose without a directive stays as it is */
	plain_migration(&m);
	m.layout = LAYOUT_GOOSE;
	out = mask(&m, "select 1;\n");
	ck_assert_str_eq(out, "select 1;\n");
	ck_assert_int_eq(m.tx, TX_PER_FILE);
	free(out);
}
END_TEST

START_TEST(test_mask_dbmate)
{
	static const char in[] =
		"-- migrate:up transaction:false\n"
		"create index concurrently i on t (a);\n"
		"\n"
		"-- migrate:down\n"
		"drop index i;\n";
	static const char want[] =
		"-- migrate:up transaction:false\n"
		"create index concurrently i on t (a);\n"
		"\n"
		"               \n"
		"             \n";
	struct migration m;
	char *out;

	plain_migration(&m);
	out = mask(&m, in);
	ck_assert_str_eq(out, want);
	ck_assert_int_eq(m.layout, LAYOUT_DBMATE);
	ck_assert_int_eq(m.tx, TX_NONE);
	free(out);

	plain_migration(&m);
	out = mask(&m, "-- Migrate:Up\nselect 1;\n-- migrate:down\nselect 2;\n");
	ck_assert_str_eq(out, "-- Migrate:Up\nselect 1;\n               \n         \n");
	ck_assert_int_eq(m.layout, LAYOUT_DBMATE);
	ck_assert_int_eq(m.tx, TX_PER_FILE);
	free(out);
}
END_TEST

START_TEST(test_mask_atlas)
{
	static const char in[] = "-- atlas:txmode none\ncreate index concurrently i on t (a);\n";
	struct migration m;
	char *out;

	plain_migration(&m);
	m.layout = LAYOUT_ATLAS;
	out = mask(&m, in);
	ck_assert_str_eq(out, in);
	ck_assert_int_eq(m.tx, TX_NONE);
	ck_assert_int_eq(m.layout, LAYOUT_ATLAS);
	free(out);

	plain_migration(&m);
	m.layout = LAYOUT_ATLAS;
	out = mask(&m, "-- atlas:txmode file\nselect 1;\n");
	ck_assert_int_eq(m.tx, TX_PER_FILE);
	free(out);
}
END_TEST

START_TEST(test_mask_plain_and_flyway)
{
	static const char in[] = "-- a comment\nselect 1;\n-- migrate:down is a phrase\n";
	struct migration m;
	char *out;

	plain_migration(&m);
	out = mask(&m, in);
	ck_assert_str_eq(out, in);
	ck_assert_int_eq(m.layout, LAYOUT_PLAIN);   /* dbmate needs migrate:up */
	free(out);

	plain_migration(&m);
	out = mask(&m, "select 1;\n");
	ck_assert_int_eq(m.layout, LAYOUT_PLAIN);
	free(out);

	plain_migration(&m);
	m.layout = LAYOUT_FLYWAY;
	out = mask(&m, "-- +goose Down\nselect 1;\n");
	ck_assert_str_eq(out, "-- +goose Down\nselect 1;\n");
	ck_assert_int_eq(m.layout, LAYOUT_FLYWAY);
	free(out);
}
END_TEST

/* ---- the real histories in ../shared/corpora, when present ---- */

static char *corpora_dir(void)
{
	const char *src = getenv("MIGSAFE_SOURCE_DIR");
	char *dir = src ? xstrfmt("%s/../shared/corpora", src) : xstrdup("../shared/corpora");
	struct stat st;

	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		free(dir);
		dir = xstrdup("/work/shared/corpora");
		if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
			free(dir);
			return NULL;
		}
	}
	return dir;
}

struct lines {
	char **v;
	int nr;
	size_t alloc;
};

static void lines_release(struct lines *l)
{
	int i;

	for (i = 0; i < l->nr; i++)
		free(l->v[i]);
	free(l->v);
}

static void read_lines(const char *path, struct lines *l)
{
	char *text = NULL;
	const char *p;
	size_t len;

	memset(l, 0, sizeof(*l));
	ck_assert_int_eq(read_file(path, &text, &len, 1 << 20), 0);
	for (p = text; *p; p += strspn(p, "\r\n")) {
		size_t n = strcspn(p, "\r\n");

		ALLOC_GROW(l->v, (size_t)l->nr + 1, l->alloc);
		l->v[l->nr++] = xstrndup(p, n);
		p += n;
	}
	free(text);
}

/*
 * The directories to name: 'migrations' itself, or for Flyway-style
 * locations ("loc/V1__x.sql" lines) each location under it.
 */
static void location_args(const char *migs, const struct lines *order, struct lines *args)
{
	int i, j;

	memset(args, 0, sizeof(*args));
	for (i = 0; i < order->nr; i++) {
		const char *slash = strchr(order->v[i], '/');
		char *loc;
		bool seen = false;

		if (!slash || str_ends_with(order->v[i], "/up.sql") ||
		    str_ends_with(order->v[i], "/migration.sql"))
			continue;
		loc = xstrfmt("%s/%.*s", migs, (int)(slash - order->v[i]), order->v[i]);
		for (j = 0; j < args->nr; j++)
			seen |= !strcmp(args->v[j], loc);
		if (seen) {
			free(loc);
			continue;
		}
		ALLOC_GROW(args->v, (size_t)args->nr + 1, args->alloc);
		args->v[args->nr++] = loc;
	}
	if (!args->nr) {
		ALLOC_GROW(args->v, 1, args->alloc);
		args->v[args->nr++] = xstrdup(migs);
	}
}

static void check_corpus(const char *root, const char *name, enum layout want_layout)
{
	char *migs = xstrfmt("%s/%s/migrations", root, name);
	char *order_path = xstrfmt("%s/%s/order.txt", root, name);
	static const struct discover_opts none = { NULL, NULL };
	struct lines order, args;
	struct history h;
	size_t skip = strlen(migs) + 1;
	bool ex;
	int i;

	read_lines(order_path, &order);
	location_args(migs, &order, &args);
	history_init(&h);
	ck_assert_int_eq(discover((const char **)args.v, args.nr, &none, &h, &ex), 0);
	ck_assert_int_eq(h.nr, order.nr);
	for (i = 0; i < h.nr; i++) {
		ck_assert_msg(!strncmp(h.items[i].display, migs, skip - 1),
			      "%s: '%s'", name, h.items[i].display);
		ck_assert_str_eq(h.items[i].display + skip, order.v[i]);
		ck_assert_int_eq(h.items[i].layout, want_layout);
		ck_assert(h.items[i].in_range);
	}
	history_release(&h);
	lines_release(&order);
	lines_release(&args);
	free(migs);
	free(order_path);
}

START_TEST(test_corpora_order)
{
	static const struct {
		const char *name;
		enum layout layout;
	} corpora[] = {
		{ "harbor", LAYOUT_GOLANG_MIGRATE },
		{ "documenso", LAYOUT_PRISMA },
		{ "conductor", LAYOUT_FLYWAY },
		{ "vaultwarden-sqlite", LAYOUT_DIESEL },
	};
	char *root = corpora_dir();
	size_t i;

	if (!root)
		return;   /* not available here: nothing to compare with */
	for (i = 0; i < ARRAY_SIZE(corpora); i++) {
		char *order = xstrfmt("%s/%s/order.txt", root, corpora[i].name);

		if (!access(order, R_OK))
			check_corpus(root, corpora[i].name, corpora[i].layout);
		free(order);
	}
	free(root);
}
END_TEST

static Suite *discover_suite(void)
{
	Suite *s = suite_create("discover");
	TCase *pure = tcase_create("pure");
	TCase *fs = tcase_create("filesystem");
	TCase *mk = tcase_create("mask");
	TCase *real = tcase_create("corpora");

	tcase_add_test(pure, test_version_cmp);
	tcase_add_test(pure, test_layout_names);
	suite_add_tcase(s, pure);

	tcase_add_checked_fixture(fs, setup, teardown);
	tcase_add_test(fs, test_plain_numeric_order);
	tcase_add_test(fs, test_display_trailing_slash);
	tcase_add_test(fs, test_flyway_two_locations);
	tcase_add_test(fs, test_golang_migrate);
	tcase_add_test(fs, test_diesel_dates);
	tcase_add_test(fs, test_prisma);
	tcase_add_test(fs, test_atlas);
	tcase_add_test(fs, test_file_argument);
	tcase_add_test(fs, test_several_file_arguments);
	tcase_add_test(fs, test_file_argument_relative);
	tcase_add_test(fs, test_file_argument_hard_link);
	tcase_add_test(fs, test_file_argument_diesel);
	tcase_add_test(fs, test_file_argument_not_a_migration);
	tcase_add_test(fs, test_since);
	tcase_add_test(fs, test_since_dates);
	tcase_add_test(fs, test_missing_path);
	tcase_add_test(fs, test_empty_dir);
	tcase_add_test(fs, test_symlink_loop);
	tcase_add_test(fs, test_forced_layout);
	suite_add_tcase(s, fs);

	tcase_add_test(mk, test_mask_goose);
	tcase_add_test(mk, test_mask_goose_no_transaction);
	tcase_add_test(mk, test_mask_sql_migrate);
	tcase_add_test(mk, test_mask_dbmate);
	tcase_add_test(mk, test_mask_atlas);
	tcase_add_test(mk, test_mask_plain_and_flyway);
	suite_add_tcase(s, mk);

	tcase_add_test(real, test_corpora_order);
	suite_add_tcase(s, real);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(discover_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
