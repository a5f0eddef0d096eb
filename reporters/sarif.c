/*
 * sarif.c - SARIF 2.1.0 for GitHub code scanning (see
 * ../shared/reference/github-sarif.md for what GitHub requires).
 *
 * driver.rules lists every rule of rule_table in table order, so a
 * result's ruleIndex is the rule's index there; a rule not in the table
 * (a custom rule from the config) is appended after them when a finding
 * first uses it. Artifact URIs are relative to srcroot (%SRCROOT%) when
 * the file is under it, absolute file:// URIs otherwise.
 */
#include "reporter.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

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
	json_t *results;
	char *cwd;                      /* absolute, normalised */
	char *root;                     /* srcroot: absolute, normalised */
	const struct rule_info **extra; /* rules used but not in rule_table */
	size_t nr_extra, alloc_extra;
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

static json_t *artifact_location(const struct sarif_state *ss, const char *file)
{
	char *abs = abs_path(ss->cwd, file), *uri;
	const char *rel = under_root(ss->root, abs);
	struct strbuf sb;
	json_t *o = json_object();

	if (rel) {
		strbuf_init(&sb);
		add_uri_path(&sb, rel);
		uri = strbuf_detach(&sb);
	} else {
		uri = file_uri(abs, false);
	}
	json_object_set_new(o, "uri", json_string(uri));
	if (rel)
		json_object_set_new(o, "uriBaseId", json_string(SRCROOT));
	free(uri);
	free(abs);
	return o;
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

/*
 * Cut s to at most MAX_DESCRIPTION characters, counted in UTF-16 code
 * units (the strictest reading of GitHub's limit), ending in "..." when
 * cut.
 */
static json_t *limited_text(const char *s)
{
	size_t pos = 0, cut = 0, n;
	int units = 0;
	struct strbuf sb;
	json_t *j;

	for (; s[pos]; pos += n) {
		n = report_utf8_len(s + pos);
		units += n == 4 ? 2 : 1;
		if (units <= MAX_DESCRIPTION - 3)
			cut = pos + n;
		if (units > MAX_DESCRIPTION)
			break;
	}
	if (!s[pos])
		return report_json_str(s);
	strbuf_init(&sb);
	strbuf_add(&sb, s, cut);
	strbuf_addstr(&sb, "...");
	j = report_json_str(sb.buf);
	strbuf_release(&sb);
	return j;
}

static json_t *text_obj(json_t *text)
{
	json_t *o = json_object();

	json_object_set_new(o, "text", text);
	return o;
}

/* A custom rule from the config may come without a summary. */
static const char *summary_of(const struct rule_info *r)
{
	return r->summary && *r->summary ? r->summary : r->id;
}

/* First paragraph of the doc's "why" section; the summary without one. */
static json_t *full_description(const struct rule_info *r)
{
	const char *doc = rule_doc(r);
	const char *para = doc ? section_paragraph(doc, WHY_HEADING) : NULL;
	struct strbuf sb;
	json_t *j;

	strbuf_init(&sb);
	if (para)
		add_folded_paragraph(&sb, para);
	j = text_obj(limited_text(sb.len ? sb.buf : summary_of(r)));
	strbuf_release(&sb);
	return j;
}

static json_t *help_obj(const struct rule_info *r)
{
	const char *help = rule_help(r), *doc = rule_doc(r);
	json_t *o = json_object();

	json_object_set_new(o, "text", report_json_str(help && *help ? help : summary_of(r)));
	if (doc)
		json_object_set_new(o, "markdown", report_json_str(doc));
	return o;
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

static json_t *rule_properties(const struct rule_info *r)
{
	json_t *o = json_object(), *tags = json_array();

	if (r->category)
		json_array_append_new(tags, report_json_str(r->category));
	json_array_append_new(tags, json_string("migration"));
	json_array_append_new(tags, json_string("sql"));
	json_object_set_new(o, "tags", tags);
	json_object_set_new(o, "precision", json_string("high"));
	json_object_set_new(o, "problem.severity",
			    json_string(problem_severity(r->default_severity)));
	return o;
}

static json_t *rule_json(const struct rule_info *r)
{
	json_t *o = json_object(), *conf = json_object();
	char *name = pascal_name(r->id);

	json_object_set_new(o, "id", report_json_str(r->id));
	json_object_set_new(o, "name", report_json_str(name));
	json_object_set_new(o, "shortDescription",
			    text_obj(limited_text(summary_of(r))));
	json_object_set_new(o, "fullDescription", full_description(r));
	json_object_set_new(o, "help", help_obj(r));
	json_object_set_new(conf, "level", json_string(sarif_level(r->default_severity)));
	if (r->default_severity == SEV_OFF)
		json_object_set_new(conf, "enabled", json_false());   /* off until configured */
	json_object_set_new(o, "defaultConfiguration", conf);
	json_object_set_new(o, "properties", rule_properties(r));
	free(name);
	return o;
}

/* --- results --- */

static bool same_rule(const struct rule_info *a, const struct rule_info *b)
{
	return a == b || !strcmp(a->id, b->id);
}

/* The rule's index in driver.rules, registering it if it is new. */
static int rule_index(struct sarif_state *ss, const struct rule_info *r)
{
	size_t i;

	for (i = 0; i < NR_RULES; i++)
		if (same_rule(&rule_table[i], r))
			return (int)i;
	for (i = 0; i < ss->nr_extra; i++)
		if (same_rule(ss->extra[i], r))
			return (int)(NR_RULES + i);
	ALLOC_GROW(ss->extra, ss->nr_extra + 1, ss->alloc_extra);
	ss->extra[ss->nr_extra] = r;
	return (int)(NR_RULES + ss->nr_extra++);
}

/* GitHub wants every region value >= 1 and a non-inverted region. */
static json_t *region_json(const struct loc *l)
{
	int line = l->line > 0 ? l->line : 1;
	int col = l->col > 0 ? l->col : 1;
	int end_line = l->end_line, end_col = l->end_col;
	json_t *o = json_object();

	if (end_line <= 0) {
		end_line = line;
		end_col = col + 1;
	}
	if (end_line < line)
		end_line = line;
	if (end_col < 1 || (end_line == line && end_col < col))
		end_col = end_line == line ? col : 1;
	json_object_set_new(o, "startLine", json_integer(line));
	json_object_set_new(o, "startColumn", json_integer(col));
	json_object_set_new(o, "endLine", json_integer(end_line));
	json_object_set_new(o, "endColumn", json_integer(end_col));
	return o;
}

static json_t *location_json(const struct sarif_state *ss, const struct finding *f)
{
	json_t *loc = json_object(), *phys = json_object();

	json_object_set_new(phys, "artifactLocation", artifact_location(ss, f->file));
	json_object_set_new(phys, "region", region_json(&f->loc));
	json_object_set_new(loc, "physicalLocation", phys);
	return loc;
}

static json_t *fingerprints_json(uint64_t fp)
{
	json_t *o = json_object();
	char hex[17];

	snprintf(hex, sizeof(hex), "%016" PRIx64, fp);
	json_object_set_new(o, FINGERPRINT_KEY, json_string(hex));
	return o;
}

static void sarif_finding(void *state, const struct report_opts *ro,
			  const struct finding *f)
{
	struct sarif_state *ss = state;
	json_t *res = json_object(), *locs = json_array(), *props;

	if (!f->rule)
		BUG("finding without a rule");
	json_object_set_new(res, "ruleId", report_json_str(f->rule->id));
	json_object_set_new(res, "ruleIndex", json_integer(rule_index(ss, f->rule)));
	json_object_set_new(res, "level", json_string(sarif_level(f->severity)));
	json_object_set_new(res, "message", text_obj(report_json_str(f->message)));
	json_array_append_new(locs, location_json(ss, f));
	json_object_set_new(res, "locations", locs);
	json_object_set_new(res, "partialFingerprints", fingerprints_json(f->fingerprint));
	if (f->help || f->object) {
		props = json_object();
		if (f->help)
			json_object_set_new(props, "help", report_json_str(f->help));
		if (f->object)
			json_object_set_new(props, "object", report_json_str(f->object));
		json_object_set_new(res, "properties", props);
	}
	json_array_append_new(ss->results, res);
}

/* --- the log --- */

static void *sarif_begin(const struct report_opts *ro)
{
	struct sarif_state *ss = xcalloc(1, sizeof(*ss));

	ss->results = json_array();
	ss->cwd = getcwd_dup();
	ss->root = abs_path(ss->cwd, ro->srcroot ? ro->srcroot : ".");
	return ss;
}

static json_t *rules_json(const struct sarif_state *ss)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < NR_RULES; i++)
		json_array_append_new(a, rule_json(&rule_table[i]));
	for (i = 0; i < ss->nr_extra; i++)
		json_array_append_new(a, rule_json(ss->extra[i]));
	return a;
}

static json_t *tool_json(const struct sarif_state *ss, const struct report_opts *ro)
{
	json_t *tool = json_object(), *driver = json_object();

	json_object_set_new(driver, "name", json_string("migsafe"));
	if (ro->tool_version)
		json_object_set_new(driver, "semanticVersion",
				    report_json_str(ro->tool_version));
	json_object_set_new(driver, "informationUri", json_string(INFORMATION_URI));
	json_object_set_new(driver, "rules", rules_json(ss));
	json_object_set_new(tool, "driver", driver);
	return tool;
}

static json_t *uri_base_ids(const struct sarif_state *ss)
{
	json_t *o = json_object(), *base = json_object();
	char *uri = file_uri(ss->root, true);

	json_object_set_new(base, "uri", json_string(uri));
	json_object_set_new(o, SRCROOT, base);
	free(uri);
	return o;
}

static json_t *run_json(struct sarif_state *ss, const struct report_opts *ro)
{
	json_t *run = json_object(), *auto_details;

	json_object_set_new(run, "tool", tool_json(ss, ro));
	if (ro->automation_id) {
		auto_details = json_object();
		json_object_set_new(auto_details, "id",
				    report_json_str(ro->automation_id));
		json_object_set_new(run, "automationDetails", auto_details);
	}
	json_object_set_new(run, "originalUriBaseIds", uri_base_ids(ss));
	json_object_set_new(run, "columnKind", json_string("unicodeCodePoints"));
	json_object_set(run, "results", ss->results);
	return run;
}

static json_t *log_json(struct sarif_state *ss, const struct report_opts *ro)
{
	json_t *log = json_object(), *runs = json_array();

	json_object_set_new(log, "$schema", json_string(SARIF_SCHEMA));
	json_object_set_new(log, "version", json_string("2.1.0"));
	json_array_append_new(runs, run_json(ss, ro));
	json_object_set_new(log, "runs", runs);
	return log;
}

static void sarif_state_free(struct sarif_state *ss)
{
	json_decref(ss->results);
	free(ss->cwd);
	free(ss->root);
	free(ss->extra);
	free(ss);
}

static int sarif_end(void *state, const struct report_opts *ro,
		     const struct summary *s)
{
	struct sarif_state *ss = state;
	json_t *log = log_json(ss, ro);
	int ret = 0;

	if (json_dumpf(log, ro->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
	    fputc('\n', ro->out) == EOF)
		ret = -1;
	json_decref(log);
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
