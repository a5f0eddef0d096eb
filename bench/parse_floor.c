/*
 * parse_floor.c - the "parse floor" of the performance issue: for each
 * file, read it, pg_query_parse() it to JSON and decode that JSON with
 * cJSON, then free everything. One thread. Nothing else: this is the
 * least work any linter built on libpg_query's public API must do
 * (reference/parse-costs.md), so migsafe's CPU time is measured against
 * it.
 *
 *   parse_floor FILE...        or        parse_floor @LIST
 *
 * (@LIST: a file holding one path per line.) Prints one line:
 * "files statements bytes parse_errors".
 *
 * Build: cc -O2 parse_floor.c -o parse_floor -lpg_query $(pkg-config
 * --cflags --libs libcjson)   (bench/run.sh does this).
 */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <errno.h>
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0, got;
	char *buf;

	if (!f) {
		fprintf(stderr, "parse_floor: cannot open '%s': %s\n", path, strerror(errno));
		exit(2);
	}
	if (!(buf = malloc(cap)))
		abort();
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap && !(buf = realloc(buf, cap *= 2)))
			abort();
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

struct totals {
	long files, stmts, errors;
	size_t bytes;
};

static void floor_one(const char *path, struct totals *t)
{
	size_t len;
	char *text = read_all(path, &len);
	PgQueryParseResult r = pg_query_parse(text);

	t->files++;
	t->bytes += len;
	if (r.error) {
		t->errors++;
	} else {
		cJSON *tree = cJSON_Parse(r.parse_tree);
		cJSON *stmts = tree ? cJSON_GetObjectItemCaseSensitive(tree, "stmts") : NULL;

		if (!tree) {
			fprintf(stderr, "parse_floor: cJSON cannot decode the tree of '%s'\n", path);
			exit(2);
		}
		t->stmts += cJSON_GetArraySize(stmts);
		cJSON_Delete(tree);
	}
	pg_query_free_parse_result(r);
	free(text);
}

static void floor_list(const char *list, struct totals *t)
{
	FILE *f = fopen(list, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f) {
		fprintf(stderr, "parse_floor: cannot open '%s': %s\n", list, strerror(errno));
		exit(2);
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (n)
			floor_one(line, t);
	}
	free(line);
	fclose(f);
}

int main(int argc, char **argv)
{
	struct totals t = { 0 };

	if (argc < 2) {
		fputs("usage: parse_floor FILE... | parse_floor @LIST\n", stderr);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '@')
			floor_list(argv[i] + 1, &t);
		else
			floor_one(argv[i], &t);
	}
	pg_query_exit();
	printf("%ld %ld %zu %ld\n", t.files, t.stmts, t.bytes, t.errors);
	return 0;
}
