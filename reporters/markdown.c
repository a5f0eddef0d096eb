/*
 * markdown.c - a summary to post as a pull-request or merge-request
 * comment (GitHub Flavored Markdown, which GitLab also renders):
 *
 *   ## migsafe: 1 error, 2 warnings
 *
 *   Linted 8 migration files (15 statements).
 *
 *   ### `migrations/0007_product_cleanup.up.sql`
 *
 *   - **Error** `drop-column` (line 2): dropping column "sku" of ...
 *
 *     ```sql
 *     ALTER TABLE products DROP COLUMN sku;
 *     ```
 *
 *     **Fix:** deploy application code that ...
 *
 * Findings come sorted by file, so a file heading starts each run of
 * findings in one file. With no findings the report is one line.
 *
 * Text from migrations and rules is escaped where Markdown would read
 * it as markup: messages and help get a backslash before the characters
 * that can start inline markup mid-line (the text never starts a line),
 * code spans get a fence longer than any backtick run inside, and the
 * sql block a fence longer than any backtick run in the snippet. Line
 * breaks become spaces (a newline could start a heading or a list),
 * control characters and invalid UTF-8 become U+FFFD.
 *
 * GitHub refuses comments over 65536 characters: past MAX_BODY bytes
 * of findings the rest are counted, not shown.
 */
#include "reporter.h"

#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "util.h"
#include "banned.h"

#define REPLACEMENT "\xef\xbf\xbd"
#define MAX_BODY 60000          /* bytes; leaves room for the heading */
#define INDENT "  "             /* continuation of a list item */

struct markdown_state {
	struct strbuf body;     /* the findings, grouped by file */
	const char *last_file;  /* file of the previous finding shown */
	int nr_shown, nr_omitted;
};

/* C0 and C1 controls, DEL: never useful in a comment */
static bool is_control(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];

	if (n == 1)
		return c < 0x20 || c == 0x7f;
	return n == 2 && c == 0xc2 && (unsigned char)s[1] < 0xa0;
}

/*
 * Append the UTF-8 character at s (n bytes), line breaks and tabs as a
 * space, other controls and invalid bytes as U+FFFD.
 */
static void add_char(struct strbuf *sb, const char *s, size_t n)
{
	if (*s == '\n' || *s == '\r' || *s == '\t')
		strbuf_addch(sb, ' ');
	else if (is_control(s, n) || (n == 1 && (unsigned char)*s >= 0x80))
		strbuf_addstr(sb, REPLACEMENT);
	else
		strbuf_add(sb, s, n);
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

/*
 * Whether the character at s[i] can start inline markup mid-line:
 * emphasis and strikeout, code, links and images, raw HTML and
 * autolinks, entities, table cells, GitHub's math ($), the backslash
 * itself. '_' only at a word boundary (GFM never reads lock_timeout as
 * emphasis). Block markup ('#', '-', '>' ...) only counts at the start
 * of a line, where this text never is.
 */
static bool md_special(const char *s, size_t i)
{
	char c = s[i];

	if (c == '_')
		return !i || !is_alnum(s[i - 1]) || !is_alnum(s[i + 1]);
	return c && strchr("\\`*[]<|~&$", c);
}

static void add_md_text(struct strbuf *sb, const char *s)
{
	size_t i, n;

	for (i = 0; s && s[i]; i += n) {
		n = report_utf8_len(s + i);
		if (md_special(s, i))
			strbuf_addch(sb, '\\');
		add_char(sb, s + i, n);
	}
}

/* The longest run of backticks in s[0..len). */
static size_t longest_backticks(const char *s, size_t len)
{
	size_t i, run = 0, best = 0;

	for (i = 0; i < len; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

static void add_fence(struct strbuf *sb, size_t n)
{
	while (n--)
		strbuf_addch(sb, '`');
}

/*
 * A code span holding s: fenced by one backtick more than the longest
 * run inside, padded with spaces when s starts or ends with a backtick
 * or a space (CommonMark strips one space from each side).
 */
static void add_code_span(struct strbuf *sb, const char *s)
{
	size_t len = strlen(s), fence = longest_backticks(s, len) + 1, n;
	bool pad = len && (s[0] == '`' || s[len - 1] == '`' ||
			   s[0] == ' ' || s[len - 1] == ' ');

	add_fence(sb, fence);
	if (pad)
		strbuf_addch(sb, ' ');
	for (; *s; s += n) {
		n = report_utf8_len(s);
		add_char(sb, s, n);
	}
	if (pad)
		strbuf_addch(sb, ' ');
	add_fence(sb, fence);
}

static const char *marker(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return "**Error**";
	case SEV_WARNING:
		return "**Warning**";
	default:
		return "**Note**";
	}
}

/* The snippet without its line terminator. */
static size_t snippet_len(const char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return n;
}

static void add_sql_block(struct strbuf *sb, const char *snippet)
{
	size_t len = snippet_len(snippet), fence, pos, n;

	fence = longest_backticks(snippet, len) + 1;
	if (fence < 3)
		fence = 3;
	strbuf_addstr(sb, "\n" INDENT);
	add_fence(sb, fence);
	strbuf_addstr(sb, "sql\n" INDENT);
	for (pos = 0; pos < len; pos += n) {
		n = report_utf8_len(snippet + pos);
		if (snippet[pos] == '\t')
			strbuf_addch(sb, '\t');
		else
			add_char(sb, snippet + pos, n);
	}
	strbuf_addstr(sb, "\n" INDENT);
	add_fence(sb, fence);
	strbuf_addch(sb, '\n');
}

static void add_finding(struct strbuf *sb, const struct finding *f)
{
	strbuf_addf(sb, "- %s ", marker(f->severity));
	add_code_span(sb, f->rule ? f->rule->id : "migsafe");
	if (f->loc.line > 0)
		strbuf_addf(sb, " (line %d)", f->loc.line);
	strbuf_addstr(sb, ": ");
	add_md_text(sb, f->message);
	strbuf_addch(sb, '\n');
	if (f->snippet && f->loc.line > 0)
		add_sql_block(sb, f->snippet);
	if (f->help) {
		strbuf_addstr(sb, "\n" INDENT "**Fix:** ");
		add_md_text(sb, f->help);
		strbuf_addch(sb, '\n');
	}
}

static void *markdown_begin(const struct report_opts *ro)
{
	struct markdown_state *ms = xcalloc(1, sizeof(*ms));

	strbuf_init(&ms->body);
	return ms;
}

static void markdown_finding(void *state, const struct report_opts *ro,
			     const struct finding *f)
{
	struct markdown_state *ms = state;
	struct strbuf sb;

	if (ms->nr_omitted) {
		ms->nr_omitted++;
		return;
	}
	strbuf_init(&sb);
	if (!ms->last_file || strcmp(ms->last_file, f->file)) {
		strbuf_addstr(&sb, "\n### ");
		add_code_span(&sb, f->file);
		strbuf_addch(&sb, '\n');
	}
	strbuf_addch(&sb, '\n');
	add_finding(&sb, f);
	if (ms->body.len + sb.len > MAX_BODY) {
		ms->nr_omitted++;
	} else {
		strbuf_add(&ms->body, sb.buf, sb.len);
		ms->last_file = f->file;
		ms->nr_shown++;
	}
	strbuf_release(&sb);
}

static void add_count(struct strbuf *sb, int n, const char *what)
{
	if (!n)
		return;
	if (sb->len && sb->buf[sb->len - 1] != ' ')
		strbuf_addstr(sb, ", ");
	strbuf_addf(sb, "%d %s%s", n, what, n == 1 ? "" : "s");
}

/* "2 of 5 migration files (14 statements, 3 suppressed)" */
static void add_scope(struct strbuf *sb, const struct summary *s)
{
	if (s->linted != s->files)
		strbuf_addf(sb, "%d of ", s->linted);
	strbuf_addf(sb, "%d migration file%s (%d statement%s", s->files,
		    s->files == 1 ? "" : "s", s->statements,
		    s->statements == 1 ? "" : "s");
	if (s->suppressed > 0)
		strbuf_addf(sb, ", %d suppressed", s->suppressed);
	if (s->baselined > 0)
		strbuf_addf(sb, ", %d in the baseline", s->baselined);
	strbuf_addch(sb, ')');
}

/* "## migsafe: 1 error, 2 warnings", zero counts left out */
static void add_heading(struct strbuf *sb, const struct markdown_state *ms,
			const struct summary *s)
{
	strbuf_addstr(sb, "## migsafe: ");
	add_count(sb, s->by_severity[SEV_ERROR], "error");
	add_count(sb, s->by_severity[SEV_WARNING], "warning");
	add_count(sb, s->by_severity[SEV_NOTE], "note");
	if (str_ends_with(sb->buf, " "))
		add_count(sb, ms->nr_shown + ms->nr_omitted, "finding");
}

static void put_report(FILE *out, const struct markdown_state *ms,
		       const struct summary *s)
{
	struct strbuf sb;

	strbuf_init(&sb);
	if (!ms->nr_shown && !ms->nr_omitted) {
		strbuf_addstr(&sb, "**migsafe:** no findings in ");
		add_scope(&sb, s);
		fprintf(out, "%s.\n", sb.buf);
		strbuf_release(&sb);
		return;
	}
	add_heading(&sb, ms, s);
	strbuf_addstr(&sb, "\n\nLinted ");
	add_scope(&sb, s);
	fprintf(out, "%s.\n%s", sb.buf, ms->body.buf);
	if (ms->nr_omitted)
		fprintf(out, "\n*%d more finding%s not shown: the comment would be too long.*\n",
			ms->nr_omitted, ms->nr_omitted == 1 ? "" : "s");
	strbuf_release(&sb);
}

static int markdown_end(void *state, const struct report_opts *ro,
			const struct summary *s)
{
	struct markdown_state *ms = state;

	put_report(ro->out, ms, s);
	strbuf_release(&ms->body);
	free(ms);
	return report_finish(ro);
}

const struct reporter reporter_markdown = {
	.name = "markdown",
	.snippets = true,
	.begin = markdown_begin,
	.finding = markdown_finding,
	.end = markdown_end,
};
