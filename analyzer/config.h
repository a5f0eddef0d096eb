/*
 * config.h - .migsafe.json: found by walking up from the working
 * directory (or given with --config), validated key by key; command-line
 * options override it.
 *
 *   {
 *     "dialect": "postgresql" | "sqlite",
 *     "pg_version": 15,
 *     "migrations": "db/migrations",          (default PATH; string or array)
 *     "layout": "golang-migrate",
 *     "transaction": "per-file" | "none",
 *     "runner_sets_lock_timeout": true,
 *     "initial_schema": "db/schema.sql",
 *     "rules": { "missing-lock-timeout": "off", "prefer-text": "warning" },
 *     "naming": { "table": "^[a-z_]+$", "column": "...", "index": "...",
 *                 "constraint": "...", "foreign_key": "..." },
 *     "exclude": ["db/migrations/legacy/0*.sql"],
 *     "custom_rules": [ { "id": "...", "severity": "error",
 *                         "message": "table {table} has no owner column",
 *                         "sql": "SELECT ... FROM relations ..." } ]
 *   }
 *
 * Paths in the file are relative to the directory that holds it.
 */
#ifndef MIGSAFE_CONFIG_H
#define MIGSAFE_CONFIG_H

#include <stdbool.h>

#include "finding.h"
#include "rules.h"

enum naming_kind {
	NAMING_TABLE,
	NAMING_COLUMN,
	NAMING_INDEX,
	NAMING_CONSTRAINT,
	NAMING_FOREIGN_KEY,
	NR_NAMING,
};

struct custom_rule {
	char *id;
	enum severity severity;
	char *message;           /* template: {column} is replaced by the row's value */
	char *sql;
	struct rule_info info;   /* what findings point at (id, severity) */
};

struct config {
	char *path;              /* the file read, or NULL: none */
	char *dir;               /* its directory (paths are relative to it) */
	char *dialect;
	int pg_version;          /* 0: not set */
	char **migrations;       /* resolved paths */
	int nr_migrations;
	char *layout;
	int transaction;         /* -1 not set, else enum tx_mode */
	int runner_sets_lock_timeout;   /* -1 not set, 0, 1 */
	char *initial_schema;    /* resolved path */
	bool rule_set[NR_RULES];
	enum severity rule_severity[NR_RULES];
	char *naming[NR_NAMING]; /* PCRE2 patterns, NULL when not set */
	void *naming_code[NR_NAMING];   /* compiled pcre2_code *, owned */
	char **exclude;
	int nr_exclude;
	struct custom_rule *custom;
	int nr_custom;
};

void config_init(struct config *c);
void config_release(struct config *c);

/*
 * Load 'explicit' (--config) or the first .migsafe.json found walking up
 * from the working directory. Returns 0 (also when there is none), or -1
 * after one message naming the file and the key that is wrong.
 */
int config_load(struct config *c, const char *explicit);

/* Does the name match the pattern configured for 'kind' (true when none)? */
bool config_name_ok(const struct config *c, enum naming_kind kind, const char *name);
const char *naming_kind_name(enum naming_kind kind);

/* Is 'path' excluded by one of the globs? */
bool config_excluded(const struct config *c, const char *path);

#endif
