/*
 * helpers.h - small pieces several rules share.
 */
#ifndef MIGSAFE_RULE_HELPERS_H
#define MIGSAFE_RULE_HELPERS_H

#include "engine.h"

/*
 * Does 'q', as another statement of the file writes it, name the table
 * 'rel' (resolved as the replay resolves it now when it is known)?
 * Defined in rename_column.c; delete-all-rows uses it too.
 */
bool names_table(struct rule_ctx *ctx, const struct qname *q, const struct rel_ref *rel);

/* "; it also removes index "i", view "v"" (what goes with the object,
   and with CASCADE what depends on it), or "; PostgreSQL refuses it
   without CASCADE: view "v" depends on it" */
void append_dropped(struct strbuf *sb, const struct change *ch);

/*
 * The columns whose type a statement sets (CREATE TABLE columns, ADD
 * COLUMN, ALTER COLUMN TYPE), with the type before an ALTER TYPE (NULL
 * otherwise). Defined in prefer_timestamptz.c; the column-type rules
 * (prefer-timestamptz, prefer-identity, prefer-text, ban-char,
 * prefer-jsonb) share it.
 */
struct typed_column {
	const char *schema, *table, *column;
	const struct type_ref *type;
	const struct type_ref *old;
};
typedef void (*typed_column_fn)(struct rule_ctx *ctx, const struct typed_column *c);
void foreach_typed_column(struct rule_ctx *ctx, const struct stmt *st,
			  const struct change *ch, int n, typed_column_fn fn);

#endif
