/*
 * text.c - the default, human format: one compiler-style diagnostic per
 * finding with the source line and a caret underline, then a summary.
 *
 * A finding's text is built in one buffer and written at once: printf
 * and a stdio call per character cost more than the rest of a lint.
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
	struct strbuf sb;       /* the finding being written */
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

/* Printable ASCII: goes out as it is, in runs. */
static bool plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

/* Append s, controls and invalid UTF-8 shown as '?', tabs as spaces. */
static void add_clean(struct strbuf *sb, const char *s)
{
	const char *run = s;
	size_t n;

	while (*s) {
		if (plain((unsigned char)*s)) {
			s++;
			continue;
		}
		n = report_utf8_len(s);
		if (*s != '\t' && !is_control(s, n)) {
			s += n;
			continue;
		}
		strbuf_add(sb, run, (size_t)(s - run));
		strbuf_addch(sb, *s == '\t' ? ' ' : '?');
		run = s += n;
	}
	strbuf_add(sb, run, (size_t)(s - run));
}

/* n times c (nothing when n <= 0): padding, underlines. */
static void add_repeat(struct strbuf *sb, char c, int n)
{
	if (n <= 0)
		return;
	strbuf_grow(sb, (size_t)n);
	memset(sb->buf + sb->len, c, (size_t)n);
	sb->len += (size_t)n;
	sb->buf[sb->len] = '\0';
}

static void add_pad(struct strbuf *sb, int n)
{
	add_repeat(sb, ' ', n);
}

/* report_utf8_len(), without the call for ASCII. */
static size_t char_len(const char *s)
{
	return (unsigned char)*s < 0x80 ? 1 : report_utf8_len(s);
}

/* Characters printf's "%d" writes for v. */
static int decimal_width(int v)
{
	unsigned u = v < 0 ? -(unsigned)v : (unsigned)v;
	int w = v < 0;

	do {
		w++;
		u /= 10;
	} while (u);
	return w;
}

static void *text_begin(const struct report_opts *ro)
{
	struct text_state *ts = xcalloc(1, sizeof(*ts));

	strbuf_init(&ts->sb);
	return ts;
}

static void add_header(struct strbuf *sb, const struct report_opts *ro,
		       const struct finding *f)
{
	strbuf_addstr(sb, col(ro, C_BOLD));
	add_clean(sb, f->file);
	if (f->loc.line > 0)
		strbuf_addf(sb, ":%d", f->loc.line);
	if (f->loc.line > 0 && f->loc.col > 0)
		strbuf_addf(sb, ":%d", f->loc.col);
	strbuf_addf(sb, ":%s %s%s[%s]%s%s: ", col(ro, C_RESET),
		    col(ro, severity_color(f->severity)),
		    severity_name(f->severity), f->rule ? f->rule->id : "?",
		    col(ro, C_RESET), col(ro, C_BOLD));
	add_clean(sb, f->message);
	strbuf_addstr(sb, col(ro, C_RESET));
	strbuf_addch(sb, '\n');
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

	for (i = 0; i < len; i += char_len(s + i))
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
			pos += char_len(s + pos);
	}
	return dcol;
}

/* The snippet, tabs expanded to the next tab stop, controls as '?'. */
static void add_snippet(struct strbuf *sb, const char *s, size_t len)
{
	size_t pos, n, run = 0;
	int dcol = 0;

	for (pos = 0; pos < len; pos += n) {
		n = char_len(s + pos);
		if (s[pos] == '\t') {
			strbuf_add(sb, s + run, pos - run);
			add_pad(sb, TAB_STOP - dcol % TAB_STOP);
			dcol += TAB_STOP - dcol % TAB_STOP;
			run = pos + n;
			continue;
		}
		if (is_control(s + pos, n)) {
			strbuf_add(sb, s + run, pos - run);
			strbuf_addch(sb, '?');
			run = pos + n;
		}
		dcol++;
	}
	if (run < len)
		strbuf_add(sb, s + run, len - run);
}

static int gutter_width(int line)
{
	int w = decimal_width(line);

	return w < GUTTER_MIN ? GUTTER_MIN : w;
}

/* "..." before and after a window of a long line. */
#define CUT "..."
#define CUT_LEN 3

static void add_caret(struct strbuf *sb, const struct report_opts *ro,
		      const struct finding *f, const char *s, size_t len, int width)
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
	add_pad(sb, width);
	strbuf_addf(sb, " %s|%s ", col(ro, C_BLUE), col(ro, C_RESET));
	add_pad(sb, start);
	strbuf_addstr(sb, col(ro, severity_color(f->severity)));
	strbuf_addch(sb, '^');
	add_repeat(sb, '~', end - start - 1);
	strbuf_addstr(sb, col(ro, C_RESET));
	strbuf_addch(sb, '\n');
}

/* The line, or the window of a long line with "..." where it is cut. */
static void add_snippet_lines(struct strbuf *sb, const struct report_opts *ro,
			      const struct finding *f, int width)
{
	size_t len = snippet_len(f->snippet);

	strbuf_addstr(sb, col(ro, C_BLUE));
	add_pad(sb, width - decimal_width(f->loc.line));
	strbuf_addf(sb, "%d |%s ", f->loc.line, col(ro, C_RESET));
	if (f->snippet_col > 1)
		strbuf_addstr(sb, CUT);
	add_snippet(sb, f->snippet, len);
	if (f->snippet_cut)
		strbuf_addstr(sb, CUT);
	strbuf_addch(sb, '\n');
	add_caret(sb, ro, f, f->snippet, len, width);
}

static void add_help(struct strbuf *sb, const struct report_opts *ro,
		     const struct finding *f, int width)
{
	add_pad(sb, width - 2);
	strbuf_addf(sb, "%s= help:%s ", col(ro, C_BOLD), col(ro, C_RESET));
	add_clean(sb, f->help);
	strbuf_addch(sb, '\n');
}

static void text_finding(void *state, const struct report_opts *ro,
			 const struct finding *f)
{
	struct text_state *ts = state;
	struct strbuf *sb = &ts->sb;
	int width = gutter_width(f->loc.line);

	strbuf_reset(sb);
	add_header(sb, ro, f);
	if (f->snippet && f->loc.line > 0)
		add_snippet_lines(sb, ro, f, width);
	if (f->help)
		add_help(sb, ro, f, width);
	strbuf_addch(sb, '\n');
	fwrite(sb->buf, 1, sb->len, ro->out);
	ts->nr++;
}

static const char *const paint[4] = { C_RED, C_YELLOW, C_CYAN, C_RESET };

static int text_end(void *state, const struct report_opts *ro,
		    const struct summary *s)
{
	struct text_state *ts = state;
	struct strbuf sb;

	strbuf_init(&sb);
	report_summary_line(&sb, s, ro->color ? paint : NULL);
	fprintf(ro->out, "%s\n", sb.buf);
	strbuf_release(&sb);
	strbuf_release(&ts->sb);
	free(ts);
	return report_finish(ro);
}

const struct reporter reporter_text = {
	.name = "text",
	.snippets = true,
	.begin = text_begin,
	.finding = text_finding,
	.end = text_end,
};
