/*
 * text.c - the default, human format: one compiler-style diagnostic per
 * finding with the source line and a caret underline, then a summary.
 */
#include "reporter.h"

#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "util.h"
#include "banned.h"

#define TAB_STOP 8
#define GUTTER_MIN 5

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_YELLOW "\033[1;33m"
#define C_CYAN "\033[1;36m"
#define C_BLUE "\033[1;34m"

struct text_state {
	int nr;                 /* findings written so far */
};

/* Every escape sequence goes through here, so !ro->color means none. */
static const char *col(const struct report_opts *ro, const char *code)
{
	return ro->color ? code : "";
}

static const char *severity_color(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return C_RED;
	case SEV_WARNING:
		return C_YELLOW;
	default:
		return C_CYAN;
	}
}

/*
 * C0 and C1 control characters from a migration file (an ESC in a quoted
 * identifier, say) must not reach a terminal.
 */
static bool is_control(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];

	if (n == 1)
		return c < 0x20 || c >= 0x7f;
	return n == 2 && c == 0xc2 && (unsigned char)s[1] < 0xa0;
}

/* Append s, controls and invalid UTF-8 shown as '?', tabs as spaces. */
static void add_clean(struct strbuf *sb, const char *s)
{
	size_t n;

	for (; *s; s += n) {
		n = report_utf8_len(s);
		if (*s == '\t')
			strbuf_addch(sb, ' ');
		else if (is_control(s, n))
			strbuf_addch(sb, '?');
		else
			strbuf_add(sb, s, n);
	}
}

static void put_clean(FILE *out, const char *s)
{
	struct strbuf sb;

	strbuf_init(&sb);
	add_clean(&sb, s);
	fputs(sb.buf, out);
	strbuf_release(&sb);
}

static void *text_begin(const struct report_opts *ro)
{
	return xcalloc(1, sizeof(struct text_state));
}

static void put_header(const struct report_opts *ro, const struct finding *f)
{
	FILE *out = ro->out;

	fputs(col(ro, C_BOLD), out);
	put_clean(out, f->file);
	if (f->loc.line > 0)
		fprintf(out, ":%d", f->loc.line);
	if (f->loc.line > 0 && f->loc.col > 0)
		fprintf(out, ":%d", f->loc.col);
	fprintf(out, ":%s %s%s[%s]%s%s: ", col(ro, C_RESET),
		col(ro, severity_color(f->severity)),
		severity_name(f->severity), f->rule ? f->rule->id : "?",
		col(ro, C_RESET), col(ro, C_BOLD));
	put_clean(out, f->message);
	fprintf(out, "%s\n", col(ro, C_RESET));
}

/* Length of the snippet without a line terminator left at its end. */
static size_t snippet_len(const char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return n;
}

static int snippet_chars(const char *s, size_t len)
{
	int nr = 0;
	size_t i;

	for (i = 0; i < len; i += report_utf8_len(s + i))
		nr++;
	return nr;
}

/*
 * The display column (0-based) where character 'chars' (0-based) of the
 * snippet starts, tabs expanded; past the end each character is one
 * column, so a caret can point just after the line.
 */
static int display_col(const char *s, size_t len, int chars)
{
	int dcol = 0, i;
	size_t pos = 0;

	for (i = 0; i < chars; i++) {
		if (pos < len && s[pos] == '\t')
			dcol = (dcol / TAB_STOP + 1) * TAB_STOP;
		else
			dcol++;
		if (pos < len)
			pos += report_utf8_len(s + pos);
	}
	return dcol;
}

static void add_snippet(struct strbuf *sb, const char *s, size_t len)
{
	size_t pos, n;
	int dcol = 0;

	for (pos = 0; pos < len; pos += n) {
		n = report_utf8_len(s + pos);
		if (s[pos] == '\t') {
			do
				strbuf_addch(sb, ' ');
			while (++dcol % TAB_STOP);
			continue;
		}
		if (is_control(s + pos, n))
			strbuf_addch(sb, '?');
		else
			strbuf_add(sb, s + pos, n);
		dcol++;
	}
}

static int gutter_width(int line)
{
	int w = snprintf(NULL, 0, "%d", line);

	return w < GUTTER_MIN ? GUTTER_MIN : w;
}

/* "..." before and after a window of a long line. */
#define CUT "..."
#define CUT_LEN 3

static void put_caret(const struct report_opts *ro, const struct finding *f,
		      const char *s, size_t len, int width)
{
	int shift = f->snippet_col > 1 ? f->snippet_col - 1 : 0;
	int first = f->loc.col > 0 ? f->loc.col - 1 - shift : 0, last, start, end;

	if (first < 0)
		first = 0;
	if (f->loc.end_line == f->loc.line && f->loc.end_col > f->loc.col)
		last = f->loc.end_col - 1 - shift;
	else if (f->loc.end_line == f->loc.line)
		last = first + 1;
	else
		last = snippet_chars(s, len);
	if (f->snippet_cut && last > snippet_chars(s, len))
		last = snippet_chars(s, len);
	start = display_col(s, len, first) + (shift ? CUT_LEN : 0);
	end = display_col(s, len, last) + (shift ? CUT_LEN : 0);
	if (end <= start)
		end = start + 1;
	fprintf(ro->out, "%*s %s|%s %*s%s^", width, "", col(ro, C_BLUE),
		col(ro, C_RESET), start, "",
		col(ro, severity_color(f->severity)));
	while (++start < end)
		fputc('~', ro->out);
	fprintf(ro->out, "%s\n", col(ro, C_RESET));
}

/* The line, or the window of a long line with "..." where it is cut. */
static void put_snippet(const struct report_opts *ro, const struct finding *f,
			int width)
{
	size_t len = snippet_len(f->snippet);
	struct strbuf sb;

	strbuf_init(&sb);
	if (f->snippet_col > 1)
		strbuf_addstr(&sb, CUT);
	add_snippet(&sb, f->snippet, len);
	if (f->snippet_cut)
		strbuf_addstr(&sb, CUT);
	fprintf(ro->out, "%s%*d |%s %s\n", col(ro, C_BLUE), width, f->loc.line,
		col(ro, C_RESET), sb.buf);
	strbuf_release(&sb);
	put_caret(ro, f, f->snippet, len, width);
}

static void put_help(const struct report_opts *ro, const struct finding *f,
		     int width)
{
	fprintf(ro->out, "%*s%s= help:%s ", width - 2, "", col(ro, C_BOLD),
		col(ro, C_RESET));
	put_clean(ro->out, f->help);
	fputc('\n', ro->out);
}

static void text_finding(void *state, const struct report_opts *ro,
			 const struct finding *f)
{
	struct text_state *ts = state;
	int width = gutter_width(f->loc.line);

	put_header(ro, f);
	if (f->snippet && f->loc.line > 0)
		put_snippet(ro, f, width);
	if (f->help)
		put_help(ro, f, width);
	fputc('\n', ro->out);
	ts->nr++;
}

static const char *const paint[4] = { C_RED, C_YELLOW, C_CYAN, C_RESET };

static int text_end(void *state, const struct report_opts *ro,
		    const struct summary *s)
{
	struct strbuf sb;

	strbuf_init(&sb);
	report_summary_line(&sb, s, ro->color ? paint : NULL);
	fprintf(ro->out, "%s\n", sb.buf);
	strbuf_release(&sb);
	free(state);
	return report_finish(ro);
}

const struct reporter reporter_text = {
	.name = "text",
	.begin = text_begin,
	.finding = text_finding,
	.end = text_end,
};
