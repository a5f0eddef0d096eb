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

#include <stdlib.h>

#include "jsonw.h"
#include "rules.h"
#include "util.h"
#include "banned.h"

#define JSON_FORMAT_VERSION 1

/*
 * The document is written as it goes: the head in begin, each finding
 * as it comes, the summary in end. Only the writer's nesting is kept.
 */
struct json_state {
	struct jsonw w;
};

static void tool_json(struct jsonw *w, const struct report_opts *ro)
{
	jsonw_key(w, "tool");
	jsonw_object_begin(w);
	jsonw_key_str(w, "name", "migsafe");
	jsonw_key_str(w, "version", ro->tool_version);
	jsonw_object_end(w);
}

static void *json_begin(const struct report_opts *ro)
{
	struct json_state *js = xcalloc(1, sizeof(*js));

	jsonw_init(&js->w, ro->out);
	jsonw_object_begin(&js->w);
	jsonw_key_int(&js->w, "version", JSON_FORMAT_VERSION);
	tool_json(&js->w, ro);
	jsonw_key(&js->w, "findings");
	jsonw_array_begin(&js->w);
	jsonw_flush(&js->w);
	return js;
}

static void fingerprint_str(struct jsonw *w, uint64_t fp)
{
	char hex[REPORT_FP_HEX];

	report_fingerprint_hex(hex, fp);
	jsonw_str(w, hex);
}

static void json_finding(void *state, const struct report_opts *ro,
			 const struct finding *f)
{
	struct jsonw *w = &((struct json_state *)state)->w;

	jsonw_object_begin(w);
	jsonw_key_str(w, "rule", f->rule ? f->rule->id : NULL);
	jsonw_key_str(w, "severity", severity_name(f->severity));
	jsonw_key_str(w, "message", f->message);
	jsonw_key_str(w, "help", f->help);
	jsonw_key_str(w, "file", f->file);
	jsonw_key_int(w, "line", f->loc.line);
	jsonw_key_int(w, "column", f->loc.col);
	jsonw_key_int(w, "end_line", f->loc.end_line);
	jsonw_key_int(w, "end_column", f->loc.end_col);
	jsonw_key_str(w, "object", f->object);
	jsonw_key(w, "fingerprint");
	fingerprint_str(w, f->fingerprint);
	jsonw_object_end(w);
	jsonw_flush(w);
}

static void summary_json(struct jsonw *w, const struct summary *s)
{
	jsonw_key(w, "summary");
	jsonw_object_begin(w);
	jsonw_key_int(w, "files", s->files);
	jsonw_key_int(w, "linted", s->linted);
	jsonw_key_int(w, "statements", s->statements);
	jsonw_key_int(w, "errors", s->by_severity[SEV_ERROR]);
	jsonw_key_int(w, "warnings", s->by_severity[SEV_WARNING]);
	jsonw_key_int(w, "notes", s->by_severity[SEV_NOTE]);
	jsonw_key_int(w, "suppressed", s->suppressed);
	jsonw_key_int(w, "baselined", s->baselined);
	jsonw_key_str(w, "dialect", s->dialect ? s->dialect : "postgresql");
	jsonw_object_end(w);
}

static int json_end(void *state, const struct report_opts *ro,
		    const struct summary *s)
{
	struct json_state *js = state;

	jsonw_array_end(&js->w);
	summary_json(&js->w, s);
	jsonw_object_end(&js->w);
	jsonw_finish(&js->w);
	free(js);
	return report_finish(ro);
}

const struct reporter reporter_json = {
	.name = "json",
	.begin = json_begin,
	.finding = json_finding,
	.end = json_end,
};
