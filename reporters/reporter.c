#include "reporter.h"

#include <string.h>

#include "util.h"
#include "banned.h"

/* Adding a format: its file, one line here, and its name below. */
static const struct reporter *const reporters[] = {
	&reporter_text,
	&reporter_json,
	&reporter_sarif,
	&reporter_github,
	&reporter_gitlab,
	&reporter_junit,
	&reporter_markdown,
};

const struct reporter *reporter_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reporters); i++)
		if (!strcmp(reporters[i]->name, name))
			return reporters[i];
	return NULL;
}

const char *reporter_names(void)
{
	return "text, json, sarif, github, gitlab, junit, markdown";
}

static bool is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/*
 * Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing
 * above U+10FFFF.
 */
size_t report_utf8_len(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return is_cont(s[1]) ? 2 : 1;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if (!is_cont(s[1]) || !is_cont(s[2]) ||
		    (s[0] == 0xe0 && s[1] < 0xa0) ||
		    (s[0] == 0xed && s[1] >= 0xa0))
			return 1;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if (!is_cont(s[1]) || !is_cont(s[2]) || !is_cont(s[3]) ||
		    (s[0] == 0xf0 && s[1] < 0x90) ||
		    (s[0] == 0xf4 && s[1] >= 0x90))
			return 1;
		return 4;
	}
	return 1;
}

void report_fingerprint_hex(char hex[REPORT_FP_HEX], uint64_t fp)
{
	hex_u64(hex, fp);
}

int report_finish(const struct report_opts *ro)
{
	if (fflush(ro->out) || ferror(ro->out))
		return -1;
	return 0;
}

static void add_count(struct strbuf *sb, int n, const char *what, const char *on, const char *off)
{
	strbuf_addf(sb, "%s%d %s%s%s", n && on ? on : "", n, what, n == 1 ? "" : "s",
		    n && on ? off : "");
}

void report_summary_line(struct strbuf *sb, const struct summary *s, const char *const paint[4])
{
	int errors = s->by_severity[SEV_ERROR];
	int warnings = s->by_severity[SEV_WARNING];
	int notes = s->by_severity[SEV_NOTE];
	const char *reset = paint ? paint[3] : NULL;

	if (errors + warnings + notes == 0) {
		strbuf_addstr(sb, "no findings");
	} else {
		add_count(sb, errors, "error", paint ? paint[0] : NULL, reset);
		strbuf_addstr(sb, ", ");
		add_count(sb, warnings, "warning", paint ? paint[1] : NULL, reset);
		strbuf_addstr(sb, ", ");
		add_count(sb, notes, "note", paint ? paint[2] : NULL, reset);
	}
	strbuf_addstr(sb, " in ");
	if (s->linted != s->files)
		strbuf_addf(sb, "%d of ", s->linted);
	add_count(sb, s->files, "migration file", NULL, NULL);
	strbuf_addstr(sb, " (");
	add_count(sb, s->statements, "statement", NULL, NULL);
	if (s->suppressed > 0)
		strbuf_addf(sb, ", %d suppressed", s->suppressed);
	if (s->baselined > 0)
		strbuf_addf(sb, ", %d in the baseline", s->baselined);
	if (s->dialect && strcmp(s->dialect, "postgresql"))
		strbuf_addf(sb, ", %s", s->dialect);   /* PostgreSQL goes without saying */
	strbuf_addstr(sb, ")");
}
