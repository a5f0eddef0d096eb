/*
 * enum-value-in-transaction: ALTER TYPE ... ADD VALUE inside a
 * transaction block. Before PostgreSQL 12 the statement fails there.
 * From 12 on it runs, but the new value cannot be used until the
 * transaction commits ("unsafe use of new value"), so it is reported
 * only when a later statement of the same transaction uses the value as
 * a string literal. Both are fine when the enum type itself was created
 * in the same transaction.
 */
#include <ctype.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "banned.h"

static bool same_name(const struct qname *a, const struct qname *b)
{
	return a->name && b->name && !strcmp(a->name, b->name) &&
	       (!a->schema || !b->schema || !strcmp(a->schema, b->schema));
}

/* Was the enum type created earlier in the current transaction? */
static bool type_created_here(struct rule_ctx *ctx, const struct alter_enum *e)
{
	const struct stmt *stmts;
	const int *idx;
	int nr, cur, first = ctx_transaction_start(ctx), n;

	n = ctx_stmts_naming(ctx, e->name.name, &idx);
	ctx_file_statements(ctx, &stmts, &nr, &cur);
	for (int j = 0; j < n && idx[j] < cur; j++)
		if (idx[j] >= first && stmts[idx[j]].kind == ST_CREATE_ENUM &&
		    same_name(&stmts[idx[j]].u.create_enum.name, &e->name))
			return true;
	return false;
}

/* Does text[start, end) hold the SQL string literal 'value'? */
static bool has_literal(const char *text, size_t start, size_t end, const char *value)
{
	struct strbuf lit;
	bool found = false;

	strbuf_init(&lit);
	strbuf_addch(&lit, '\'');
	for (const char *p = value; *p; p++) {
		if (*p == '\'')
			strbuf_addch(&lit, '\'');
		strbuf_addch(&lit, *p);
	}
	strbuf_addch(&lit, '\'');
	for (size_t i = start; !found && i + lit.len <= end; i++)
		found = !memcmp(text + i, lit.buf, lit.len) &&
			(i == start || text[i - 1] != '\'') &&
			(i + lit.len == end || text[i + lit.len] != '\'');
	strbuf_release(&lit);
	return found;
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80;
}

static bool same_type(const struct type_ref *t, const struct alter_enum *e)
{
	return t->name && !strcmp(t->name, e->name.name) &&
	       (!e->name.schema || !t->schema || !strcmp(t->schema, e->name.schema));
}

/* Is the type named as a cast target in text[start, end): "::type",
   "::schema.type" or "AS type" (any case)? */
static bool has_cast(const char *text, size_t start, size_t end, const char *type)
{
	size_t n = strlen(type);

	for (size_t i = start; n && i + n <= end; i++) {
		size_t j = i;

		if (strncasecmp(text + i, type, n) || (i + n < end && ident_char(text[i + n])) ||
		    (i > start && ident_char(text[i - 1])))
			continue;
		if (j > start && text[j - 1] == '"')   /* quoted identifier */
			j--;
		if (j > start && text[j - 1] == '.')   /* schema-qualified */
			while (j > start && text[j - 1] != ':' &&
			       !isspace((unsigned char)text[j - 1]))
				j--;
		while (j > start && isspace((unsigned char)text[j - 1]))
			j--;
		if ((j >= start + 2 && text[j - 1] == ':' && text[j - 2] == ':') ||
		    (j >= start + 2 && !strncasecmp(text + j - 2, "as", 2) &&
		     (j == start + 2 || !ident_char(text[j - 3]))))
			return true;
	}
	return false;
}

static bool rel_has_enum_column(struct rule_ctx *ctx, const struct qname *q,
				const struct alter_enum *e)
{
	struct cat_col *cols = NULL;
	struct cat_rel rel;
	bool found = false;
	int nr = 0;

	if (!q || !q->name || ctx_find_rel(ctx, q, &rel) ||
	    cat_col_list(ctx_catalog(ctx), rel.id, &cols, &nr))
		return false;
	for (int i = 0; i < nr && !found; i++)
		found = !strcmp(cols[i].type_name, e->name.name) &&
			(!e->name.schema || !cols[i].type_schema[0] ||
			 !strcmp(cols[i].type_schema, e->name.schema));
	free(cols);
	return found;
}

/* Columns of the type that the statement itself defines. */
static bool defines_enum_column(const struct stmt *s, const struct alter_enum *e)
{
	if (s->kind == ST_CREATE_TABLE)
		for (int i = 0; i < s->u.create_table.nr_columns; i++)
			if (same_type(&s->u.create_table.columns[i].type, e))
				return true;
	if (s->kind == ST_ALTER_TABLE)
		for (int i = 0; i < s->u.alter_table.nr_cmds; i++) {
			const struct alter_cmd *c = &s->u.alter_table.cmds[i];

			if ((c->kind == AT_ADD_COLUMN && c->coldef &&
			     same_type(&c->coldef->type, e)) ||
			    (c->kind == AT_ALTER_TYPE && same_type(&c->type, e)))
				return true;
		}
	return false;
}

/* Does the statement work on values of the enum type: a relation with a
   column of it, a column it defines, or a cast to it? */
static bool uses_type(struct rule_ctx *ctx, const struct stmt *s, const struct alter_enum *e)
{
	const char *text = ctx_file_text(ctx);
	const struct qname *q = NULL;

	switch (s->kind) {
	case ST_INSERT:
	case ST_UPDATE:
	case ST_DELETE:
		q = &s->u.dml.rel;
		break;
	case ST_ALTER_TABLE:
		q = &s->u.alter_table.rel;
		break;
	case ST_CREATE_INDEX:
		q = &s->u.index.table;
		break;
	case ST_CREATE_VIEW:
		for (int i = 0; i < s->u.view.nr_rels; i++)
			if (rel_has_enum_column(ctx, &s->u.view.rels[i], e))
				return true;
		break;
	default:
		break;
	}
	return rel_has_enum_column(ctx, q, e) || defines_enum_column(s, e) ||
	       has_cast(text, s->start, s->end, e->name.name);
}

/* Statements that take a literal as data rather than evaluate it. */
static bool evaluates(const struct stmt *s)
{
	return s->kind != ST_ALTER_ENUM && s->kind != ST_CREATE_ENUM &&
	       s->kind != ST_CREATE_FUNCTION && s->kind != ST_COMMENT &&
	       s->kind != ST_SYNTAX_ERROR;
}

/* The first later statement of the transaction that uses the value.
   Only the statements that may quote it are read: reading every later
   one was quadratic in a file of many ADD VALUEs. */
static const struct stmt *later_use(struct rule_ctx *ctx, const struct alter_enum *e)
{
	const char *text = ctx_file_text(ctx);
	const struct stmt *stmts;
	const int *idx;
	int nr, cur, end = ctx_block_end(ctx);
	int n = ctx_stmts_quoting(ctx, e->new_value, &idx);

	ctx_file_statements(ctx, &stmts, &nr, &cur);
	for (int j = 0; j < n && idx[j] < end; j++) {
		const struct stmt *s = &stmts[idx[j]];

		if (!evaluates(s) || !has_literal(text, s->start, s->end, e->new_value))
			continue;
		if (uses_type(ctx, s, e))
			return s;
	}
	return NULL;
}

static int line_of(const char *text, size_t offset)
{
	int line = 1;

	for (size_t i = 0; i < offset && text[i]; i++)
		line += text[i] == '\n';
	return line;
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	const struct alter_enum *e = &st->u.alter_enum;
	const char *type, *object;
	const struct stmt *use;

	(void)ch;
	(void)n;
	if (st->kind != ST_ALTER_ENUM || !e->new_value || e->old_value ||
	    !ctx_in_transaction(ctx) || type_created_here(ctx, e))
		return;
	type = quote_rel(e->name.schema, e->name.name);
	object = object_path(e->name.schema, e->name.name, NULL);
	if (ctx_pg_version(ctx) < 12) {
		report(ctx, RULE_ENUM_VALUE_IN_TRANSACTION, object,
		       "ALTER TYPE %s ADD VALUE cannot run inside a transaction block before"
		       " PostgreSQL 12, and this migration runs in one: it fails", type);
		return;
	}
	use = later_use(ctx, e);
	if (use)
		report(ctx, RULE_ENUM_VALUE_IN_TRANSACTION, object,
		       "the value '%s' added to %s is used at line %d in the same transaction:"
		       " PostgreSQL rejects it (\"unsafe use of new value\") until the transaction"
		       " that added it commits", e->new_value, type,
		       line_of(ctx_file_text(ctx), use->start));
}

const struct rule_impl rule_enum_value_in_transaction = { check, NULL };
