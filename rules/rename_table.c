/*
 * rename-table: renaming a table that is in production breaks the
 * application version still running, which queries the old name.
 *
 * Quiet when the table is new, and when the old name is back before the
 * migration ends: a view created under it (the usual compatibility
 * shim, as Atlas's BC101 accepts), a table created under it, or another
 * relation renamed to it (the swap of a rebuilt table).
 */
#include <string.h>

#include "helpers.h"
#include "banned.h"

static bool names(const struct qname *q, const char *schema, const char *name)
{
	return q->name && !strcmp(q->name, name) && (!q->schema || !strcmp(q->schema, schema));
}

/* Does statement 's' create a relation called schema.name? */
static bool recreates(const struct stmt *s, const char *schema, const char *name)
{
	switch (s->kind) {
	case ST_CREATE_VIEW:
		return !s->u.view.materialized && names(&s->u.view.name, schema, name);
	case ST_CREATE_TABLE:
		return names(&s->u.create_table.name, schema, name);
	case ST_RENAME:
		return (s->u.rename.kind == OBJ_TABLE || s->u.rename.kind == OBJ_VIEW) &&
		       s->u.rename.newname && !strcmp(s->u.rename.newname, name) &&
		       (!s->u.rename.rel.schema || !strcmp(s->u.rename.rel.schema, schema));
	default:
		return false;
	}
}

static bool name_comes_back(struct rule_ctx *ctx, const struct rel_ref *rel)
{
	const struct stmt *stmts;
	const int *idx;
	int nr, cur, n = ctx_stmts_naming(ctx, rel->name, &idx);

	ctx_file_statements(ctx, &stmts, &nr, &cur);
	for (int j = 0; j < n; j++)
		if (idx[j] > cur && recreates(&stmts[idx[j]], rel->schema, rel->name))
			return true;
	return false;
}

static bool is_table(char kind)
{
	return kind == REL_TABLE || kind == REL_PARTITIONED || kind == REL_FOREIGN;
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	for (int i = 0; i < n; i++, ch++) {
		if (ch->kind != CH_RENAME_TABLE || !is_table(ch->rel.kind) ||
		    ctx_rel_is_new(ctx, &ch->rel) || name_comes_back(ctx, &ch->rel))
			continue;
		report(ctx, RULE_RENAME_TABLE, object_path(ch->rel.schema, ch->rel.name, NULL),
		       "renaming table %s to \"%s\" breaks the application version still running,"
		       " which queries %s", quote_rel(ch->rel.schema, ch->rel.name), ch->new_name,
		       quote_rel(ch->rel.schema, ch->rel.name));
	}
}

const struct rule_impl rule_rename_table = { check, NULL };
