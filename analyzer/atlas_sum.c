#include "atlas_sum.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "util.h"
#include "banned.h"

struct sum_entry {
	char *name;
	char *hash;      /* base64, without "h1:" */
	int line;
};

struct sum_file {
	struct sum_entry *items;
	int nr;
	size_t alloc;
	char *total;     /* the first line's hash */
};

static void sum_release(struct sum_file *s)
{
	for (int i = 0; i < s->nr; i++) {
		free(s->items[i].name);
		free(s->items[i].hash);
	}
	free(s->items);
	free(s->total);
}

/* Parse atlas.sum; -1 and *bad_line on a line that is not "NAME h1:HASH". */
static int sum_parse(char *text, struct sum_file *s, int *bad_line)
{
	char *line = text, *next;
	int no = 0;

	for (; line && *line; line = next) {
		char *h1, *end;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		no++;
		end = line + strlen(line);
		while (end > line && (end[-1] == '\r' || end[-1] == ' '))
			*--end = '\0';
		if (no == 1) {
			if (strncmp(line, "h1:", 3))
				goto bad;
			s->total = xstrdup(line + 3);
			continue;
		}
		h1 = strstr(line, " h1:");
		if (!h1)
			goto bad;
		ALLOC_GROW(s->items, (size_t)s->nr + 1, s->alloc);
		s->items[s->nr].name = xstrndup(line, (size_t)(h1 - line));
		s->items[s->nr].hash = xstrdup(h1 + 4);
		s->items[s->nr++].line = no;
	}
	return s->total ? 0 : (*bad_line = 1, -1);
bad:
	*bad_line = no;
	return -1;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The directory's *.sql files, sorted by name as Atlas sorts them. */
static char **sql_files(const char *dir, int *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t alloc = 0;

	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d)))
		if (str_ends_with(e->d_name, ".sql") && e->d_name[0] != '.') {
			ALLOC_GROW(v, (size_t)*n + 1, alloc);
			v[(*n)++] = xstrdup(e->d_name);
		}
	closedir(d);
	if (*n)
		qsort(v, (size_t)*n, sizeof(*v), cmp_names);
	return v;
}

static int index_of(const struct history *h, const char *dir, const char *name)
{
	char *path = xstrfmt("%s/%s", dir, name);
	int found = -1;

	for (int i = 0; i < h->nr && found < 0; i++)
		if (!strcmp(h->items[i].path, path))
			found = i;
	free(path);
	return found;
}

/* Atlas's "-- atlas:sum ignore" on the first line leaves a file out. */
static bool sum_ignored(const char *text)
{
	const char *nl = strchr(text, '\n'), *p = strstr(text, "atlas:sum ignore");

	return p && (!nl || p < nl);
}

struct dir_check {
	const struct history *h;
	const char *dir;
	int first;        /* history index to report on when no file fits */
	atlas_sum_fn fn;
	void *data;
};

static void say(struct dir_check *c, const char *file, char *msg)
{
	int i = file ? index_of(c->h, c->dir, file) : -1;

	c->fn(c->data, i >= 0 ? i : c->first, msg);
	free(msg);
}

static const struct sum_entry *entry_for(const struct sum_file *s, const char *name)
{
	for (int i = 0; i < s->nr; i++)
		if (!strcmp(s->items[i].name, name))
			return &s->items[i];
	return NULL;
}

/* Hash the files in order; report the first that differs, and files the
   sum does not know. */
static void compare(struct dir_check *c, const struct sum_file *s, char **files, int n)
{
	struct sha256 h;
	bool mismatch = false;

	sha256_init(&h);
	for (int i = 0; i < n; i++) {
		char *path = xstrfmt("%s/%s", c->dir, files[i]), *text = NULL;
		const struct sum_entry *e = entry_for(s, files[i]);
		unsigned char d[32];
		char b64[48];
		size_t len = 0;

		sha256_update(&h, files[i], strlen(files[i]));
		if (read_file(path, &text, &len, 1u << 30)) {
			free(path);
			continue;
		}
		free(path);
		if (sum_ignored(text)) {
			free(text);
			continue;
		}
		sha256_update(&h, text, len);
		free(text);
		sha256_peek(&h, d);
		base64_encode(d, sizeof(d), b64);
		if (!e)
			say(c, files[i], xstrfmt("'%s' is not recorded in %s/atlas.sum: run"
						 " 'atlas migrate hash' after adding a migration",
						 files[i], c->dir));
		else if (!mismatch && strcmp(e->hash, b64)) {
			say(c, files[i], xstrfmt("%s/atlas.sum line %d does not match '%s': the file"
						 " (or one before it) was edited after 'atlas migrate"
						 " hash', and Atlas refuses to run the directory",
						 c->dir, e->line, files[i]));
			mismatch = true;
		}
	}
	for (int i = 0; i < s->nr; i++) {
		bool present = false;

		for (int j = 0; j < n && !present; j++)
			present = !strcmp(files[j], s->items[i].name);
		if (!present)
			say(c, NULL, xstrfmt("%s/atlas.sum line %d lists '%s', which is not in the"
					     " directory", c->dir, s->items[i].line, s->items[i].name));
	}
}

static void check_dir(const struct history *h, const char *dir, int first, atlas_sum_fn fn,
		      void *data)
{
	struct dir_check c = { h, dir, first, fn, data };
	struct sum_file s = { 0 };
	char *path = xstrfmt("%s/atlas.sum", dir), *text = NULL, **files;
	size_t len;
	int bad = 0, n;

	if (read_file(path, &text, &len, 16u << 20))
		goto out;
	if (sum_parse(text, &s, &bad)) {
		say(&c, NULL, xstrfmt("%s line %d is not of the form 'NAME h1:HASH'", path, bad));
		goto out;
	}
	files = sql_files(dir, &n);
	compare(&c, &s, files, n);
	for (int i = 0; i < n; i++)
		free(files[i]);
	free(files);
out:
	sum_release(&s);
	free(text);
	free(path);
}

void atlas_sum_check(const struct history *h, atlas_sum_fn fn, void *data)
{
	char **done = NULL;
	int nr_done = 0;
	size_t alloc = 0;

	for (int i = 0; i < h->nr; i++) {
		const char *slash;
		char *dir;
		bool seen = false;

		if (h->items[i].layout != LAYOUT_ATLAS)
			continue;
		slash = strrchr(h->items[i].path, '/');
		dir = slash ? xstrndup(h->items[i].path, (size_t)(slash - h->items[i].path))
			    : xstrdup(".");
		for (int j = 0; j < nr_done && !seen; j++)
			seen = !strcmp(done[j], dir);
		if (seen) {
			free(dir);
			continue;
		}
		ALLOC_GROW(done, (size_t)nr_done + 1, alloc);
		done[nr_done++] = dir;
		check_dir(h, dir, i, fn, data);
	}
	for (int i = 0; i < nr_done; i++)
		free(done[i]);
	free(done);
}
