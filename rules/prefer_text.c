/*
 * prefer-text (off by default): a column defined as varchar(n). A text
 * column with CHECK (char_length(col) <= n) holds the same values, and
 * its limit changes with a constraint swap instead of ALTER COLUMN TYPE.
 */
#include "helpers.h"

#include <string.h>

#include "types.h"
#include "banned.h"

static bool is_limited_varchar(const struct type_ref *t)
{
	return t && !t->schema && t->name && !strcmp(t->name, "varchar") && t->nr_mods >= 1 &&
	       !t->array_dims;   /* no char_length() CHECK fits an array */
}

static void check_column(struct rule_ctx *ctx, const struct typed_column *c)
{
	if (!is_limited_varchar(c->type) || is_limited_varchar(c->old))
		return;   /* not varchar(n), or it was one already */
	report(ctx, RULE_PREFER_TEXT, object_path(c->schema, c->table, c->column),
	       "%s.\"%s\" is %s: changing the limit later is an ALTER COLUMN TYPE under an"
	       " ACCESS EXCLUSIVE lock (a full rewrite when it shrinks); text with"
	       " CHECK (char_length(\"%s\") <= %d) changes it with a constraint swap",
	       quote_rel(c->schema, c->table), c->column, type_str(c->type), c->column,
	       c->type->mods[0]);
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	if (st->kind == ST_CREATE_TABLE || st->kind == ST_ALTER_TABLE)
		foreach_typed_column(ctx, st, ch, n, check_column);
}

const struct rule_impl rule_prefer_text = { check, NULL };
