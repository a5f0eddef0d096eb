/*
 * gitlab.c - a GitLab Code Quality report (artifacts:reports:codequality):
 * a JSON array with one Code Climate issue per finding,
 *
 *   [{"type": "issue", "description", "check_name", "fingerprint",
 *     "severity", "location": {"path", "lines": {"begin", "end"}},
 *     "categories", "content": {"body"}}]
 *
 * Keys appear in this order; content only when the rule has help.
 *
 * GitLab validates every issue against its schema
 * (app/validators/json_schemas/codeclimate.json: description,
 * fingerprint, severity and location are required) and stops reading
 * the report at the first invalid one, so those keys are always there
 * and lines.begin is at least 1 (a finding about a whole file is put
 * on its first line). GitLab files issues by fingerprint, so
 * a fingerprint must be unique in the report: the finding's 16 hex
 * digits, and for the n-th finding (n >= 2) that shares them "-n". The
 * suffix depends only on the order of those findings, so it stays the
 * same from one pipeline to the next and GitLab's comparison of the
 * source and target branch does not see a moved finding as a new one.
 *
 * Severity: GitLab has five levels (info, minor, major, critical,
 * blocker; its UI shows them as info, low, medium, high, critical).
 * note -> info (advice, nothing is at risk), warning -> major (a real
 * risk to weigh), error -> critical (the migration loses data or
 * fails). blocker is left unused: nothing in migsafe is more severe
 * than an error, and the five-level scale keeps its top for "stop
 * everything" issues.
 *
 * categories use Code Climate's fixed list (GitLab ignores them, other
 * Code Climate readers require them); "type" is there for the same
 * readers. content.body is the rule's help, Markdown.
 */
#include "reporter.h"

#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "rules.h"
#include "util.h"
#include "banned.h"

/*
 * Each issue is written as its finding comes; what is kept is which
 * fingerprints were seen (8 bytes each: on 200,000 statements the
 * table is the reporter's only memory that grows), and how often for
 * those seen more than once, in a second, small table.
 */
struct fp_table {
	uint64_t *keys;          /* open addressing, linear probing; 0: free */
	int *counts;             /* per slot, or NULL: only "seen" is kept */
	size_t nr, size;         /* size: 0 or a power of 2 */
	int zero;                /* fingerprint 0, which cannot be a key */
};

struct gitlab_state {
	struct jsonw w;
	struct fp_table seen;    /* every fingerprint */
	struct fp_table dups;    /* those seen twice or more, with counts */
};

static const char *gitlab_severity(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return "critical";
	case SEV_WARNING:
		return "major";
	default:
		return "info";
	}
}

/* Code Climate's category for a migsafe rule category. */
static const char *cc_category(const char *category)
{
	static const struct {
		const char *ours, *theirs;
	} map[] = {
		{ "locking", "Performance" },
		{ "compatibility", "Compatibility" },
		{ "schema-design", "Style" },
		{ "history", "Clarity" },
	};
	size_t i;

	for (i = 0; category && i < ARRAY_SIZE(map); i++)
		if (!strcmp(category, map[i].ours))
			return map[i].theirs;
	return "Bug Risk";   /* correctness, destructive, types, nullability */
}

static size_t slot_of(const struct fp_table *t, uint64_t fp)
{
	/* Fibonacci hashing: the high bits of the product are well mixed */
	size_t mask = t->size - 1, i = (size_t)((fp * 0x9e3779b97f4a7c15ULL) >> 32) & mask;

	while (t->keys[i] && t->keys[i] != fp)
		i = (i + 1) & mask;
	return i;
}

/* Double the table (or make the first one), keeping it at most 3/4 full. */
static void table_grow(struct fp_table *t, bool with_counts)
{
	struct fp_table old = *t;
	size_t i, j;

	t->size = old.size ? old.size * 2 : 64;
	t->keys = xcalloc(t->size, sizeof(*t->keys));
	t->counts = with_counts ? xcalloc(t->size, sizeof(*t->counts)) : NULL;
	for (i = 0; i < old.size; i++) {
		if (!old.keys[i])
			continue;
		j = slot_of(t, old.keys[i]);
		t->keys[j] = old.keys[i];
		if (with_counts)
			t->counts[j] = old.counts[i];
	}
	free(old.keys);
	free(old.counts);
}

/*
 * Add fp: how often it was added, this time included; without counts,
 * 2 stands for "more than once".
 */
static int table_add(struct fp_table *t, uint64_t fp, bool with_counts)
{
	size_t i;

	if (!fp)
		return ++t->zero;
	if (4 * (t->nr + 1) > 3 * t->size)
		table_grow(t, with_counts);
	i = slot_of(t, fp);
	if (!t->keys[i]) {
		t->keys[i] = fp;
		t->nr++;
	} else if (!with_counts) {
		return 2;
	}
	return with_counts ? ++t->counts[i] : 1;
}

static void table_release(struct fp_table *t)
{
	free(t->keys);
	free(t->counts);
	memset(t, 0, sizeof(*t));
}

/* How many findings before this one had the same fingerprint, plus 1. */
static int occurrence(struct gitlab_state *gs, uint64_t fp)
{
	if (table_add(&gs->seen, fp, false) == 1)
		return 1;
	return 1 + table_add(&gs->dups, fp, true);
}

static void fingerprint_json(struct gitlab_state *gs, uint64_t fp)
{
	int n = occurrence(gs, fp);
	char buf[40];

	report_fingerprint_hex(buf, fp);
	if (n > 1)
		snprintf(buf + REPORT_FP_HEX - 1, sizeof(buf) - (REPORT_FP_HEX - 1), "-%d", n);
	jsonw_key_str(&gs->w, "fingerprint", buf);
}

/* GitLab links the path into the repository; "./" adds nothing. */
static const char *repo_path(const char *path)
{
	while (path[0] == '.' && path[1] == '/')
		for (path += 2; *path == '/'; path++)
			;
	return path;
}

static void location_json(struct jsonw *w, const struct finding *f)
{
	int begin = f->loc.line > 0 ? f->loc.line : 1;
	int end = f->loc.end_line > begin ? f->loc.end_line : begin;

	jsonw_key(w, "location");
	jsonw_object_begin(w);
	jsonw_key_str(w, "path", repo_path(f->file));
	jsonw_key(w, "lines");
	jsonw_object_begin(w);
	jsonw_key_int(w, "begin", begin);
	jsonw_key_int(w, "end", end);
	jsonw_object_end(w);
	jsonw_object_end(w);
}

static void categories_json(struct jsonw *w, const struct rule_info *r)
{
	jsonw_key(w, "categories");
	jsonw_array_begin(w);
	jsonw_str(w, cc_category(r ? r->category : NULL));
	jsonw_array_end(w);
}

static void gitlab_finding(void *state, const struct report_opts *ro,
			   const struct finding *f)
{
	struct gitlab_state *gs = state;
	struct jsonw *w = &gs->w;

	jsonw_object_begin(w);
	jsonw_key_str(w, "type", "issue");
	jsonw_key_str(w, "description", f->message ? f->message : "");
	jsonw_key_str(w, "check_name", f->rule ? f->rule->id : "migsafe");
	fingerprint_json(gs, f->fingerprint);
	jsonw_key_str(w, "severity", gitlab_severity(f->severity));
	location_json(w, f);
	categories_json(w, f->rule);
	if (f->help) {
		jsonw_key(w, "content");
		jsonw_object_begin(w);
		jsonw_key_str(w, "body", f->help);
		jsonw_object_end(w);
	}
	jsonw_object_end(w);
	jsonw_flush(w);
}

static void *gitlab_begin(const struct report_opts *ro)
{
	struct gitlab_state *gs = xcalloc(1, sizeof(*gs));

	jsonw_init(&gs->w, ro->out);
	jsonw_array_begin(&gs->w);
	jsonw_flush(&gs->w);
	return gs;
}

static int gitlab_end(void *state, const struct report_opts *ro,
		      const struct summary *s)
{
	struct gitlab_state *gs = state;

	jsonw_array_end(&gs->w);
	jsonw_finish(&gs->w);
	table_release(&gs->seen);
	table_release(&gs->dups);
	free(gs);
	return report_finish(ro);
}

const struct reporter reporter_gitlab = {
	.name = "gitlab",
	.begin = gitlab_begin,
	.finding = gitlab_finding,
	.end = gitlab_end,
};
