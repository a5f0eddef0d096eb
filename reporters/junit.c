/*
 * junit.c - JUnit XML for CI test-report views (GitLab unit test
 * reports, Jenkins' junit step, and the many readers of the same shape):
 *
 *   <testsuites name="migsafe" tests="N" failures="F" errors="0">
 *     <testsuite name="migsafe" tests="N" failures="F" errors="0" skipped="0">
 *       <testcase classname="migsafe" name="FILE" file="FILE"/>   (clean)
 *       <testcase classname="migsafe" name="FILE" file="FILE">
 *         <failure type="RULE[,RULE...]" message="FIRST (and N more)">
 *           FILE:L:C: error[RULE]: MESSAGE
 *             help: HELP
 *           ...every finding of the file, notes included...
 *         </failure>
 *       </testcase>
 *       <testcase classname="migsafe" name="FILE" file="FILE">    (notes only)
 *         <system-out>FILE:L:C: note[RULE]: ...</system-out>
 *       </testcase>
 *
 * One test case per linted file (report_opts.files, in history order;
 * a finding in a file not listed there gets a case after them). The
 * name is the path, unique as GitLab wants (it keeps only the first of
 * several cases with one name); "file" is what GitLab shows as the
 * case's file.
 *
 * One <failure> per test case, holding all the file's findings, rather
 * than one per finding: Jenkins reads only the first <failure> of a
 * case (CaseResult.getError), GitLab folds several into one JSON array
 * in its "System output" (gitlab-org/gitlab#326107), and neither shows
 * the message or type attributes prominently - GitLab shows only the
 * element's text. So the text carries everything, one compiler-style
 * line per finding; message is the first finding, for Jenkins' "Error
 * Message"; type lists the rule ids.
 *
 * Errors and warnings fail the case; notes alone do not. A failure
 * turns the case red in GitLab and marks a Jenkins build UNSTABLE, which
 * fits a warning (a risk someone should weigh) but not a note (advice,
 * e.g. "prefer jsonb"): a report that is red for advice gets ignored.
 * A failing case still lists its notes; a case with notes only keeps
 * them in <system-out>, which Jenkins shows on the case's page.
 *
 * XML 1.0 cannot carry most C0 control characters, even as character
 * references, nor invalid UTF-8: both become U+FFFD. CR, tab and LF in
 * attributes are written as character references so that attribute
 * normalisation does not turn them into spaces.
 */
#include "reporter.h"

#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "util.h"
#include "banned.h"

#define REPLACEMENT "\xef\xbf\xbd"
#define CLASSNAME "migsafe"

struct junit_case {
	const char *file;       /* borrowed from report_opts or the finding */
	struct strbuf body;     /* the findings, as text */
	struct strbuf rules;    /* distinct rule ids, comma-separated */
	struct strbuf first;    /* the first failing finding, for message */
	int nr_failing;         /* errors and warnings */
	int nr_findings;
};

struct junit_state {
	struct junit_case *cases;
	size_t nr, alloc;
	size_t last;            /* case of the previous finding: a cache */
};

/* --- XML text --- */

/* A character XML 1.0 does not allow (Char production), as UTF-8. */
static bool xml_forbidden(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];

	if (n == 1)
		return c >= 0x80 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r');
	/* U+FFFE and U+FFFF; surrogates are not valid UTF-8 */
	return n == 3 && c == 0xef && (unsigned char)s[1] == 0xbf &&
	       (unsigned char)s[2] >= 0xbe;
}

/* An ASCII byte that goes out as it is (in runs). */
static bool xml_plain(unsigned char c, bool attr)
{
	if (c >= 0x20 && c < 0x80)
		return c != '&' && c != '<' && c != '>' && (!attr || c != '"');
	return !attr && (c == '\n' || c == '\t');
}

/* The n bytes at s, one character that is not plain. */
static void add_xml_char(struct strbuf *sb, const char *s, size_t n, bool attr)
{
	if (xml_forbidden(s, n))
		strbuf_addstr(sb, REPLACEMENT);
	else if (*s == '&')
		strbuf_addstr(sb, "&amp;");
	else if (*s == '<')
		strbuf_addstr(sb, "&lt;");
	else if (*s == '>')
		strbuf_addstr(sb, "&gt;");
	else if (*s == '\r')
		strbuf_addstr(sb, "&#13;");
	else if (attr && *s == '"')
		strbuf_addstr(sb, "&quot;");
	else if (attr && *s == '\n')
		strbuf_addstr(sb, "&#10;");
	else if (attr && *s == '\t')
		strbuf_addstr(sb, "&#9;");
	else
		strbuf_add(sb, s, n);
}

/*
 * s escaped for XML character data, or for an attribute value in '"':
 * the runs that need no change go in whole (a report body is megabytes).
 */
static void add_xml(struct strbuf *sb, const char *s, bool attr)
{
	const char *run = s;
	size_t n;

	if (!s)
		return;
	while (*s) {
		if (xml_plain((unsigned char)*s, attr)) {
			s++;
			continue;
		}
		n = report_utf8_len(s);
		if (n > 1 && !xml_forbidden(s, n)) {
			s += n;
			continue;
		}
		strbuf_add(sb, run, (size_t)(s - run));
		add_xml_char(sb, s, n, attr);
		run = s += n;
	}
	strbuf_add(sb, run, (size_t)(s - run));
}

static void put_attr(FILE *out, const char *name, const char *value)
{
	struct strbuf sb;

	strbuf_init(&sb);
	add_xml(&sb, value, true);
	fprintf(out, " %s=\"%s\"", name, sb.buf);
	strbuf_release(&sb);
}

/* --- collecting findings by file --- */

static struct junit_case *add_case(struct junit_state *js, const char *file)
{
	struct junit_case *c;

	ALLOC_GROW(js->cases, js->nr + 1, js->alloc);
	c = &js->cases[js->nr++];
	memset(c, 0, sizeof(*c));
	c->file = file;
	strbuf_init(&c->body);
	strbuf_init(&c->rules);
	strbuf_init(&c->first);
	return c;
}

static struct junit_case *case_of(struct junit_state *js, const char *file)
{
	size_t i;

	if (js->last < js->nr && !strcmp(js->cases[js->last].file, file))
		return &js->cases[js->last];
	for (i = 0; i < js->nr; i++)
		if (!strcmp(js->cases[i].file, file))
			break;
	if (i == js->nr)
		add_case(js, file);
	js->last = i;
	return &js->cases[i];
}

static void *junit_begin(const struct report_opts *ro)
{
	struct junit_state *js = xcalloc(1, sizeof(*js));
	int i;

	for (i = 0; ro->files && i < ro->nr_files; i++)
		add_case(js, ro->files[i]);
	return js;
}

static const char *rule_id(const struct finding *f)
{
	return f->rule ? f->rule->id : "migsafe";
}

static bool has_rule(const struct strbuf *rules, const char *id)
{
	size_t n = strlen(id);
	const char *p = rules->buf;

	for (; *p; p += strcspn(p, ","), p += *p == ',') {
		if (!strncmp(p, id, n) && (p[n] == ',' || !p[n]))
			return true;
	}
	return false;
}

/* "FILE:L:C: severity[rule]: message\n  help: HELP\n" */
static void add_finding_text(struct strbuf *sb, const struct finding *f)
{
	strbuf_addstr(sb, f->file);
	if (f->loc.line > 0)
		strbuf_addf(sb, ":%d", f->loc.line);
	if (f->loc.line > 0 && f->loc.col > 0)
		strbuf_addf(sb, ":%d", f->loc.col);
	strbuf_addf(sb, ": %s[%s]: %s\n", severity_name(f->severity),
		    rule_id(f), f->message ? f->message : "");
	if (f->help)
		strbuf_addf(sb, "  help: %s\n", f->help);
}

static void junit_finding(void *state, const struct report_opts *ro,
			  const struct finding *f)
{
	struct junit_case *c = case_of(state, f->file);
	bool failing = f->severity >= SEV_WARNING;

	if (c->nr_findings++)
		strbuf_addch(&c->body, '\n');
	add_finding_text(&c->body, f);
	if (!failing)
		return;
	if (!c->nr_failing++) {
		strbuf_addf(&c->first, "%s[%s]: %s", severity_name(f->severity),
			    rule_id(f), f->message ? f->message : "");
	}
	if (!has_rule(&c->rules, rule_id(f))) {
		if (c->rules.len)
			strbuf_addch(&c->rules, ',');
		strbuf_addstr(&c->rules, rule_id(f));
	}
}

/* --- the document --- */

/* Jenkins' "Error Message": the first failing finding, and how many more */
static void add_message(struct strbuf *sb, const struct junit_case *c)
{
	strbuf_addstr(sb, c->first.buf);
	if (c->nr_findings > 1)
		strbuf_addf(sb, " (and %d more)", c->nr_findings - 1);
}

static void put_case(FILE *out, const struct junit_case *c)
{
	struct strbuf sb;

	fputs("    <testcase", out);
	put_attr(out, "classname", CLASSNAME);
	put_attr(out, "name", c->file);
	put_attr(out, "file", c->file);
	if (!c->nr_findings) {
		fputs("/>\n", out);
		return;
	}
	strbuf_init(&sb);
	if (c->nr_failing) {
		fputs(">\n      <failure", out);
		put_attr(out, "type", c->rules.buf);
		add_message(&sb, c);
		put_attr(out, "message", sb.buf);
		fputs(">", out);
	} else {
		fputs(">\n      <system-out>", out);
	}
	strbuf_reset(&sb);
	add_xml(&sb, c->body.buf, false);
	fputs(sb.buf, out);
	fputs(c->nr_failing ? "</failure>\n" : "</system-out>\n", out);
	fputs("    </testcase>\n", out);
	strbuf_release(&sb);
}

static void put_counts(FILE *out, int tests, int failures)
{
	fprintf(out, " tests=\"%d\" failures=\"%d\" errors=\"0\"", tests, failures);
}

static void put_document(FILE *out, const struct junit_state *js)
{
	int failures = 0;
	size_t i;

	for (i = 0; i < js->nr; i++)
		failures += js->cases[i].nr_failing > 0;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", out);
	put_attr(out, "name", CLASSNAME);
	put_counts(out, (int)js->nr, failures);
	fputs(">\n  <testsuite", out);
	put_attr(out, "name", CLASSNAME);
	put_counts(out, (int)js->nr, failures);
	fputs(" skipped=\"0\">\n", out);
	for (i = 0; i < js->nr; i++)
		put_case(out, &js->cases[i]);
	fputs("  </testsuite>\n</testsuites>\n", out);
}

static void junit_state_free(struct junit_state *js)
{
	size_t i;

	for (i = 0; i < js->nr; i++) {
		strbuf_release(&js->cases[i].body);
		strbuf_release(&js->cases[i].rules);
		strbuf_release(&js->cases[i].first);
	}
	free(js->cases);
	free(js);
}

static int junit_end(void *state, const struct report_opts *ro,
		     const struct summary *s)
{
	put_document(ro->out, state);
	junit_state_free(state);
	return report_finish(ro);
}

const struct reporter reporter_junit = {
	.name = "junit",
	.begin = junit_begin,
	.finding = junit_finding,
	.end = junit_end,
};
