/*
 * rules.h - the rule registry, one screen.
 *
 * Adding a rule:
 *   1. rules/<id with _>.c defining 'const struct rule_impl rule_<name>'
 *      (a per-statement check and/or a range check; rules never print,
 *      they call report()),
 *   2. one R(...) line below (id, category, default severity, summary)
 *      and its entry in the impls[] table of rules/registry.c,
 *   3. docs/rules/<id>.md (title, summary line matching the one below,
 *      bad example, why, safe SQL) - tests/test_docs.c checks they agree,
 *   4. fixtures/<id>/ (one .sql file per case) showing it fire and stay quiet.
 *
 * Rules whose implementation is NULL are reported by the engine itself
 * (syntax-error, unknown-object, duplicate-object).
 */
#ifndef MIGSAFE_RULES_H
#define MIGSAFE_RULES_H

#include "finding.h"

struct rule_ctx;
struct change;
struct stmt;

struct rule_impl {
	/* once per statement in the lint range, with the changes replay
	   made; the catalog is already updated; changes carry the state
	   from before the statement that rules need */
	void (*check_stmt)(struct rule_ctx *ctx, const struct stmt *st,
			   const struct change *changes, int nr_changes);
	/* once after the last statement of the lint range */
	void (*check_range)(struct rule_ctx *ctx);
};

/* R(enum-name, "id", "category", default severity, "one-line summary") */
#define RULE_LIST(R) \
	R(SYNTAX_ERROR, "syntax-error", "correctness", SEV_ERROR, \
	  "the statement does not parse") \
	R(UNKNOWN_OBJECT, "unknown-object", "correctness", SEV_ERROR, \
	  "a statement references an object that does not exist at that point in the history") \
	R(DUPLICATE_OBJECT, "duplicate-object", "correctness", SEV_ERROR, \
	  "a statement creates an object that already exists") \
	R(UNANALYZABLE_STATEMENT, "unanalyzable-statement", "correctness", SEV_NOTE, \
	  "a statement whose effect on the schema cannot be known statically") \
	R(DROP_TABLE, "drop-table", "destructive", SEV_ERROR, \
	  "dropping an existing table loses its data") \
	R(DROP_COLUMN, "drop-column", "destructive", SEV_ERROR, \
	  "dropping a column of an existing table loses its data") \
	R(DROP_SCHEMA, "drop-schema", "destructive", SEV_ERROR, \
	  "dropping a schema that holds objects loses them") \
	R(TRUNCATE_TABLE, "truncate-table", "destructive", SEV_ERROR, \
	  "TRUNCATE deletes every row") \
	R(NARROWING_TYPE_CHANGE, "narrowing-type-change", "types", SEV_ERROR, \
	  "a column type change to a type that cannot hold every old value") \
	R(ADD_REQUIRED_COLUMN, "add-required-column", "nullability", SEV_ERROR, \
	  "adding a NOT NULL column without a default fails on a table with rows") \
	R(SET_NOT_NULL, "set-not-null", "nullability", SEV_WARNING, \
	  "SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock and fails on NULLs") \
	R(INDEX_NOT_CONCURRENT, "index-not-concurrent", "locking", SEV_WARNING, \
	  "CREATE INDEX without CONCURRENTLY blocks writes for the whole build") \
	R(CONCURRENT_IN_TRANSACTION, "concurrent-in-transaction", "locking", SEV_ERROR, \
	  "CONCURRENTLY inside a transaction block fails at run time") \
	R(MISSING_FK_INDEX, "missing-fk-index", "schema-design", SEV_WARNING, \
	  "a foreign key whose columns lead no index on the referencing table")

enum rule_id {
#define R_ENUM(e, id, cat, sev, sum) RULE_##e,
	RULE_LIST(R_ENUM)
#undef R_ENUM
	NR_RULES
};

struct rule_info {
	enum rule_id rule;
	const char *id;
	const char *category;
	enum severity default_severity;
	const char *summary;
	const void *reserved;
};

extern const struct rule_info rule_table[NR_RULES];

/* Look up by id; NULL if there is no such rule. */
const struct rule_info *rule_by_id(const char *id);

/* The implementation; NULL for rules the engine reports itself. */
const struct rule_impl *rule_impl_of(const struct rule_info *r);

/* The value of a header line ("summary: ...") of the doc page; malloc'ed
   or NULL. */
char *rule_doc_field(const struct rule_info *r, const char *key);

/* The rule's Markdown doc page (embedded), or NULL. */
const char *rule_doc(const struct rule_info *r);

/*
 * The "help" line of a rule: the doc page's line that starts with
 * "help: " (the safe alternative in one sentence), or NULL.
 * Returned string is owned by the registry (static lifetime).
 */
const char *rule_help(const struct rule_info *r);

#endif
