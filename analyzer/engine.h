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

struct lock_list;

/* What 'migsafe locks' (and other observers) learn of each statement in
   the lint range, after replay. */
struct stmt_report {
	const struct migration *m;
	const struct loc *loc;
	const char *text;             /* the file's text; the statement is
	                                 text[loc->start .. loc->end) */
	enum tx_mode tx;              /* how the tool runs the file */
	bool in_transaction;          /* inside a transaction block */
	int transaction;              /* 1, 2, ...: statements with one number
	                                 share a transaction (locks are held
	                                 until it ends); 0 for autocommit */
	const struct lock_list *locks;
};
typedef void (*stmt_observer_fn)(void *data, const struct stmt_report *r);

struct config;

struct lint_opts {
	const struct config *config;     /* naming patterns, custom rules; may be NULL */
	stmt_observer_fn observer;       /* optional */
	void *observer_data;
	int pg_version;                  /* major version, e.g. 15 */
	bool explicit_range;             /* the user chose the lint range */
	enum severity severity[NR_RULES];/* effective severity (SEV_OFF: off) */
	int tx_override;                 /* -1, or an enum tx_mode for all files */
	bool runner_sets_lock_timeout;   /* config: the migration runner sets
	                                    lock_timeout itself */
	const char *initial_schema;      /* DDL replayed before the history
	                                    (pg_dump --schema-only), or NULL */
	int dialect;                     /* enum dialect (sqlite_dialect.h);
	                                    0, DIALECT_AUTO: from the files' names */
	/* when set, findings go here instead of lint_run's 'out': a file's
	   findings, sorted, once the file is linted; those of rules over the
	   whole range and of custom rules after the last file. The sink owns
	   each finding's strings (finding_release()). */
	void (*sink)(void *data, struct finding *f);
	void *sink_data;
	bool no_snippets;                /* findings without their source line
	                                    (f->snippet): no report shows it */
	const char *cache_dir;           /* --cache: keep the state of the files
	                                    before the lint range here (cache.h);
	                                    "": the default directory; NULL: no
	                                    cache, nothing read or written */
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
/* Was the column, as the catalog has it now, added to the (known)
   relation by the current file? */
bool ctx_col_is_new(struct rule_ctx *ctx, const struct rel_ref *rel, const char *column);
/* Is the current statement inside a transaction block? */
bool ctx_in_transaction(const struct rule_ctx *ctx);
int ctx_pg_version(const struct rule_ctx *ctx);
struct catalog *ctx_catalog(struct rule_ctx *ctx);
/* The configuration (never NULL: an empty one when there is none). */
const struct config *ctx_config(const struct rule_ctx *ctx);
/* How the migration tool runs the current file. */
enum tx_mode ctx_tx_mode(const struct rule_ctx *ctx);
/* Was lock_timeout set (SET [LOCAL] lock_timeout to a non-zero value)
   earlier in the current file, or does the runner set it (config)? */
bool ctx_lock_timeout_set(const struct rule_ctx *ctx);
/*
 * All statements of the current file and the index of the current one,
 * for rules that look ahead within the migration (a value added to an
 * enum used later in the same transaction, a renamed column added back).
 */
void ctx_file_statements(const struct rule_ctx *ctx, const struct stmt **stmts, int *nr,
			 int *current);
/* The line the current statement starts on. */
int ctx_line(const struct rule_ctx *ctx);
/* The current file's text (statements' byte spans index into it). */
const char *ctx_file_text(const struct rule_ctx *ctx);
/* Resolve a relation name as the replay does at this point. */
int ctx_find_rel(struct rule_ctx *ctx, const struct qname *qn, struct cat_rel *out);
/* The locks the current statement takes (pg_locks.md). */
const struct lock_list *ctx_locks(const struct rule_ctx *ctx);
/*
 * The statements of the current file that may name relation 'name' (in
 * any schema): as their table (INSERT, UPDATE, DELETE, ALTER TABLE,
 * CREATE INDEX, RENAME), as what they create (CREATE TABLE, CREATE
 * VIEW, and of types CREATE TYPE AS ENUM) or as a RENAME's new name. Their indices into
 * ctx_file_statements()' list, ascending, in *idx (the engine's, valid
 * while the file is linted); returns how many. Some may name another
 * relation: the caller checks each. For rules that would otherwise read
 * the whole file at each statement (quadratic in a long one).
 */
int ctx_stmts_naming(struct rule_ctx *ctx, const char *name, const int **idx);
/*
 * The statements after the current one in its file whose text may hold
 * the SQL string 'value' quoted ('it''s' for it's) between quotes that
 * are not doubled: ascending indices, as ctx_stmts_naming() gives them,
 * for a rule that looks ahead. The match is on the text, not the
 * lexer's literals (a quote in a comment counts). Some may not hold it
 * (a hash collision): the caller checks each.
 */
int ctx_stmts_quoting(struct rule_ctx *ctx, const char *value, const int **idx);
/* The index of the first statement after the current one that ends a
   transaction block (stmt_ends_block()); the number of statements of
   the file when none does. */
int ctx_block_end(struct rule_ctx *ctx);
/* The index of the BEGIN (START TRANSACTION) in the current file that
   opened the explicit transaction block still open before the current
   statement: the first since the last COMMIT, ROLLBACK or PREPARE
   TRANSACTION; -1 when no block is open. */
int ctx_open_block(const struct rule_ctx *ctx);
/* The index of the last SET or RESET of parameter 'name' (lower case;
   "all" for RESET ALL) in the current file before the current
   statement, or -1. */
int ctx_last_set(const struct rule_ctx *ctx, const char *name);
/*
 * The index of the first statement of the file in the transaction the
 * current one runs in (the current index when it runs on its own): the
 * statement after the last COMMIT, ROLLBACK or PREPARE TRANSACTION, or
 * after the last BEGIN in a file the tool does not wrap.
 */
int ctx_transaction_start(const struct rule_ctx *ctx);
/*
 * The lock modes (bits 1 << enum lock_mode) that the statements of the
 * file from ctx_transaction_start() up to the current one took on the
 * relation, as ctx_locks() had them; a schema that either side
 * leaves out (NULL) matches any. 0 outside a transaction.
 */
unsigned ctx_held_modes(const struct rule_ctx *ctx, const char *schema, const char *relation);

#endif
