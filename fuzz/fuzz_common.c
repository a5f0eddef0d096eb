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

/* One reporter over the findings, as the CLI's emit() drives it. */
static void run_reporter(const struct reporter *rep, const struct history *h,
			 const struct finding_list *fl, const struct summary *sum, FILE *out)
{
	const char **files = calloc((size_t)h->nr + 1, sizeof(*files));
	struct report_opts ro = { 0 };
	void *state;
	int n = 0;

	if (!files)
		abort();
	for (int i = 0; i < h->nr; i++)
		if (h->items[i].in_range)
			files[n++] = h->items[i].display;
	ro.out = out;
	ro.color = true;            /* exercise the colour paths too */
	ro.srcroot = fuzz_dir();
	ro.tool_version = "fuzz";
	ro.automation_id = "fuzz/run";
	ro.files = files;
	ro.nr_files = n;
	state = rep->begin ? rep->begin(&ro) : NULL;
	for (int i = 0; i < fl->nr; i++)
		if (rep->finding)
			rep->finding(state, &ro, &fl->items[i]);
	if (rep->end)
		rep->end(state, &ro, sum);
	free(files);
}

/* Every name in reporter_names() ("text, json, sarif, ..."). */
static void run_reporters(const struct history *h, const struct finding_list *fl,
			  const struct summary *sum)
{
	static FILE *null_out;
	char names[256], *save = NULL;

	if (!null_out && !(null_out = fopen("/dev/null", "w")))
		abort();
	snprintf(names, sizeof(names), "%s", reporter_names());
	for (char *n = strtok_r(names, ", ", &save); n; n = strtok_r(NULL, ", ", &save)) {
		const struct reporter *rep = reporter_by_name(n);

		if (!rep) {
			fprintf(stderr, "fuzz: reporter_names() lists '%s', reporter_by_name()"
				" does not know it\n", n);
			abort();
		}
		run_reporter(rep, h, fl, sum, null_out);
	}
	fflush(null_out);
}

int fuzz_lint_dir(const char *dir, const struct lint_opts *opts)
{
	const char *paths[] = { dir };
	struct discover_opts dopts = { 0 };
	struct lint_opts o = *opts;
	struct finding_list fl;
	struct summary sum;
	struct history h;
	int ret = -1;

	history_init(&h);
	finding_list_init(&fl);
	if (discover(paths, 1, &dopts, &h, &o.explicit_range))
		goto out;
	memset(&sum, 0, sizeof(sum));
	ret = lint_run(&o, &h, &fl, &sum);
	run_reporters(&h, &fl, &sum);
out:
	finding_list_release(&fl);
	history_release(&h);
	return ret;
}
