/*
 * baseline.h - adopting migsafe on an old codebase: 'migsafe baseline'
 * records today's findings; 'lint --baseline FILE' hides the ones
 * recorded there. Entries match by fingerprint (rule, file, the
 * statement's text with comments, spacing and letter case folded away,
 * object), so they survive line shifts and reformatting; each entry
 * hides one finding.
 *
 *   { "version": 1, "findings": [ { "rule": "drop-column",
 *     "fingerprint": "a346801525d5b211", "file": "...", "message": "..." } ] }
 */
#ifndef MIGSAFE_BASELINE_H
#define MIGSAFE_BASELINE_H

#include <stdbool.h>

#include "finding.h"

struct baseline_entry {
	char *rule;
	uint64_t fingerprint;
	bool used;
};

struct baseline {
	struct baseline_entry *items;
	int nr;
};

void baseline_init(struct baseline *b);
void baseline_release(struct baseline *b);

/* 0, or -1 after a message naming the file and what is wrong. */
int baseline_load(struct baseline *b, const char *path);
int baseline_write(const char *path, const struct finding_list *fl);

/* Does the baseline hold f (each entry hides one finding)? */
bool baseline_take(struct baseline *b, const struct finding *f);
/* Remove the findings the baseline holds; they are counted in
   s->baselined and no longer in the severity counts. */
void baseline_filter(struct baseline *b, struct finding_list *fl, struct summary *s);

#endif
