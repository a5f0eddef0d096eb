/*
 * fuzz_common.c - see fuzz_common.h.
 */
#include "fuzz_common.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reporter.h"

static char dir_buf[PATH_MAX];

static void remove_dir(void)
{
	char cmd[PATH_MAX + 16];

	if (!dir_buf[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir_buf);
	if (system(cmd))
		fprintf(stderr, "fuzz: could not remove %s\n", dir_buf);
}

const char *fuzz_dir(void)
{
	if (!dir_buf[0]) {
		const char *tmp = getenv("TMPDIR");

		snprintf(dir_buf, sizeof(dir_buf), "%s/migsafe-fuzz-XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(dir_buf)) {
			perror("fuzz: mkdtemp");
			abort();
		}
		atexit(remove_dir);
	}
	return dir_buf;
}

const char *fuzz_write(const char *name, const uint8_t *data, size_t size)
{
	static char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), name);
	if (!(f = fopen(path, "wb")) || (size && fwrite(data, 1, size, f) != size) ||
	    fclose(f)) {
		perror(path);
		abort();
	}
	return path;
}

/*
 * Every reporter reporter_names() lists, fed at once, as the CLI's
 * report_finding() feeds its one: each finding goes to every reporter as
 * the engine hands it over (lint_opts.sink, file by file) and is freed
 * as soon as they have seen it - a reporter that keeps a pointer into a
 * finding until end() reads freed memory, which ASan reports.
 */
#define MAX_REPORTERS 16

struct fanout {
	const struct reporter *rep[MAX_REPORTERS];
	void *state[MAX_REPORTERS];
	struct report_opts ro;
	const char **files;
	int nr;
};

static FILE *null_out(void)
{
	static FILE *f;

	if (!f && !(f = fopen("/dev/null", "w")))
		abort();
	return f;
}

static void fanout_begin(struct fanout *fo, const struct history *h)
{
	char names[256], *save = NULL;
	int n = 0;

	memset(fo, 0, sizeof(*fo));
	if (!(fo->files = calloc((size_t)h->nr + 1, sizeof(*fo->files))))
		abort();
	for (int i = 0; i < h->nr; i++)
		if (h->items[i].in_range)
			fo->files[n++] = h->items[i].display;
	fo->ro.out = null_out();
	fo->ro.color = true;            /* exercise the colour paths too */
	fo->ro.srcroot = fuzz_dir();
	fo->ro.tool_version = "fuzz";
	fo->ro.automation_id = "fuzz/run";
	fo->ro.files = fo->files;
	fo->ro.nr_files = n;
	snprintf(names, sizeof(names), "%s", reporter_names());
	for (char *s = strtok_r(names, ", ", &save); s; s = strtok_r(NULL, ", ", &save)) {
		const struct reporter *rep = reporter_by_name(s);

		if (!rep || fo->nr == MAX_REPORTERS) {
			fprintf(stderr, "fuzz: reporter '%s' from reporter_names(): %s\n", s,
				rep ? "too many reporters (MAX_REPORTERS)" : "reporter_by_name() does not know it");
			abort();
		}
		fo->rep[fo->nr] = rep;
		fo->state[fo->nr++] = rep->begin ? rep->begin(&fo->ro) : NULL;
	}
}

/* lint_opts.sink: one finding, ours to free */
static void fanout_finding(void *data, struct finding *f)
{
	struct fanout *fo = data;

	for (int i = 0; i < fo->nr; i++)
		if (fo->rep[i]->finding)
			fo->rep[i]->finding(fo->state[i], &fo->ro, f);
	finding_release(f);
}

static void fanout_end(struct fanout *fo, const struct summary *sum)
{
	for (int i = 0; i < fo->nr; i++)
		if (fo->rep[i]->end)
			fo->rep[i]->end(fo->state[i], &fo->ro, sum);
	fflush(fo->ro.out);
	free(fo->files);
}

int fuzz_lint_dir(const char *dir, const struct lint_opts *opts)
{
	const char *paths[] = { dir };
	struct discover_opts dopts = { 0 };
	struct lint_opts o = *opts;
	struct finding_list fl;
	struct fanout fo;
	struct summary sum;
	struct history h;
	int ret = -1;

	history_init(&h);
	finding_list_init(&fl);
	if (discover(paths, 1, &dopts, &h, &o.explicit_range))
		goto out;
	memset(&sum, 0, sizeof(sum));
	fanout_begin(&fo, &h);
	o.sink = fanout_finding;
	o.sink_data = &fo;
	ret = lint_run(&o, &h, &fl, &sum);
	fanout_end(&fo, &sum);
out:
	finding_list_release(&fl);
	history_release(&h);
	return ret;
}
