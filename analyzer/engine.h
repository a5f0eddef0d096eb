/*
 * engine.h - the pipeline: discover -> parse -> replay -> rules ->
 * findings. Rules reach the run only through the rule_ctx accessors
 * below and report(); they never print.
 */
#ifndef MIGSAFE_ENGINE_H
#define MIGSAFE_ENGINE_H

#include <stdbool.h>

#include "catalog.h"
#include "discover.h"
#include "finding.h"
#include "replay.h"
#include "rules.h"

struct lint_opts {
	int pg_version;                  /* major version, e.g. 15 */
	bool explicit_range;             /* the user chose the lint range */
	enum severity severity[NR_RULES];/* effective severity (SEV_OFF: off) */
	int tx_override;                 /* -1, or an enum tx_mode for all files */
};

void lint_opts_init(struct lint_opts *o);

/*
 * Lint the history. Findings (sorted) go to 'out', counts to 'sum'.
 * Returns 0, or -1 when some file could not be read (a message naming
 * it was printed; the other files were still linted).
 */
int lint_run(const struct lint_opts *o, struct history *h, struct finding_list *out,
	     struct summary *sum);

/*
 * Replay files 0..last of the history (no rules) and hand the catalog to
 * the caller (*cat; catalog_free() it). Statements that would fail are
 * counted in *nr_failed. Returns 0, or -1 when a file could not be read
 * (the catalog is still returned).
 */
int replay_history(const struct lint_opts *o, struct history *h, int last,
		   struct catalog **cat, int *nr_failed);

/* ---- for rules ---- */

struct rule_ctx;

/*
 * Report a finding of 'rule' on the current statement (its region is the
 * whole statement). 'object' names what it concerns
 * ("public.users.email") or is NULL. Severity, suppression and counting
 * are decided here, once.
 */
void report(struct rule_ctx *ctx, enum rule_id rule, const char *object,
	    const char *fmt, ...) PRINTF_LIKE(4, 5);

/* Report at a stored location (range rules). */
void report_at(struct rule_ctx *ctx, enum rule_id rule, const struct loc *loc,
	       const char *object, const char *fmt, ...) PRINTF_LIKE(5, 6);

/* Is the relation new: created in this file, or in an explicit range? */
bool ctx_rel_is_new(const struct rule_ctx *ctx, const struct rel_ref *rel);
/* Is the current statement inside a transaction block? */
bool ctx_in_transaction(const struct rule_ctx *ctx);
int ctx_pg_version(const struct rule_ctx *ctx);
struct catalog *ctx_catalog(struct rule_ctx *ctx);

#endif
