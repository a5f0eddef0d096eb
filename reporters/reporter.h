/*
 * reporter.h - output formats are plug-ins: one file per format behind
 * this table of functions. A hook left NULL is skipped.
 *
 * The engine calls begin, then finding for every finding (sorted, not
 * suppressed), then end with the summary. Reporters write only to
 * ro->out; they never decide severity or filtering.
 *
 * A finding passed to the finding hook is the caller's and valid only
 * during the call (the engine may free it as soon as the hook returns):
 * a reporter copies what it needs later. What it points at but does
 * not own - its rule, its help text - lives until end has returned. Reporters write each finding
 * as it comes wherever the format allows, so that a report costs memory
 * for what is in flight, not for the whole document.
 */
#ifndef MIGSAFE_REPORTER_H
#define MIGSAFE_REPORTER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "finding.h"
#include "util.h"

struct report_opts {
	FILE *out;
	bool color;              /* text only: ANSI colour */
	const char *srcroot;     /* SARIF: directory URIs are relative to
	                            (NULL: the current directory) */
	const char *tool_version;
	const char *automation_id;  /* SARIF automationDetails.id, or NULL */
	/* Files linted, in history order, for reporters that list files
	   (e.g. junit). Display paths. */
	const char *const *files;
	int nr_files;
	/* Rules findings may name beyond rule_table (custom rules from the
	   config), known before the first finding (SARIF lists them first). */
	const struct rule_info *const *extra_rules;
	int nr_extra_rules;
};

struct reporter {
	const char *name;        /* --format value */
	bool snippets;           /* shows findings' source lines (f->snippet);
	                            without it findings come without them */
	void *(*begin)(const struct report_opts *ro);   /* returns state */
	void (*finding)(void *state, const struct report_opts *ro,
			const struct finding *f);
	/* finish; returns 0 or -1 on a write error */
	int (*end)(void *state, const struct report_opts *ro,
		   const struct summary *s);
};

extern const struct reporter reporter_text;
extern const struct reporter reporter_json;
extern const struct reporter reporter_sarif;
extern const struct reporter reporter_github;
extern const struct reporter reporter_gitlab;
extern const struct reporter reporter_junit;
extern const struct reporter reporter_markdown;

/* By --format name; NULL if unknown. */
const struct reporter *reporter_by_name(const char *name);
/* "text, json, sarif, ..." for messages. */
const char *reporter_names(void);

/*
 * One GitHub Actions workflow command (::error, ::warning or ::notice)
 * for f, a whole line, escaped as the Actions toolkit escapes; the
 * github format is these lines and a summary. Exposed so that the text
 * format can add them when it runs inside GitHub Actions.
 */
void github_annotation(FILE *out, const struct finding *f);

/*
 * Helpers the reporters share (reporters/reporter.c); not for other
 * modules. JSON formats write with the streaming writer in jsonw.h.
 */

/* Bytes in the UTF-8 sequence at s (1 for an invalid or NUL byte). */
size_t report_utf8_len(const char *s);
/*
 * A fingerprint as every format shows it: 16 lower-case hex digits
 * ("%016" PRIx64) and a NUL, without printf's cost.
 */
#define REPORT_FP_HEX HEX_U64
void report_fingerprint_hex(char hex[REPORT_FP_HEX], uint64_t fp);
/*
 * Flush ro->out and check it for write errors: 0 or -1. Prints nothing
 * (the caller knows the file's name) and leaves errno as the failed
 * write set it.
 */
int report_finish(const struct report_opts *ro);

/*
 * The closing summary line every human-facing format shares:
 * "3 errors, 1 warning, 0 notes in 2 of 5 migration files (14 statements)".
 * 'paint' (error, warning, note and reset escape codes) colours the
 * counts, or is NULL.
 */
struct strbuf;
void report_summary_line(struct strbuf *sb, const struct summary *s,
			 const char *const paint[4]);

#endif
