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
	R(TRANSACTION_NESTING, "transaction-nesting", "correctness", SEV_WARNING, \
	  "BEGIN or COMMIT inside a file the migration tool already runs in a transaction") \
	R(FOREIGN_KEYS_LEFT_OFF, "foreign-keys-left-off", "correctness", SEV_WARNING, \
	  "SQLite: PRAGMA foreign_keys = OFF that the migration does not turn back on") \
	R(DROP_TABLE, "drop-table", "destructive", SEV_ERROR, \
	  "dropping an existing table loses its data") \
	R(DROP_COLUMN, "drop-column", "destructive", SEV_ERROR, \
	  "dropping a column of an existing table loses its data") \
	R(DROP_SCHEMA, "drop-schema", "destructive", SEV_ERROR, \
	  "dropping a schema that holds objects loses them") \
	R(DROP_DATABASE, "drop-database", "destructive", SEV_ERROR, \
	  "DROP DATABASE destroys a whole database") \
	R(TRUNCATE_TABLE, "truncate-table", "destructive", SEV_ERROR, \
	  "TRUNCATE deletes every row") \
	R(DROP_CASCADE, "drop-cascade", "destructive", SEV_ERROR, \
	  "DROP ... CASCADE also removes every object that depends on the dropped one") \
	R(DELETE_ALL_ROWS, "delete-all-rows", "destructive", SEV_WARNING, \
	  "DELETE or UPDATE without WHERE touches every row of an existing table") \
	R(TABLE_REBUILD_LOSES_DATA, "table-rebuild-loses-data", "destructive", SEV_ERROR, \
	  "SQLite: a table rebuild whose copy loses columns or rows of the old table") \
	R(NARROWING_TYPE_CHANGE, "narrowing-type-change", "types", SEV_ERROR, \
	  "a column type change to a type that cannot hold every old value") \
	R(TYPE_CHANGE_REWRITE, "type-change-rewrite", "types", SEV_WARNING, \
	  "a column type change that rewrites the whole table under an ACCESS EXCLUSIVE lock") \
	R(FK_TYPE_MISMATCH, "fk-type-mismatch", "types", SEV_WARNING, \
	  "a foreign key column whose type differs from the referenced column's") \
	R(ADD_REQUIRED_COLUMN, "add-required-column", "nullability", SEV_ERROR, \
	  "adding a NOT NULL column without a default fails on a table with rows") \
	R(SET_NOT_NULL, "set-not-null", "nullability", SEV_WARNING, \
	  "SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock and fails on NULLs") \
	R(ADD_COLUMN_VOLATILE_DEFAULT, "add-column-volatile-default", "nullability", SEV_WARNING, \
	  "adding a column whose default must be computed per row rewrites the table") \
	R(INDEX_NOT_CONCURRENT, "index-not-concurrent", "locking", SEV_WARNING, \
	  "CREATE INDEX without CONCURRENTLY blocks writes for the whole build") \
	R(DROP_INDEX_NOT_CONCURRENT, "drop-index-not-concurrent", "locking", SEV_WARNING, \
	  "DROP INDEX without CONCURRENTLY blocks reads and writes of the table") \
	R(CONCURRENT_IN_TRANSACTION, "concurrent-in-transaction", "locking", SEV_ERROR, \
	  "CONCURRENTLY inside a transaction block fails at run time") \
	R(ADD_FOREIGN_KEY_VALIDATES, "add-foreign-key-validates", "locking", SEV_WARNING, \
	  "adding a foreign key without NOT VALID scans the table and blocks writes on both tables") \
	R(ADD_CHECK_VALIDATES, "add-check-validates", "locking", SEV_WARNING, \
	  "adding a CHECK without NOT VALID scans the table under an ACCESS EXCLUSIVE lock") \
	R(ADD_UNIQUE_CONSTRAINT, "add-unique-constraint", "locking", SEV_WARNING, \
	  "ADD UNIQUE or PRIMARY KEY builds its index under an ACCESS EXCLUSIVE lock") \
	R(UNIQUE_ON_EXISTING_DATA, "unique-on-existing-data", "locking", SEV_NOTE, \
	  "a unique index or constraint on existing data fails if duplicates exist") \
	R(MISSING_LOCK_TIMEOUT, "missing-lock-timeout", "locking", SEV_WARNING, \
	  "a statement that takes a blocking lock on an existing table with no lock_timeout set") \
	R(BLOCKING_MAINTENANCE, "blocking-maintenance", "locking", SEV_WARNING, \
	  "maintenance that rewrites or locks a whole relation against reads or writes") \
	R(ENUM_VALUE_IN_TRANSACTION, "enum-value-in-transaction", "locking", SEV_WARNING, \
	  "ALTER TYPE ... ADD VALUE inside a transaction") \
	R(RENAME_TABLE, "rename-table", "compatibility", SEV_WARNING, \
	  "renaming an existing table breaks the application that still uses the old name") \
	R(RENAME_COLUMN, "rename-column", "compatibility", SEV_WARNING, \
	  "renaming a column of an existing table breaks the application that still uses the old name") \
	R(MISSING_FK_INDEX, "missing-fk-index", "schema-design", SEV_WARNING, \
	  "a foreign key whose columns lead no index on the referencing table") \
	R(TABLE_WITHOUT_PRIMARY_KEY, "table-without-primary-key", "schema-design", SEV_WARNING, \
	  "a table with no primary key") \
	R(REDUNDANT_INDEX, "redundant-index", "schema-design", SEV_NOTE, \
	  "an index whose columns lead another index with the same predicate") \
	R(PREFER_BIGINT_PK, "prefer-bigint-pk", "schema-design", SEV_WARNING, \
	  "an integer primary key runs out at 2^31") \
	R(PREFER_TIMESTAMPTZ, "prefer-timestamptz", "schema-design", SEV_WARNING, \
	  "timestamp without time zone loses the offset of every value") \
	R(PREFER_IDENTITY, "prefer-identity", "schema-design", SEV_OFF, \
	  "serial instead of an identity column") \
	R(PREFER_TEXT, "prefer-text", "schema-design", SEV_OFF, \
	  "varchar(n) where text with a CHECK would do") \
	R(BAN_CHAR, "ban-char", "schema-design", SEV_WARNING, \
	  "char(n) pads values with spaces") \
	R(PREFER_JSONB, "prefer-jsonb", "schema-design", SEV_NOTE, \
	  "json instead of jsonb") \
	R(NAMING_CONVENTION, "naming-convention", "schema-design", SEV_OFF, \
	  "a name that does not match the pattern configured for its kind") \
	R(UNUSED_SUPPRESSION, "unused-suppression", "history", SEV_NOTE, \
	  "a migsafe:ignore comment that suppresses nothing") \
	R(MODIFIED_APPLIED_MIGRATION, "modified-applied-migration", "history", SEV_ERROR, \
	  "a migration that was already applied has been edited") \
	R(OUT_OF_ORDER_MIGRATION, "out-of-order-migration", "history", SEV_ERROR, \
	  "a new migration whose version sorts before one that is already applied") \
	R(DUPLICATE_VERSION, "duplicate-version", "history", SEV_ERROR, \
	  "two migrations with the same version")

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
