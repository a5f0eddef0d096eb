/*
 * github.c - GitHub Actions workflow commands: one annotation per
 * finding, then the text format's summary line.
 *
 *   ::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=RULE::MSG%0Ahelp: H
 *
 * warning and note findings use ::warning and ::notice. Escaping is the
 * Actions toolkit's (@actions/core command.ts): in the message '%', CR
 * and LF become %25, %0D and %0A; in a property value ':' and ','
 * become %3A and %2C as well. Nothing else needs escaping: a command
 * ends at the end of its line, and the escapes keep every finding on
 * one line, so a message cannot inject a command of its own.
 *
 * Positions follow the toolkit's AnnotationProperties: col and
 * endColumn only when the region is on one line ("cannot be sent when
 * startLine and endLine are different"), and endColumn is inclusive
 * ("defaults to startColumn"), so our exclusive end_col is reduced by
 * one. A finding about the whole file gets no position.
 *
 * The summary line is plain log text (the runner treats any line not
 * starting with "::" as log output), so the job log says how many
 * findings there were even when GitHub caps the annotations it shows.
 */
#include "reporter.h"

#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "util.h"
#include "banned.h"

static const char *command_of(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return "error";
	case SEV_WARNING:
		return "warning";
	default:
		return "notice";
	}
}

/* The toolkit's escapeData, or escapeProperty when 'property': the
   runs between the characters it escapes go in whole. */
static void add_escaped(struct strbuf *sb, const char *s, bool property)
{
	size_t n;

	for (; s && *s; s++) {
		n = strcspn(s, property ? "%\r\n:," : "%\r\n");
		strbuf_add(sb, s, n);
		s += n;
		if (*s == '%')
			strbuf_addstr(sb, "%25");
		else if (*s == '\r')
			strbuf_addstr(sb, "%0D");
		else if (*s == '\n')
			strbuf_addstr(sb, "%0A");
		else if (*s == ':')
			strbuf_addstr(sb, "%3A");
		else if (*s == ',')
			strbuf_addstr(sb, "%2C");
		else
			break;
	}
}

/* GitHub resolves the path against the repository; "./" adds nothing. */
static const char *repo_path(const char *path)
{
	while (path[0] == '.' && path[1] == '/')
		for (path += 2; *path == '/'; path++)
			;
	return path;
}

static void add_position(struct strbuf *sb, const struct loc *l)
{
	int end_col;

	if (l->line <= 0)
		return;
	strbuf_addf(sb, ",line=%d", l->line);
	if (l->end_line > l->line) {
		strbuf_addf(sb, ",endLine=%d", l->end_line);
		return;
	}
	if (l->col <= 0)
		return;
	strbuf_addf(sb, ",col=%d", l->col);
	if (l->end_line != l->line)
		return;
	end_col = l->end_col - 1 > l->col ? l->end_col - 1 : l->col;
	strbuf_addf(sb, ",endLine=%d,endColumn=%d", l->end_line, end_col);
}

void github_annotation(FILE *out, const struct finding *f)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_addf(&sb, "::%s file=", command_of(f->severity));
	add_escaped(&sb, repo_path(f->file), true);
	add_position(&sb, &f->loc);
	strbuf_addstr(&sb, ",title=");
	add_escaped(&sb, f->rule ? f->rule->id : "migsafe", true);
	strbuf_addstr(&sb, "::");
	add_escaped(&sb, f->message, false);
	if (f->help) {
		strbuf_addstr(&sb, "%0Ahelp: ");
		add_escaped(&sb, f->help, false);
	}
	strbuf_addch(&sb, '\n');
	fputs(sb.buf, out);
	strbuf_release(&sb);
}

static void github_finding(void *state, const struct report_opts *ro,
			   const struct finding *f)
{
	github_annotation(ro->out, f);
}

static int github_end(void *state, const struct report_opts *ro,
		      const struct summary *s)
{
	struct strbuf sb;

	strbuf_init(&sb);
	report_summary_line(&sb, s, NULL);
	fprintf(ro->out, "%s\n", sb.buf);
	strbuf_release(&sb);
	return report_finish(ro);
}

const struct reporter reporter_github = {
	.name = "github",
	.finding = github_finding,
	.end = github_end,
};
