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

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "rules.h"
#include "util.h"
#include "banned.h"

struct seen_fp {
	uint64_t fp;
	int count;
};

struct gitlab_state {
	json_t *issues;
	struct seen_fp *seen;
	size_t nr_seen, alloc_seen;
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

/* How many findings before this one had the same fingerprint, plus 1. */
static int occurrence(struct gitlab_state *gs, uint64_t fp)
{
	size_t i;

	for (i = 0; i < gs->nr_seen; i++)
		if (gs->seen[i].fp == fp)
			return ++gs->seen[i].count;
	ALLOC_GROW(gs->seen, gs->nr_seen + 1, gs->alloc_seen);
	gs->seen[gs->nr_seen].fp = fp;
	gs->seen[gs->nr_seen].count = 1;
	gs->nr_seen++;
	return 1;
}

static json_t *fingerprint_json(struct gitlab_state *gs, uint64_t fp)
{
	int n = occurrence(gs, fp);
	char buf[40];

	if (n == 1)
		snprintf(buf, sizeof(buf), "%016" PRIx64, fp);
	else
		snprintf(buf, sizeof(buf), "%016" PRIx64 "-%d", fp, n);
	return json_string(buf);
}

/* GitLab links the path into the repository; "./" adds nothing. */
static const char *repo_path(const char *path)
{
	while (path[0] == '.' && path[1] == '/')
		for (path += 2; *path == '/'; path++)
			;
	return path;
}

static json_t *location_json(const struct finding *f)
{
	json_t *loc = json_object(), *lines = json_object();
	int begin = f->loc.line > 0 ? f->loc.line : 1;
	int end = f->loc.end_line > begin ? f->loc.end_line : begin;

	json_object_set_new(loc, "path", report_json_str(repo_path(f->file)));
	json_object_set_new(lines, "begin", json_integer(begin));
	json_object_set_new(lines, "end", json_integer(end));
	json_object_set_new(loc, "lines", lines);
	return loc;
}

static json_t *categories_json(const struct rule_info *r)
{
	json_t *a = json_array();

	json_array_append_new(a, json_string(cc_category(r ? r->category : NULL)));
	return a;
}

static void gitlab_finding(void *state, const struct report_opts *ro,
			   const struct finding *f)
{
	struct gitlab_state *gs = state;
	json_t *o = json_object(), *content;

	json_object_set_new(o, "type", json_string("issue"));
	json_object_set_new(o, "description", report_json_str(f->message ? f->message : ""));
	json_object_set_new(o, "check_name", report_json_str(f->rule ? f->rule->id : "migsafe"));
	json_object_set_new(o, "fingerprint", fingerprint_json(gs, f->fingerprint));
	json_object_set_new(o, "severity", json_string(gitlab_severity(f->severity)));
	json_object_set_new(o, "location", location_json(f));
	json_object_set_new(o, "categories", categories_json(f->rule));
	if (f->help) {
		content = json_object();
		json_object_set_new(content, "body", report_json_str(f->help));
		json_object_set_new(o, "content", content);
	}
	json_array_append_new(gs->issues, o);
}

static void *gitlab_begin(const struct report_opts *ro)
{
	struct gitlab_state *gs = xcalloc(1, sizeof(*gs));

	gs->issues = json_array();
	return gs;
}

static int gitlab_end(void *state, const struct report_opts *ro,
		      const struct summary *s)
{
	struct gitlab_state *gs = state;
	int ret = 0;

	if (json_dumpf(gs->issues, ro->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
	    fputc('\n', ro->out) == EOF)
		ret = -1;
	json_decref(gs->issues);
	free(gs->seen);
	free(gs);
	if (report_finish(ro))
		ret = -1;
	return ret;
}

const struct reporter reporter_gitlab = {
	.name = "gitlab",
	.begin = gitlab_begin,
	.finding = gitlab_finding,
	.end = gitlab_end,
};
