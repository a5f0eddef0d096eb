/*
 * prefer-jsonb (note): a column defined as json. jsonb is parsed once,
 * compares, and can be indexed; json only keeps the text.
 */
#include "helpers.h"

#include <string.h>

#include "types.h"
#include "banned.h"

static bool is_json(const struct type_ref *t)
{
	return t && !t->schema && t->name && !strcmp(t->name, "json");
}

static void check_column(struct rule_ctx *ctx, const struct typed_column *c)
{
	if (!is_json(c->type) || is_json(c->old))
		return;   /* not json, or it was json already */
	report(ctx, RULE_PREFER_JSONB, object_path(c->schema, c->table, c->column),
	       "%s.\"%s\" is %s: it is stored as text and parsed again on every access, has no"
	       " equality operator (no DISTINCT, GROUP BY or UNIQUE) and no GIN indexing; jsonb"
	       " has them",
	       quote_rel(c->schema, c->table), c->column, type_str(c->type));
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	if (st->kind == ST_CREATE_TABLE || st->kind == ST_ALTER_TABLE)
		foreach_typed_column(ctx, st, ch, n, check_column);
}

const struct rule_impl rule_prefer_jsonb = { check, NULL };
