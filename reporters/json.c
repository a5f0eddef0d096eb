/*
 * json.c - the versioned machine format (version 1):
 *
 *   {"version": 1, "tool": {"name", "version"},
 *    "findings": [{"rule", "severity", "message", "help", "file", "line",
 *                  "column", "end_line", "end_column", "object",
 *                  "fingerprint"}],
 *    "summary": {"files", "linted", "statements", "errors", "warnings",
 *                "notes", "suppressed", "baselined", "dialect"}}
 *
 * "dialect" is "postgresql" or "sqlite": the SQL the migrations were
 * read as (--dialect, the config, or the files' names).
 *
 * Keys always appear, in this order; help and object are null when
 * absent; fingerprint is 16 lower-case hex digits (a string: JSON
 * numbers lose 64-bit precision in many readers).
 */
#include "reporter.h"

#include <inttypes.h>
#include <stdlib.h>

#include <jansson.h>

#include "rules.h"
#include "util.h"
#include "banned.h"

#define JSON_FORMAT_VERSION 1

struct json_state {
	json_t *findings;
};

static void *json_begin(const struct report_opts *ro)
{
	struct json_state *js = xcalloc(1, sizeof(*js));

	js->findings = json_array();
	return js;
}

static json_t *fingerprint_str(uint64_t fp)
{
	char hex[17];

	snprintf(hex, sizeof(hex), "%016" PRIx64, fp);
	return json_string(hex);
}

static void json_finding(void *state, const struct report_opts *ro,
			 const struct finding *f)
{
	struct json_state *js = state;
	json_t *o = json_object();

	json_object_set_new(o, "rule", report_json_str(f->rule ? f->rule->id : NULL));
	json_object_set_new(o, "severity", json_string(severity_name(f->severity)));
	json_object_set_new(o, "message", report_json_str(f->message));
	json_object_set_new(o, "help", report_json_str(f->help));
	json_object_set_new(o, "file", report_json_str(f->file));
	json_object_set_new(o, "line", json_integer(f->loc.line));
	json_object_set_new(o, "column", json_integer(f->loc.col));
	json_object_set_new(o, "end_line", json_integer(f->loc.end_line));
	json_object_set_new(o, "end_column", json_integer(f->loc.end_col));
	json_object_set_new(o, "object", report_json_str(f->object));
	json_object_set_new(o, "fingerprint", fingerprint_str(f->fingerprint));
	json_array_append_new(js->findings, o);
}

static json_t *summary_json(const struct summary *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "files", json_integer(s->files));
	json_object_set_new(o, "linted", json_integer(s->linted));
	json_object_set_new(o, "statements", json_integer(s->statements));
	json_object_set_new(o, "errors", json_integer(s->by_severity[SEV_ERROR]));
	json_object_set_new(o, "warnings", json_integer(s->by_severity[SEV_WARNING]));
	json_object_set_new(o, "notes", json_integer(s->by_severity[SEV_NOTE]));
	json_object_set_new(o, "suppressed", json_integer(s->suppressed));
	json_object_set_new(o, "baselined", json_integer(s->baselined));
	json_object_set_new(o, "dialect", json_string(s->dialect ? s->dialect : "postgresql"));
	return o;
}

static json_t *tool_json(const struct report_opts *ro)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", json_string("migsafe"));
	json_object_set_new(o, "version", report_json_str(ro->tool_version));
	return o;
}

static int json_end(void *state, const struct report_opts *ro,
		    const struct summary *s)
{
	struct json_state *js = state;
	json_t *root = json_object();
	int ret = 0;

	json_object_set_new(root, "version", json_integer(JSON_FORMAT_VERSION));
	json_object_set_new(root, "tool", tool_json(ro));
	json_object_set_new(root, "findings", js->findings);
	json_object_set_new(root, "summary", summary_json(s));
	if (json_dumpf(root, ro->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
	    fputc('\n', ro->out) == EOF)
		ret = -1;
	json_decref(root);
	free(js);
	if (report_finish(ro))
		ret = -1;
	return ret;
}

const struct reporter reporter_json = {
	.name = "json",
	.begin = json_begin,
	.finding = json_finding,
	.end = json_end,
};
