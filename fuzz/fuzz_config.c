/*
 * fuzz_config.c - libFuzzer target for .migsafe.json: the input is
 * written as a config file and loaded with config_load(); when it loads,
 * a small fixed history is linted with it (naming patterns and custom
 * SQL rules run, every reporter writes to /dev/null), as the CLI applies
 * a config.
 *
 * "initial_schema" is honoured only when it names a regular file inside
 * the fuzzing directory: a config may name any path, and reading a FIFO
 * or a terminal would block the fuzzer, which is not a bug.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "engine.h"
#include "fuzz_common.h"

static const char hist_sql[] =
	"CREATE TABLE Users (id integer PRIMARY KEY, EMail varchar(40));\n"
	"CREATE INDEX idx1 ON Users (EMail);\n"
	"ALTER TABLE Users ADD CONSTRAINT c1 CHECK (id > 0);\n"
	"CREATE TABLE posts (id bigint PRIMARY KEY, user_id integer REFERENCES Users (id));\n";

static char hist_dir[PATH_MAX];

static void setup(void)
{
	snprintf(hist_dir, sizeof(hist_dir), "%s/hist", fuzz_dir());
	if (mkdir(hist_dir, 0700)) {
		perror(hist_dir);
		abort();
	}
	fuzz_write("hist/0001_users.up.sql", (const uint8_t *)hist_sql, sizeof(hist_sql) - 1);
	fuzz_write("hist/0002_more.up.sql", (const uint8_t *)"ALTER TABLE posts ADD COLUMN t text;\n",
		   37);
	/* a config may say "initial_schema": "schema.sql" */
	fuzz_write("schema.sql", (const uint8_t *)"CREATE TABLE legacy (id int);\n", 30);
}

static bool inside_fuzz_dir(const char *path)
{
	char real[PATH_MAX], dir[PATH_MAX];
	struct stat st;

	if (!path || !realpath(path, real) || !realpath(fuzz_dir(), dir))
		return false;
	return !strncmp(real, dir, strlen(dir)) && !stat(real, &st) && S_ISREG(st.st_mode);
}

/* What the CLI's apply_config() does with a loaded config. */
static void apply(const struct config *c, struct lint_opts *o)
{
	bool naming = false;

	if (c->pg_version)
		o->pg_version = c->pg_version;
	if (c->transaction >= 0)
		o->tx_override = c->transaction;
	if (c->runner_sets_lock_timeout >= 0)
		o->runner_sets_lock_timeout = c->runner_sets_lock_timeout;
	if (inside_fuzz_dir(c->initial_schema))
		o->initial_schema = c->initial_schema;
	for (int i = 0; i < NR_NAMING; i++)
		naming |= c->naming[i] != NULL;
	if (naming)
		o->severity[RULE_NAMING_CONVENTION] = SEV_WARNING;
	for (int i = 0; i < NR_RULES; i++)
		if (c->rule_set[i])
			o->severity[i] = c->rule_severity[i];
	o->config = c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct lint_opts o;
	struct config c;
	const char *path;

	if (!ready) {
		setup();
		ready = 1;
	}
	path = fuzz_write(".migsafe.json", data, size);
	config_init(&c);
	if (!config_load(&c, path)) {
		lint_opts_init(&o);
		apply(&c, &o);
		fuzz_lint_dir(hist_dir, &o);
	}
	config_release(&c);
	return 0;
}
