/*
 * finding.h - what rules produce and reporters consume.
 */
#ifndef MIGSAFE_FINDING_H
#define MIGSAFE_FINDING_H

#include <stddef.h>
#include <stdint.h>

enum severity {
	SEV_OFF = 0,
	SEV_NOTE = 1,
	SEV_WARNING = 2,
	SEV_ERROR = 3,
};

const char *severity_name(enum severity s);           /* "error", ... */
int severity_parse(const char *s, enum severity *out); /* 0 or -1 */

/*
 * A place in a migration file. line/col are 1-based, columns in
 * characters; end_line/end_col point at the last character + 1
 * (exclusive end, as SARIF's endColumn). file_index is the position of
 * the file in the history.
 */
struct loc {
	int file_index;
	size_t start, end;      /* byte span */
	int line, col;
	int end_line, end_col;
	uint64_t stmt_hash;     /* of the whitespace-normalised statement */
};

struct finding {
	const struct rule_info *rule;
	enum severity severity;
	char *message;          /* owned */
	const char *help;       /* the rule's static help text; NULL when none */
	char *object;           /* owned; NULL or "schema.table[.column]" */
	const char *file;       /* display path; owned by the history */
	struct loc loc;
	uint64_t fingerprint;   /* rule + file + statement + object */
	char *snippet;          /* owned; line loc.line (no newline), or on
	                           a line longer than SNIPPET_MAX bytes a
	                           window of it around loc.col, for reporters
	                           that show source; may be NULL */
	int snippet_col;        /* the column (1-based, in characters) in
	                           line loc.line of the snippet's first
	                           character: 1 unless the window starts
	                           later */
	int snippet_cut;        /* the window stops before the line's end */
};

/* Lines up to this long are kept whole in a finding. */
#define SNIPPET_MAX 240

struct finding_list {
	struct finding *items;
	int nr, alloc;
};

/* Free what f owns. */
void finding_release(struct finding *f);

void finding_list_init(struct finding_list *l);
void finding_list_release(struct finding_list *l);
/* Sort by file order, line, column, rule id. */
void finding_list_sort(struct finding_list *l);

struct summary {
	int files;              /* migration files in the history */
	int linted;             /* files in the lint range */
	int statements;         /* statements linted */
	int by_severity[4];     /* counted by enum severity (OFF unused) */
	int suppressed;
	int baselined;          /* hidden by --baseline */
	const char *dialect;    /* "postgresql" or "sqlite" (NULL: postgresql) */
};

#endif
