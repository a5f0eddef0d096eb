/*
 * blocking-maintenance: maintenance that rewrites or rebuilds a whole
 * relation while holding a lock that blocks the application
 * (pg_locks.md section 5): VACUUM FULL, CLUSTER, REINDEX and REFRESH
 * MATERIALIZED VIEW without CONCURRENTLY, ALTER TABLE ... SET TABLESPACE
 * / SET LOGGED / SET UNLOGGED. Quiet on relations new in this migration.
 */
#include <string.h>

#include "helpers.h"
#include "banned.h"

/* Is the relation named 'q' new (for an index: its table)? Unknown
   relations are treated as existing, as everywhere. */
static bool rel_new(struct rule_ctx *ctx, const struct qname *q)
{
	struct cat_rel rel, table;
	struct rel_ref r = { .known = true };

	if (!q->name || ctx_find_rel(ctx, q, &rel))
		return false;
	if (rel.kind == REL_INDEX && !cat_rel_get(ctx_catalog(ctx), rel.table_id, &table))
		rel = table;
	r.id = rel.id;
	r.created_file = rel.created_file;
	r.created_in_range = rel.in_range;
	return ctx_rel_is_new(ctx, &r);
}

static bool blocking_form(const struct maintenance_stmt *m)
{
	if (!strcmp(m->what, "vacuum full") || !strcmp(m->what, "cluster"))
		return true;
	if (!strcmp(m->what, "reindex") || !strcmp(m->what, "refresh materialized view"))
		return !m->concurrently;
	return false;   /* plain VACUUM, ANALYZE */
}

static void report_maint(struct rule_ctx *ctx, const struct maintenance_stmt *m,
			 const char *target, const char *object)
{
	if (!strcmp(m->what, "refresh materialized view"))
		report(ctx, RULE_BLOCKING_MAINTENANCE, object,
		       "REFRESH MATERIALIZED VIEW without CONCURRENTLY rebuilds %s while holding an"
		       " ACCESS EXCLUSIVE lock on it: reads of the view wait until it finishes",
		       target);
	else if (!strcmp(m->what, "reindex"))
		report(ctx, RULE_BLOCKING_MAINTENANCE, object,
		       "REINDEX without CONCURRENTLY rebuilds %s%s while holding a SHARE lock on the"
		       " table and an ACCESS EXCLUSIVE lock on each index it rebuilds: writes wait,"
		       " and so does every query planned against the table",
		       m->relkind == OBJ_INDEX ? "index " : "the indexes of ", target);
	else
		report(ctx, RULE_BLOCKING_MAINTENANCE, object,
		       "%s rewrites %s and its indexes while holding an ACCESS EXCLUSIVE lock:"
		       " reads and writes wait until it finishes",
		       !strcmp(m->what, "cluster") ? "CLUSTER" : "VACUUM FULL", target);
}

static void check_maintenance(struct rule_ctx *ctx, const struct maintenance_stmt *m)
{
	char target[2 * NAMEBUF + 32];

	if (!blocking_form(m))
		return;
	if (m->relkind == OBJ_SCHEMA || m->relkind == OBJ_DATABASE) {
		if (m->relkind == OBJ_SCHEMA && m->nr_rels && m->rels[0].name)
			snprintf(target, sizeof(target), "every table of schema \"%s\"",
				 m->rels[0].name);
		else
			snprintf(target, sizeof(target), "every table of the database");
		report_maint(ctx, m, target, NULL);
		return;
	}
	if (!m->nr_rels) {
		snprintf(target, sizeof(target), "%s", !strcmp(m->what, "cluster")
			 ? "every table clustered before" : "every table of the database");
		report_maint(ctx, m, target, NULL);
		return;
	}
	for (int i = 0; i < m->nr_rels; i++) {
		const struct qname *q = &m->rels[i];

		if (!q->name || rel_new(ctx, q))
			continue;
		snprintf(target, sizeof(target), "%s", quote_rel(q->schema, q->name));
		report_maint(ctx, m, target, object_path(q->schema, q->name, NULL));
	}
}

static void check_alter(struct rule_ctx *ctx, const struct alter_table *at)
{
	struct cat_rel rel;
	const char *table;

	if (at->relkind != OBJ_TABLE && at->relkind != OBJ_MATVIEW)
		return;
	if ((at->if_exists && ctx_find_rel(ctx, &at->rel, &rel)) || rel_new(ctx, &at->rel))
		return;
	table = quote_rel(at->rel.schema, at->rel.name);
	for (int i = 0; i < at->nr_cmds; i++) {
		const struct alter_cmd *cmd = &at->cmds[i];
		const char *object = object_path(at->rel.schema, at->rel.name, NULL);

		if (cmd->kind == AT_SET_TABLESPACE)
			report(ctx, RULE_BLOCKING_MAINTENANCE, object,
			       "SET TABLESPACE \"%s\" copies every block of %s to the new tablespace"
			       " while holding an ACCESS EXCLUSIVE lock: reads and writes wait until"
			       " the copy ends", cmd->name ? cmd->name : "", table);
		else if (cmd->kind == AT_SET_LOGGED || cmd->kind == AT_SET_UNLOGGED)
			report(ctx, RULE_BLOCKING_MAINTENANCE, object,
			       "SET %s rewrites %s and its indexes%s while holding an ACCESS EXCLUSIVE"
			       " lock: reads and writes wait until it finishes",
			       cmd->kind == AT_SET_LOGGED ? "LOGGED" : "UNLOGGED", table,
			       cmd->kind == AT_SET_LOGGED ? " (writing all of it to the WAL)" : "");
	}
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	(void)ch;
	(void)n;
	if (st->kind == ST_MAINTENANCE)
		check_maintenance(ctx, &st->u.maint);
	else if (st->kind == ST_ALTER_TABLE)
		check_alter(ctx, &st->u.alter_table);
}

const struct rule_impl rule_blocking_maintenance = { check, NULL };
