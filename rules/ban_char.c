/*
 * ban-char: a column defined as char(n) / character(n) (bpchar). Not the
 * one-byte "char" type, which is a different type.
 */
#include "helpers.h"

#include <string.h>

#include "types.h"
#include "banned.h"

static bool is_bpchar(const struct type_ref *t)
{
	return t && !t->schema && t->name && !strcmp(t->name, "bpchar");
}

static void check_column(struct rule_ctx *ctx, const struct typed_column *c)
{
	if (!is_bpchar(c->type) || is_bpchar(c->old))
		return;   /* not char(n), or it was one already */
	if (c->type->nr_mods >= 1 && c->type->mods[0] > 1)
		report(ctx, RULE_BAN_CHAR, object_path(c->schema, c->table, c->column),
		       "%s.\"%s\" is %s: values are padded with spaces to %d characters, trailing"
		       " spaces are ignored when comparing and dropped when cast to text; use text"
		       " or varchar",
		       quote_rel(c->schema, c->table), c->column, type_str(c->type),
		       c->type->mods[0]);
	else
		report(ctx, RULE_BAN_CHAR, object_path(c->schema, c->table, c->column),
		       "%s.\"%s\" is %s: trailing spaces are ignored when comparing and dropped"
		       " when cast to text; use text or varchar",
		       quote_rel(c->schema, c->table), c->column, type_str(c->type));
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	if (st->kind == ST_CREATE_TABLE || st->kind == ST_ALTER_TABLE)
		foreach_typed_column(ctx, st, ch, n, check_column);
}

const struct rule_impl rule_ban_char = { check, NULL };
