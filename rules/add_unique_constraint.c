/*
 * add-unique-constraint: ADD UNIQUE / ADD PRIMARY KEY without USING
 * INDEX builds the index while the table is held in ACCESS EXCLUSIVE
 * mode (pg_locks.md section 4). With USING INDEX the index was built
 * beforehand (CREATE UNIQUE INDEX CONCURRENTLY) and the lock is brief.
 */
#include "helpers.h"
#include "banned.h"

static void join_columns(struct strbuf *sb, const struct constraint_def *cd)
{
	for (int i = 0; i < cd->nr_columns; i++)
		strbuf_addf(sb, "%s\"%s\"", i ? ", " : "", cd->columns[i]);
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	for (int i = 0; i < n; i++, ch++) {
		const struct constraint_def *cd = ch->con;
		struct strbuf cols;
		const char *table;

		if (ch->kind != CH_ADD_CONSTRAINT || !cd ||
		    (ch->con_kind != CON_UNIQUE && ch->con_kind != CON_PRIMARY) ||
		    cd->using_index || ctx_rel_is_new(ctx, &ch->rel))
			continue;
		strbuf_init(&cols);
		join_columns(&cols, cd);
		table = quote_rel(ch->rel.schema, ch->rel.name);
		report(ctx, RULE_ADD_UNIQUE_CONSTRAINT,
		       object_path(ch->rel.schema, ch->rel.name, NULL),
		       "ADD %s (%s) on existing table %s builds its index while holding an ACCESS"
		       " EXCLUSIVE lock: reads and writes of %s wait for the whole build",
		       ch->con_kind == CON_PRIMARY ? "PRIMARY KEY" : "UNIQUE", cols.buf, table,
		       table);
		strbuf_release(&cols);
	}
}

const struct rule_impl rule_add_unique_constraint = { check, NULL };
