/*
 * fuzz_lint.c - libFuzzer target for the whole pipeline: the input is
 * the text of a migration (any bytes) that follows a small fixed one in
 * a golang-migrate directory; it is discovered, read, parsed, replayed,
 * linted with every rule switched on, and every reporter writes the
 * findings to /dev/null.
 *
 * The engine reads migrations from files (lint_run takes a history of
 * paths), so each input is written to a temporary directory first.
 * Build with -DMIGSAFE_FUZZ=ON and clang; run with fuzz/run.sh.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "fuzz_common.h"

/* Context for the fuzzed file: tables with keys, an index, a view, an
   enum, a function - so rules about existing objects have work to do. */
static const char base_sql[] =
	"CREATE TYPE mood AS ENUM ('sad', 'ok');\n"
	"CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
	"  email varchar(255) NOT NULL UNIQUE, name text, m mood, created_at timestamp);\n"
	"CREATE TABLE orders (id serial PRIMARY KEY, user_id integer REFERENCES users (id),\n"
	"  total numeric(12,2) NOT NULL DEFAULT 0, note char(10));\n"
	"CREATE INDEX orders_user_id_idx ON orders (user_id);\n"
	"CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;\n"
	"CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
	"BEGIN NEW.total := NEW.total; RETURN NEW; END $$;\n"
	"CREATE SCHEMA app;\n"
	"CREATE TABLE app.items (id bigint PRIMARY KEY, sku text);\n";

static void setup(void)
{
	fuzz_write("0001_base.up.sql", (const uint8_t *)base_sql, sizeof(base_sql) - 1);
	fuzz_write("0001_base.down.sql", (const uint8_t *)"DROP TABLE orders;\n", 19);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct lint_opts o;

	if (!ready) {
		setup();
		ready = 1;
	}
	fuzz_write("0002_fuzz.up.sql", data, size);
	lint_opts_init(&o);
	for (int i = 0; i < NR_RULES; i++)
		if (o.severity[i] == SEV_OFF)
			o.severity[i] = SEV_WARNING;    /* off-by-default rules too */
	o.pg_version = 10 + (int)(size % 6);   /* 10..15: version-dependent paths */
	fuzz_lint_dir(fuzz_dir(), &o);
	return 0;
}
