/*
 * sarif.c - SARIF 2.1.0 for GitHub code scanning (see
 * ../shared/reference/github-sarif.md for what GitHub requires).
 *
 * driver.rules lists every rule of rule_table in table order, then the
 * custom rules of the config (report_opts.extra_rules), so a result's
 * ruleIndex is the rule's index there. Artifact URIs are relative to
 * srcroot (%SRCROOT%) when the file is under it, absolute file:// URIs
 * otherwise.
 *
 * Written as it goes: everything before the results in begin, each
 * result when its finding comes, the rest in end; nothing is held.
 */
#include "reporter.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jsonw.h"
#include "rules.h"
#include "util.h"
#include "banned.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define INFORMATION_URI "https://github.com/migsafe/migsafe"
#define FINGERPRINT_KEY "migsafe/v1"
#define SRCROOT "%SRCROOT%"
/* GitHub's limit for shortDescription and fullDescription */
#define MAX_DESCRIPTION 1024
#define WHY_HEADING "## Why it is dangerous"

struct sarif_state {
	struct jsonw w;                 /* the log, on ro->out */
	char *cwd;                      /* absolute, normalised */
	char *root;                     /* srcroot: absolute, normalised */
	const struct rule_info *const *extra;   /* ro->extra_rules */
	int nr_extra;
	/* the artifact URI of the last file (findings come file by file) */
	char *last_file, *last_uri;
	bool last_under_root;
};

/* --- paths and URIs --- */

static char *getcwd_dup(void)
{
	size_t size = 256;
	char *buf = NULL;

	for (;;) {
		buf = xrealloc(buf, size);
		if (getcwd(buf, size))
			return buf;
		if (errno != ERANGE)
			break;
		size *= 2;
	}
	warning("cannot get the current directory: %s", strerror(errno));
	free(buf);
	return xstrdup("/");
}

/* Drop the last component of the absolute path in sb ("/a/b" -> "/a"). */
static void pop_component(struct strbuf *sb)
{
	while (sb->len && sb->buf[sb->len - 1] != '/')
		sb->len--;
	if (sb->len)
		sb->len--;
	sb->buf[sb->len] = '\0';
}

/*
 * Append the components of 'path' to the absolute, normalised path in
 * sb, resolving "." and ".." lexically (symbolic links are not
 * followed: the display paths are what the user typed).
 */
static void add_components(struct strbuf *sb, const char *path)
{
	const char *p = path, *end;
	size_t n;

	while (*p) {
		end = strchr(p, '/');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n == 2 && !strncmp(p, "..", 2)) {
			pop_component(sb);
		} else if (n && !(n == 1 && *p == '.')) {
			strbuf_addch(sb, '/');
			strbuf_add(sb, p, n);
		}
		p += n;
		while (*p == '/')
			p++;
	}
}

/* 'path' made absolute against 'cwd' and normalised; "/" is "". */
static char *abs_path(const char *cwd, const char *path)
{
	struct strbuf sb;

	strbuf_init(&sb);
	if (path[0] != '/')
		add_components(&sb, cwd);
	add_components(&sb, path);
	return strbuf_detach(&sb);
}

/* path relative to root when it is under it (both from abs_path), or NULL */
static const char *under_root(const char *root, const char *path)
{
	size_t n = strlen(root);

	if (strncmp(path, root, n) || path[n] != '/' || !path[n + 1])
		return NULL;
	return path + n + 1;
}

static bool uri_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~' || c == '/';
}

/* Percent-encode everything but unreserved characters and '/'. */
static void add_uri_path(struct strbuf *sb, const char *path)
{
	const unsigned char *p = (const unsigned char *)path;

	for (; *p; p++) {
		if (uri_plain(*p))
			strbuf_addch(sb, *p);
		else
			strbuf_addf(sb, "%%%02X", *p);
	}
}

static char *file_uri(const char *abs, bool trailing_slash)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_addstr(&sb, "file://");
	add_uri_path(&sb, *abs ? abs : "/");
	if (trailing_slash && *abs)
		strbuf_addch(&sb, '/');
	return strbuf_detach(&sb);
}

/* The URI of 'file', relative to the root when it is under it. */
static char *artifact_uri(const struct sarif_state *ss, const char *file,
			  bool *under)
{
	char *abs = abs_path(ss->cwd, file), *uri;
	const char *rel = under_root(ss->root, abs);
	struct strbuf sb;

	if (rel) {
		strbuf_init(&sb);
		add_uri_path(&sb, rel);
		uri = strbuf_detach(&sb);
	} else {
		uri = file_uri(abs, false);
	}
	*under = rel != NULL;
	free(abs);
	return uri;
}

static void artifact_location(struct sarif_state *ss, struct jsonw *w,
			      const char *file)
{
	if (!ss->last_file || strcmp(ss->last_file, file)) {
		free(ss->last_file);
		free(ss->last_uri);
		ss->last_file = xstrdup(file);
		ss->last_uri = artifact_uri(ss, file, &ss->last_under_root);
	}
	jsonw_key(w, "artifactLocation");
	jsonw_object_begin(w);
	jsonw_key_str(w, "uri", ss->last_uri);
	if (ss->last_under_root)
		jsonw_key_str(w, "uriBaseId", SRCROOT);
	jsonw_object_end(w);
}

/* --- rule metadata --- */

static char *pascal_name(const char *id)
{
	struct strbuf sb;
	bool up = true;

	strbuf_init(&sb);
	for (; *id; id++) {
		if (*id == '-' || *id == '_' || *id == '.') {
			up = true;
			continue;
		}
		strbuf_addch(&sb, up && *id >= 'a' && *id <= 'z' ? *id - 'a' + 'A' : *id);
		up = false;
	}
	return strbuf_detach(&sb);
}

static const char *line_end(const char *p)
{
	const char *nl = strchr(p, '\n');

	return nl ? nl : p + strlen(p);
}

static const char *next_line(const char *p)
{
	const char *eol = line_end(p);

	return *eol ? eol + 1 : eol;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool line_is_blank(const char *p)
{
	const char *eol = line_end(p);

	for (; p < eol; p++)
		if (!is_space(*p))
			return false;
	return true;
}

/* The line at p, trailing whitespace ignored, equals s */
static bool line_equals(const char *p, const char *s)
{
	const char *eol = line_end(p);
	size_t n = strlen(s);

	while (eol > p && is_space(eol[-1]))
		eol--;
	return (size_t)(eol - p) == n && !strncmp(p, s, n);
}

/* Start of the first paragraph after the line 'heading', or NULL. */
static const char *section_paragraph(const char *doc, const char *heading)
{
	const char *p;

	for (p = doc; *p; p = next_line(p))
		if (line_equals(p, heading))
			break;
	if (!*p)
		return NULL;
	for (p = next_line(p); *p && line_is_blank(p); p = next_line(p))
		;
	return *p && *p != '#' ? p : NULL;
}

static bool ends_paragraph(const char *p)
{
	return !*p || line_is_blank(p) || *p == '#' || !strncmp(p, "```", 3);
}

/* The paragraph at p with whitespace runs folded to one space. */
static void add_folded_paragraph(struct strbuf *sb, const char *p)
{
	const char *eol;
	bool space = false;

	for (; !ends_paragraph(p); p = next_line(p)) {
		for (eol = line_end(p); p < eol; p++) {
			if (is_space(*p)) {
				space = sb->len > 0;
				continue;
			}
			if (space)
				strbuf_addch(sb, ' ');
			strbuf_addch(sb, *p);
			space = false;
		}
		space = sb->len > 0;
	}
}

/* {"text": s} as the value of 'key' */
static void text_obj(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_object_begin(w);
	jsonw_key_str(w, "text", s);
	jsonw_object_end(w);
}

/*
 * text_obj() with s cut to at most MAX_DESCRIPTION characters, counted
 * in UTF-16 code units (the strictest reading of GitHub's limit),
 * ending in "..." when cut.
 */
static void limited_text_obj(struct jsonw *w, const char *key, const char *s)
{
	size_t pos = 0, cut = 0, n;
	int units = 0;
	struct strbuf sb;

	for (; s[pos]; pos += n) {
		n = report_utf8_len(s + pos);
		units += n == 4 ? 2 : 1;
		if (units <= MAX_DESCRIPTION - 3)
			cut = pos + n;
		if (units > MAX_DESCRIPTION)
			break;
	}
	if (!s[pos]) {
		text_obj(w, key, s);
		return;
	}
	strbuf_init(&sb);
	strbuf_add(&sb, s, cut);
	strbuf_addstr(&sb, "...");
	text_obj(w, key, sb.buf);
	strbuf_release(&sb);
}

/* A custom rule from the config may come without a summary. */
static const char *summary_of(const struct rule_info *r)
{
	return r->summary && *r->summary ? r->summary : r->id;
}

/* First paragraph of the doc's "why" section; the summary without one. */
static void full_description(struct jsonw *w, const struct rule_info *r)
{
	const char *doc = rule_doc(r);
	const char *para = doc ? section_paragraph(doc, WHY_HEADING) : NULL;
	struct strbuf sb;

	strbuf_init(&sb);
	if (para)
		add_folded_paragraph(&sb, para);
	limited_text_obj(w, "fullDescription", sb.len ? sb.buf : summary_of(r));
	strbuf_release(&sb);
}

static void help_obj(struct jsonw *w, const struct rule_info *r)
{
	const char *help = rule_help(r), *doc = rule_doc(r);

	jsonw_key(w, "help");
	jsonw_object_begin(w);
	jsonw_key_str(w, "text", help && *help ? help : summary_of(r));
	if (doc)
		jsonw_key_str(w, "markdown", doc);
	jsonw_object_end(w);
}

static const char *sarif_level(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return "error";
	case SEV_WARNING:
		return "warning";
	case SEV_NOTE:
		return "note";
	default:
		return "none";
	}
}

static const char *problem_severity(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return "error";
	case SEV_WARNING:
		return "warning";
	default:
		return "recommendation";
	}
}

static void rule_properties(struct jsonw *w, const struct rule_info *r)
{
	jsonw_key(w, "properties");
	jsonw_object_begin(w);
	jsonw_key(w, "tags");
	jsonw_array_begin(w);
	if (r->category)
		jsonw_str(w, r->category);
	jsonw_str(w, "migration");
	jsonw_str(w, "sql");
	jsonw_array_end(w);
	jsonw_key_str(w, "precision", "high");
	jsonw_key_str(w, "problem.severity", problem_severity(r->default_severity));
	jsonw_object_end(w);
}

static void default_configuration(struct jsonw *w, const struct rule_info *r)
{
	jsonw_key(w, "defaultConfiguration");
	jsonw_object_begin(w);
	jsonw_key_str(w, "level", sarif_level(r->default_severity));
	if (r->default_severity == SEV_OFF) {
		jsonw_key(w, "enabled");
		jsonw_bool(w, false);   /* off until configured */
	}
	jsonw_object_end(w);
}

static void rule_json(struct jsonw *w, const struct rule_info *r)
{
	char *name = pascal_name(r->id);

	jsonw_object_begin(w);
	jsonw_key_str(w, "id", r->id);
	jsonw_key_str(w, "name", name);
	limited_text_obj(w, "shortDescription", summary_of(r));
	full_description(w, r);
	help_obj(w, r);
	default_configuration(w, r);
	rule_properties(w, r);
	jsonw_object_end(w);
	free(name);
}

/* --- results --- */

static bool same_rule(const struct rule_info *a, const struct rule_info *b)
{
	return a == b || !strcmp(a->id, b->id);
}

/* The rule's index in driver.rules, or -1 when it is not listed. */
static int rule_index(struct sarif_state *ss, const struct rule_info *r)
{
	int i;

	if ((int)r->rule >= 0 && r->rule < NR_RULES && &rule_table[r->rule] == r)
		return (int)r->rule;    /* the common case, without the search */
	for (i = 0; i < NR_RULES; i++)
		if (same_rule(&rule_table[i], r))
			return i;
	for (i = 0; i < ss->nr_extra; i++)
		if (same_rule(ss->extra[i], r))
			return NR_RULES + i;
	return -1;
}

/* GitHub wants every region value >= 1 and a non-inverted region. */
static void region_json(struct jsonw *w, const struct loc *l)
{
	int line = l->line > 0 ? l->line : 1;
	int col = l->col > 0 ? l->col : 1;
	int end_line = l->end_line, end_col = l->end_col;

	if (end_line <= 0) {
		end_line = line;
		end_col = col + 1;
	}
	if (end_line < line)
		end_line = line;
	if (end_col < 1 || (end_line == line && end_col < col))
		end_col = end_line == line ? col : 1;
	jsonw_key(w, "region");
	jsonw_object_begin(w);
	jsonw_key_int(w, "startLine", line);
	jsonw_key_int(w, "startColumn", col);
	jsonw_key_int(w, "endLine", end_line);
	jsonw_key_int(w, "endColumn", end_col);
	jsonw_object_end(w);
}

static void locations_json(struct sarif_state *ss, struct jsonw *w,
			   const struct finding *f)
{
	jsonw_key(w, "locations");
	jsonw_array_begin(w);
	jsonw_object_begin(w);
	jsonw_key(w, "physicalLocation");
	jsonw_object_begin(w);
	artifact_location(ss, w, f->file);
	region_json(w, &f->loc);
	jsonw_object_end(w);
	jsonw_object_end(w);
	jsonw_array_end(w);
}

static void fingerprints_json(struct jsonw *w, uint64_t fp)
{
	char hex[REPORT_FP_HEX];

	report_fingerprint_hex(hex, fp);
	jsonw_key(w, "partialFingerprints");
	jsonw_object_begin(w);
	jsonw_key_str(w, FINGERPRINT_KEY, hex);
	jsonw_object_end(w);
}

static void result_properties(struct jsonw *w, const struct finding *f)
{
	if (!f->help && !f->object)
		return;
	jsonw_key(w, "properties");
	jsonw_object_begin(w);
	if (f->help)
		jsonw_key_str(w, "help", f->help);
	if (f->object)
		jsonw_key_str(w, "object", f->object);
	jsonw_object_end(w);
}

static void result_json(struct sarif_state *ss, struct jsonw *w,
			const struct finding *f)
{
	int index = rule_index(ss, f->rule);

	jsonw_object_begin(w);
	jsonw_key_str(w, "ruleId", f->rule->id);
	if (index >= 0)
		jsonw_key_int(w, "ruleIndex", index);
	jsonw_key_str(w, "level", sarif_level(f->severity));
	text_obj(w, "message", f->message);
	locations_json(ss, w, f);
	fingerprints_json(w, f->fingerprint);
	result_properties(w, f);
	jsonw_object_end(w);
}

static void sarif_finding(void *state, const struct report_opts *ro,
			  const struct finding *f)
{
	struct sarif_state *ss = state;

	if (!f->rule)
		BUG("finding without a rule");
	result_json(ss, &ss->w, f);
	jsonw_flush(&ss->w);
}

/* --- the log --- */

/*
 * From the log's opening brace to the last rule of rule_table: what is
 * known before the first finding.
 */
static void log_head(struct jsonw *w, const struct report_opts *ro)
{
	size_t i;

	jsonw_object_begin(w);
	jsonw_key_str(w, "$schema", SARIF_SCHEMA);
	jsonw_key_str(w, "version", "2.1.0");
	jsonw_key(w, "runs");
	jsonw_array_begin(w);
	jsonw_object_begin(w);          /* the run */
	jsonw_key(w, "tool");
	jsonw_object_begin(w);
	jsonw_key(w, "driver");
	jsonw_object_begin(w);
	jsonw_key_str(w, "name", "migsafe");
	if (ro->tool_version)
		jsonw_key_str(w, "semanticVersion", ro->tool_version);
	jsonw_key_str(w, "informationUri", INFORMATION_URI);
	jsonw_key(w, "rules");
	jsonw_array_begin(w);
	for (i = 0; i < NR_RULES; i++)
		rule_json(w, &rule_table[i]);
}

static void uri_base_ids(struct sarif_state *ss)
{
	struct jsonw *w = &ss->w;
	char *uri = file_uri(ss->root, true);

	jsonw_key(w, "originalUriBaseIds");
	jsonw_object_begin(w);
	jsonw_key(w, SRCROOT);
	jsonw_object_begin(w);
	jsonw_key_str(w, "uri", uri);
	jsonw_object_end(w);
	jsonw_object_end(w);
	free(uri);
}

/* From the custom rules to the opening of the results. */
static void run_head(struct sarif_state *ss, const struct report_opts *ro)
{
	struct jsonw *w = &ss->w;

	for (int i = 0; i < ss->nr_extra; i++)
		rule_json(w, ss->extra[i]);
	jsonw_array_end(w);             /* rules */
	jsonw_object_end(w);            /* driver */
	jsonw_object_end(w);            /* tool */
	if (ro->automation_id) {
		jsonw_key(w, "automationDetails");
		jsonw_object_begin(w);
		jsonw_key_str(w, "id", ro->automation_id);
		jsonw_object_end(w);
	}
	uri_base_ids(ss);
	jsonw_key_str(w, "columnKind", "unicodeCodePoints");
	jsonw_key(w, "results");
	jsonw_array_begin(w);
}

static void *sarif_begin(const struct report_opts *ro)
{
	struct sarif_state *ss = xcalloc(1, sizeof(*ss));

	ss->cwd = getcwd_dup();
	ss->root = abs_path(ss->cwd, ro->srcroot ? ro->srcroot : ".");
	ss->extra = ro->extra_rules;
	ss->nr_extra = ro->extra_rules ? ro->nr_extra_rules : 0;
	jsonw_init(&ss->w, ro->out);
	log_head(&ss->w, ro);
	run_head(ss, ro);
	jsonw_flush(&ss->w);
	return ss;
}

/* After the last result: the end of the log. */
static void log_tail(struct sarif_state *ss)
{
	struct jsonw *w = &ss->w;

	jsonw_array_end(w);             /* results */
	jsonw_object_end(w);            /* the run */
	jsonw_array_end(w);             /* runs */
	jsonw_object_end(w);
	jsonw_finish(w);
}

static void sarif_state_free(struct sarif_state *ss)
{
	free(ss->cwd);
	free(ss->root);
	free(ss->last_file);
	free(ss->last_uri);
	free(ss);
}

static int sarif_end(void *state, const struct report_opts *ro,
		     const struct summary *s)
{
	struct sarif_state *ss = state;
	int ret = 0;

	(void)s;
	log_tail(ss);
	sarif_state_free(ss);
	if (report_finish(ro))
		ret = -1;
	return ret;
}

const struct reporter reporter_sarif = {
	.name = "sarif",
	.begin = sarif_begin,
	.finding = sarif_finding,
	.end = sarif_end,
};
